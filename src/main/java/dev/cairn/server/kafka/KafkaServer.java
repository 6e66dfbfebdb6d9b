package dev.cairn.server.kafka;

import dev.cairn.Cairn;
import dev.cairn.server.netty.NettyLibrary;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A Kafka broker over a {@link Cairn}'s log: unmodified Kafka clients ({@code KafkaProducer},
 * {@code KafkaConsumer}, {@code Admin}) connect to it and produce, fetch and manage topics as
 * against a single-node Kafka cluster. What is served, and in which versions, is listed in the
 * project's docs (kafka-server.md); ApiVersions advertises exactly that.
 *
 * <pre>{@code
 *   try (Cairn cairn = Cairn.inMemory();
 *        KafkaServer server = KafkaServer.start(cairn, KafkaServerOptions.DEFAULT.withPort(0))) {
 *       Properties props = new Properties();
 *       props.put("bootstrap.servers", server.bootstrapServers());
 *       ...
 *   }
 * }</pre>
 *
 * <p>Any number of servers may run in one JVM. Closing the server, or the {@code Cairn}, closes
 * every connection and frees the port. The server needs Netty ({@code io.netty:netty-transport},
 * {@code io.netty:netty-codec}) and Kafka's client library ({@code org.apache.kafka:kafka-clients},
 * for its protocol message classes) on the class path; starting it without them fails with an
 * {@link IllegalStateException} that names them.
 *
 * <p>Thread-safe.
 */
public final class KafkaServer implements AutoCloseable {
    private final Cairn cairn;
    private final KafkaListener listener;

    private KafkaServer(Cairn cairn, KafkaListener listener) {
        this.cairn = cairn;
        this.listener = listener;
    }

    /** Starts a server on {@code cairn} with {@code options}; returns once it listens. */
    public static KafkaServer start(Cairn cairn, KafkaServerOptions options) {
        Objects.requireNonNull(cairn, "cairn");
        Objects.requireNonNull(options, "options");
        requireLibraries();
        KafkaListener listener = KafkaListener.start(cairn.log(), options);
        KafkaServer server = new KafkaServer(cairn, listener);
        cairn.closeWith(server);
        return server;
    }

    /** Starts a server on {@code cairn} with Kafka's defaults: 127.0.0.1:9092. */
    public static KafkaServer start(Cairn cairn) {
        return start(cairn, KafkaServerOptions.DEFAULT);
    }

    private static void requireLibraries() {
        NettyLibrary.require("the Kafka server");
        try {
            Class.forName("org.apache.kafka.common.message.ApiMessageType", false, KafkaServer.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException("the Kafka server needs Kafka's protocol classes on the class path: add"
                    + " the artifact org.apache.kafka:kafka-clients (4.x), which Cairn declares as an optional"
                    + " dependency (missing: " + e.getMessage() + ")", e);
        }
    }

    /** The port the server listens on (the one chosen when the options asked for port 0). */
    public int port() {
        return listener.address().getPort();
    }

    /** The address the server listens on. */
    public InetSocketAddress address() {
        return listener.address();
    }

    /**
     * The {@code bootstrap.servers} value for clients: the advertised host and the bound port, the
     * same address Metadata gives them.
     */
    public String bootstrapServers() {
        String host = listener.state().advertisedHost();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port();
    }

    /** The number of clients connected now. */
    public int connectedClients() {
        return listener.connections();
    }

    ServerState state() {
        return listener.state();
    }

    /** Closes every connection and stops listening. Idempotent. */
    @Override
    public void close() {
        cairn.forget(this);
        listener.close();
    }

    @Override
    public String toString() {
        return "KafkaServer[" + listener.address() + "]";
    }
}
