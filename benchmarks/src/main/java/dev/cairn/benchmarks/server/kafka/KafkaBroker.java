package dev.cairn.benchmarks.server.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real Kafka broker, the benchmarks' baseline: one KRaft node that is both broker and
 * controller, on two free ports of 127.0.0.1 and a fresh temporary directory, formatted and
 * started in this JVM as {@code kafka-storage format} and {@code kafka-server-start} would.
 *
 * <p>The settings are those of the single-node {@code config/server.properties} that Kafka ships
 * for development: replication factor 1 for the internal topics, one partition per new topic,
 * and no initial rebalance delay for new groups (the broker's default of 3 s would otherwise
 * dominate a first group join). Everything else is Kafka's default, so the log is written to the
 * page cache and flushed by the OS, as Kafka does by default.
 *
 * <p>Not thread-safe; {@link #close()} shuts the broker down and deletes its directory.
 */
final class KafkaBroker implements AutoCloseable {
    private final Path directory;
    private final int port;
    private final KafkaRaftServer server;
    private boolean closed;

    private KafkaBroker(Path directory, int port, KafkaRaftServer server) {
        this.directory = directory;
        this.port = port;
        this.server = server;
    }

    /** Formats a new directory and starts a broker on it; returns once the broker is unfenced. */
    static KafkaBroker start() {
        Path directory = null;
        try {
            directory = Files.createTempDirectory("kafka-broker-bench");
            int brokerPort = freePort();
            int controllerPort = freePort();
            Properties props = settings(directory.resolve("log"), brokerPort, controllerPort);
            format(directory, props);
            KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            server.startup();
            return new KafkaBroker(directory, brokerPort, server);
        } catch (IOException e) {
            deleteQuietly(directory);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            deleteQuietly(directory);
            throw e;
        }
    }

    private static Properties settings(Path logDir, int brokerPort, int controllerPort) {
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        props.put("log.dirs", logDir.toString());
        props.put("num.partitions", "1");
        props.put("offsets.topic.replication.factor", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        return props;
    }

    /** What {@code kafka-storage format -t <random id> -c <file>} does, through the same tool class. */
    private static void format(Path directory, Properties props) throws IOException {
        Path file = directory.resolve("server.properties");
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            props.store(out, "benchmark broker");
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exit;
        try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            exit = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c",
                file.toString()}, print);
        }
        if (exit != 0) {
            throw new IllegalStateException("kafka-storage format failed (" + exit + "): "
                    + output.toString(StandardCharsets.UTF_8));
        }
    }

    /**
     * A port that was free a moment ago. The controller's port must be known before the broker
     * starts (it is in the voters' list) and the broker does not tell which port it bound, so both
     * are chosen here; another process taking one in between makes the start fail, not mismeasure.
     */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    int port() {
        return port;
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            deleteQuietly(directory);
        }
    }

    static void deleteQuietly(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // A leftover temporary directory does not change any figure; the run goes on.
            System.err.println("could not delete " + root + ": " + e);
        }
    }
}
