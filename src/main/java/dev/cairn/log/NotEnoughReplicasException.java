package dev.cairn.log;

import dev.cairn.common.CairnException;

/**
 * An append with {@code acks} ALL refused because the partition's in-sync set is smaller than the
 * topic's {@code minInsyncReplicas} (Kafka's NOT_ENOUGH_REPLICAS): nothing was written. Retriable
 * once enough replicas catch up.
 */
public class NotEnoughReplicasException extends CairnException {
    private static final long serialVersionUID = 1L;

    public NotEnoughReplicasException(String message) {
        super(message);
    }
}
