package dev.cairn.server.kafka;

import dev.cairn.log.Log;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Netty side of a {@link KafkaServer}: one acceptor thread, a few I/O threads, and per
 * connection a {@link FrameDecoder} (size-prefixed frames, bounded by the options) followed by a
 * {@link KafkaConnection}. Requests run on the state's handler threads, not on the I/O threads.
 *
 * <p>Thread-safe.
 */
final class KafkaListener {
    private final ServerState state;
    private final EventLoopGroup acceptor;
    private final EventLoopGroup workers;
    private final Channel serverChannel;
    private final ChannelGroup connections;
    private final AtomicBoolean closed = new AtomicBoolean();

    private KafkaListener(ServerState state, EventLoopGroup acceptor, EventLoopGroup workers, Channel serverChannel,
            ChannelGroup connections) {
        this.state = state;
        this.acceptor = acceptor;
        this.workers = workers;
        this.serverChannel = serverChannel;
        this.connections = connections;
    }

    static KafkaListener start(Log log, KafkaServerOptions options) {
        ServerState state = new ServerState(log, options);
        int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        EventLoopGroup acceptor = new NioEventLoopGroup(1, daemonThreads("cairn-kafka-accept"));
        EventLoopGroup workers = new NioEventLoopGroup(threads, daemonThreads("cairn-kafka-io"));
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
                            channel.pipeline().addLast("frames", new FrameDecoder(options.maxRequestBytes()));
                            channel.pipeline().addLast("kafka", new KafkaConnection(state));
                        }
                    });
            Channel channel = bootstrap.bind(options.host(), options.port()).syncUninterruptibly().channel();
            state.port = ((InetSocketAddress) channel.localAddress()).getPort();
            return new KafkaListener(state, acceptor, workers, channel, connections);
        } catch (RuntimeException e) {
            acceptor.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            state.shutdown();
            throw new IllegalStateException("the Kafka server could not listen on " + options.host() + ":"
                    + options.port() + ": " + e.getMessage(), e);
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

    int connections() {
        return connections.size();
    }

    /** Stops listening, closes every connection, and waits for the threads to stop. Idempotent. */
    void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        serverChannel.close().syncUninterruptibly();
        connections.close().syncUninterruptibly();
        state.shutdown();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
