package dev.cairn.dictionary;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BinaryKeysTest {

    @Test
    void everyByteStringSurvivesTheRoundTripAndNamesACanonicalKey() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        // Biased toward the bytes that make UTF-8 interesting: leads, continuations, ASCII.
        int[] pool = {0x00, 0x41, 0x7F, 0x80, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF, 0xA0, 0x9F, 0x8F, 0x90};
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes = new byte[random.nextInt(12)];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) (random.nextBoolean() ? pool[random.nextInt(pool.length)] : random.nextInt(256));
            }
            String key = BinaryKeys.fromBytes(bytes);
            assertThat(BinaryKeys.toBytes(key)).as("seed %d", seed).isEqualTo(bytes);
            assertThat(BinaryKeys.isCanonical(key)).as("seed %d", seed).isTrue();
        }
    }

    @Test
    void wellFormedUtf8ReadsAsTheJdkReadsIt() {
        for (String text : new String[] {"", "plain", "caf\u00e9", "\u20ac100", "\ud83d\ude00 smile", "\u0000\u007f"}) {
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            assertThat(BinaryKeys.fromBytes(utf8)).isEqualTo(text);
            assertThat(BinaryKeys.toBytes(text)).isEqualTo(utf8);
        }
    }

    @Test
    void malformedBytesBecomeEscapesOneByOne() {
        // an overlong '/', an encoded surrogate, a truncated sequence, a lone continuation
        assertThat(BinaryKeys.fromBytes(new byte[] {(byte) 0xC0, (byte) 0xAF})).isEqualTo("\udcc0\udcaf");
        assertThat(BinaryKeys.fromBytes(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})).isEqualTo("\udced\udca0\udc80");
        assertThat(BinaryKeys.fromBytes(new byte[] {'a', (byte) 0xE2, (byte) 0x82})).isEqualTo("a\udce2\udc82");
        assertThat(BinaryKeys.fromBytes(new byte[] {(byte) 0x80, 'b'})).isEqualTo("\udc80b");
        assertThat(BinaryKeys.fromBytes(new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80})).hasSize(4);
    }

    @Test
    void stringsThatNameNoByteStringAreNotCanonical() {
        assertThat(BinaryKeys.isCanonical("\ud800")).isFalse(); // unpaired high surrogate
        assertThat(BinaryKeys.isCanonical("\udc41")).isFalse(); // a low surrogate that escapes no byte
        assertThat(BinaryKeys.isCanonical("\udcc3\udca9")).isFalse(); // escapes of the UTF-8 of "é"
        assertThat(BinaryKeys.toBytes("a\ud800b")).isEqualTo(new byte[] {'a', '?', 'b'});
        assertThat(BinaryKeys.isCanonical("\udcff")).isTrue();
    }
}
