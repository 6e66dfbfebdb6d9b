package dev.cairn.dictionary.internal;

import dev.cairn.dictionary.BinaryKeys;
import dev.cairn.dictionary.DumpPayloadException.Reason;
import dev.cairn.dictionary.DumpPayloadException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The payload of DUMP and RESTORE: one value serialized as Redis 7.0 serializes it, so a key can
 * move between Redis and Cairn in either direction. It is an RDB object followed by a footer:
 *
 * <pre>
 * payload := type(1) value version(2) crc(8)
 *   version: RDB version, 16-bit little-endian; Redis 7.0 writes 10 and refuses anything newer
 *   crc:     CRC-64/Jones ({@link Crc64}) of every byte before it, 64-bit little-endian
 *
 * length := 00LLLLLL                  6-bit length
 *         | 01LLLLLL LLLLLLLL         14-bit length, big-endian
 *         | 0x80 L(4)                 32-bit length, big-endian
 *         | 0x81 L(8)                 64-bit length, big-endian
 * string := length bytes
 *         | 0xC0 int8 | 0xC1 int16 LE | 0xC2 int32 LE         an integer, read as its decimal text
 *         | 0xC3 clen:length len:length lzf(clen)              LZF-compressed ({@link Lzf})
 *
 * type  value
 *   0   string
 *   1   list:          count:length, count x string (head first)
 *   2   set:           count:length, count x string
 *   3   sorted set:    count:length, count x (member string, score as 1-byte length + ASCII;
 *                      length 253 NaN, 254 +inf, 255 -inf)
 *   4   hash:          count:length, count x (field string, value string)
 *   5   sorted set:    count:length, count x (member string, score as 8-byte LE double)
 *   9   hash:          string holding a zipmap ({@link ZiplistFormat})
 *  10   list:          string holding a ziplist
 *  11   set:           string holding an intset: encoding(4 LE: 2, 4 or 8) count(4 LE), count
 *                      signed LE integers of that width, ascending
 *  12   sorted set:    string holding a ziplist of member, score, member, score, ...
 *  13   hash:          string holding a ziplist of field, value, ...
 *  14   list:          count:length, count x string holding a ziplist (quicklist nodes)
 *  16   hash:          string holding a listpack ({@link ListpackFormat}) of field, value, ...
 *  17   sorted set:    string holding a listpack of member, score, ...
 *  18   list:          count:length, count x (container:length, string): container 1 = one
 *                      plain element, 2 = a listpack of elements (quicklist 2 nodes)
 * </pre>
 *
 * <p>RESTORE reads every type above; streams (15, 19) and modules (6, 7) have no Cairn type and
 * are refused as bad data. What the footer vouches for is still checked while reading: every
 * length against the bytes left, LZF output against its declared length, packed encodings
 * against their headers; an empty collection, a duplicate member or field and a NaN score are
 * refused. Hash fields of any bytes are read as {@link BinaryKeys} names them. As in Redis, bytes after
 * the value and before the footer are ignored.
 *
 * <p>DUMP writes strings as type 0 (integers of up to 11 characters in the integer forms, as
 * Redis does, never compressed), hashes as type 4, sets as type 2, sorted sets as type 5 and
 * lists as type 18 with listpack nodes of up to {@value #LIST_NODE_BYTES} bytes (Redis's default
 * {@code list-max-listpack-size -2}), all with version {@value #RDB_VERSION}.
 *
 * <p>Stateless; thread-safe. Errors are {@link DumpPayloadException}s.
 */
final class DumpFormat {
    /** The RDB version Redis 7.0 writes and the newest it reads. */
    static final int RDB_VERSION = 10;
    static final int VERSION_SIZE = 2;
    static final int CRC_SIZE = 8;
    static final int FOOTER_SIZE = VERSION_SIZE + CRC_SIZE;

    static final int TYPE_STRING = 0;
    static final int TYPE_LIST = 1;
    static final int TYPE_SET = 2;
    static final int TYPE_ZSET = 3;
    static final int TYPE_HASH = 4;
    static final int TYPE_ZSET_2 = 5;
    static final int TYPE_HASH_ZIPMAP = 9;
    static final int TYPE_LIST_ZIPLIST = 10;
    static final int TYPE_SET_INTSET = 11;
    static final int TYPE_ZSET_ZIPLIST = 12;
    static final int TYPE_HASH_ZIPLIST = 13;
    static final int TYPE_LIST_QUICKLIST = 14;
    static final int TYPE_HASH_LISTPACK = 16;
    static final int TYPE_ZSET_LISTPACK = 17;
    static final int TYPE_LIST_QUICKLIST_2 = 18;

    static final int LENGTH_6BIT = 0;
    static final int LENGTH_14BIT = 1;
    static final int LENGTH_32BIT = 0x80;
    static final int LENGTH_64BIT = 0x81;
    static final int ENCODED = 3;
    static final int ENCODED_INT8 = 0;
    static final int ENCODED_INT16 = 1;
    static final int ENCODED_INT32 = 2;
    static final int ENCODED_LZF = 3;

    static final int QUICKLIST_PLAIN = 1;
    static final int QUICKLIST_PACKED = 2;
    static final int SCORE_NAN = 253;
    static final int SCORE_POSITIVE_INFINITY = 254;
    static final int SCORE_NEGATIVE_INFINITY = 255;
    static final int INTSET_HEADER_SIZE = 8;
    /** The largest listpack node DUMP writes for a list (Redis's 8 KiB node limit). */
    static final int LIST_NODE_BYTES = 8192;

    private DumpFormat() {
    }

    // ---------------------------------------------------------------- footer

    /**
     * Checks the footer as Redis's {@code verifyDumpPayload}: long enough, a version Redis 7.0
     * reads, and a matching checksum.
     *
     * @throws DumpPayloadException ({@link Reason#VERSION_OR_CHECKSUM}) otherwise
     */
    static void verify(byte[] payload) {
        if (payload.length < FOOTER_SIZE) {
            throw wrong("payload of " + payload.length + " bytes is shorter than its " + FOOTER_SIZE + "-byte footer");
        }
        int footer = payload.length - FOOTER_SIZE;
        int version = le16(payload, footer);
        if (version > RDB_VERSION) {
            throw wrong("RDB version " + version + " is newer than " + RDB_VERSION);
        }
        long expected = Crc64.update(0, payload, 0, payload.length - CRC_SIZE);
        long found = signedLe(payload, footer + VERSION_SIZE, CRC_SIZE);
        if (expected != found) {
            throw wrong(String.format("CRC-64 is %016x, the footer says %016x", expected, found));
        }
    }

    private static DumpPayloadException wrong(String detail) {
        return new DumpPayloadException(Reason.VERSION_OR_CHECKSUM, detail);
    }

    private static DumpPayloadException bad(String detail) {
        return new DumpPayloadException(Reason.BAD_DATA_FORMAT, detail);
    }

    // ---------------------------------------------------------------- DUMP

    /** The payload of a stored value (a {@code byte[]} string or a collection). */
    static byte[] dump(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (value instanceof byte[] string) {
            out.write(TYPE_STRING);
            writeString(out, string);
        } else if (value instanceof HashValue hash) {
            out.write(TYPE_HASH);
            writeLength(out, hash.fields.size());
            hash.fields.forEach(node -> {
                writeString(out, BinaryKeys.toBytes(node.key));
                writeString(out, node.value);
            });
        } else if (value instanceof ListValue list) {
            List<byte[]> nodes = new ArrayList<>();
            List<byte[]> node = new ArrayList<>();
            long nodeBytes = ListpackFormat.HEADER_SIZE + 1;
            for (int i = 0; i < list.size(); i++) {
                byte[] element = list.get(i);
                long size = ListpackFormat.entrySize(element);
                if (!node.isEmpty() && nodeBytes + size > LIST_NODE_BYTES) {
                    nodes.add(ListpackFormat.write(node));
                    node.clear();
                    nodeBytes = ListpackFormat.HEADER_SIZE + 1;
                }
                node.add(element);
                nodeBytes += size;
            }
            nodes.add(ListpackFormat.write(node));
            out.write(TYPE_LIST_QUICKLIST_2);
            writeLength(out, nodes.size());
            for (byte[] blob : nodes) {
                writeLength(out, QUICKLIST_PACKED);
                writeString(out, blob);
            }
        } else if (value instanceof SetValue set) {
            out.write(TYPE_SET);
            writeLength(out, set.size());
            set.forEach(member -> writeString(out, member));
        } else if (value instanceof SortedSetValue sortedSet) {
            out.write(TYPE_ZSET_2);
            writeLength(out, sortedSet.size());
            sortedSet.forEach((member, score) -> {
                writeString(out, member);
                writeLe(out, Double.doubleToRawLongBits(score), 8);
            });
        } else {
            throw new IllegalStateException("no DUMP encoding for " + value.getClass().getName());
        }
        writeLe(out, RDB_VERSION, VERSION_SIZE);
        byte[] body = out.toByteArray();
        writeLe(out, Crc64.update(0, body, 0, body.length), CRC_SIZE);
        return out.toByteArray();
    }

    static void writeLength(ByteArrayOutputStream out, long length) {
        if (length < 1 << 6) {
            out.write((LENGTH_6BIT << 6) | (int) length);
        } else if (length < 1 << 14) {
            out.write((LENGTH_14BIT << 6) | (int) (length >>> 8));
            out.write((int) length & 0xFF);
        } else if (length <= 0xFFFF_FFFFL) {
            out.write(LENGTH_32BIT);
            writeBe(out, length, 4);
        } else {
            out.write(LENGTH_64BIT);
            writeBe(out, length, 8);
        }
    }

    /** A string, as an integer form when it is one of at most 11 characters that fits 32 bits (Redis's rule). */
    static void writeString(ByteArrayOutputStream out, byte[] s) {
        if (s.length <= 11) {
            Long number = Numbers.parseLong(s);
            if (number != null) {
                long v = number;
                if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
                    out.write((ENCODED << 6) | ENCODED_INT8);
                    writeLe(out, v, 1);
                    return;
                } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
                    out.write((ENCODED << 6) | ENCODED_INT16);
                    writeLe(out, v, 2);
                    return;
                } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                    out.write((ENCODED << 6) | ENCODED_INT32);
                    writeLe(out, v, 4);
                    return;
                }
            }
        }
        writeLength(out, s.length);
        out.write(s, 0, s.length);
    }

    // ---------------------------------------------------------------- RESTORE

    /**
     * The value a payload holds: a {@code byte[]} for a string, else a non-empty collection.
     *
     * @throws DumpPayloadException if the footer is wrong or the value cannot be read
     */
    static Object restore(byte[] payload) {
        verify(payload);
        Input in = new Input(payload, payload.length - FOOTER_SIZE);
        int type = in.u8();
        Object value = switch (type) {
            case TYPE_STRING -> in.string();
            case TYPE_LIST -> {
                ListValue list = new ListValue();
                for (long n = in.count(); n > 0; n--) {
                    list.addLast(in.string());
                }
                yield list;
            }
            case TYPE_SET -> {
                long n = in.count();
                SetValue set = new SetValue((int) n);
                for (; n > 0; n--) {
                    addMember(set, in.string());
                }
                yield set;
            }
            case TYPE_ZSET, TYPE_ZSET_2 -> {
                long n = in.count();
                SortedSetValue zset = new SortedSetValue((int) n);
                for (; n > 0; n--) {
                    byte[] member = in.string();
                    double score = type == TYPE_ZSET_2 ? Double.longBitsToDouble(in.le(8)) : in.textScore();
                    addScored(zset, member, score);
                }
                yield zset;
            }
            case TYPE_HASH -> {
                HashValue hash = new HashValue();
                for (long n = in.count(); n > 0; n--) {
                    addField(hash, in.string(), in.string());
                }
                yield hash;
            }
            case TYPE_HASH_ZIPMAP -> hash(ZiplistFormat.readZipmap(in.string()), "zipmap");
            case TYPE_HASH_ZIPLIST -> hash(ZiplistFormat.readZiplist(in.string()), "ziplist");
            case TYPE_HASH_LISTPACK -> hash(ListpackFormat.read(in.string()), "listpack");
            case TYPE_ZSET_ZIPLIST -> sortedSet(ZiplistFormat.readZiplist(in.string()), "ziplist");
            case TYPE_ZSET_LISTPACK -> sortedSet(ListpackFormat.read(in.string()), "listpack");
            case TYPE_SET_INTSET -> intset(in.string());
            case TYPE_LIST_ZIPLIST -> {
                ListValue list = new ListValue();
                appendAll(list, ZiplistFormat.readZiplist(in.string()), "ziplist");
                yield list;
            }
            case TYPE_LIST_QUICKLIST, TYPE_LIST_QUICKLIST_2 -> {
                ListValue list = new ListValue();
                for (long n = in.count(); n > 0; n--) {
                    long container = type == TYPE_LIST_QUICKLIST ? QUICKLIST_PACKED : in.length();
                    byte[] blob = in.string();
                    if (container == QUICKLIST_PLAIN) {
                        list.addLast(blob);
                    } else if (container != QUICKLIST_PACKED) {
                        throw bad("quicklist node container " + container + " is neither plain (1) nor packed (2)");
                    } else if (type == TYPE_LIST_QUICKLIST) {
                        appendAll(list, ZiplistFormat.readZiplist(blob), "ziplist");
                    } else {
                        appendAll(list, ListpackFormat.read(blob), "listpack");
                    }
                }
                yield list;
            }
            default -> throw bad("type " + type + " is not a value type Cairn holds (streams and module "
                    + "types have no Cairn counterpart)");
        };
        if (value instanceof CollectionValue collection && collection.isEmpty()) {
            throw bad("the payload holds an empty " + collection.type().redisName());
        }
        return value;
    }

    private static void appendAll(ListValue list, List<byte[]> entries, String encoding) {
        for (byte[] entry : entries(entries, encoding)) {
            list.addLast(entry);
        }
    }

    private static List<byte[]> entries(List<byte[]> entries, String encoding) {
        if (entries == null) {
            throw bad("malformed " + encoding);
        }
        return entries;
    }

    private static HashValue hash(List<byte[]> entries, String encoding) {
        entries(entries, encoding);
        if (entries.size() % 2 != 0) {
            throw bad(encoding + " of a hash holds " + entries.size() + " entries, not field-value pairs");
        }
        HashValue hash = new HashValue();
        for (int i = 0; i < entries.size(); i += 2) {
            addField(hash, entries.get(i), entries.get(i + 1));
        }
        return hash;
    }

    private static SortedSetValue sortedSet(List<byte[]> entries, String encoding) {
        entries(entries, encoding);
        if (entries.size() % 2 != 0) {
            throw bad(encoding + " of a sorted set holds " + entries.size() + " entries, not member-score pairs");
        }
        SortedSetValue zset = new SortedSetValue(entries.size() / 2);
        for (int i = 0; i < entries.size(); i += 2) {
            addScored(zset, entries.get(i), parseScore(new String(entries.get(i + 1), StandardCharsets.ISO_8859_1)));
        }
        return zset;
    }

    private static SetValue intset(byte[] blob) {
        if (blob.length < INTSET_HEADER_SIZE) {
            throw bad("intset of " + blob.length + " bytes is shorter than its header");
        }
        int width = le32(blob, 0);
        long count = le32(blob, 4) & 0xFFFF_FFFFL;
        if (width != 2 && width != 4 && width != 8 || INTSET_HEADER_SIZE + count * width != blob.length) {
            throw bad("intset of " + blob.length + " bytes declares " + count + " integers of " + width + " bytes");
        }
        SetValue set = new SetValue((int) count);
        for (int i = 0; i < count; i++) {
            addMember(set, Numbers.format(signedLe(blob, INTSET_HEADER_SIZE + i * width, width)));
        }
        return set;
    }

    private static void addMember(SetValue set, byte[] member) {
        if (!set.add(member)) {
            throw bad("duplicate set member");
        }
    }

    private static void addScored(SortedSetValue zset, byte[] member, double score) {
        if (Double.isNaN(score)) {
            throw bad("sorted-set member with a NaN score");
        }
        if (!Double.isNaN(zset.put(member, score))) {
            throw bad("duplicate sorted-set member");
        }
    }

    private static void addField(HashValue hash, byte[] field, byte[] value) {
        String name = BinaryKeys.fromBytes(field);
        if (hash.fields.find(name) != null) {
            throw bad("duplicate hash field");
        }
        hash.fields.insert(new Node<>(name, value));
    }

    /** A score written as text (RDB type 3, or a packed entry): what C's strtod reads, NaN if nothing. */
    static double parseScore(String text) {
        String t = text.strip().toLowerCase(java.util.Locale.ROOT);
        switch (t) {
            case "inf", "+inf", "infinity", "+infinity" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-inf", "-infinity" -> {
                return Double.NEGATIVE_INFINITY;
            }
            default -> {
                if (t.isEmpty() || !(Character.isDigit(t.charAt(t.length() - 1)) || t.endsWith("."))) {
                    return Double.NaN;
                }
                try {
                    return Double.parseDouble(t);
                } catch (NumberFormatException e) {
                    return Double.NaN;
                }
            }
        }
    }

    // ---------------------------------------------------------------- byte helpers

    static int le16(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    static int le32(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }

    static int be32(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }

    /** A signed little-endian integer of {@code bytes} bytes (1 to 8), sign-extended. */
    static long signedLe(byte[] b, int at, int bytes) {
        long v = 0;
        for (int i = bytes - 1; i >= 0; i--) {
            v = (v << 8) | (b[at + i] & 0xFF);
        }
        int shift = 64 - 8 * bytes;
        return (v << shift) >> shift;
    }

    static void writeLe(ByteArrayOutputStream out, long v, int bytes) {
        for (int i = 0; i < bytes; i++) {
            out.write((int) (v >>> (8 * i)) & 0xFF);
        }
    }

    static void writeBe(ByteArrayOutputStream out, long v, int bytes) {
        for (int i = bytes - 1; i >= 0; i--) {
            out.write((int) (v >>> (8 * i)) & 0xFF);
        }
    }

    /** A bounded reader of the RDB object before the footer. */
    private static final class Input {
        private final byte[] bytes;
        private final int end;
        private int pos;

        Input(byte[] bytes, int end) {
            this.bytes = bytes;
            this.end = end;
        }

        private void need(long n, String what) {
            if (n < 0 || n > end - pos) {
                throw bad(what + " of " + n + " bytes at position " + pos + " runs past the value's end ("
                        + end + ")");
            }
        }

        int u8() {
            need(1, "byte");
            return bytes[pos++] & 0xFF;
        }

        long le(int n) {
            need(n, "number");
            long v = signedLe(bytes, pos, n);
            pos += n;
            return v;
        }

        long be(int n) {
            need(n, "length");
            long v = 0;
            for (int i = 0; i < n; i++) {
                v = (v << 8) | (bytes[pos + i] & 0xFF);
            }
            pos += n;
            return v;
        }

        /** A length field; an encoded (11xxxxxx) one returns -1 - its encoding. */
        long lengthOrEncoding() {
            int first = u8();
            int kind = first >>> 6;
            if (kind == ENCODED) {
                return -1 - (first & 0x3F);
            } else if (kind == LENGTH_6BIT) {
                return first & 0x3F;
            } else if (kind == LENGTH_14BIT) {
                return ((first & 0x3F) << 8) | u8();
            } else if (first == LENGTH_32BIT) {
                return be(4);
            } else if (first == LENGTH_64BIT) {
                long length = be(8);
                if (length < 0) {
                    throw bad("64-bit length " + Long.toUnsignedString(length) + " is out of range");
                }
                return length;
            }
            throw bad(String.format("unknown length encoding 0x%02x at position %d", first, pos - 1));
        }

        long length() {
            long length = lengthOrEncoding();
            if (length < 0) {
                throw bad("an encoded string where a length belongs, at position " + (pos - 1));
            }
            return length;
        }

        /** A collection's element count: each element takes at least one byte, so at most the bytes left. */
        long count() {
            long count = length();
            need(count, "collection of " + count + " elements");
            return count;
        }

        byte[] string() {
            long length = lengthOrEncoding();
            if (length >= 0) {
                need(length, "string");
                byte[] s = new byte[(int) length];
                System.arraycopy(bytes, pos, s, 0, s.length);
                pos += s.length;
                return s;
            }
            int encoding = (int) (-1 - length);
            return switch (encoding) {
                case ENCODED_INT8 -> Numbers.format(le(1));
                case ENCODED_INT16 -> Numbers.format(le(2));
                case ENCODED_INT32 -> Numbers.format(le(4));
                case ENCODED_LZF -> {
                    long compressed = length();
                    long original = length();
                    need(compressed, "compressed string");
                    byte[] s = original > Integer.MAX_VALUE ? null
                            : Lzf.decompress(bytes, pos, (int) compressed, (int) original);
                    if (s == null) {
                        throw bad("LZF string of " + compressed + " bytes at position " + pos
                                + " does not decompress to its declared " + original + " bytes");
                    }
                    pos += (int) compressed;
                    yield s;
                }
                default -> throw bad("unknown string encoding " + encoding + " at position " + (pos - 1));
            };
        }

        /** A score of RDB type 3: a length byte (or a NaN/infinity code), then ASCII. */
        double textScore() {
            int length = u8();
            if (length == SCORE_NAN) {
                return Double.NaN;
            } else if (length == SCORE_POSITIVE_INFINITY) {
                return Double.POSITIVE_INFINITY;
            } else if (length == SCORE_NEGATIVE_INFINITY) {
                return Double.NEGATIVE_INFINITY;
            }
            need(length, "score");
            String text = new String(bytes, pos, length, StandardCharsets.ISO_8859_1);
            pos += length;
            return parseScore(text);
        }
    }
}
