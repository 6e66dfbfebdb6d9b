package dev.cairn.dictionary.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The packed encodings of RDB versions before 10 that Redis 7.0 still loads from DUMP payloads:
 * the ziplist (lists 10, sorted sets 12, hashes 13, and the nodes of quicklist lists 14) and the
 * zipmap (hashes 9). Read only: Cairn's DUMP never writes them.
 *
 * <pre>
 * ziplist := total-bytes(4) tail-offset(4) count(2) entry* 0xFF     little-endian; count 65535 = unknown
 * entry   := prevlen encoding data
 *   prevlen: 1 byte if below 254, else 0xFE and 4 bytes LE
 *   encoding byte   meaning
 *   00LLLLLL        string of L (6 bits) bytes
 *   01LLLLLL L      string of L (14 bits, big-endian) bytes
 *   10000000 L(4)   string of L (32-bit big-endian) bytes
 *   11000000        16-bit LE integer
 *   11010000        32-bit LE integer
 *   11100000        64-bit LE integer
 *   11110000        24-bit LE integer
 *   11111110        8-bit integer
 *   1111xxxx        integer xxxx - 1 (xxxx in 0001..1101, so 0..12)
 *
 * zipmap  := count(1) (len key len free value free-bytes)* 0xFF
 *   len: 1 byte if below 254, else 0xFE and 4 bytes LE; free: 1 byte, the unused bytes after value
 * </pre>
 *
 * <p>Integers are returned as their decimal text. Stateless; thread-safe.
 */
final class ZiplistFormat {
    static final int ZIPLIST_HEADER_SIZE = 10;
    static final int ZIPLIST_TOTAL_BYTES_OFFSET = 0;
    static final int END = 0xFF;
    static final int BIG_LENGTH = 0xFE;

    private ZiplistFormat() {
    }

    /**
     * Every entry of a ziplist, in order.
     *
     * @return the entries, or null if {@code blob} is not a well-formed ziplist
     */
    static List<byte[]> readZiplist(byte[] blob) {
        if (blob.length < ZIPLIST_HEADER_SIZE + 1 || DumpFormat.le32(blob, ZIPLIST_TOTAL_BYTES_OFFSET) != blob.length
                || (blob[blob.length - 1] & 0xFF) != END) {
            return null;
        }
        List<byte[]> entries = new ArrayList<>();
        int pos = ZIPLIST_HEADER_SIZE;
        int last = blob.length - 1;
        while (pos < last) {
            pos += (blob[pos] & 0xFF) < BIG_LENGTH ? 1 : 5;
            if (pos >= last) {
                return null;
            }
            int e = blob[pos] & 0xFF;
            long length;
            int header;
            switch (e >>> 6) {
                case 0 -> {
                    length = e & 0x3F;
                    header = 1;
                }
                case 1 -> {
                    if (pos + 2 > last) {
                        return null;
                    }
                    length = ((e & 0x3F) << 8) | (blob[pos + 1] & 0xFF);
                    header = 2;
                }
                case 2 -> {
                    if (e != 0x80 || pos + 5 > last) {
                        return null;
                    }
                    length = DumpFormat.be32(blob, pos + 1) & 0xFFFF_FFFFL;
                    header = 5;
                }
                default -> {
                    length = -1;
                    header = 1;
                }
            }
            if (length >= 0) {
                if (pos + header + length > last) {
                    return null;
                }
                byte[] s = new byte[(int) length];
                System.arraycopy(blob, pos + header, s, 0, s.length);
                entries.add(s);
                pos += header + (int) length;
                continue;
            }
            int bytes;
            long value;
            if (e == 0xC0) {
                bytes = 2;
            } else if (e == 0xD0) {
                bytes = 4;
            } else if (e == 0xE0) {
                bytes = 8;
            } else if (e == 0xF0) {
                bytes = 3;
            } else if (e == 0xFE) {
                bytes = 1;
            } else if (e >= 0xF1 && e <= 0xFD) {
                bytes = 0;
            } else {
                return null;
            }
            if (pos + 1 + bytes > last) {
                return null;
            }
            value = bytes == 0 ? (e & 0x0F) - 1 : DumpFormat.signedLe(blob, pos + 1, bytes);
            entries.add(Numbers.format(value));
            pos += 1 + bytes;
        }
        return pos == last ? entries : null;
    }

    /**
     * Every key and value of a zipmap, alternating.
     *
     * @return the entries, or null if {@code blob} is not a well-formed zipmap
     */
    static List<byte[]> readZipmap(byte[] blob) {
        List<byte[]> entries = new ArrayList<>();
        int pos = 1;
        while (true) {
            if (pos >= blob.length) {
                return null;
            }
            if ((blob[pos] & 0xFF) == END) {
                return pos == blob.length - 1 && entries.size() % 2 == 0 ? entries : null;
            }
            boolean value = entries.size() % 2 == 1;
            long length = blob[pos] & 0xFF;
            if (length == END) {
                return null;
            }
            if (length == BIG_LENGTH) {
                if (pos + 5 > blob.length) {
                    return null;
                }
                length = DumpFormat.le32(blob, pos + 1) & 0xFFFF_FFFFL;
                pos += 5;
            } else {
                pos += 1;
            }
            int free = 0;
            if (value) {
                if (pos >= blob.length) {
                    return null;
                }
                free = blob[pos++] & 0xFF;
            }
            if (pos + length + free > blob.length) {
                return null;
            }
            byte[] s = new byte[(int) length];
            System.arraycopy(blob, pos, s, 0, s.length);
            entries.add(s);
            pos += (int) length + free;
        }
    }
}
