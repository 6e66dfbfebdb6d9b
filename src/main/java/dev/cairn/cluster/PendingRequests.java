package dev.cairn.cluster;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * The requests one node has sent and not yet seen answered, shared by every transport: each gets
 * a request id (counting from 1), a timeout on the node's {@link Scheduler}, and a callback that
 * runs exactly once, always through {@code callbacks} (never on the thread that completes or
 * fails it, so never inside {@link Endpoint#send}). A response for an id no longer pending (a
 * duplicate, or one that arrives after its timeout) is ignored.
 *
 * <p>Failing many requests at once fails them in the order they were sent, so a simulated run
 * stays deterministic. Once {@link #closeAndFailAll} ran, registering throws
 * {@link IllegalStateException}: that is what makes "close fails everything pending" exact, as no
 * request slips in after it. Thread-safe (one monitor).
 */
final class PendingRequests {
    private final int nodeId;
    private final Scheduler scheduler;
    private final Executor callbacks;
    private final Map<Long, Pending> pending = new LinkedHashMap<>();
    private long lastRequestId;
    private boolean closed;

    private record Pending(int to, ResponseHandler callback, Scheduler.Cancellable timeout) { }

    PendingRequests(int nodeId, Scheduler scheduler, Executor callbacks) {
        this.nodeId = nodeId;
        this.scheduler = scheduler;
        this.callbacks = callbacks;
    }

    /**
     * Registers a request to node {@code to}, failed with a {@link TransportException} if not
     * answered within {@code timeoutMs}.
     *
     * @return its request id
     * @throws IllegalStateException if this node was detached
     */
    synchronized long register(int to, long timeoutMs, ResponseHandler callback) {
        if (timeoutMs <= 0) {
            throw new IllegalArgumentException("request timeout must be > 0 ms, was " + timeoutMs);
        }
        if (closed) {
            throw new IllegalStateException("node " + nodeId + " is detached: it cannot send");
        }
        long requestId = ++lastRequestId;
        Scheduler.Cancellable timeout = scheduler.schedule(timeoutMs, () -> fail(requestId,
                "request " + requestId + " from node " + nodeId + " to node " + to + " timed out after "
                        + timeoutMs + " ms"));
        pending.put(requestId, new Pending(to, callback, timeout));
        return requestId;
    }

    /** Hands {@code response} to the request's callback; false if it is no longer pending. */
    boolean complete(long requestId, ByteBuffer response) {
        Pending done = remove(requestId);
        if (done == null) {
            return false;
        }
        done.timeout.cancel();
        callbacks.execute(() -> done.callback.onResponse(response, null));
        return true;
    }

    /** Fails the request with a {@link TransportException} saying {@code reason}; false if it is no longer pending. */
    boolean fail(long requestId, String reason) {
        Pending done = remove(requestId);
        if (done == null) {
            return false;
        }
        dispatchFailure(done, reason);
        return true;
    }

    /** Fails every pending request to node {@code to} (its connection broke, or it was detached). */
    void failAllTo(int to, String reason) {
        List<Pending> failed = new ArrayList<>();
        synchronized (this) {
            for (Iterator<Pending> it = pending.values().iterator(); it.hasNext(); ) {
                Pending request = it.next();
                if (request.to == to) {
                    it.remove();
                    failed.add(request);
                }
            }
        }
        failed.forEach(request -> dispatchFailure(request, reason));
    }

    /** Fails every pending request and refuses new ones; idempotent. */
    void closeAndFailAll(String reason) {
        List<Pending> failed;
        synchronized (this) {
            closed = true;
            failed = new ArrayList<>(pending.values());
            pending.clear();
        }
        failed.forEach(request -> dispatchFailure(request, reason));
    }

    /** Forgets every pending request without running its callback (a crashed node's). */
    synchronized void discardAll() {
        closed = true;
        pending.values().forEach(request -> request.timeout.cancel());
        pending.clear();
    }

    synchronized boolean isClosed() {
        return closed;
    }

    synchronized int size() {
        return pending.size();
    }

    private synchronized Pending remove(long requestId) {
        return pending.remove(requestId);
    }

    private void dispatchFailure(Pending request, String reason) {
        request.timeout.cancel();
        TransportException failure = new TransportException(reason);
        callbacks.execute(() -> request.callback.onResponse(null, failure));
    }
}
