package dev.cairn.cluster;

import java.net.InetSocketAddress;

/**
 * Where a node listens for the {@link TcpTransport}: its id, host and port. Port 0 in the address
 * of a node about to be attached asks for an ephemeral port ({@link TcpTransport#address} then
 * tells the bound one).
 */
public record NodeAddress(int nodeId, String host, int port) {
    public NodeAddress {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("node " + nodeId + " needs a host, was '" + host + "'");
        }
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("node " + nodeId + "'s port must be in [0, 65535], was " + port);
        }
    }

    /** The socket address of this host (resolved now) and port. */
    public InetSocketAddress socketAddress() {
        return new InetSocketAddress(host, port);
    }

    @Override
    public String toString() {
        return "node " + nodeId + " at " + host + ":" + port;
    }
}
