package dev.cairn.server.redis;

import dev.cairn.common.CairnException;
import java.nio.charset.StandardCharsets;

/**
 * A client broke the protocol: the connection must be closed, after the error reply when there is
 * one.
 *
 * <p>Redis answers most protocol errors with an error reply and then closes the connection (its
 * {@code CLIENT_CLOSE_AFTER_REPLY}); a client whose query buffer passes the limit is closed with no
 * reply at all. {@link #errorReply()} holds the reply's text, byte for byte as Redis 7 writes it
 * (it may quote a byte of the client's input, which need not be ASCII), or is absent for the
 * second case.
 *
 * <p>Immutable.
 */
final class RespProtocolException extends CairnException {
    private static final long serialVersionUID = 1L;

    private final byte[] errorReply;

    private RespProtocolException(String message, byte[] errorReply) {
        super(message);
        this.errorReply = errorReply;
    }

    /** A protocol error answered with the error reply {@code text} (ASCII), e.g. "ERR Protocol error: ...". */
    static RespProtocolException withReply(String text) {
        return withReply(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** A protocol error answered with the error reply {@code text}, taken as is. */
    static RespProtocolException withReply(byte[] text) {
        return new RespProtocolException(new String(text, StandardCharsets.ISO_8859_1), text);
    }

    /** A client closed without a reply, as Redis closes one that passed its query buffer limit. */
    static RespProtocolException withoutReply(String message) {
        return new RespProtocolException(message, null);
    }

    /** Whether the client gets an error reply before the connection is closed. */
    public boolean hasErrorReply() {
        return errorReply != null;
    }

    /**
     * A copy of the error reply's text, without the leading '-' and the trailing CRLF (write it with
     * {@link RespWriter#writeError(byte[])}).
     *
     * @throws IllegalStateException if this error closes the connection without a reply
     */
    public byte[] errorReply() {
        if (errorReply == null) {
            throw new IllegalStateException("this protocol error has no reply: " + getMessage());
        }
        return errorReply.clone();
    }
}
