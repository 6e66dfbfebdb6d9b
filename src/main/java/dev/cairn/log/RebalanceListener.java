package dev.cairn.log;

import java.util.Collection;

/**
 * Told when a group member loses and gains partitions, as Kafka's {@code ConsumerRebalanceListener}.
 * Called on the consumer's own thread, inside {@code poll}, {@code unsubscribe} or {@code close}
 * (where the consumer still works: a commit here lands before it is closed, as in Kafka). A
 * partition is revoked from its old owner (this callback returns) before any other member is
 * assigned it, so committing here hands over the exact position.
 */
public interface RebalanceListener {
    /** The member stops owning these partitions; commit what was processed. */
    void onPartitionsRevoked(Collection<TopicPartition> partitions);

    /**
     * The member lost these partitions without handing them over: its session expired (it did not
     * poll within {@code sessionTimeoutMs}) and the group may already have given them to others, so
     * a commit here throws {@link CommitFailedException}; or their topic was deleted under it, so
     * there is nothing left to commit. As in Kafka, this calls
     * {@link #onPartitionsRevoked} unless overridden; a listener that commits there should override
     * this one to clean up without committing.
     */
    default void onPartitionsLost(Collection<TopicPartition> partitions) {
        onPartitionsRevoked(partitions);
    }

    /** The member now owns these partitions (in addition to those it kept). */
    void onPartitionsAssigned(Collection<TopicPartition> partitions);

    /** A listener that does nothing. */
    static RebalanceListener none() {
        return new RebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            }
        };
    }
}
