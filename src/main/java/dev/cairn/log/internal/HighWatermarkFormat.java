package dev.cairn.log.internal;

import dev.cairn.common.CorruptFileException;
import java.nio.ByteBuffer;

/**
 * The payload of a replicated partition's high-watermark checkpoint, {@value #FILE_NAME} in the
 * partition's directory, written with {@link dev.cairn.storage.AtomicFile} (magic {@link #MAGIC},
 * version 1, CRC-checked).
 *
 * <pre>
 * offset  size  field
 *      0     8  high watermark     consumers of the copy read only below it
 * </pre>
 *
 * <p>Big-endian, {@value #SIZE} bytes. Its presence marks the partition as replicated: it is
 * written when the partition first becomes a leader or follower, then on close, on each
 * maintenance round in which the high watermark moved, and, before a truncation lowers it, with
 * the lower value (so a checkpoint never claims records a truncation removed). On open the high
 * watermark is the smaller of the stored value and the log end offset. A damaged file stops the
 * partition's open with a {@link CorruptFileException}.
 */
final class HighWatermarkFormat {
    static final String FILE_NAME = "high-watermark";
    static final int MAGIC = 0x4352484D; // "CRHM"
    static final short VERSION = 1;
    static final int HIGH_WATERMARK_OFFSET = 0;
    static final int SIZE = HIGH_WATERMARK_OFFSET + 8;

    private HighWatermarkFormat() {
    }

    static ByteBuffer encode(long highWatermark) {
        return ByteBuffer.allocate(SIZE).putLong(HIGH_WATERMARK_OFFSET, highWatermark);
    }

    static long decode(String file, ByteBuffer payload) {
        if (payload.remaining() != SIZE) {
            throw new CorruptFileException(file, 0, "high watermark of " + payload.remaining() + " bytes, expected "
                    + SIZE);
        }
        long value = payload.getLong(payload.position() + HIGH_WATERMARK_OFFSET);
        if (value < 0) {
            throw new CorruptFileException(file, HIGH_WATERMARK_OFFSET, "negative high watermark " + value);
        }
        return value;
    }
}
