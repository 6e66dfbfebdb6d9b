package dev.cairn.log.internal.replica;

/**
 * The answer to "where does epoch E end in this log" (Kafka's OffsetsForLeaderEpoch): the largest
 * epoch at most E that the log knows, and the offset where it ends, the start of the next epoch or
 * the log end offset for the latest. {@link #UNDEFINED} when the log knows no epoch at most E.
 */
public record EpochEndOffset(int epoch, long endOffset) {
    public static final EpochEndOffset UNDEFINED = new EpochEndOffset(-1, -1);

    public boolean isUndefined() {
        return epoch < 0;
    }
}
