package dev.cairn.cluster;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * The requests of one node to one peer over {@link TcpTransport}: the connection for that ordered
 * pair, opened on the first request, and opened again on the next request after it broke. Requests
 * are written by the link's own sender thread, so {@link #send} never blocks on a connect or a full
 * socket; responses are read by the connection's reader thread.
 *
 * <p>When a connection breaks, every pending request to the peer fails at once. When a connect
 * fails, the request fails, and so does every request in the backoff that follows (initial backoff,
 * doubled per failure up to the maximum, reset by a successful connect), so a dead peer costs one
 * connect attempt per backoff, not one per request.
 *
 * <p>Thread-safe; the connection and backoff state belong to the sender thread.
 */
final class TcpLink implements AutoCloseable {
    private final int localNodeId;
    private final int peerNodeId;
    private final IntFunction<NodeAddress> addresses;
    private final TcpTransportConfig config;
    private final Scheduler clock;
    private final PendingRequests pending;
    private final ExecutorService sender;
    private final String readerThreadName;
    private volatile TcpConnection connection;
    /** The reader of the last connection; a new connection waits for it to end (see {@link #connect}). */
    private Thread reader;
    private volatile boolean closed;
    private long nextAttemptMs;
    private long backoffMs;
    private String lastConnectFailure;

    TcpLink(int localNodeId, int peerNodeId, IntFunction<NodeAddress> addresses, TcpTransportConfig config,
            Scheduler clock, PendingRequests pending) {
        this.localNodeId = localNodeId;
        this.peerNodeId = peerNodeId;
        this.addresses = addresses;
        this.config = config;
        this.clock = clock;
        this.pending = pending;
        this.backoffMs = config.initialBackoffMs();
        String name = config.threadNamePrefix() + "-" + localNodeId + "-to-" + peerNodeId;
        this.readerThreadName = name + "-reader";
        // One thread, ended when idle so an unused link holds none; the work queue keeps the order of sends.
        ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                ThreadScheduler.daemonThreads(name + "-sender"));
        executor.allowCoreThreadTimeOut(true);
        this.sender = executor;
    }

    /** Queues a request frame (from {@link TcpFrameFormat#frame}) already registered in the pending requests. */
    void send(long requestId, ByteBuffer frame) {
        try {
            sender.execute(() -> write(requestId, frame));
        } catch (RejectedExecutionException e) {
            pending.fail(requestId, "node " + localNodeId + " was detached before request " + requestId + " left");
        }
    }

    private void write(long requestId, ByteBuffer frame) {
        TcpConnection current = connection;
        if (current == null || current.isClosed()) {
            current = connect(requestId);
            if (current == null) {
                return;
            }
        }
        try {
            current.write(frame);
        } catch (IOException e) {
            // The reader sees the closed socket and fails every pending request to the peer, this one too.
            current.close();
        }
    }

    /** A new connection to the peer, or null (the request failed) when none can be had now. */
    private TcpConnection connect(long requestId) {
        long nowMs = clock.nowMs();
        if (nowMs < nextAttemptMs) {
            pending.fail(requestId, "node " + peerNodeId + " is unreachable (" + lastConnectFailure
                    + "); next connect attempt in " + (nextAttemptMs - nowMs) + " ms");
            return null;
        }
        if (!awaitLastReader()) {
            pending.fail(requestId, "node " + localNodeId + " was detached before request " + requestId + " left");
            return null;
        }
        NodeAddress address = addresses.apply(peerNodeId);
        TcpConnection opened;
        try {
            opened = TcpConnection.connect(address, localNodeId, config);
        } catch (IOException e) {
            lastConnectFailure = "cannot connect to " + address + ": " + e.getMessage();
            nextAttemptMs = nowMs + backoffMs;
            backoffMs = Math.min(Math.max(1, backoffMs * 2), config.maxBackoffMs());
            pending.fail(requestId, lastConnectFailure);
            return null;
        }
        backoffMs = config.initialBackoffMs();
        nextAttemptMs = 0;
        connection = opened;
        reader = new Thread(() -> opened.readFrames(TcpFrameFormat.KIND_RESPONSE, new TcpConnection.Listener() {
            @Override
            public void onFrame(TcpConnection from, long id, ByteBuffer payload) {
                pending.complete(id, payload);
            }

            @Override
            public void onClosed(TcpConnection from, String reason) {
                pending.failAllTo(peerNodeId, "connection of node " + localNodeId + " to node " + peerNodeId
                        + " broke: " + reason);
            }
        }), readerThreadName);
        reader.setDaemon(true);
        reader.start();
        if (closed) {
            // close() ran while connecting and could not see this connection.
            opened.close();
        }
        return opened;
    }

    /**
     * Waits until the reader of the broken connection has failed the requests pending on it, so
     * that its failure cannot reach the requests of the next connection.
     *
     * @return false if interrupted (the link is closing)
     */
    private boolean awaitLastReader() {
        if (reader == null) {
            return true;
        }
        try {
            reader.join();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Closes the connection and stops the sender thread, dropping requests not yet written (the
     * node fails all its pending requests as it closes its links). Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        sender.shutdownNow();
        TcpConnection current = connection;
        if (current != null) {
            current.close();
        }
    }
}
