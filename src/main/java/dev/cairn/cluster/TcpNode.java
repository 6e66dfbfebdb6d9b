package dev.cairn.cluster;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node attached to a {@link TcpTransport}: its listening socket with an acceptor thread, one
 * reader thread per accepted connection (which also runs the handler, so a handler must not block:
 * it may answer later from any thread), and one {@link TcpLink} per peer it sends to.
 *
 * <p>Closing it closes the listening socket and every connection (so the peers' pending requests
 * to it fail at once) and fails its own pending requests. Thread-safe.
 */
final class TcpNode implements Endpoint {
    private static final Logger LOG = LoggerFactory.getLogger(TcpNode.class);

    private final int nodeId;
    private final RequestHandler handler;
    private final ServerSocket listener;
    private final IntFunction<NodeAddress> addresses;
    private final TcpTransportConfig config;
    private final Scheduler scheduler;
    private final PendingRequests pending;
    private final Runnable onClose;
    private final Map<Integer, TcpLink> links = new ConcurrentHashMap<>();
    private final Set<TcpConnection> accepted = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * A node serving on {@code listener} (already bound; this node owns it from now on).
     *
     * @param addresses every node's address, by id; null for an unknown node
     * @param onClose   run once when the node closes, to forget it
     */
    TcpNode(int nodeId, RequestHandler handler, ServerSocket listener, IntFunction<NodeAddress> addresses,
            TcpTransportConfig config, ThreadScheduler scheduler, Runnable onClose) {
        this.nodeId = nodeId;
        this.handler = handler;
        this.listener = listener;
        this.addresses = addresses;
        this.config = config;
        this.scheduler = scheduler;
        this.pending = new PendingRequests(nodeId, scheduler, scheduler);
        this.onClose = onClose;
        startThread(config.threadNamePrefix() + "-" + nodeId + "-acceptor", this::acceptConnections);
    }

    @Override
    public int nodeId() {
        return nodeId;
    }

    int boundPort() {
        return listener.getLocalPort();
    }

    @Override
    public void send(int to, ByteBuffer request, long timeoutMs, ResponseHandler callback) {
        if (TcpFrameFormat.lengthField(request.remaining()) > config.maxFrameBytes()) {
            throw new IllegalArgumentException("a request of " + request.remaining() + " bytes does not fit in a frame of "
                    + config.maxFrameBytes() + " bytes at most (TcpTransportConfig.maxFrameBytes)");
        }
        long requestId = pending.register(to, timeoutMs, callback);
        if (addresses.apply(to) == null) {
            pending.fail(requestId, "node " + to + " is unknown (not in this TCP transport's node set)");
            return;
        }
        ByteBuffer frame = TcpFrameFormat.frame(TcpFrameFormat.KIND_REQUEST, requestId, nodeId, request);
        TcpLink link = links.computeIfAbsent(to,
                peer -> new TcpLink(nodeId, peer, addresses, config, scheduler, pending));
        link.send(requestId, frame);
        if (closed) {
            // close() ran during this send and may have missed a link it created.
            link.close();
        }
    }

    private void acceptConnections() {
        while (!closed) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.error("node {} stops accepting connections on {}", nodeId, listener.getLocalSocketAddress(), e);
                }
                return;
            }
            startThread(config.threadNamePrefix() + "-" + nodeId + "-from-" + socket.getRemoteSocketAddress(),
                    () -> serve(socket));
        }
    }

    /** Runs on an accepted connection's own thread: the handshake, then its requests until it closes. */
    private void serve(Socket socket) {
        TcpConnection connection;
        try {
            connection = TcpConnection.accept(socket, nodeId, config);
        } catch (IOException e) {
            LOG.warn("node {}: refused a connection from {}: {}", nodeId, socket.getRemoteSocketAddress(), e.getMessage());
            return;
        }
        accepted.add(connection);
        if (closed) {
            // close() ran after the accept and could not see this connection.
            connection.close();
        }
        connection.readFrames(TcpFrameFormat.KIND_REQUEST, new TcpConnection.Listener() {
            @Override
            public void onFrame(TcpConnection from, long requestId, ByteBuffer request) {
                handle(from, requestId, request);
            }

            @Override
            public void onClosed(TcpConnection from, String reason) {
                accepted.remove(from);
                LOG.debug("node {}: {}", nodeId, reason);
            }
        });
    }

    private void handle(TcpConnection connection, long requestId, ByteBuffer request) {
        Responder responder = new FirstAnswerResponder(response -> respond(connection, requestId, response));
        try {
            handler.onRequest(connection.peerNodeId(), request, responder);
        } catch (RuntimeException e) {
            LOG.warn("node {}'s handler failed on request {} from node {}; it will time out", nodeId, requestId,
                    connection.peerNodeId(), e);
        }
    }

    private void respond(TcpConnection connection, long requestId, ByteBuffer response) {
        if (TcpFrameFormat.lengthField(response.remaining()) > config.maxFrameBytes()) {
            LOG.error("node {}: the response of {} bytes to request {} from node {} exceeds the maximum frame of {} "
                    + "bytes; not sent (the request will time out)", nodeId, response.remaining(), requestId,
                    connection.peerNodeId(), config.maxFrameBytes());
            return;
        }
        try {
            connection.write(TcpFrameFormat.frame(TcpFrameFormat.KIND_RESPONSE, requestId, nodeId, response));
        } catch (IOException e) {
            // The requester sees the connection break and fails the request itself.
            LOG.debug("node {}: response to request {} lost: {}", nodeId, requestId, e.toString());
            connection.close();
        }
    }

    private static void startThread(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            listener.close();
        } catch (IOException e) {
            LOG.debug("node {}: closing the listening socket failed", nodeId, e);
        }
        pending.closeAndFailAll("node " + nodeId + " was detached");
        links.values().forEach(TcpLink::close);
        accepted.forEach(TcpConnection::close);
        onClose.run();
    }
}
