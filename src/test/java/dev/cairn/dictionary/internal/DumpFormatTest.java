package dev.cairn.dictionary.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.dictionary.BinaryKeys;
import dev.cairn.dictionary.DumpPayloadException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The DUMP payload format without a server: the CRC's check value, payloads copied from Redis
 * 7.0, and the packed encodings Redis 7.0 no longer writes but still loads (ziplist, zipmap, the
 * integer forms of listpack entries), built here byte by byte.
 */
class DumpFormatTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static List<String> texts(List<byte[]> entries) {
        List<String> out = new ArrayList<>();
        entries.forEach(e -> out.add(new String(e, StandardCharsets.ISO_8859_1)));
        return out;
    }

    /** Wraps an RDB object in the footer: version and CRC-64 over everything before the CRC. */
    static byte[] payload(byte[] body) {
        byte[] payload = Arrays.copyOf(body, body.length + DumpFormat.FOOTER_SIZE);
        payload[body.length] = DumpFormat.RDB_VERSION;
        long crc = Crc64.update(0, payload, 0, body.length + 2);
        for (int i = 0; i < 8; i++) {
            payload[body.length + 2 + i] = (byte) (crc >>> (8 * i));
        }
        return payload;
    }

    private static byte[] withString(int type, byte[] blob) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(type);
        DumpFormat.writeLength(out, blob.length);
        out.write(blob, 0, blob.length);
        return out.toByteArray();
    }

    @Test
    void crc64HasTheJonesCheckValue() {
        assertThat(Crc64.update(0, b("123456789"), 0, 9)).isEqualTo(0xe9c6d914c4b8d9caL);
    }

    @Test
    void redisPayloadsCopiedFromRedis7Restore() {
        // DUMP of SET s1 hello, and of SET s3 with 100 'a's (LZF), as redis-server 7.0.15 printed them.
        byte[] hello = b("\u0000\u0005hello\n\u0000cr\u00dfve4 \n");
        assertThat((byte[]) DumpFormat.restore(hello)).isEqualTo(b("hello"));
        byte[] compressed = b("\u0000\u00c3\t@d\u0001aa\u00e0W\u0000\u0001aa\n\u0000\u00e8\u00a3\u00b5\u0007\u00b0m\u00f2q");
        assertThat((byte[]) DumpFormat.restore(compressed)).isEqualTo(b("a".repeat(100)));
    }

    @Test
    void listpackEntriesOfEveryEncodingReadAsText() {
        ByteArrayOutputStream lp = new ByteArrayOutputStream();
        for (int i = 0; i < 6; i++) {
            lp.write(0);
        }
        int[][] entries = {
            {0x05, 1},                                   // 7-bit 5
            {0xC0 | 0x1F, 0xFF, 2},                      // 13-bit -1
            {0xF1, 0x00, 0x80, 3},                       // int16 -32768
            {0xF2, 0x00, 0x00, 0x80, 4},                 // int24 -8388608
            {0xF3, 0xFF, 0xFF, 0xFF, 0x7F, 5},           // int32 2147483647
            {0xF4, 1, 0, 0, 0, 0, 0, 0, 0x80, 9},        // int64 min + 1
        };
        for (int[] entry : entries) {
            for (int x : entry) {
                lp.write(x);
            }
        }
        byte[] text = b("t".repeat(100));
        lp.write(0xE0);
        lp.write(100);
        lp.write(text, 0, text.length);
        lp.write(102);
        lp.write(0xFF);
        byte[] blob = lp.toByteArray();
        blob[0] = (byte) blob.length;
        blob[4] = 7;
        assertThat(texts(ListpackFormat.read(blob))).containsExactly("5", "-1", "-32768", "-8388608", "2147483647",
                "-9223372036854775807", "t".repeat(100));
        blob[4] = 8;
        assertThat(ListpackFormat.read(blob)).as("a count that does not match").isNull();
        List<byte[]> strings = List.of(b(""), b("x".repeat(63)), b("y".repeat(64)), b("z".repeat(5000)));
        assertThat(texts(ListpackFormat.read(ListpackFormat.write(strings)))).isEqualTo(texts(strings));
    }

    @Test
    void ziplistAndZipmapPayloadsOfOlderRedisVersionsRestore() {
        // Ziplist: "a", the immediate 4, int8 -5, int16 300.
        byte[] zl = {0, 0, 0, 0, 0, 0, 0, 0, 4, 0,
            0, 0x01, 'a',
            3, (byte) 0xF5,
            2, (byte) 0xFE, (byte) 0xFB,
            3, (byte) 0xC0, 0x2C, 0x01,
            (byte) 0xFF};
        zl[0] = (byte) zl.length;
        Object list = DumpFormat.restore(payload(withString(DumpFormat.TYPE_LIST_ZIPLIST, zl)));
        assertThat(list).isInstanceOf(ListValue.class);
        ListValue l = (ListValue) list;
        List<String> elements = new ArrayList<>();
        for (int i = 0; i < l.size(); i++) {
            elements.add(new String(l.get(i), StandardCharsets.ISO_8859_1));
        }
        assertThat(elements).containsExactly("a", "4", "-5", "300");

        byte[] zipmap = {1, 1, 'f', 2, 1, 'v', 'w', 0, (byte) 0xFF};
        HashValue hash = (HashValue) DumpFormat.restore(payload(withString(DumpFormat.TYPE_HASH_ZIPMAP, zipmap)));
        assertThat(hash.fields.find("f").value).isEqualTo(b("vw"));
    }

    @Test
    void everyTruncationOfAValidValueIsRefusedAsBadData() {
        HashValue hash = new HashValue();
        hash.fields.insert(new Node<>("field", b("value".repeat(30))));
        byte[] dumped = DumpFormat.dump(hash);
        byte[] body = Arrays.copyOf(dumped, dumped.length - DumpFormat.FOOTER_SIZE);
        for (int length = 0; length < body.length; length++) {
            byte[] cut = payload(Arrays.copyOf(body, length));
            assertThatThrownBy(() -> DumpFormat.restore(cut)).as("cut to %d bytes", length)
                    .isInstanceOfSatisfying(DumpPayloadException.class, e -> assertThat(e.reason())
                            .isEqualTo(DumpPayloadException.Reason.BAD_DATA_FORMAT));
        }
    }

    @Test
    void aHashFieldOfAnyBytesIsReadAsBinaryKeysNameIt() {
        byte[] body = {(byte) DumpFormat.TYPE_HASH, 1, 1, (byte) 0xFF, 1, 'v'};
        HashValue hash = (HashValue) DumpFormat.restore(payload(body));
        String field = BinaryKeys.fromBytes(new byte[] {(byte) 0xFF});
        assertThat(hash.fields.find(field)).isNotNull();
        assertThat(BinaryKeys.toBytes(field)).containsExactly(0xFF);
    }
}
