package dev.cairn.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link Transport} over TCP, with plain JDK sockets, between nodes in this process and others.
 * It knows every node's {@link NodeAddress}; attaching a node binds that address (port 0: an
 * ephemeral port, then read back with {@link #address}). A node sends its requests to a peer on
 * one connection, opened on the first request and again after it breaks (with a backoff after a
 * failed connect); the peer answers on the same connection.
 *
 * <p>Wire format (also in docs/formats.md, "Replication transport"; constants in
 * {@code TcpFrameFormat}), all integers big-endian:
 * <pre>
 * handshake, each way:  magic 0x43525450 ("CRTP") (4) | version 1 (2) | sender node id (4) | receiver node id (4)
 * then frames:          length (4) | kind (1: request, 2: response) | request id (8) | sender node id (4) | payload
 * </pre>
 * The length counts the bytes after it; a frame longer than {@link TcpTransportConfig#maxFrameBytes()}
 * (64 MiB by default) is refused and its connection closed, as is any other break of the format:
 * only that connection, never the node.
 *
 * <p>Failures: a request fails with a {@link TransportException} when the node is unknown, the
 * connect fails (or the backoff after one has not run out), its connection breaks (at once, with
 * every other request pending on it), it times out, or either end is detached or closed. Callbacks
 * and timeouts run on one daemon thread of this transport; handlers run on their connection's
 * reader thread. Every thread is a daemon named after {@link TcpTransportConfig#threadNamePrefix()},
 * and {@link #close()} stops them all. Thread-safe.
 */
public final class TcpTransport implements Transport {
    private final TcpTransportConfig config;
    private final Map<Integer, NodeAddress> addresses = new ConcurrentHashMap<>();
    private final Map<Integer, TcpNode> attached = new ConcurrentHashMap<>();
    private final ThreadScheduler scheduler;
    private boolean closed;

    /** A transport between {@code nodes} with the {@linkplain TcpTransportConfig#defaults() default settings}. */
    public TcpTransport(Collection<NodeAddress> nodes) {
        this(nodes, TcpTransportConfig.defaults());
    }

    /**
     * A transport between {@code nodes}.
     *
     * @throws IllegalArgumentException if two addresses name the same node
     */
    public TcpTransport(Collection<NodeAddress> nodes, TcpTransportConfig config) {
        for (NodeAddress node : nodes) {
            if (addresses.putIfAbsent(node.nodeId(), node) != null) {
                throw new IllegalArgumentException("node " + node.nodeId() + " has two addresses: "
                        + addresses.get(node.nodeId()) + " and " + node);
            }
        }
        this.config = config;
        this.scheduler = new ThreadScheduler(config.threadNamePrefix() + "-callbacks", 1, InstantSource.system());
    }

    /**
     * Adds a node, or changes where one is reached (a node of another process that bound an
     * ephemeral port). Connections already open stay open; the next connect uses the new address.
     *
     * @throws IllegalStateException if the node is attached here (its address is the one it bound)
     */
    public void setAddress(NodeAddress address) {
        if (attached.containsKey(address.nodeId())) {
            throw new IllegalStateException("node " + address.nodeId() + " is attached to this transport at "
                    + addresses.get(address.nodeId()) + ": its address cannot change");
        }
        addresses.put(address.nodeId(), address);
    }

    /**
     * Where node {@code nodeId} is reached: for a node attached here, the address it is bound to.
     *
     * @throws IllegalArgumentException if the node is not in the node set
     */
    public NodeAddress address(int nodeId) {
        NodeAddress address = addresses.get(nodeId);
        if (address == null) {
            throw new IllegalArgumentException("node " + nodeId + " is not in this TCP transport's node set");
        }
        return address;
    }

    /**
     * Attaches node {@code nodeId}: binds its address and starts accepting its peers' connections.
     *
     * @throws IllegalArgumentException if the node is not in the node set
     * @throws IllegalStateException if it is attached already, the transport is closed, or the address cannot be bound
     */
    @Override
    public synchronized Endpoint attach(int nodeId, RequestHandler handler) {
        if (closed) {
            throw new IllegalStateException("TCP transport is closed: cannot attach node " + nodeId);
        }
        if (attached.containsKey(nodeId)) {
            throw new IllegalStateException("node " + nodeId + " is already attached");
        }
        NodeAddress configured = address(nodeId);
        ServerSocket listener = bind(configured);
        addresses.put(nodeId, new NodeAddress(nodeId, configured.host(), listener.getLocalPort()));
        TcpNode node = new TcpNode(nodeId, handler, listener, addresses::get, config, scheduler,
                () -> attached.remove(nodeId));
        attached.put(nodeId, node);
        return node;
    }

    private static ServerSocket bind(NodeAddress address) {
        ServerSocket listener = null;
        try {
            listener = new ServerSocket();
            listener.setReuseAddress(true);
            listener.bind(new InetSocketAddress(address.host(), address.port()));
            return listener;
        } catch (IOException e) {
            if (listener != null) {
                try {
                    listener.close();
                } catch (IOException closing) {
                    e.addSuppressed(closing);
                }
            }
            throw new IllegalStateException(address + " could not listen: " + e.getMessage(), e);
        }
    }

    /** Detaches every node (closing their sockets and threads), runs the failure callbacks, then stops the callback thread. */
    @Override
    public void close() {
        List<TcpNode> nodes;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            nodes = new ArrayList<>(attached.values());
        }
        nodes.forEach(TcpNode::close);
        scheduler.close();
    }
}
