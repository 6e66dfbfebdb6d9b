package dev.cairn.log;

import dev.cairn.common.Durability;
import java.util.Objects;

/**
 * How a topic is laid out and kept: Kafka's topic configs, the ones an embedded log needs.
 * Persisted with the topic and restored on reopen.
 *
 * @param partitions number of partitions, at least 1
 * @param segmentBytes a partition's active segment rolls when an append would pass this size
 * @param segmentMs the active segment rolls when its first append (log clock) is older than this
 * @param retentionMs with {@link CleanupPolicy#DELETE}: segments whose newest record is older are deleted; -1 for no limit
 * @param retentionBytes with {@link CleanupPolicy#DELETE}: oldest segments are deleted while a partition is larger; -1 for no limit
 * @param cleanupPolicy delete or compact
 * @param deleteRetentionMs with {@link CleanupPolicy#COMPACT}: how long a tombstone survives compaction
 * @param maxRecordBytes largest encoded record batch accepted by one append
 * @param indexIntervalBytes bytes of data between two entries of the sparse indexes
 * @param durability the durability policy of the topic's appends, or null for the log's default
 * @param timestampType which time the records' timestamps are (Kafka's {@code message.timestamp.type}): with
 *                      {@link TimestampType#LOG_APPEND_TIME} the log stamps every append with its clock
 * @param minCompactionLagMs with {@link CleanupPolicy#COMPACT}: a segment holding a record whose timestamp is
 *                           younger than this (log clock) is not compacted yet (Kafka's {@code min.compaction.lag.ms})
 * @param replicationFactor how many copies each partition keeps, on the log's replica locations (storage roots or
 *                          nodes); set when the topic is created
 * @param minInsyncReplicas the least in-sync set that appends with {@link Acks#ALL} accept (Kafka's
 *                          {@code min.insync.replicas}); above the replication factor, every such append is refused
 */
public record TopicConfig(int partitions, long segmentBytes, long segmentMs, long retentionMs, long retentionBytes,
        CleanupPolicy cleanupPolicy, long deleteRetentionMs, int maxRecordBytes, int indexIntervalBytes,
        Durability durability, TimestampType timestampType, long minCompactionLagMs, int replicationFactor,
        int minInsyncReplicas) {

    public TopicConfig {
        Objects.requireNonNull(cleanupPolicy, "cleanupPolicy");
        Objects.requireNonNull(timestampType, "timestampType");
        check(partitions >= 1, "partitions must be >= 1, was " + partitions);
        check(segmentBytes >= 1024, "segmentBytes must be >= 1024, was " + segmentBytes);
        check(segmentMs >= 1, "segmentMs must be >= 1, was " + segmentMs);
        check(retentionMs >= -1, "retentionMs must be >= -1, was " + retentionMs);
        check(retentionBytes >= -1, "retentionBytes must be >= -1, was " + retentionBytes);
        check(deleteRetentionMs >= 0, "deleteRetentionMs must be >= 0, was " + deleteRetentionMs);
        check(maxRecordBytes >= 64, "maxRecordBytes must be >= 64, was " + maxRecordBytes);
        check(indexIntervalBytes >= 1, "indexIntervalBytes must be >= 1, was " + indexIntervalBytes);
        check(minCompactionLagMs >= 0, "minCompactionLagMs must be >= 0, was " + minCompactionLagMs);
        check(replicationFactor >= 1 && replicationFactor <= Short.MAX_VALUE,
                "replicationFactor must be in [1, " + Short.MAX_VALUE + "], was " + replicationFactor);
        check(minInsyncReplicas >= 1, "minInsyncReplicas must be >= 1, was " + minInsyncReplicas);
    }

    /**
     * A config with Kafka's defaults for the settings this constructor does not take:
     * {@link TimestampType#CREATE_TIME}, no minimum compaction lag, one replica, one in sync.
     */
    public TopicConfig(int partitions, long segmentBytes, long segmentMs, long retentionMs, long retentionBytes,
            CleanupPolicy cleanupPolicy, long deleteRetentionMs, int maxRecordBytes, int indexIntervalBytes,
            Durability durability) {
        this(partitions, segmentBytes, segmentMs, retentionMs, retentionBytes, cleanupPolicy, deleteRetentionMs,
                maxRecordBytes, indexIntervalBytes, durability, TimestampType.CREATE_TIME, 0, 1, 1);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * Kafka's defaults: 1 partition, 1 GiB segments rolled weekly, 7 days of retention, no size
     * limit, delete policy, tombstones kept a day, 1 MiB records, an index entry every 4 KiB,
     * CreateTime timestamps, no minimum compaction lag, one replica and one in sync.
     */
    public static TopicConfig defaults() {
        return new TopicConfig(1, 1L << 30, 7L * 24 * 3600 * 1000, 7L * 24 * 3600 * 1000, -1, CleanupPolicy.DELETE,
                24L * 3600 * 1000, 1 << 20, 4096, null, TimestampType.CREATE_TIME, 0, 1, 1);
    }

    public TopicConfig withPartitions(int count) {
        return new TopicConfig(count, segmentBytes, segmentMs, retentionMs, retentionBytes, cleanupPolicy,
                deleteRetentionMs, maxRecordBytes, indexIntervalBytes, durability, timestampType, minCompactionLagMs,
                replicationFactor, minInsyncReplicas);
    }

    public TopicConfig withSegmentBytes(long bytes) {
        return new TopicConfig(partitions, bytes, segmentMs, retentionMs, retentionBytes, cleanupPolicy,
                deleteRetentionMs, maxRecordBytes, indexIntervalBytes, durability, timestampType, minCompactionLagMs,
                replicationFactor, minInsyncReplicas);
    }

    public TopicConfig withSegmentMs(long ms) {
        return new TopicConfig(partitions, segmentBytes, ms, retentionMs, retentionBytes, cleanupPolicy,
                deleteRetentionMs, maxRecordBytes, indexIntervalBytes, durability, timestampType, minCompactionLagMs,
                replicationFactor, minInsyncReplicas);
    }

    public TopicConfig withRetentionMs(long ms) {
        return new TopicConfig(partitions, segmentBytes, segmentMs, ms, retentionBytes, cleanupPolicy,
                deleteRetentionMs, maxRecordBytes, indexIntervalBytes, durability, timestampType, minCompactionLagMs,
                replicationFactor, minInsyncReplicas);
    }

    public TopicConfig withRetentionBytes(long bytes) {
        return new TopicConfig(partitions, segmentBytes, segmentMs, retentionMs, bytes, cleanupPolicy,
                deleteRetentionMs, maxRecordBytes, indexIntervalBytes, durability, timestampType, minCompactionLagMs,
                replicationFactor, minInsyncReplicas);
    }

    public TopicConfig withCleanupPolicy(CleanupPolicy policy) {
        return new TopicConfig(partitions, segmentBytes, segmentMs, retentionMs, retentionBytes, policy,
                deleteRetentionMs, maxRecordBytes, indexIntervalBytes, durability, timestampType, minCompactionLagMs,
                replicationFactor, minInsyncReplicas);
    }

    public TopicConfig withDeleteRetentionMs(long ms) {
        return new TopicConfig(partitions, segmentBytes, segmentMs, retentionMs, retentionBytes, cleanupPolicy,
                ms, maxRecordBytes, indexIntervalBytes, durability, timestampType, minCompactionLagMs,
                replicationFactor, minInsyncReplicas);
    }

    public TopicConfig withMaxRecordBytes(int bytes) {
        return new TopicConfig(partitions, segmentBytes, segmentMs, retentionMs, retentionBytes, cleanupPolicy,
                deleteRetentionMs, bytes, indexIntervalBytes, durability, timestampType, minCompactionLagMs,
                replicationFactor, minInsyncReplicas);
    }

    public TopicConfig withIndexIntervalBytes(int bytes) {
        return new TopicConfig(partitions, segmentBytes, segmentMs, retentionMs, retentionBytes, cleanupPolicy,
                deleteRetentionMs, maxRecordBytes, bytes, durability, timestampType, minCompactionLagMs,
                replicationFactor, minInsyncReplicas);
    }

    public TopicConfig withDurability(Durability policy) {
        return new TopicConfig(partitions, segmentBytes, segmentMs, retentionMs, retentionBytes, cleanupPolicy,
                deleteRetentionMs, maxRecordBytes, indexIntervalBytes, policy, timestampType, minCompactionLagMs,
                replicationFactor, minInsyncReplicas);
    }

    public TopicConfig withTimestampType(TimestampType type) {
        return new TopicConfig(partitions, segmentBytes, segmentMs, retentionMs, retentionBytes, cleanupPolicy,
                deleteRetentionMs, maxRecordBytes, indexIntervalBytes, durability, type, minCompactionLagMs,
                replicationFactor, minInsyncReplicas);
    }

    public TopicConfig withMinCompactionLagMs(long ms) {
        return new TopicConfig(partitions, segmentBytes, segmentMs, retentionMs, retentionBytes, cleanupPolicy,
                deleteRetentionMs, maxRecordBytes, indexIntervalBytes, durability, timestampType, ms,
                replicationFactor, minInsyncReplicas);
    }

    public TopicConfig withReplicationFactor(int replicas) {
        return new TopicConfig(partitions, segmentBytes, segmentMs, retentionMs, retentionBytes, cleanupPolicy,
                deleteRetentionMs, maxRecordBytes, indexIntervalBytes, durability, timestampType, minCompactionLagMs,
                replicas, minInsyncReplicas);
    }

    public TopicConfig withMinInsyncReplicas(int replicas) {
        return new TopicConfig(partitions, segmentBytes, segmentMs, retentionMs, retentionBytes, cleanupPolicy,
                deleteRetentionMs, maxRecordBytes, indexIntervalBytes, durability, timestampType, minCompactionLagMs,
                replicationFactor, replicas);
    }
}
