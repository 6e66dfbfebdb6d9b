package dev.cairn.log;

/**
 * An append with {@code acks} ALL that was written, and reached the high watermark, but whose
 * in-sync set had meanwhile shrunk below the topic's {@code minInsyncReplicas} (Kafka's
 * NOT_ENOUGH_REPLICAS_AFTER_APPEND): the records are in the log but were not acknowledged, and a
 * retry may store them twice.
 */
public class NotEnoughReplicasAfterAppendException extends NotEnoughReplicasException {
    private static final long serialVersionUID = 1L;

    public NotEnoughReplicasAfterAppendException(String message) {
        super(message);
    }
}
