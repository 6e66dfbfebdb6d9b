package dev.cairn.server.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The Netty plumbing both wire front ends share: a listening socket on the JVM's
 * {@link SharedEventLoops} (one acceptor thread and a few I/O threads for all the listeners of the
 * JVM, named {@code cairn-listener-accept-1} and {@code cairn-listener-io-<n>}), the socket options
 * of a server (backlog 511, TCP_NODELAY, keep-alive, write water marks of 1 and 8 MiB), every
 * accepted connection tracked so that {@link #close} closes it. What a connection's pipeline holds
 * is the front end's.
 *
 * <p>Invariants: once {@link #close} has returned, the port is free for a new bind, no connection
 * this server accepted is open, and no task given to {@link #every} runs again. The threads are
 * not this server's: they outlive it by the shared loops' linger.
 *
 * <p>Thread-safe. {@link #close} blocks, so it must not be called from an I/O thread.
 */
public final class TcpServer {
    private final SharedEventLoops loops;
    private final SharedEventLoops.Groups groups;
    private final Channel serverChannel;
    private final ChannelGroup connections;
    private final List<ScheduledFuture<?>> scheduled = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    private TcpServer(SharedEventLoops loops, SharedEventLoops.Groups groups, Channel serverChannel,
            ChannelGroup connections) {
        this.loops = loops;
        this.groups = groups;
        this.serverChannel = serverChannel;
        this.connections = connections;
    }

    /**
     * Listens on {@code host:port} (0 picks a free port), with {@code pipeline} filling each
     * accepted connection's pipeline; returns once bound.
     *
     * @param name the server's name in errors ("the Kafka server")
     * @throws IllegalStateException if it cannot listen there
     */
    public static TcpServer bind(String name, String host, int port, Consumer<SocketChannel> pipeline) {
        return bind(SharedEventLoops.JVM, name, host, port, pipeline);
    }

    /** {@link #bind(String, String, int, Consumer)} on the threads of {@code loops}. */
    static TcpServer bind(SharedEventLoops loops, String name, String host, int port,
            Consumer<SocketChannel> pipeline) {
        SharedEventLoops.Groups groups = loops.acquire();
        ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        try {
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(groups.acceptor(), groups.workers())
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 511)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.SO_KEEPALIVE, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(1 << 20, 8 << 20))
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            connections.add(channel);
                            pipeline.accept(channel);
                        }
                    });
            Channel channel = bootstrap.bind(host, port).syncUninterruptibly().channel();
            return new TcpServer(loops, groups, channel, connections);
        } catch (Exception e) {
            // Exception, not RuntimeException: Netty's sync rethrows the bind's checked
            // BindException as it is.
            loops.release(groups);
            throw new IllegalStateException(name + " could not listen on " + host + ":" + port + ": " + e.getMessage(),
                    e);
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** The connections open now. */
    public int connections() {
        return connections.size();
    }

    /**
     * Runs {@code task} every {@code period} on the acceptor thread until {@link #close}; the
     * task must be short, as every listener's tasks share that thread.
     *
     * @throws IllegalStateException if the server is closed
     */
    public ScheduledFuture<?> every(Duration period, Runnable task) {
        long nanos = period.toNanos();
        ScheduledFuture<?> future = groups.acceptor().next().scheduleAtFixedRate(task, nanos, nanos,
                TimeUnit.NANOSECONDS);
        scheduled.add(future);
        if (closed.get()) {
            // Raced with close, which may have missed it.
            future.cancel(false);
            throw new IllegalStateException("the server is closed");
        }
        return future;
    }

    /**
     * Stops listening, cancels the tasks given to {@link #every}, closes every connection, runs
     * {@code afterConnections} (the front end's own shutdown) and gives the threads back.
     * Idempotent: later calls do nothing.
     */
    public void close(Runnable afterConnections) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            serverChannel.close().syncUninterruptibly();
            // Cancelled on the acceptor thread that runs them, so none is running once this returns.
            groups.acceptor().submit(() -> scheduled.forEach(f -> f.cancel(false))).syncUninterruptibly();
            // A connection accepted just before the server channel closed is handed to its I/O
            // thread as a queued task, and joins `connections` only when that task runs: a task
            // queued behind it on every I/O thread makes sure it has joined before the group closes.
            for (EventExecutor loop : groups.workers()) {
                loop.submit(() -> { }).syncUninterruptibly();
            }
            connections.close().syncUninterruptibly();
            afterConnections.run();
        } finally {
            loops.release(groups);
        }
    }
}
