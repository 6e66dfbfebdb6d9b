package dev.cairn.log.internal;

/**
 * The layout of a segment's sparse offset index, {@code <base>.index} beside {@code <base>.log}.
 *
 * <pre>
 * file := header entry*
 *
 * header (16 bytes)
 *  offset  size  field
 *       0     4  magic           0x4352584F ("CRXO")
 *       4     2  version         1
 *       6     2  entry size      8
 *       8     8  base offset     the segment's base offset (its file name)
 *
 * entry (8 bytes)
 *       0     4  relative offset  a batch's base offset minus the segment's base offset
 *       4     4  position         that batch's entry position in the .log segment
 * </pre>
 *
 * <p>Big-endian. Invariants a reader checks: relative offsets and positions strictly increase;
 * every position is an entry position below the segment's size. One entry is written for the
 * first batch of the segment and then whenever {@code indexIntervalBytes} of data have passed.
 *
 * <p>Recovery rule: no checksum. The file is written whole when its segment is rolled and on
 * clean close (atomically replaced); when it is missing, of another kind, fails the invariants,
 * or the segment was recovered after a crash (active segment), it is rebuilt from the .log.
 */
public final class OffsetIndexFormat {
    public static final String SUFFIX = ".index";
    public static final int MAGIC = 0x4352584F;
    public static final short VERSION = 1;
    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 4;
    public static final int ENTRY_SIZE_OFFSET = 6;
    public static final int BASE_OFFSET_OFFSET = 8;
    public static final int HEADER_SIZE = 16;
    public static final int ENTRY_SIZE = 8;
    public static final int RELATIVE_OFFSET_OFFSET = 0;
    public static final int POSITION_OFFSET = 4;

    private OffsetIndexFormat() {
    }

    /** Byte position of entry {@code i}. */
    public static int entryPosition(int i) {
        return HEADER_SIZE + i * ENTRY_SIZE;
    }
}
