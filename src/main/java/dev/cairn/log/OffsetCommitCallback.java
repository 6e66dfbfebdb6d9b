package dev.cairn.log;

import java.util.Map;

/**
 * Told the outcome of a {@link Consumer#commitAsync}, as Kafka's {@code OffsetCommitCallback}.
 * Called on the consumer's own thread, inside a later {@code poll}, {@code commitSync} or
 * {@code close}, in the order the commits were made.
 */
@FunctionalInterface
public interface OffsetCommitCallback {
    /**
     * @param offsets the next offsets to read that were (or were to be) committed
     * @param exception null if the commit succeeded; otherwise why it failed (for example a
     *     {@link CommitFailedException} for a fenced member), and no offset was committed
     */
    void onComplete(Map<TopicPartition, Long> offsets, Exception exception);
}
