package dev.cairn.benchmarks.server.kafka;

import dev.cairn.Cairn;
import dev.cairn.server.kafka.KafkaServer;
import dev.cairn.server.kafka.KafkaServerOptions;

/**
 * A server under measurement, started from nothing: Cairn's Kafka listener on a new
 * {@code Cairn.inMemory()}, or the Kafka broker on a newly formatted directory. Both listen on
 * 127.0.0.1, on a free port, with one partition for topics created without a count.
 *
 * <p>Not thread-safe; closing releases everything the server holds (its directory included).
 */
interface BenchServer extends AutoCloseable {

    /** The two servers compared. */
    enum Kind {
        CAIRN, KAFKA;

        static Kind of(String name) {
            return valueOf(name.toUpperCase(java.util.Locale.ROOT));
        }

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    int port();

    default String host() {
        return "127.0.0.1";
    }

    default String bootstrapServers() {
        return host() + ":" + port();
    }

    @Override
    void close();

    static BenchServer start(Kind kind) {
        return kind == Kind.CAIRN ? startCairn() : startKafka();
    }

    /** {@code Cairn.inMemory()} and a listener on it, with the listener's default options but the port. */
    static BenchServer startCairn() {
        Cairn cairn = Cairn.inMemory();
        KafkaServer server;
        try {
            server = KafkaServer.start(cairn, KafkaServerOptions.DEFAULT.withPort(0));
        } catch (RuntimeException e) {
            cairn.close();
            throw e;
        }
        return new BenchServer() {
            @Override
            public int port() {
                return server.port();
            }

            @Override
            public void close() {
                server.close();
                cairn.close();
            }
        };
    }

    static BenchServer startKafka() {
        KafkaBroker broker = KafkaBroker.start();
        return new BenchServer() {
            @Override
            public int port() {
                return broker.port();
            }

            @Override
            public void close() {
                broker.close();
            }
        };
    }
}
