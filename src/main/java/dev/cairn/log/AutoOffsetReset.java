package dev.cairn.log;

/** Where a consumer starts in a partition that has no committed offset, as Kafka's {@code auto.offset.reset}. */
public enum AutoOffsetReset {
    /** The beginning of the partition. */
    EARLIEST,
    /** The end: only records appended from now on. */
    LATEST,
    /** No reset: polling throws {@link OffsetOutOfRangeException}. */
    NONE
}
