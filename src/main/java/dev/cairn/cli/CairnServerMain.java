package dev.cairn.cli;

import dev.cairn.Cairn;
import dev.cairn.common.Durability;
import dev.cairn.server.kafka.KafkaServer;
import dev.cairn.server.kafka.KafkaServerOptions;
import dev.cairn.server.redis.RedisServer;
import dev.cairn.server.redis.RedisServerOptions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * The runnable jar's entry point: serves a data directory over RESP (and, when asked, over Kafka's
 * protocol) until Ctrl-C, which closes the servers and the store cleanly.
 *
 * <pre>
 *   java -jar cairn-&lt;version&gt;-all.jar --dir ./data --redis-port 6379
 * </pre>
 *
 * Options: {@code --dir PATH} (default {@code ./cairn-data}), {@code --in-memory},
 * {@code --redis-host HOST} (default 127.0.0.1), {@code --redis-port PORT} (default 6379, 0 picks
 * a free one), {@code --requirepass PASSWORD}, {@code --appendfsync always|everysec|no} (default
 * always), {@code --kafka-port PORT} (no Kafka listener without it; 0 picks a free port),
 * {@code --kafka-host HOST} (default 127.0.0.1, also the host Metadata advertises), {@code --help}.
 */
public final class CairnServerMain {
    private CairnServerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (System.getProperty("logback.configurationFile") == null) {
            // The jar's own logging settings, under a name no application's class path uses.
            System.setProperty("logback.configurationFile", "dev/cairn/cli/server-logback.xml");
        }
        Settings settings;
        try {
            settings = Settings.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("cairn: " + e.getMessage());
            usage(System.err);
            System.exit(2);
            return;
        }
        if (settings.help) {
            usage(System.out);
            return;
        }
        Cairn.Builder builder = Cairn.builder().durability(settings.durability);
        Cairn cairn = settings.inMemory ? builder.inMemory().open() : builder.directory(settings.dir).open();
        RedisServer server = RedisServer.start(cairn, RedisServerOptions.DEFAULT.withHost(settings.host)
                .withPort(settings.port).withPassword(settings.password));
        KafkaServer kafka = settings.kafkaPort < 0 ? null : KafkaServer.start(cairn,
                KafkaServerOptions.DEFAULT.withHost(settings.kafkaHost).withPort(settings.kafkaPort));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (kafka != null) {
                kafka.close();
            }
            server.close();
            cairn.close();
            stopped.countDown();
        }, "cairn-shutdown"));
        System.out.println("Cairn serves " + (settings.inMemory ? "an in-memory store" : settings.dir.toAbsolutePath())
                + " over RESP on " + server.address() + " (Ctrl-C stops it)");
        if (kafka != null) {
            System.out.println("Cairn serves its log over the Kafka protocol on " + kafka.address()
                    + " (bootstrap.servers=" + kafka.bootstrapServers() + ")");
        }
        stopped.await();
    }

    private static void usage(PrintStream out) {
        out.println("usage: java -jar cairn-all.jar [--dir PATH | --in-memory] [--redis-host HOST] [--redis-port PORT]");
        out.println("                               [--requirepass PASSWORD] [--appendfsync always|everysec|no]");
        out.println("                               [--kafka-host HOST] [--kafka-port PORT]");
    }

    /** The parsed command line. */
    private static final class Settings {
        Path dir = Path.of("cairn-data");
        boolean inMemory;
        String host = "127.0.0.1";
        int port = 6379;
        String kafkaHost = "127.0.0.1";
        int kafkaPort = -1;
        String password;
        Durability durability = Durability.ALWAYS;
        boolean help;

        static Settings parse(String[] args) {
            Settings s = new Settings();
            for (int i = 0; i < args.length; i++) {
                String option = args[i];
                switch (option) {
                    case "--help", "-h" -> s.help = true;
                    case "--in-memory" -> s.inMemory = true;
                    case "--dir" -> s.dir = Path.of(value(args, ++i, option));
                    case "--redis-host" -> s.host = value(args, ++i, option);
                    case "--redis-port" -> s.port = port(value(args, ++i, option), option);
                    case "--kafka-host" -> s.kafkaHost = value(args, ++i, option);
                    case "--kafka-port" -> s.kafkaPort = port(value(args, ++i, option), option);
                    case "--requirepass" -> s.password = value(args, ++i, option);
                    case "--appendfsync" -> s.durability = durability(value(args, ++i, option));
                    default -> throw new IllegalArgumentException("unknown option " + option);
                }
            }
            return s;
        }

        private static String value(String[] args, int index, String option) {
            if (index >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[index];
        }

        private static int port(String text, String option) {
            try {
                int port = Integer.parseInt(text);
                if (port < 0 || port > 65_535) {
                    throw new NumberFormatException();
                }
                return port;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " must be a port number (0 to 65535), got " + text);
            }
        }

        private static Durability durability(String text) {
            return switch (text.toLowerCase(Locale.ROOT)) {
                case "always" -> Durability.ALWAYS;
                case "everysec" -> Durability.EVERY_SECOND;
                case "no" -> Durability.NONE;
                default -> throw new IllegalArgumentException("--appendfsync must be always, everysec or no, got " + text);
            };
        }
    }
}
