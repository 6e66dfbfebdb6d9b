package dev.cairn.server.redis;

import dev.cairn.Cairn;
import dev.cairn.server.netty.NettyLibrary;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A Redis server over a {@link Cairn}'s dictionary: unmodified Redis clients (Jedis, Lettuce,
 * redis-cli, ...) connect to it and use it as they would use Redis 7.0, RESP2 or RESP3.
 *
 * <pre>{@code
 *   try (Cairn cairn = Cairn.open(Path.of("data"));
 *        RedisServer server = RedisServer.start(cairn, RedisServerOptions.DEFAULT.withPort(0))) {
 *       int port = server.port();   // the port it bound
 *       ...
 *   }
 * }</pre>
 *
 * <p>Any number of servers may run in one JVM, one per {@code Cairn} (or several on one). Closing
 * the server, or the {@code Cairn}, closes every connection and frees the port; clients blocked in
 * BLPOP and the like are disconnected. The server needs Netty (the {@code io.netty:netty-transport}
 * and {@code io.netty:netty-codec} artifacts) on the class path; starting it without them fails
 * with an {@link IllegalStateException} that names them.
 *
 * <p>Thread-safe.
 */
public final class RedisServer implements AutoCloseable {
    private final Cairn cairn;
    private final NettyListener listener;

    private RedisServer(Cairn cairn, NettyListener listener) {
        this.cairn = cairn;
        this.listener = listener;
    }

    /** Starts a server on {@code cairn} with {@code options}; returns once it listens. */
    public static RedisServer start(Cairn cairn, RedisServerOptions options) {
        Objects.requireNonNull(cairn, "cairn");
        Objects.requireNonNull(options, "options");
        NettyLibrary.require("the Redis server");
        NettyListener listener = NettyListener.start(new ServerState(cairn, options));
        RedisServer server = new RedisServer(cairn, listener);
        cairn.closeWith(server);
        return server;
    }

    /** Starts a server on {@code cairn} with Redis's defaults: 127.0.0.1:6379. */
    public static RedisServer start(Cairn cairn) {
        return start(cairn, RedisServerOptions.DEFAULT);
    }

    /** The port the server listens on (the one chosen when the options asked for port 0). */
    public int port() {
        return listener.address().getPort();
    }

    /** The address the server listens on. */
    public InetSocketAddress address() {
        return listener.address();
    }

    /** The number of clients connected now. */
    public int connectedClients() {
        return listener.state().clients.size();
    }

    /**
     * Waits until exactly {@code count} clients wait in a blocking command (BLPOP, ...), for tests
     * that must act while a client is blocked; false if {@code timeout} passed first.
     */
    boolean awaitBlockedClients(int count, java.time.Duration timeout) throws InterruptedException {
        return listener.state().awaitBlockedClients(count, timeout.toNanos());
    }

    /** Closes every connection and stops listening. Idempotent. */
    @Override
    public void close() {
        cairn.forget(this);
        listener.close();
    }

    @Override
    public String toString() {
        return "RedisServer[" + listener.address() + "]";
    }
}
