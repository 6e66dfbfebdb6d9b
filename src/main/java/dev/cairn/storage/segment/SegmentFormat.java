package dev.cairn.storage.segment;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The layout of a segment file. No other class hard-codes an offset into one.
 *
 * <pre>
 * segment file  := header entry*
 * file name     := base as 20 decimal digits, zero-padded, then the owner's suffix
 *                  (e.g. 00000000000000000042.log)
 *
 * header (20 bytes)
 *  offset  size  field
 *       0     4  magic          0x43524E53 ("CRNS")
 *       4     2  version        1
 *       6     2  reserved       0
 *       8     8  base           the number in the file name (a base offset or position)
 *      16     4  header CRC     CRC32C of bytes 0..15
 *
 * entry (8 + n bytes)
 *  offset  size  field
 *       0     4  length n       payload bytes, 0 &lt;= n &lt;= the owner's max entry size
 *       4     4  CRC            CRC32C of the 4 length bytes followed by the n payload bytes
 *       8     n  payload        opaque to the storage layer
 * </pre>
 *
 * <p>All integers are big-endian. The CRC covers the length, so a damaged length is caught
 * like a damaged payload, and a run of zeros never passes for an entry (the CRC32C of four zero
 * bytes is not zero).
 *
 * <p>Invariant: entries are contiguous from {@link #HEADER_SIZE} to the end of the file; an
 * entry's position is the byte position of its length field.
 *
 * <p>A torn tail is recognised by what follows it: the last segment is scanned on an unclean
 * open, and at the first invalid entry (short header, impossible length, frame past the end of
 * the file, or CRC mismatch) zero bytes up to the end (space a file system can show after a power
 * loss) are cut off without a report; otherwise the rest of the file, up to its last non-zero byte, is searched for any
 * valid entry. If there is
 * none, the invalid entry was the last thing written: it and everything after it are truncated
 * and reported. If there is one, the damage lies before the tail: the open fails with the file
 * and position, unless the owner asked to truncate there. Older segments were fsynced when they
 * were rolled and are not scanned on open; a read checks the CRC of every entry whose contents
 * it uses, and may pass over the entries before those on their framing alone
 * ({@link SegmentScanner#checkCrcs(boolean)}, {@link SegmentScanner#crcProblem()}).
 */
public final class SegmentFormat {
    public static final int MAGIC = 0x43524E53;
    public static final short VERSION = 1;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 4;
    public static final int BASE_OFFSET = 8;
    public static final int HEADER_CRC_OFFSET = 16;
    public static final int HEADER_SIZE = 20;

    public static final int LENGTH_OFFSET = 0;
    public static final int CRC_OFFSET = 4;
    public static final int PAYLOAD_OFFSET = 8;
    /** Bytes an entry adds around its payload. */
    public static final int FRAME_OVERHEAD = 8;

    public static final int NAME_DIGITS = 20;

    private SegmentFormat() {
    }

    /** The file name of the segment whose first entry is numbered {@code base}. */
    public static String fileName(long base, String suffix) {
        if (base < 0) {
            throw new IllegalArgumentException("segment base must be >= 0, was " + base);
        }
        String digits = Long.toString(base);
        return "0".repeat(NAME_DIGITS - digits.length()) + digits + suffix;
    }

    /** The base in a segment file name, or -1 if the name is not one of ours with this suffix. */
    public static long parseBase(String fileName, String suffix) {
        if (fileName.length() != NAME_DIGITS + suffix.length() || !fileName.endsWith(suffix)) {
            return -1;
        }
        long base = 0;
        for (int i = 0; i < NAME_DIGITS; i++) {
            char c = fileName.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            base = base * 10 + (c - '0');
            if (base < 0) {
                return -1;
            }
        }
        return base;
    }

    /** A fresh header for a segment of the given base. */
    public static ByteBuffer header(long base) {
        ByteBuffer header = ByteBuffer.allocate(HEADER_SIZE);
        header.putInt(MAGIC_OFFSET, MAGIC);
        header.putShort(VERSION_OFFSET, VERSION);
        header.putLong(BASE_OFFSET, base);
        header.putInt(HEADER_CRC_OFFSET, crc(header, 0, HEADER_CRC_OFFSET));
        return header;
    }

    /** The CRC32C of {@code length} bytes of {@code buffer} from {@code from}, not moving it. */
    public static int crc(ByteBuffer buffer, int from, int length) {
        CRC32C crc = new CRC32C();
        crc.update(buffer.duplicate().limit(from + length).position(from));
        return (int) crc.getValue();
    }

    /** The CRC stored in an entry: over the 4-byte length, then the payload's remaining bytes. */
    public static int entryCrc(int length, ByteBuffer payload) {
        CRC32C crc = new CRC32C();
        crc.update(length >>> 24);
        crc.update(length >>> 16);
        crc.update(length >>> 8);
        crc.update(length);
        crc.update(payload.duplicate());
        return (int) crc.getValue();
    }
}
