package dev.cairn.cluster;

import java.nio.ByteBuffer;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Transport} between nodes in one JVM. Each request and response is copied (no node ever
 * sees another's buffer) and delivered, like every callback, on this transport's own
 * {@link ThreadScheduler} (daemon threads named {@code <prefix>-<n>}), never on the sender's
 * thread. Timeouts run on that scheduler's clock.
 *
 * <p>Detaching a node (closing its endpoint) fails its own pending requests and every pending
 * request to it, at once. {@link #close()} detaches every node, then stops the threads once the
 * failure callbacks have run. A handler that throws is logged; its request then times out, as it
 * would over a network.
 *
 * <p>Thread-safe.
 */
public final class InProcessTransport implements Transport {
    private static final Logger LOG = LoggerFactory.getLogger(InProcessTransport.class);

    private final ThreadScheduler scheduler;
    private final Map<Integer, LocalNode> nodes = new ConcurrentHashMap<>();
    private boolean closed;

    /** A transport on two daemon threads named {@code cairn-in-process-<n>}. */
    public InProcessTransport() {
        this("cairn-in-process", 2);
    }

    /** A transport on {@code threads} daemon threads named {@code <threadNamePrefix>-<n>}. */
    public InProcessTransport(String threadNamePrefix, int threads) {
        this.scheduler = new ThreadScheduler(threadNamePrefix, threads, InstantSource.system());
    }

    @Override
    public synchronized Endpoint attach(int nodeId, RequestHandler handler) {
        if (closed) {
            throw new IllegalStateException("in-process transport is closed: cannot attach node " + nodeId);
        }
        LocalNode node = new LocalNode(nodeId, handler);
        if (nodes.putIfAbsent(nodeId, node) != null) {
            throw new IllegalStateException("node " + nodeId + " is already attached");
        }
        return node;
    }

    @Override
    public void close() {
        List<LocalNode> attached;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            attached = new ArrayList<>(nodes.values());
        }
        attached.forEach(LocalNode::close);
        scheduler.close();
    }

    /** One attached node: its handler, and its endpoint with the requests it has sent. */
    private final class LocalNode implements Endpoint {
        private final int nodeId;
        private final RequestHandler handler;
        private final PendingRequests pending;

        LocalNode(int nodeId, RequestHandler handler) {
            this.nodeId = nodeId;
            this.handler = handler;
            this.pending = new PendingRequests(nodeId, scheduler, scheduler);
        }

        @Override
        public int nodeId() {
            return nodeId;
        }

        @Override
        public void send(int to, ByteBuffer request, long timeoutMs, ResponseHandler callback) {
            ByteBuffer copy = Frames.copyOf(request);
            long requestId = pending.register(to, timeoutMs, callback);
            LocalNode target = nodes.get(to);
            if (target == null) {
                pending.fail(requestId, "node " + to + " is unknown (not attached to this in-process transport)");
                return;
            }
            scheduler.execute(() -> target.deliver(this, requestId, copy));
        }

        private void deliver(LocalNode sender, long requestId, ByteBuffer request) {
            if (nodes.get(nodeId) != this) {
                sender.pending.fail(requestId, "node " + nodeId + " was detached before request " + requestId
                        + " from node " + sender.nodeId + " reached it");
                return;
            }
            Responder responder = new FirstAnswerResponder(response -> sender.pending.complete(requestId, response));
            try {
                handler.onRequest(sender.nodeId, request, responder);
            } catch (RuntimeException e) {
                LOG.warn("node {}'s handler failed on request {} from node {}; it will time out", nodeId, requestId,
                        sender.nodeId, e);
            }
        }

        @Override
        public void close() {
            if (!nodes.remove(nodeId, this)) {
                return;
            }
            pending.closeAndFailAll("node " + nodeId + " was detached");
            for (LocalNode other : nodes.values()) {
                other.pending.failAllTo(nodeId, "node " + nodeId + " was detached");
            }
        }
    }
}
