package dev.cairn.benchmarks.junit;

import dev.cairn.Cairn;
import dev.cairn.server.kafka.KafkaServer;
import dev.cairn.server.kafka.KafkaServerOptions;
import dev.cairn.server.redis.RedisServer;
import dev.cairn.server.redis.RedisServerOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.slf4j.LoggerFactory;

/**
 * What the test kit spends per test when each test has its own Cairn with both listeners: open an
 * in-memory Cairn, start the Kafka and the Redis listener on free ports, close it all (what
 * {@code CairnExtension} does around a test that asks for both). The target: 100 such tests spend
 * at most 1 s in setup and teardown, so one cycle at most 10 ms. {@code cairnWithBothListeners}
 * opens the Cairn with JMX on (the library's default); {@code ...WithoutJmx} as the test kit now
 * opens it, without MBeans; the difference is what registering and unregistering them costs.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar TestKitLifecycle -f 1 -wi 5 -w 1s -i 10 -r 1s}
 * (the fork's JVM flags, G1 with a 1 GiB heap, are set here).
 *
 * <p>Baseline, in the same run: binding and closing two plain server sockets on free ports, the
 * least any two listeners cost.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+UseG1GC"})
@State(Scope.Benchmark)
public class TestKitLifecycleBenchmark {

    /** Logback's default configuration logs every open and close at DEBUG, on the measured path. */
    @Setup
    public void quietLogging() {
        ((ch.qos.logback.classic.LoggerContext) LoggerFactory.getILoggerFactory())
                .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.WARN);
    }

    @Benchmark
    public int cairnWithBothListeners() {
        try (Cairn cairn = Cairn.inMemory()) {
            KafkaServer kafka = KafkaServer.start(cairn, KafkaServerOptions.DEFAULT.withPort(0));
            RedisServer redis = RedisServer.start(cairn, RedisServerOptions.DEFAULT.withPort(0));
            return kafka.port() + redis.port();
        }
    }

    /** The same without the MBeans: what registering and unregistering them costs per cycle. */
    @Benchmark
    public int cairnWithBothListenersWithoutJmx() {
        try (Cairn cairn = Cairn.builder().inMemory().jmx(false).open()) {
            KafkaServer kafka = KafkaServer.start(cairn, KafkaServerOptions.DEFAULT.withPort(0));
            RedisServer redis = RedisServer.start(cairn, RedisServerOptions.DEFAULT.withPort(0));
            return kafka.port() + redis.port();
        }
    }

    @Benchmark
    public int cairnAlone() {
        try (Cairn cairn = Cairn.inMemory()) {
            return cairn.log().topics().size() + (int) cairn.dictionary().keys().dbSize();
        }
    }

    @Benchmark
    public int cairnAloneWithoutJmx() {
        try (Cairn cairn = Cairn.builder().inMemory().jmx(false).open()) {
            return cairn.log().topics().size() + (int) cairn.dictionary().keys().dbSize();
        }
    }

    @Benchmark
    public int baselineTwoServerSockets() throws IOException {
        try (ServerSocket a = new ServerSocket(); ServerSocket b = new ServerSocket()) {
            a.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            b.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return a.getLocalPort() + b.getLocalPort();
        }
    }
}
