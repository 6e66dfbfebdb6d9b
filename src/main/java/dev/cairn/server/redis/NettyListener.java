package dev.cairn.server.redis;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Netty side of a {@link RedisServer}: one acceptor thread, a few I/O threads (as many as
 * cores, at most 4: commands serialize on the dictionary's lock anyway), and per connection a
 * {@link RespDecoder} followed by a {@link ClientConnection}. A once-a-second task closes clients
 * idle past the timeout, as Redis's {@code timeout} does (not blocked or subscribed ones).
 *
 * <p>Thread-safe.
 */
final class NettyListener {
    private final ServerState state;
    private final EventLoopGroup acceptor;
    private final EventLoopGroup workers;
    private final Channel serverChannel;
    private final ScheduledFuture<?> idleCheck;
    private final AtomicInteger closed = new AtomicInteger();

    private NettyListener(ServerState state, EventLoopGroup acceptor, EventLoopGroup workers, Channel serverChannel) {
        this.state = state;
        this.acceptor = acceptor;
        this.workers = workers;
        this.serverChannel = serverChannel;
        this.idleCheck = acceptor.next().scheduleAtFixedRate(this::closeIdleClients, 1, 1, TimeUnit.SECONDS);
    }

    static NettyListener start(ServerState state) {
        int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        EventLoopGroup acceptor = new NioEventLoopGroup(1, daemonThreads("cairn-redis-accept"));
        EventLoopGroup workers = new NioEventLoopGroup(threads, daemonThreads("cairn-redis-io"));
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
                            RespDecoder decoder = new RespDecoder(state.options.limits());
                            channel.pipeline().addLast("resp", decoder);
                            channel.pipeline().addLast("client", new ClientConnection(state, decoder));
                        }
                    });
            Channel channel = bootstrap.bind(state.options.host(), state.options.port()).syncUninterruptibly().channel();
            state.port = ((InetSocketAddress) channel.localAddress()).getPort();
            return new NettyListener(state, acceptor, workers, channel);
        } catch (RuntimeException e) {
            acceptor.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new IllegalStateException("the Redis server could not listen on " + state.options.host() + ":"
                    + state.options.port() + ": " + e.getMessage(), e);
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    ServerState state() {
        return state;
    }

    InetSocketAddress address() {
        return (InetSocketAddress) serverChannel.localAddress();
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

    /** Stops listening, closes every connection, and waits for the threads to stop. Idempotent. */
    void close() {
        if (closed.getAndIncrement() != 0) {
            return;
        }
        idleCheck.cancel(false);
        state.notifier.detach();
        serverChannel.close().syncUninterruptibly();
        for (ClientConnection client : state.clients.values()) {
            Channel channel = client.channel();
            if (channel != null) {
                channel.close().syncUninterruptibly();
            }
        }
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
