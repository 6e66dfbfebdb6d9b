package dev.cairn.dictionary.persistence;

/**
 * The layout of a snapshot file ({@code snapshot-<id>.cds}): a compact image of the whole
 * dictionary at one point in time, written by {@link SnapshotWriter}, read by
 * {@link SnapshotReader}. No other class hard-codes an offset into one.
 *
 * <pre>
 * snapshot := header record* end
 *
 * header (32 bytes)
 *  offset  size  field
 *       0     4  magic        0x4344534E ("CDSN")
 *       4     2  version      1
 *       6     2  reserved     0
 *       8     8  snapshot id  the id in the file name
 *      16     8  sequence     append-only entries the snapshot covers
 *      24     8  created at   milliseconds since the epoch, from the dictionary's clock
 *
 * record
 *       1 byte   type         1 string, 2 hash, 3 list, 4 set, 5 sorted set
 *     var+n      key          unsigned LEB128 length, then the key's bytes (dev.cairn.dictionary.BinaryKeys)
 *       8        deadline     absolute expiry in ms since the epoch, -1 for none
 *     string:     var+n       value length, then the bytes
 *     hash:       var count,  then count x (field, value), each var+n
 *     list:       var count,  then count x element (var+n), head first
 *     set:        var count,  then count x member (var+n)
 *     sorted set: var count,  then count x (member var+n, score as 8-byte IEEE 754 double)
 *
 * end (13 bytes)
 *       1 byte   type         0xFF
 *       8        key count    records written
 *       4        CRC          CRC32C of every byte of the file before this field
 * </pre>
 *
 * <p>Big-endian. A snapshot is written to a temporary file and renamed into place only when
 * complete, then named by the manifest; a file without a valid end record or CRC is corrupt,
 * never partly loaded. Keys already expired at load time are dropped on load.
 */
public final class SnapshotFormat {
    public static final int MAGIC = 0x4344_534E;
    public static final short VERSION = 1;
    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 4;
    public static final int ID_OFFSET = 8;
    public static final int SEQUENCE_OFFSET = 16;
    public static final int CREATED_AT_OFFSET = 24;
    public static final int HEADER_SIZE = 32;

    public static final byte TYPE_STRING = 1;
    public static final byte TYPE_HASH = 2;
    public static final byte TYPE_LIST = 3;
    public static final byte TYPE_SET = 4;
    public static final byte TYPE_SORTED_SET = 5;
    public static final byte TYPE_END = (byte) 0xFF;
    /** Type byte, key count, CRC. */
    public static final int END_SIZE = 1 + 8 + 4;

    public static final long NO_DEADLINE = -1;

    private SnapshotFormat() {
    }
}
