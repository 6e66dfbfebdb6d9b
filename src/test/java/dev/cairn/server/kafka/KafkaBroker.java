package dev.cairn.server.kafka;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Kafka broker in the test JVM, for the conformance tests: one KRaft node that is both
 * broker and controller, its metadata log formatted here as {@code kafka-storage format} would,
 * its data in a temporary directory that is deleted when it stops.
 *
 * <p>Registered as an extension by the tests that need it, it starts at most once per test JVM
 * (on the first such class) and is shared by every later one; JUnit closes it when the whole run
 * ends. Tests sharing it keep apart by topic and group names. Thread-safe once started: it is
 * read-only to the tests.
 */
final class KafkaBroker implements BeforeAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KafkaBroker.class);
    private static final int NODE_ID = 1;
    private static final int START_ATTEMPTS = 3;

    private volatile Running running;

    @Override
    public void beforeAll(ExtensionContext context) {
        running = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Running.class,
                key -> Running.start(), Running.class);
    }

    /** {@code host:port} of the broker's client listener. */
    String bootstrapServers() {
        return started().bootstrapServers();
    }

    /** The port of the broker's client listener. */
    int port() {
        return started().brokerPort;
    }

    /** The cluster id the metadata log was formatted with. */
    String clusterId() {
        return started().clusterId;
    }

    /** The broker's (and controller's) node id. */
    int nodeId() {
        return NODE_ID;
    }

    private Running started() {
        Running r = running;
        if (r == null) {
            throw new IllegalStateException("the broker starts in beforeAll: register KafkaBroker as a static extension");
        }
        return r;
    }

    /** The started broker and its directory; closing it stops the broker and deletes the directory. */
    static final class Running implements ExtensionContext.Store.CloseableResource {
        final KafkaRaftServer server;
        final Path dir;
        final int brokerPort;
        final String clusterId;
        /** How long the start took, format included, for the build's record of test times. */
        final long startMillis;

        private Running(KafkaRaftServer server, Path dir, int brokerPort, String clusterId, long startMillis) {
            this.server = server;
            this.dir = dir;
            this.brokerPort = brokerPort;
            this.clusterId = clusterId;
            this.startMillis = startMillis;
        }

        String bootstrapServers() {
            return "127.0.0.1:" + brokerPort;
        }

        // The two listener ports are picked free before the start, since the controller quorum's
        // address is part of the configuration: another process may take one in between, so a
        // start that fails to bind is tried again on new ports.
        static Running start() {
            long began = System.nanoTime();
            RuntimeException failure = null;
            for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
                Path dir = createTempDir();
                try {
                    Running running = startIn(dir, began);
                    System.out.printf("Kafka broker %s started in %d ms%n", running.bootstrapServers(),
                            running.startMillis);
                    return running;
                } catch (RuntimeException e) {
                    deleteRecursively(dir);
                    if (!causedByBind(e)) {
                        throw e;
                    }
                    failure = e;
                }
            }
            throw failure;
        }

        private static Running startIn(Path dir, long began) {
            int brokerPort = freePort();
            int controllerPort = freePort();
            String clusterId = Uuid.randomUuid().toString();
            Properties props = new Properties();
            props.put("process.roles", "broker,controller");
            props.put("node.id", Integer.toString(NODE_ID));
            props.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
            props.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
            props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
            props.put("controller.listener.names", "CONTROLLER");
            props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            props.put("inter.broker.listener.name", "PLAINTEXT");
            props.put("log.dirs", dir.resolve("data").toString());
            // One node: every internal topic has one replica, and small ones start faster.
            props.put("offsets.topic.replication.factor", "1");
            props.put("offsets.topic.num.partitions", "1");
            props.put("transaction.state.log.replication.factor", "1");
            props.put("transaction.state.log.min.isr", "1");
            props.put("transaction.state.log.num.partitions", "1");
            props.put("share.coordinator.state.topic.replication.factor", "1");
            props.put("share.coordinator.state.topic.min.isr", "1");
            props.put("group.initial.rebalance.delay.ms", "0");
            // The consumer group contract's short session timeouts, as CairnConsumerGroupTest allows them.
            props.put("group.min.session.timeout.ms", "500");
            props.put("num.partitions", "1");
            props.put("num.network.threads", "2");
            props.put("num.io.threads", "2");
            props.put("background.threads", "2");
            props.put("log.cleaner.threads", "1");
            props.put("log.cleaner.dedupe.buffer.size", Integer.toString(2 << 20));
            KafkaConfig config = KafkaConfig.fromProps(props, false);
            format(config, clusterId);
            KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
            try {
                server.startup();
            } catch (RuntimeException e) {
                shutdown(server);
                throw e;
            }
            return new Running(server, dir, brokerPort, clusterId, (System.nanoTime() - began) / 1_000_000);
        }

        /** Writes meta.properties and the bootstrap metadata into every log directory, as kafka-storage format does. */
        private static void format(KafkaConfig config, String clusterId) {
            Formatter formatter = new Formatter()
                    .setPrintStream(new PrintStream(PrintStream.nullOutputStream()))
                    .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                    .setNodeId(NODE_ID)
                    .setClusterId(clusterId)
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .setControllerListenerName("CONTROLLER")
                    .setMetadataLogDirectory(config.metadataLogDir());
            config.logDirs().forEach(formatter::addDirectory);
            try {
                formatter.run();
            } catch (Exception e) {
                throw new IllegalStateException("formatting the broker's directories failed", e);
            }
        }

        @Override
        public void close() {
            shutdown(server);
            deleteRecursively(dir);
        }

        private static void shutdown(KafkaRaftServer server) {
            server.shutdown();
            server.awaitShutdown();
        }

        private static boolean causedByBind(Throwable e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof BindException) {
                    return true;
                }
            }
            return false;
        }

        private static int freePort() {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static Path createTempDir() {
            try {
                return Files.createTempDirectory("cairn-kafka-broker");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static void deleteRecursively(Path dir) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("deleting the broker's directory " + dir, e);
            }
        }
    }
}
