package dev.cairn.log;

/** What happens to old records of a topic, as Kafka's {@code cleanup.policy}. */
public enum CleanupPolicy {
    /** Whole old segments are deleted by age ({@code retentionMs}) or total size ({@code retentionBytes}). */
    DELETE,
    /** Old segments keep only the latest record per key; tombstones go after {@code deleteRetentionMs}. */
    COMPACT
}
