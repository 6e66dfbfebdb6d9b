package dev.cairn.server.kafka;

/**
 * Tells the connection to close instead of answering: what Kafka's broker does for a request it
 * cannot parse, an API it does not know, or a failed produce with acks 0 (which has no response to
 * carry the error).
 *
 * <p>Immutable.
 */
final class CloseConnectionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CloseConnectionException(String message) {
        super(message, null, false, false);
    }

    CloseConnectionException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
