package dev.cairn.dictionary.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SeededHashTest {
    /** The key of the reference test vectors: bytes 00 01 .. 0f, read as two little-endian words. */
    private static final long K0 = 0x0706050403020100L;
    private static final long K1 = 0x0f0e0d0c0b0a0908L;

    private static byte[] counting(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) i;
        }
        return bytes;
    }

    // The code takes its round counts as parameters, so SipHash-2-4's published vectors check the
    // structure (key setup, word order, last block, finalization) that SipHash-1-3 shares.
    @Test
    void sipHash24MatchesTheReferenceVectors() {
        assertThat(SeededHash.sipHash(K0, K1, counting(0), 2, 4)).isEqualTo(0x726fdb47dd0e0e31L);
        assertThat(SeededHash.sipHash(K0, K1, counting(1), 2, 4)).isEqualTo(0x74f839c593dc67fdL);
        // The paper's example: a 15-byte message 00 .. 0e.
        assertThat(SeededHash.sipHash(K0, K1, counting(15), 2, 4)).isEqualTo(0xa129ca6149be45e5L);
    }

    @Test
    void charsHashAsTheirUtf16LeBytes() {
        Random random = new Random(11);
        for (int length = 0; length < 40; length++) {
            StringBuilder text = new StringBuilder();
            while (text.length() < length) {
                char c = (char) random.nextInt(Character.MAX_VALUE + 1);
                // An unpaired surrogate has no UTF-16LE encoding (getBytes would replace it).
                if (!Character.isSurrogate(c)) {
                    text.append(c);
                }
            }
            String s = text.toString();
            byte[] utf16 = s.getBytes(StandardCharsets.UTF_16LE);
            for (int[] rounds : new int[][] {{1, 3}, {2, 4}}) {
                assertThat(SeededHash.sipHashChars(K0, K1, s, rounds[0], rounds[1]))
                        .as("length %d, SipHash-%d-%d", length, rounds[0], rounds[1])
                        .isEqualTo(SeededHash.sipHash(K0, K1, utf16, rounds[0], rounds[1]));
            }
            assertThat(SeededHash.ofChars(s)).isEqualTo(SeededHash.ofBytes(utf16));
        }
    }

    @Test
    void keysThatCollideUnderTheFastHashesDoNotUnderTheSeededOne() {
        List<String> keys = CollidingKeys.strings("", 10, 1024);
        Set<Integer> stringHashes = new HashSet<>();
        Set<Integer> seeded = new HashSet<>();
        Set<Integer> seededBytes = new HashSet<>();
        for (String key : keys) {
            stringHashes.add(key.hashCode());
            seeded.add(SeededHash.ofChars(key));
            seededBytes.add(SeededHash.ofBytes(key.getBytes(StandardCharsets.US_ASCII)));
        }
        assertThat(stringHashes).hasSize(1);
        // 1024 random 32-bit values: a collision has a probability of about 1 in 8,000.
        assertThat(seeded).hasSizeGreaterThan(1020);
        assertThat(seededBytes).hasSizeGreaterThan(1020);
    }
}
