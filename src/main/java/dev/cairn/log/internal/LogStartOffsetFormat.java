package dev.cairn.log.internal;

import dev.cairn.common.CorruptFileException;
import java.nio.ByteBuffer;

/**
 * The payload of a partition's log start offset file, {@value #FILE_NAME} in the partition's
 * directory, written with {@link dev.cairn.storage.AtomicFile} (magic {@link #MAGIC}, version 1,
 * CRC-checked): Kafka's log start offset, moved forward by {@code deleteRecords}.
 *
 * <pre>
 * offset  size  field
 *      0     8  log start offset     records below it are deleted: never read, never returned
 * </pre>
 *
 * <p>Big-endian, {@value #SIZE} bytes. Absent: the partition begins at its first segment's base
 * offset. The partition's beginning offset is the larger of the two. The file is written (and
 * its directory fsynced) before any segment below the offset is deleted, so a crash between the
 * two leaves only segments that no read reaches, deleted by the next {@code deleteRecords} or
 * retention round. A damaged file stops the partition's open with a {@link CorruptFileException}.
 */
final class LogStartOffsetFormat {
    static final String FILE_NAME = "log-start-offset";
    static final int MAGIC = 0x43524C53; // "CRLS"
    static final short VERSION = 1;
    static final int OFFSET_OFFSET = 0;
    static final int SIZE = OFFSET_OFFSET + 8;

    private LogStartOffsetFormat() {
    }

    static ByteBuffer encode(long logStartOffset) {
        return ByteBuffer.allocate(SIZE).putLong(OFFSET_OFFSET, logStartOffset);
    }

    static long decode(String file, ByteBuffer payload) {
        if (payload.remaining() != SIZE) {
            throw new CorruptFileException(file, 0, "log start offset of " + payload.remaining() + " bytes, expected "
                    + SIZE);
        }
        long offset = payload.getLong(payload.position() + OFFSET_OFFSET);
        if (offset < 0) {
            throw new CorruptFileException(file, OFFSET_OFFSET, "negative log start offset " + offset);
        }
        return offset;
    }
}
