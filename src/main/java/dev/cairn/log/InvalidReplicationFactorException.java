package dev.cairn.log;

import dev.cairn.common.CairnException;

/**
 * A topic's replication factor that the log cannot honour: more copies than it has replica
 * locations (storage roots or nodes), as Kafka's {@code InvalidReplicationFactorException}. Nothing
 * was created.
 */
public class InvalidReplicationFactorException extends CairnException {
    private static final long serialVersionUID = 1L;

    public InvalidReplicationFactorException(String message) {
        super(message);
    }
}
