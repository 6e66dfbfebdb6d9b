package dev.cairn.server.kafka;

import dev.cairn.log.Log;
import dev.cairn.server.netty.TcpServer;
import java.net.InetSocketAddress;

/**
 * The Netty side of a {@link KafkaServer}: a {@link TcpServer} whose connections each hold a
 * {@link FrameDecoder} (size-prefixed frames, bounded by the options) followed by a
 * {@link KafkaConnection}. Requests run on the state's handler threads, not on the I/O threads.
 *
 * <p>Thread-safe.
 */
final class KafkaListener {
    private final ServerState state;
    private final TcpServer server;

    private KafkaListener(ServerState state, TcpServer server) {
        this.state = state;
        this.server = server;
    }

    static KafkaListener start(Log log, KafkaServerOptions options) {
        ServerState state = new ServerState(log, options);
        TcpServer server;
        try {
            server = TcpServer.bind("the Kafka server", options.host(), options.port(), channel -> {
                channel.pipeline().addLast("frames", new FrameDecoder(options.maxRequestBytes()));
                channel.pipeline().addLast("kafka", new KafkaConnection(state));
            });
        } catch (RuntimeException e) {
            state.shutdown();
            throw e;
        }
        state.port = server.address().getPort();
        return new KafkaListener(state, server);
    }

    ServerState state() {
        return state;
    }

    InetSocketAddress address() {
        return server.address();
    }

    int connections() {
        return server.connections();
    }

    /**
     * Stops listening, closes every connection and stops the handler and timer threads; the I/O
     * threads are shared and stay. Idempotent.
     */
    void close() {
        server.close(state::shutdown);
    }
}
