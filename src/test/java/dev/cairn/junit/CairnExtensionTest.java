package dev.cairn.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.cairn.Cairn;
import dev.cairn.ManualClock;
import dev.cairn.dictionary.Dictionary;
import dev.cairn.log.Log;
import dev.cairn.log.ProducerRecord;
import dev.cairn.log.TopicConfig;
import dev.cairn.log.TopicPartition;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * The extension's own tests: each runs a sample test class (the static nested classes below, which
 * the build's test run skips) through JUnit's engine and inspects the outcome.
 */
class CairnExtensionTest {
    /** What the sample classes saw, for the outer test to check. */
    static final List<Object> SEEN = new CopyOnWriteArrayList<>();

    private static EngineExecutionResults run(Class<?> sample) {
        SEEN.clear();
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(sample)).execute();
    }

    private static void assertAllPassed(EngineExecutionResults results, int tests) {
        results.testEvents().assertStatistics(s -> s.started(tests).succeeded(tests).failed(0));
    }

    static class IsolatedSample {
        @RegisterExtension
        static CairnExtension cairn = CairnExtension.inMemory().withTopic("orders", 2).withString("greeting", "hi");

        @Test
        void first(Log log, Dictionary dictionary) {
            check(log, dictionary);
        }

        @Test
        void second(Log log, Dictionary dictionary) {
            check(log, dictionary);
        }

        private static void check(Log log, Dictionary dictionary) {
            SEEN.add(cairn.records("orders").size());
            SEEN.add(dictionary.keys().dbSize());
            SEEN.add(log.describeTopic("orders").partitions().size());
            log.append(ProducerRecord.of("orders", bytes("k"), bytes("v")));
            dictionary.strings().set("mine", "x");
        }
    }

    @Test
    void eachTestGetsAFreshCairnWithTheDeclaredTopicsAndKeys() {
        assertAllPassed(run(IsolatedSample.class), 2);
        assertThat(SEEN).containsExactly(0, 1L, 2, 0, 1L, 2);
    }

    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class SharedSample {
        @RegisterExtension
        static CairnExtension cairn = CairnExtension.inMemory().perClass().withTopic("events");

        @Test
        @Order(1)
        void writes(Cairn c) {
            SEEN.add(c);
            c.log().append(ProducerRecord.of("events", bytes("one")));
            c.log().createTopic("extra", TopicConfig.defaults());
            c.dictionary().strings().set("k", "v");
            try (var consumer = c.log().consumer(dev.cairn.log.ConsumerConfig.group("g"))) {
                consumer.subscribe(List.of("events"));
                CairnExtension.pollUntil(consumer, 1, Duration.ofSeconds(10));
                consumer.commitSync();
            }
        }

        @Test
        @Order(2)
        void seesTheFirstTestsDataThenResets(Cairn c) {
            SEEN.add(c);
            SEEN.add(cairn.records("events").size());
            cairn.reset();
            SEEN.add(c.log().topics());
            SEEN.add(c.log().listGroups());
            SEEN.add(c.dictionary().keys().dbSize());
        }
    }

    @Test
    void aPerClassCairnIsSharedAndResetEmptiesIt() {
        assertAllPassed(run(SharedSample.class), 2);
        assertThat(SEEN.get(0)).isSameAs(SEEN.get(1));
        assertThat(SEEN.subList(2, SEEN.size())).containsExactly(1, java.util.Set.of("events"), java.util.Set.of(), 0L);
        assertThat(((Cairn) SEEN.get(0)).isClosed()).as("closed after the class").isTrue();
    }

    static class FailingSample {
        @RegisterExtension
        static CairnExtension cairn = CairnExtension.inMemory().withTopic("payments");

        @Test
        void fails(Log log, Dictionary dictionary) {
            log.append(ProducerRecord.of("payments", bytes("customer-7"), bytes("charged 12.50")));
            dictionary.hashes().hset("cart:7", "apples", "3");
            dictionary.strings().set("binary", new byte[] {0, 1, 2, (byte) 0xff});
            throw new AssertionError("the assertion that failed");
        }
    }

    @Test
    void aFailedTestsReportCarriesWhatTheCairnHeld() {
        EngineExecutionResults results = run(FailingSample.class);
        results.testEvents().assertStatistics(s -> s.failed(1));
        Event failed = results.testEvents().failed().list().get(0);
        Throwable failure = failed.getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow()
                .getThrowable().orElseThrow();
        assertThat(failure).hasMessage("the assertion that failed");
        assertThat(failure.getSuppressed()).hasSize(1);
        String dump = failure.getSuppressed()[0].getMessage();
        assertThat(dump).contains("payments", "partition 0: offsets [0, 1)", "key=\"customer-7\"",
                "value=\"charged 12.50\"", "cart:7 (hash) [apples=\"3\"]", "binary (string) 0x000102ff");
        assertThat(results.allEvents().reportingEntryPublished().list()).singleElement()
                .satisfies(e -> assertThat(e.toString()).contains("cairn-state"));
    }

    static class ClockSample {
        @RegisterExtension
        static CairnExtension cairn = CairnExtension.inMemory().withManualClock()
                .withTopic("short-lived", TopicConfig.defaults().withRetentionMs(60_000));

        @Test
        void theTestsClockDrivesRetentionAndExpiry(Log log, Dictionary dictionary, ManualClock clock) {
            log.append(ProducerRecord.of("short-lived", bytes("old")));
            dictionary.strings().set("token", "t");
            dictionary.keys().expire("token", 30);
            clock.advance(Duration.ofSeconds(31));
            SEEN.add(dictionary.keys().exists("token"));
            clock.advance(Duration.ofSeconds(30));
            SEEN.add(log.beginningOffset(new TopicPartition("short-lived", 0)));
        }
    }

    @Test
    void theManualClockDrivesTimeBasedBehaviour() {
        assertAllPassed(run(ClockSample.class), 1);
        assertThat(SEEN).containsExactly(0L, 1L);
    }

    static class NoClockSample {
        @RegisterExtension
        static CairnExtension cairn = CairnExtension.inMemory();

        @Test
        void asksForAClock(ManualClock clock) {
            SEEN.add(clock);
        }
    }

    @Test
    void askingForAClockWithoutDeclaringOneSaysWhatToDo() {
        EngineExecutionResults results = run(NoClockSample.class);
        Throwable failure = results.testEvents().failed().list().get(0)
                .getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow().getThrowable()
                .orElseThrow();
        assertThat(failure).isInstanceOf(ParameterResolutionException.class).hasMessageContaining("withManualClock()");
        assertThat(SEEN).isEmpty();
    }

    static class ListenersSample {
        @RegisterExtension
        static CairnExtension cairn = CairnExtension.onDisk().withTopic("orders", 3);

        @Test
        void reachesBothListeners(@KafkaBootstrapServers String servers, @RedisUri URI redis, Cairn c) throws Exception {
            SEEN.add(c.directory());
            Properties config = new Properties();
            config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
            try (Admin admin = Admin.create(config)) {
                SEEN.add(admin.listTopics().names().get());
            }
            try (Socket socket = new Socket(redis.getHost(), redis.getPort())) {
                OutputStream out = socket.getOutputStream();
                out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                SEEN.add(new String(in.readNBytes(7), StandardCharsets.US_ASCII));
            }
        }
    }

    @Test
    void listenersStartOnFreePortsWhenAskedForAndTheDirectoryIsDeletedAfter() {
        assertAllPassed(run(ListenersSample.class), 1);
        assertThat(SEEN.get(1)).isEqualTo(java.util.Set.of("orders"));
        assertThat(SEEN.get(2)).isEqualTo("+PONG\r\n");
        assertThat(Files.exists((Path) SEEN.get(0))).isFalse();
    }

    static class NoJmxSample {
        @RegisterExtension
        static CairnExtension cairn = CairnExtension.inMemory();

        @Test
        void registersNoMBeans(Cairn c) {
            SEEN.add(String.valueOf(c.metricsName()));
        }
    }

    static class JmxSample {
        @RegisterExtension
        static CairnExtension cairn = CairnExtension.inMemory().withJmx();

        @Test
        void registersItsMBeans(Cairn c) throws Exception {
            SEEN.add(java.lang.management.ManagementFactory.getPlatformMBeanServer()
                    .isRegistered(new javax.management.ObjectName("dev.cairn.storage:type=Fsync,cairn="
                            + c.metricsName() + ",name=Latency")));
        }
    }

    @Test
    void jmxIsOffUnlessAskedFor() {
        assertAllPassed(run(NoJmxSample.class), 1);
        assertThat(SEEN).containsExactly("null");

        assertAllPassed(run(JmxSample.class), 1);
        assertThat(SEEN).containsExactly(true);
    }

    static class BothListenersEachTestSample {
        @RegisterExtension
        static CairnExtension cairn = CairnExtension.inMemory();

        @org.junit.jupiter.params.ParameterizedTest
        @org.junit.jupiter.params.provider.ValueSource(ints = {1, 2, 3, 4})
        void startsBothListeners(int run, @KafkaBootstrapServers String servers, @RedisUri URI redis) throws Exception {
            try (Socket socket = new Socket(redis.getHost(), redis.getPort())) {
                socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(new String(socket.getInputStream().readNBytes(7), StandardCharsets.US_ASCII))
                        .isEqualTo("+PONG\r\n");
            }
            SEEN.add(Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                    .filter(name -> name.startsWith("cairn-listener-") || name.matches("cairn-(kafka|redis)-(accept|io)-.*"))
                    .collect(java.util.stream.Collectors.toSet()));
        }
    }

    @Test
    void testsWithBothListenersShareTheListenersThreads() {
        // Each test's Kafka and Redis listeners run on the JVM's shared acceptor and I/O threads:
        // no listener starts threads of its own, however many tests start listeners.
        assertAllPassed(run(BothListenersEachTestSample.class), 4);
        int ioThreads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        assertThat(SEEN).hasSize(4).allSatisfy(names -> assertThat((java.util.Set<?>) names)
                .hasSizeBetween(2, 1 + ioThreads)
                .allMatch(name -> ((String) name).matches("cairn-listener-(accept-1|io-[0-9]+)")));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
