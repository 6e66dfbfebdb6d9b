package dev.cairn.log.internal;

import dev.cairn.common.CorruptFileException;
import dev.cairn.common.Durability;
import dev.cairn.log.CleanupPolicy;
import dev.cairn.log.TimestampType;
import dev.cairn.log.TopicConfig;
import java.nio.ByteBuffer;

/**
 * The payload of a topic's config file, {@code <topic>.topic} in the log directory, written with
 * {@link dev.cairn.storage.AtomicFile} (magic {@link #MAGIC}, version {@link #VERSION}, CRC-checked).
 *
 * <pre>
 * offset  size  field
 *      0     4  partitions
 *      4     8  segment bytes
 *     12     8  segment ms
 *     20     8  retention ms
 *     28     8  retention bytes
 *     36     1  cleanup policy       0 delete, 1 compact
 *     37     8  delete retention ms
 *     45     4  max record bytes
 *     49     4  index interval bytes
 *     53     1  durability           0 log default, 1 ALWAYS, 2 EVERY_SECOND, 3 NONE
 *     ---------------------------- version 1 ends here (54 bytes)
 *     54     1  timestamp type       0 CreateTime, 1 LogAppendTime
 *     55     8  min compaction lag ms
 *     ---------------------------- version 2 ends here (63 bytes)
 *     63     2  replication factor
 *     65     2  min in-sync replicas
 * </pre>
 *
 * <p>Big-endian; version 3, 67 bytes. Versions 1 and 2 (earlier releases) are the first 54 and 63
 * bytes alone, read with Kafka's defaults for the fields they lack (CreateTime, no compaction lag,
 * one replica, one in sync); a payload is read by its version, and one whose length is not its
 * version's is refused. The file's existence
 * is the topic's existence: it is written after the partition directories and deleted before them.
 */
final class TopicConfigCodec {
    static final int MAGIC = 0x43525443; // "CRTC"
    /** The version written, and the newest read. */
    static final short VERSION = 3;
    static final int PARTITIONS_OFFSET = 0;
    static final int SEGMENT_BYTES_OFFSET = PARTITIONS_OFFSET + Integer.BYTES;
    static final int SEGMENT_MS_OFFSET = SEGMENT_BYTES_OFFSET + Long.BYTES;
    static final int RETENTION_MS_OFFSET = SEGMENT_MS_OFFSET + Long.BYTES;
    static final int RETENTION_BYTES_OFFSET = RETENTION_MS_OFFSET + Long.BYTES;
    static final int CLEANUP_POLICY_OFFSET = RETENTION_BYTES_OFFSET + Long.BYTES;
    static final int DELETE_RETENTION_MS_OFFSET = CLEANUP_POLICY_OFFSET + 1;
    static final int MAX_RECORD_BYTES_OFFSET = DELETE_RETENTION_MS_OFFSET + Long.BYTES;
    static final int INDEX_INTERVAL_BYTES_OFFSET = MAX_RECORD_BYTES_OFFSET + Integer.BYTES;
    static final int DURABILITY_OFFSET = INDEX_INTERVAL_BYTES_OFFSET + Integer.BYTES;
    /** Size of a version 1 payload. */
    static final int SIZE_V1 = DURABILITY_OFFSET + 1;
    static final int TIMESTAMP_TYPE_OFFSET = SIZE_V1;
    static final int MIN_COMPACTION_LAG_MS_OFFSET = TIMESTAMP_TYPE_OFFSET + 1;
    /** Size of a version 2 payload. */
    static final int SIZE_V2 = MIN_COMPACTION_LAG_MS_OFFSET + Long.BYTES;
    static final int REPLICATION_FACTOR_OFFSET = SIZE_V2;
    static final int MIN_INSYNC_REPLICAS_OFFSET = REPLICATION_FACTOR_OFFSET + Short.BYTES;
    /** Size of a version 3 payload. */
    static final int SIZE = MIN_INSYNC_REPLICAS_OFFSET + Short.BYTES;

    private TopicConfigCodec() {
    }

    /** The payload of version {@link #VERSION}. */
    static ByteBuffer encode(TopicConfig c) {
        ByteBuffer b = ByteBuffer.allocate(SIZE);
        b.putInt(PARTITIONS_OFFSET, c.partitions())
                .putLong(SEGMENT_BYTES_OFFSET, c.segmentBytes())
                .putLong(SEGMENT_MS_OFFSET, c.segmentMs())
                .putLong(RETENTION_MS_OFFSET, c.retentionMs())
                .putLong(RETENTION_BYTES_OFFSET, c.retentionBytes())
                .put(CLEANUP_POLICY_OFFSET, (byte) c.cleanupPolicy().ordinal())
                .putLong(DELETE_RETENTION_MS_OFFSET, c.deleteRetentionMs())
                .putInt(MAX_RECORD_BYTES_OFFSET, c.maxRecordBytes())
                .putInt(INDEX_INTERVAL_BYTES_OFFSET, c.indexIntervalBytes())
                .put(DURABILITY_OFFSET, (byte) (c.durability() == null ? 0 : c.durability().ordinal() + 1))
                .put(TIMESTAMP_TYPE_OFFSET, (byte) c.timestampType().ordinal())
                .putLong(MIN_COMPACTION_LAG_MS_OFFSET, c.minCompactionLagMs())
                .putShort(REPLICATION_FACTOR_OFFSET, (short) c.replicationFactor())
                .putShort(MIN_INSYNC_REPLICAS_OFFSET, (short) Math.min(c.minInsyncReplicas(), Short.MAX_VALUE));
        return b;
    }

    /**
     * Reads a payload of {@code version} (1 to 3, as {@link dev.cairn.storage.AtomicFile} read it).
     *
     * @throws CorruptFileException if its length is not its version's, or a field is out of range
     */
    static TopicConfig decode(String file, short version, ByteBuffer payload) {
        int expected = switch (version) {
            case 1 -> SIZE_V1;
            case 2 -> SIZE_V2;
            default -> SIZE;
        };
        if (payload.remaining() != expected) {
            throw new CorruptFileException(file, 0, "topic config of " + payload.remaining() + " bytes, expected "
                    + expected + " for version " + version);
        }
        ByteBuffer b = payload.slice();
        try {
            CleanupPolicy policy = CleanupPolicy.values()[b.get(CLEANUP_POLICY_OFFSET)];
            int durability = b.get(DURABILITY_OFFSET);
            TimestampType timestampType = version == 1 ? TimestampType.CREATE_TIME
                    : TimestampType.values()[b.get(TIMESTAMP_TYPE_OFFSET)];
            long minCompactionLagMs = version == 1 ? 0 : b.getLong(MIN_COMPACTION_LAG_MS_OFFSET);
            int replicationFactor = version < 3 ? 1 : b.getShort(REPLICATION_FACTOR_OFFSET);
            int minInsyncReplicas = version < 3 ? 1 : b.getShort(MIN_INSYNC_REPLICAS_OFFSET);
            return new TopicConfig(b.getInt(PARTITIONS_OFFSET), b.getLong(SEGMENT_BYTES_OFFSET),
                    b.getLong(SEGMENT_MS_OFFSET), b.getLong(RETENTION_MS_OFFSET), b.getLong(RETENTION_BYTES_OFFSET),
                    policy, b.getLong(DELETE_RETENTION_MS_OFFSET), b.getInt(MAX_RECORD_BYTES_OFFSET),
                    b.getInt(INDEX_INTERVAL_BYTES_OFFSET), durability == 0 ? null : Durability.values()[durability - 1],
                    timestampType, minCompactionLagMs, replicationFactor, minInsyncReplicas);
        } catch (RuntimeException e) {
            throw new CorruptFileException(file, 0, "invalid topic config: " + e.getMessage());
        }
    }
}
