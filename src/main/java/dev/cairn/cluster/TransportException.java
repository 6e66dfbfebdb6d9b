package dev.cairn.cluster;

import dev.cairn.common.CairnException;

/** A request that got no response: the node is unknown or unreachable, it timed out, or an end closed. */
public class TransportException extends CairnException {
    private static final long serialVersionUID = 1L;

    public TransportException(String message) {
        super(message);
    }

    public TransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
