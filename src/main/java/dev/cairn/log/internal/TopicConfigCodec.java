package dev.cairn.log.internal;

import dev.cairn.common.CorruptFileException;
import dev.cairn.common.Durability;
import dev.cairn.log.CleanupPolicy;
import dev.cairn.log.TopicConfig;
import java.nio.ByteBuffer;

/**
 * The payload of a topic's config file, {@code <topic>.topic} in the log directory, written with
 * {@link dev.cairn.storage.AtomicFile} (magic {@link #MAGIC}, version 1, CRC-checked).
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
 * </pre>
 *
 * <p>Big-endian, 54 bytes. The file's existence is the topic's existence: it is written after the
 * partition directories and deleted before them.
 */
final class TopicConfigCodec {
    static final int MAGIC = 0x43525443; // "CRTC"
    static final short VERSION = 1;
    static final int SIZE = 54;

    private TopicConfigCodec() {
    }

    static ByteBuffer encode(TopicConfig c) {
        ByteBuffer b = ByteBuffer.allocate(SIZE);
        b.putInt(c.partitions()).putLong(c.segmentBytes()).putLong(c.segmentMs()).putLong(c.retentionMs())
                .putLong(c.retentionBytes()).put((byte) c.cleanupPolicy().ordinal()).putLong(c.deleteRetentionMs())
                .putInt(c.maxRecordBytes()).putInt(c.indexIntervalBytes())
                .put((byte) (c.durability() == null ? 0 : c.durability().ordinal() + 1));
        return b.flip();
    }

    static TopicConfig decode(String file, ByteBuffer b) {
        if (b.remaining() != SIZE) {
            throw new CorruptFileException(file, 0, "topic config of " + b.remaining() + " bytes, expected " + SIZE);
        }
        try {
            int partitions = b.getInt();
            long segmentBytes = b.getLong();
            long segmentMs = b.getLong();
            long retentionMs = b.getLong();
            long retentionBytes = b.getLong();
            CleanupPolicy policy = CleanupPolicy.values()[b.get()];
            long deleteRetentionMs = b.getLong();
            int maxRecordBytes = b.getInt();
            int indexInterval = b.getInt();
            int durability = b.get();
            return new TopicConfig(partitions, segmentBytes, segmentMs, retentionMs, retentionBytes, policy,
                    deleteRetentionMs, maxRecordBytes, indexInterval,
                    durability == 0 ? null : Durability.values()[durability - 1]);
        } catch (RuntimeException e) {
            throw new CorruptFileException(file, 0, "invalid topic config: " + e.getMessage());
        }
    }
}
