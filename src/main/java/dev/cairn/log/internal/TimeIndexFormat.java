package dev.cairn.log.internal;

/**
 * The layout of a segment's sparse time index, {@code <base>.timeindex} beside {@code <base>.log}.
 *
 * <pre>
 * file := header entry*
 *
 * header (16 bytes)
 *  offset  size  field
 *       0     4  magic           0x43525854 ("CRXT")
 *       4     2  version         1
 *       6     2  entry size      12
 *       8     8  base offset     the segment's base offset
 *
 * entry (12 bytes)
 *       0     8  timestamp        greatest record timestamp of the segment up to and including the batch
 *       8     4  relative offset  that batch's base offset minus the segment's base offset
 * </pre>
 *
 * <p>Big-endian. Invariants: timestamps and relative offsets strictly increase. An entry is added
 * when a batch raises the segment's greatest timestamp (at most one per index interval, and
 * always one for the first batch and, on roll, one for the segment's greatest timestamp), so the
 * last entry of a rolled segment holds its greatest timestamp (used by time retention).
 *
 * <p>Recovery rule: as the offset index: no checksum; rebuilt from the .log when missing, invalid,
 * or after a crash for the active segment.
 */
public final class TimeIndexFormat {
    public static final String SUFFIX = ".timeindex";
    public static final int MAGIC = 0x43525854;
    public static final short VERSION = 1;
    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 4;
    public static final int ENTRY_SIZE_OFFSET = 6;
    public static final int BASE_OFFSET_OFFSET = 8;
    public static final int HEADER_SIZE = 16;
    public static final int ENTRY_SIZE = 12;
    public static final int TIMESTAMP_OFFSET = 0;
    public static final int RELATIVE_OFFSET_OFFSET = 8;

    private TimeIndexFormat() {
    }

    /** Byte position of entry {@code i}. */
    public static int entryPosition(int i) {
        return HEADER_SIZE + i * ENTRY_SIZE;
    }
}
