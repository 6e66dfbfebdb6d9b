package dev.cairn.server.kafka;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: takes the frames of a {@link FrameDecoder}, serves them one at a time,
 * in order, on the server's handler threads, and writes each response before the next request
 * starts, as Kafka's broker does (a client pipelines requests and matches responses by order and
 * correlation id). While a request waits to be served, or while the client does not read its
 * responses (the channel is not writable), the connection stops reading, so a client cannot make
 * the server buffer more than one read's worth of requests; while one is served and none waits, it
 * reads on, to notice a client that leaves. A request that cannot be served (unknown API,
 * version or bytes) closes the connection; other connections are unaffected.
 *
 * <p>Not thread-safe: the fields are touched only on the channel's event loop; a request's handler
 * runs elsewhere and hands its result back to the event loop.
 */
final class KafkaConnection extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaConnection.class);

    private final ServerState state;
    private final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private boolean busy;
    private CompletableFuture<ApiMessage> inFlight;

    KafkaConnection(ServerState state) {
        this.state = state;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        pending.add((ByteBuffer) msg);
        serveNext();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) {
        serveNext();
        context.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        pending.clear();
        if (inFlight != null) {
            // A parked fetch stops waiting (and forgets its log waiters) when its client goes.
            inFlight.cancel(false);
        }
        context.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        LOG.debug("closing {}: {}", context.channel().remoteAddress(), cause.toString());
        context.close();
    }

    private void serveNext() {
        if (!ctx.channel().isActive()) {
            return;
        }
        // Read on while nothing waits to be served: a client that closes during a parked fetch is
        // noticed (and its fetch dropped), yet at most one more request is buffered.
        ctx.channel().config().setAutoRead(pending.isEmpty() && ctx.channel().isWritable());
        if (busy || pending.isEmpty() || !ctx.channel().isWritable()) {
            return;
        }
        busy = true;
        ByteBuffer frame = pending.poll();
        ctx.channel().config().setAutoRead(pending.isEmpty());
        KafkaRequest request;
        try {
            request = KafkaRequest.parse(frame);
        } catch (CloseConnectionException e) {
            close(e.getMessage());
            return;
        }
        CompletableFuture<ApiMessage> response;
        if (request.body() == null) {
            response = CompletableFuture.completedFuture(null);
        } else {
            response = new CompletableFuture<>();
            CompletableFuture<ApiMessage> answer = response;
            try {
                state.handlers.execute(() -> serve(request, answer));
            } catch (RejectedExecutionException e) {
                close("the server is closing");
                return;
            }
        }
        inFlight = response;
        response.whenComplete((body, error) -> {
            if (ctx.executor().inEventLoop()) {
                finish(request, body, error);
            } else {
                try {
                    ctx.executor().execute(() -> finish(request, body, error));
                } catch (RejectedExecutionException e) {
                    // The I/O threads are stopping: the server is closing, and so is the connection.
                }
            }
        });
    }

    /**
     * Runs the handler on a handler thread and passes its outcome to {@code answer}; cancelling
     * {@code answer} (the connection closed) cancels the handler's future, which a parked fetch
     * takes as the end of its wait.
     */
    private void serve(KafkaRequest request, CompletableFuture<ApiMessage> answer) {
        CompletableFuture<ApiMessage> handled;
        try {
            handled = request.api().handle(state, request);
        } catch (RuntimeException e) {
            answer.completeExceptionally(e);
            return;
        }
        answer.whenComplete((body, error) -> {
            if (error instanceof CancellationException) {
                handled.cancel(false);
            }
        });
        handled.whenComplete((body, error) -> {
            if (error != null) {
                answer.completeExceptionally(error);
            } else {
                answer.complete(body);
            }
        });
    }

    private void finish(KafkaRequest request, ApiMessage body, Throwable error) {
        inFlight = null;
        if (!ctx.channel().isActive()) {
            return;
        }
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause != null) {
            if (cause instanceof CloseConnectionException) {
                close(cause.getMessage());
            } else {
                LOG.warn("closing {}: serving {} v{} failed", ctx.channel().remoteAddress(), request.api().key,
                        request.version(), cause);
                ctx.close();
            }
            return;
        }
        ByteBuffer bytes;
        try {
            if (request.body() == null) {
                // An ApiVersions request of a version we do not serve: answered in version 0, with
                // the versions we do serve, so the client can pick one (Kafka's rule).
                bytes = request.encodeResponse(ServedApi.apiVersions().setErrorCode(Errors.UNSUPPORTED_VERSION.code()),
                        (short) 0);
            } else if (body != null) {
                bytes = request.encodeResponse(body, request.version());
            } else {
                bytes = null;
            }
        } catch (RuntimeException e) {
            LOG.warn("closing {}: encoding the {} v{} response failed", ctx.channel().remoteAddress(),
                    request.api().key, request.version(), e);
            ctx.close();
            return;
        }
        if (bytes != null) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(bytes));
        }
        busy = false;
        serveNext();
    }

    private void close(String reason) {
        LOG.debug("closing {}: {}", ctx.channel().remoteAddress(), reason);
        pending.clear();
        ctx.close();
    }
}
