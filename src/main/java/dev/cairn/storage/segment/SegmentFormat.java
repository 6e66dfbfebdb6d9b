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
 *
 * <p>Replacing segments (compaction): consecutive sealed segments {@code [b, e)} (every segment
 * whose base is {@code >= b} and {@code < e}, where {@code e} is the base of the segment after
 * them) are replaced by one segment of base {@code b}, in four steps, each made durable by a
 * directory fsync before the next:
 * <pre>
 * 1. write and fsync  &lt;b&gt;&lt;suffix&gt;.cleaned                       (the new segment)
 * 2. rename it to     &lt;b&gt;&lt;suffix&gt;.&lt;e as 20 digits&gt;.swap          (the commit point)
 * 3. delete the replaced segments but b, and the owner's companion files of all of them
 *    (e.g. the log's indexes)
 * 4. rename the .swap over &lt;b&gt;&lt;suffix&gt;   (or, if it holds no entries and b is not
 *    the first segment, delete &lt;b&gt;&lt;suffix&gt; and then the .swap: nothing is left)
 * </pre>
 * Recovery on open, before the segments are read: a {@code .cleaned} file is deleted (the
 * replacement never committed; the old segments stand); a {@code .swap} completes its
 * replacement: every segment and companion file with a base in {@code [b, e)} is deleted and the
 * {@code .swap} renamed to {@code <b><suffix>}. So a crash at any step leaves either the old
 * segments or the new one, never a mix. Adapted from Kafka's log cleaner, whose {@code .swap}
 * covers the offsets up to its last record; here the name carries {@code e}, so the storage
 * layer needs no knowledge of the payloads to know what a swap replaces.
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

    /** Suffix, after the segment's own name, of a replacement being written (see the class comment). */
    public static final String CLEANED_SUFFIX = ".cleaned";
    /** Suffix of a committed replacement not yet renamed into place (see the class comment). */
    public static final String SWAP_SUFFIX = ".swap";

    /** The name a replacement segment of base {@code base} is written under. */
    public static String cleanedFileName(long base, String suffix) {
        return fileName(base, suffix) + CLEANED_SUFFIX;
    }

    /** The name of a committed replacement of base {@code base} for the segments below {@code end}. */
    public static String swapFileName(long base, long end, String suffix) {
        return fileName(base, suffix) + "." + fileName(end, SWAP_SUFFIX);
    }

    /**
     * The base and end of a swap file's name ({@link #swapFileName}), or null if the name is not
     * one with this suffix.
     */
    public static long[] parseSwap(String fileName, String suffix) {
        int split = NAME_DIGITS + suffix.length();
        if (fileName.length() != split + 1 + NAME_DIGITS + SWAP_SUFFIX.length() || fileName.charAt(split) != '.') {
            return null;
        }
        long base = parseBase(fileName.substring(0, split), suffix);
        long end = parseBase(fileName.substring(split + 1), SWAP_SUFFIX);
        return base < 0 || end <= base ? null : new long[] {base, end};
    }

    /** Whether {@code fileName} is a replacement being written ({@link #cleanedFileName}) with this suffix. */
    public static boolean isCleaned(String fileName, String suffix) {
        return fileName.endsWith(CLEANED_SUFFIX)
                && parseBase(fileName.substring(0, fileName.length() - CLEANED_SUFFIX.length()), suffix) >= 0;
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
