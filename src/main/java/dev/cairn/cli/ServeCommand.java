package dev.cairn.cli;

import dev.cairn.Cairn;
import dev.cairn.common.Durability;
import dev.cairn.server.kafka.KafkaServer;
import dev.cairn.server.kafka.KafkaServerOptions;
import dev.cairn.server.redis.RedisServer;
import dev.cairn.server.redis.RedisServerOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code serve}: serves a data directory over RESP and, when asked, over Kafka's protocol, in the
 * foreground until Ctrl-C, whose shutdown hook closes the servers and then the store.
 *
 * <p>One instance per command line; not thread-safe.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serves a data directory over RESP (Redis clients) and, with --kafka-port, the Kafka "
                + "protocol, until Ctrl-C.")
final class ServeCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "cairn-data",
            description = "The data directory, created if missing (default: ${DEFAULT-VALUE}).")
    private Path dir;

    @Option(names = "--in-memory", description = "Keep everything in memory instead of a directory.")
    private boolean inMemory;

    @Option(names = "--replica-root", paramLabel = "DIR",
            description = "A directory on another disk that keeps copies of replicated topics' partitions; "
                    + "repeat for more, in the same order at every start.")
    private java.util.List<Path> replicaRoots = java.util.List.of();

    @Option(names = {"--host", "--redis-host"}, paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "The address the RESP listener binds (default: ${DEFAULT-VALUE}).")
    private String host;

    @Option(names = "--redis-port", paramLabel = "PORT", defaultValue = "6379", converter = Port.class,
            description = "The RESP port, 0 for a free one (default: ${DEFAULT-VALUE}).")
    private int redisPort;

    @Option(names = "--requirepass", paramLabel = "PASSWORD",
            description = "The password RESP clients must AUTH with.")
    private String password;

    @Option(names = "--appendfsync", paramLabel = "always|everysec|no", defaultValue = "always",
            converter = Fsync.class, description = "When writes are fsynced (default: ${DEFAULT-VALUE}).")
    private Durability durability;

    @Option(names = "--kafka-port", paramLabel = "PORT", converter = Port.class,
            description = "Also serve the log over the Kafka protocol on this port, 0 for a free one.")
    private Integer kafkaPort;

    @Option(names = "--kafka-host", paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "The address the Kafka listener binds and Metadata advertises (default: ${DEFAULT-VALUE}).")
    private String kafkaHost;

    @Override
    public Integer call() throws InterruptedException {
        Logging.configure();
        PrintWriter out = spec.commandLine().getOut();
        Cairn.Builder builder = Cairn.builder().durability(durability);
        if (inMemory && !replicaRoots.isEmpty()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--replica-root keeps copies on other disks: it does not go with --in-memory");
        }
        Cairn cairn = inMemory ? builder.inMemory().open()
                : builder.directory(dir).replicaRoots(replicaRoots.toArray(Path[]::new)).open();
        RedisServer server;
        KafkaServer kafka;
        try {
            server = RedisServer.start(cairn, RedisServerOptions.DEFAULT.withHost(host).withPort(redisPort)
                    .withPassword(password));
            kafka = kafkaPort == null ? null : KafkaServer.start(cairn,
                    KafkaServerOptions.DEFAULT.withHost(kafkaHost).withPort(kafkaPort));
        } catch (RuntimeException e) {
            cairn.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (kafka != null) {
                kafka.close();
            }
            server.close();
            cairn.close();
            stopped.countDown();
        }, "cairn-shutdown"));
        out.println("Cairn serves " + (inMemory ? "an in-memory store" : dir.toAbsolutePath())
                + " over RESP on " + server.address() + " (Ctrl-C stops it)");
        if (kafka != null) {
            out.println("Cairn serves its log over the Kafka protocol on " + kafka.address()
                    + " (bootstrap.servers=" + kafka.bootstrapServers() + ")");
        }
        out.flush();
        stopped.await();
        return 0;
    }
}
