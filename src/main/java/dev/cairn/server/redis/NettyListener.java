package dev.cairn.server.redis;

import dev.cairn.server.netty.TcpServer;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The Netty side of a {@link RedisServer}: a {@link TcpServer} (commands serialize on the
 * dictionary's lock anyway, so a few I/O threads are enough) whose connections each hold a
 * {@link RespDecoder} followed by a {@link ClientConnection}. A once-a-second task closes clients
 * idle past the timeout, as Redis's {@code timeout} does (not blocked or subscribed ones).
 *
 * <p>Thread-safe.
 */
final class NettyListener {
    private final ServerState state;
    private final TcpServer server;
    private final ScheduledFuture<?> idleCheck;

    private NettyListener(ServerState state, TcpServer server) {
        this.state = state;
        this.server = server;
        this.idleCheck = server.every(Duration.ofSeconds(1), this::closeIdleClients);
    }

    static NettyListener start(ServerState state) {
        TcpServer server = TcpServer.bind("the Redis server", state.options.host(), state.options.port(),
                channel -> {
                    RespDecoder decoder = new RespDecoder(state.options.limits());
                    channel.pipeline().addLast("resp", decoder);
                    channel.pipeline().addLast("client", new ClientConnection(state, decoder));
                });
        state.port = server.address().getPort();
        return new NettyListener(state, server);
    }

    ServerState state() {
        return state;
    }

    InetSocketAddress address() {
        return server.address();
    }

    private void closeIdleClients() {
        long timeoutSeconds = state.idleTimeoutSeconds;
        if (timeoutSeconds <= 0) {
            return;
        }
        long now = System.nanoTime();
        for (ClientConnection client : state.clients.values()) {
            Channel channel = client.channel();
            if (channel == null) {
                continue;
            }
            channel.eventLoop().execute(() -> {
                if (!client.isBlocked() && !client.subscribed()
                        && now - client.lastActivityNanos > TimeUnit.SECONDS.toNanos(timeoutSeconds)) {
                    channel.close();
                }
            });
        }
    }

    /** Stops listening and closes every connection; the I/O threads are shared and stay. Idempotent. */
    void close() {
        idleCheck.cancel(false);
        state.notifier.detach();
        server.close(() -> { });
    }
}
