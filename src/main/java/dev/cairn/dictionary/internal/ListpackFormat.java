package dev.cairn.dictionary.internal;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Redis's listpack: the packed sequence of strings and integers inside DUMP payloads of small
 * hashes (type 16), small sorted sets (17) and the nodes of lists (18), as Redis 7.0's
 * {@code listpack.c} lays it out. Read for RESTORE; written (strings only) for the list nodes of
 * DUMP.
 *
 * <pre>
 * listpack := total-bytes(4) count(2) entry* 0xFF         little-endian; count 65535 = unknown
 * entry    := encoding [data] backlen
 *
 *   encoding byte   meaning                              size of encoding + data
 *   0xxxxxxx        unsigned 7-bit integer x             1
 *   10LLLLLL        string of L (6 bits) bytes           1 + L
 *   110xxxxx y      13-bit two's complement (x:5, y:8)   2
 *   1110LLLL L      string of L (12 bits) bytes          2 + L
 *   11110000 L(4)   string of L (32-bit LE) bytes        5 + L
 *   11110001        16-bit LE integer                    3
 *   11110010        24-bit LE integer                    4
 *   11110011        32-bit LE integer                    5
 *   11110100        64-bit LE integer                    9
 * </pre>
 *
 * <p>{@code backlen} holds the size of encoding + data for walking backwards: 1 byte up to 127,
 * 2 below 16383, 3 below 2^21 - 1, 4 below 2^28 - 1, else 5; each byte carries 7 bits, most
 * significant group first, every byte but the first with its high bit set. A reader walking
 * forwards only needs its size. Integers are returned as their decimal text, as Redis returns
 * them.
 *
 * <p>Stateless; thread-safe.
 */
final class ListpackFormat {
    static final int HEADER_SIZE = 6;
    static final int TOTAL_BYTES_OFFSET = 0;
    static final int COUNT_OFFSET = 4;
    static final int END = 0xFF;
    /** The count field's value when the count does not fit. */
    static final int UNKNOWN_COUNT = 0xFFFF;

    private static final int STRING_6BIT = 0x80;
    private static final int STRING_12BIT = 0xE0;
    private static final int STRING_32BIT = 0xF0;
    private static final int INT_16BIT = 0xF1;
    private static final int INT_24BIT = 0xF2;
    private static final int INT_32BIT = 0xF3;
    private static final int INT_64BIT = 0xF4;

    private ListpackFormat() {
    }

    /** The size of the backlen field after an entry whose encoding and data take {@code size} bytes. */
    static int backlenSize(long size) {
        if (size <= 127) {
            return 1;
        } else if (size < 16_383) {
            return 2;
        } else if (size < 2_097_151) {
            return 3;
        } else if (size < 268_435_455) {
            return 4;
        }
        return 5;
    }

    /**
     * Every entry of a listpack, in order.
     *
     * @return the entries, or null if {@code blob} is not a well-formed listpack (header total
     *         not its length, an entry past the end, an unknown encoding, a count that does not
     *         match, no terminator)
     */
    static List<byte[]> read(byte[] blob) {
        if (blob.length < HEADER_SIZE + 1 || DumpFormat.le32(blob, TOTAL_BYTES_OFFSET) != blob.length
                || (blob[blob.length - 1] & 0xFF) != END) {
            return null;
        }
        int declared = DumpFormat.le16(blob, COUNT_OFFSET);
        List<byte[]> entries = new ArrayList<>(Math.min(declared, blob.length));
        int pos = HEADER_SIZE;
        int last = blob.length - 1;
        while (pos < last) {
            int e = blob[pos] & 0xFF;
            long size;
            byte[] entry;
            if ((e & 0x80) == 0) {
                size = 1;
                entry = Numbers.format(e);
            } else if ((e & 0xC0) == STRING_6BIT) {
                size = 1 + (e & 0x3F);
                entry = slice(blob, pos + 1, size - 1, last);
            } else if ((e & 0xE0) == 0xC0) {
                if (pos + 2 > last) {
                    return null;
                }
                int v = ((e & 0x1F) << 8) | (blob[pos + 1] & 0xFF);
                size = 2;
                entry = Numbers.format(v >= 1 << 12 ? v - (1 << 13) : v);
            } else if ((e & 0xF0) == STRING_12BIT) {
                if (pos + 2 > last) {
                    return null;
                }
                long length = ((e & 0x0F) << 8) | (blob[pos + 1] & 0xFF);
                size = 2 + length;
                entry = slice(blob, pos + 2, length, last);
            } else if (e == STRING_32BIT) {
                if (pos + 5 > last) {
                    return null;
                }
                long length = DumpFormat.le32(blob, pos + 1) & 0xFFFF_FFFFL;
                size = 5 + length;
                entry = slice(blob, pos + 5, length, last);
            } else if (e >= INT_16BIT && e <= INT_64BIT) {
                int bytes = e == INT_16BIT ? 2 : e == INT_24BIT ? 3 : e == INT_32BIT ? 4 : 8;
                if (pos + 1 + bytes > last) {
                    return null;
                }
                size = 1 + bytes;
                entry = Numbers.format(DumpFormat.signedLe(blob, pos + 1, bytes));
            } else {
                return null;
            }
            if (entry == null) {
                return null;
            }
            entries.add(entry);
            pos += (int) (size + backlenSize(size));
        }
        if (pos != last || declared != UNKNOWN_COUNT && declared != entries.size()) {
            return null;
        }
        return entries;
    }

    private static byte[] slice(byte[] blob, int from, long length, int limit) {
        if (from + length > limit) {
            return null;
        }
        byte[] copy = new byte[(int) length];
        System.arraycopy(blob, from, copy, 0, copy.length);
        return copy;
    }

    /** A listpack of the given strings, each written as a string entry (Redis reads them back as written). */
    static byte[] write(List<byte[]> strings) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(0);
        out.write(0);
        out.write(0);
        int count = Math.min(strings.size(), UNKNOWN_COUNT);
        out.write(count & 0xFF);
        out.write(count >>> 8);
        for (byte[] s : strings) {
            long size;
            if (s.length < 64) {
                out.write(STRING_6BIT | s.length);
                size = 1 + s.length;
            } else if (s.length < 4096) {
                out.write(STRING_12BIT | (s.length >>> 8));
                out.write(s.length & 0xFF);
                size = 2 + s.length;
            } else {
                out.write(STRING_32BIT);
                DumpFormat.writeLe(out, s.length, 4);
                size = 5 + s.length;
            }
            out.write(s, 0, s.length);
            writeBacklen(out, size);
        }
        out.write(END);
        byte[] blob = out.toByteArray();
        blob[0] = (byte) blob.length;
        blob[1] = (byte) (blob.length >>> 8);
        blob[2] = (byte) (blob.length >>> 16);
        blob[3] = (byte) (blob.length >>> 24);
        return blob;
    }

    /** The bytes an entry of string {@code s} takes in a listpack, backlen included. */
    static long entrySize(byte[] s) {
        long size = (s.length < 64 ? 1 : s.length < 4096 ? 2 : 5) + (long) s.length;
        return size + backlenSize(size);
    }

    private static void writeBacklen(ByteArrayOutputStream out, long size) {
        int groups = backlenSize(size);
        for (int i = groups - 1; i >= 0; i--) {
            int bits = (int) ((size >>> (7 * i)) & 0x7F);
            out.write(i == groups - 1 ? bits : bits | 0x80);
        }
    }
}
