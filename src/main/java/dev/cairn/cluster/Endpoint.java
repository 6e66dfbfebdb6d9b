package dev.cairn.cluster;

import java.nio.ByteBuffer;

/** One node's side of a {@link Transport}: sends requests to the other nodes. */
public interface Endpoint extends AutoCloseable {
    /** The node this endpoint speaks for. */
    int nodeId();

    /**
     * Sends {@code request} (its remaining bytes) to node {@code to}; {@code callback} is told the
     * response or the failure, once, never on this thread inside this call.
     *
     * @param timeoutMs how long to wait for the response before failing with a {@link TransportException}; > 0
     * @throws IllegalStateException if this endpoint was closed (the node is detached)
     * @throws IllegalArgumentException if {@code timeoutMs} is not positive, or the request is larger than
     *     the transport can carry (TCP: its maximum frame)
     */
    void send(int to, ByteBuffer request, long timeoutMs, ResponseHandler callback);

    /** Detaches the node: requests to it fail, pending sends from it fail. Idempotent. */
    @Override
    void close();
}
