package dev.cairn.cluster;

import java.nio.ByteBuffer;

/**
 * The wire format of {@link TcpTransport}: one connection per ordered pair of nodes (the sender of
 * the requests connects), which opens with a handshake each way and then carries length-prefixed
 * frames: requests from the connecting node, responses from the accepting one. All integers
 * big-endian. No checksum: TCP's own covers the bytes in transit.
 *
 * <pre>
 * handshake (14 bytes; the connecting node sends its own, then the accepting node answers with its own)
 *  offset  size  field
 *       0     4  magic            0x43525450 ("CRTP")
 *       4     2  version          1
 *       6     4  sender node id   the node writing this handshake
 *      10     4  receiver node id the node it expects at the other end
 *
 * frame (17 + payload bytes)
 *  offset  size  field
 *       0     4  length           bytes after this field: 13 + payload size; at most the configured
 *                                 maximum (64 MiB by default)
 *       4     1  kind             1 request (connecting node to accepting node), 2 response (back)
 *       5     8  request id       chosen by the requesting node; a response carries its request's
 *      13     4  sender node id   must be the node named in the connection's handshake
 *      17     n  payload          the request or response bytes, opaque to the transport
 * </pre>
 *
 * <p>A peer that breaks these rules (wrong magic, version or node id in the handshake, a length
 * below 13 or above the maximum, a kind its side may not send, a sender id that is not its own)
 * has its connection closed, with a log line naming it; the node and its other connections go on.
 */
final class TcpFrameFormat {
    /** "CRTP": Cairn replication transport. */
    static final int MAGIC = 0x43525450;
    static final short VERSION = 1;

    static final int HANDSHAKE_MAGIC_OFFSET = 0;
    static final int HANDSHAKE_VERSION_OFFSET = HANDSHAKE_MAGIC_OFFSET + Integer.BYTES;
    static final int HANDSHAKE_SENDER_OFFSET = HANDSHAKE_VERSION_OFFSET + Short.BYTES;
    static final int HANDSHAKE_RECEIVER_OFFSET = HANDSHAKE_SENDER_OFFSET + Integer.BYTES;
    static final int HANDSHAKE_BYTES = HANDSHAKE_RECEIVER_OFFSET + Integer.BYTES;

    static final int LENGTH_OFFSET = 0;
    static final int KIND_OFFSET = LENGTH_OFFSET + Integer.BYTES;
    static final int REQUEST_ID_OFFSET = KIND_OFFSET + Byte.BYTES;
    static final int SENDER_OFFSET = REQUEST_ID_OFFSET + Long.BYTES;
    static final int PAYLOAD_OFFSET = SENDER_OFFSET + Integer.BYTES;
    /** The least a length field may say: the fields after it before the payload. */
    static final int HEADER_BYTES = PAYLOAD_OFFSET - KIND_OFFSET;

    static final byte KIND_REQUEST = 1;
    static final byte KIND_RESPONSE = 2;

    private TcpFrameFormat() {
    }

    static ByteBuffer handshake(int senderNodeId, int receiverNodeId) {
        return ByteBuffer.allocate(HANDSHAKE_BYTES)
                .putInt(HANDSHAKE_MAGIC_OFFSET, MAGIC)
                .putShort(HANDSHAKE_VERSION_OFFSET, VERSION)
                .putInt(HANDSHAKE_SENDER_OFFSET, senderNodeId)
                .putInt(HANDSHAKE_RECEIVER_OFFSET, receiverNodeId);
    }

    /** The length field of a frame carrying {@code payloadBytes}. */
    static long lengthField(int payloadBytes) {
        return (long) HEADER_BYTES + payloadBytes;
    }

    /** A whole frame, payload copied from {@code payload}'s remaining bytes (its position unchanged). */
    static ByteBuffer frame(byte kind, long requestId, int senderNodeId, ByteBuffer payload) {
        ByteBuffer frame = ByteBuffer.allocate(PAYLOAD_OFFSET + payload.remaining())
                .putInt(LENGTH_OFFSET, HEADER_BYTES + payload.remaining())
                .put(KIND_OFFSET, kind)
                .putLong(REQUEST_ID_OFFSET, requestId)
                .putInt(SENDER_OFFSET, senderNodeId);
        frame.position(PAYLOAD_OFFSET);
        frame.put(payload.duplicate());
        return frame.flip();
    }

    static String kindName(byte kind) {
        return switch (kind) {
            case KIND_REQUEST -> "request";
            case KIND_RESPONSE -> "response";
            default -> "unknown kind " + kind;
        };
    }
}
