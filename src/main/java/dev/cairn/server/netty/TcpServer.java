package dev.cairn.server.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The Netty plumbing both wire front ends share: one acceptor thread, a few I/O threads (as many
 * as cores, at most 4), the socket options of a server (backlog 511, TCP_NODELAY, keep-alive, write
 * water marks of 1 and 8 MiB), every accepted connection tracked so that {@link #close} closes it.
 * What a connection's pipeline holds is the front end's.
 *
 * <p>Thread-safe.
 */
public final class TcpServer {
    private final EventLoopGroup acceptor;
    private final EventLoopGroup workers;
    private final Channel serverChannel;
    private final ChannelGroup connections;
    private final AtomicBoolean closed = new AtomicBoolean();

    private TcpServer(EventLoopGroup acceptor, EventLoopGroup workers, Channel serverChannel, ChannelGroup connections) {
        this.acceptor = acceptor;
        this.workers = workers;
        this.serverChannel = serverChannel;
        this.connections = connections;
    }

    /**
     * Listens on {@code host:port} (0 picks a free port), with {@code pipeline} filling each
     * accepted connection's pipeline; returns once bound.
     *
     * @param name the server's name in errors ("the Kafka server") and its threads' ("kafka")
     * @throws IllegalStateException if it cannot listen there
     */
    public static TcpServer bind(String name, String threadName, String host, int port,
            Consumer<SocketChannel> pipeline) {
        int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        EventLoopGroup acceptor = new NioEventLoopGroup(1, daemonThreads("cairn-" + threadName + "-accept"));
        EventLoopGroup workers = new NioEventLoopGroup(threads, daemonThreads("cairn-" + threadName + "-io"));
        ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        try {
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(acceptor, workers)
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
            return new TcpServer(acceptor, workers, channel, connections);
        } catch (RuntimeException e) {
            acceptor.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new IllegalStateException(name + " could not listen on " + host + ":" + port + ": " + e.getMessage(),
                    e);
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** The connections open now. */
    public int connections() {
        return connections.size();
    }

    /** Runs {@code task} every {@code periodSeconds} on the acceptor thread until {@link #close}. */
    public ScheduledFuture<?> every(long periodSeconds, Runnable task) {
        return acceptor.next().scheduleAtFixedRate(task, periodSeconds, periodSeconds, TimeUnit.SECONDS);
    }

    /**
     * Stops listening, closes every connection, runs {@code afterConnections} (the front end's own
     * shutdown), then waits for the threads to stop. Idempotent: later calls do nothing.
     */
    public void close(Runnable afterConnections) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        serverChannel.close().syncUninterruptibly();
        connections.close().syncUninterruptibly();
        afterConnections.run();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
