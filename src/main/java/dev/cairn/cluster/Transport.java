package dev.cairn.cluster;

/**
 * Carries requests and their responses between nodes, addressed by node id.
 *
 * <p>Contract shared by every implementation:
 * <ul>
 *   <li>A request reaches the handler of the node it was sent to at most once (a simulated
 *       network may deliver a duplicate: a handler must tolerate seeing the same request twice,
 *       and the sender's callback still runs exactly once).</li>
 *   <li>A sender's callback runs exactly once: with the response, or with a
 *       {@link TransportException} when the node is unknown or unreachable, the request timed out,
 *       or either end closed. It never runs on the sending thread inside
 *       {@link Endpoint#send}.</li>
 *   <li>Requests between two nodes may be answered out of order; a handler may answer later,
 *       from any thread (a parked fetch answers when data arrives).</li>
 *   <li>Frames are copied on send: the caller may reuse its buffer once {@code send} returns.</li>
 * </ul>
 */
public interface Transport extends AutoCloseable {
    /**
     * Attaches node {@code nodeId}: requests sent to it from now on reach {@code handler}.
     *
     * @return the node's way to send to the others; closing it detaches the node
     * @throws IllegalStateException if the node is already attached or the transport is closed
     */
    Endpoint attach(int nodeId, RequestHandler handler);

    /** Detaches every node and fails every pending request. Idempotent. */
    @Override
    void close();
}
