package dev.cairn.dictionary.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.SecureRandom;

/**
 * SipHash-1-3 under a key drawn once per process from {@link SecureRandom}: the hash the
 * dictionary's tables switch to when a chain grows long enough to suggest keys chosen to collide
 * (see {@link StringTable} and {@link MemberTable}). Without the key, a client cannot tell which
 * of its keys will share a bucket, so it cannot build long chains on purpose, as it can under
 * {@code String.hashCode} ("Aa" and "BB" collide, and so does every concatenation of them).
 * Redis keys its dictionaries' SipHash the same way, from random bytes drawn at start-up.
 *
 * <p>Source of the algorithm: Jean-Philippe Aumasson and Daniel J. Bernstein, "SipHash: a fast
 * short-input PRF" (INDOCRYPT 2012), with one compression and three finalization rounds (the
 * "SipHash-1-3" variant, chosen for hash tables by Rust's standard library, among others, since
 * table keys are short and the security margin needed is against flooding, not forgery). The
 * message is read as little-endian 64-bit words, as the reference implementation does. The code
 * is written anew.
 *
 * <p>A {@code String} is hashed as its UTF-16LE bytes (two bytes per {@code char}), read
 * straight from its characters: {@code ofChars(s) == ofBytes(s.getBytes(UTF_16LE))}.
 *
 * <p>Thread-safe: stateless besides the key, which is fixed when the class initializes.
 */
final class SeededHash {
    private static final long K0;
    private static final long K1;

    static {
        SecureRandom random = new SecureRandom();
        K0 = random.nextLong();
        K1 = random.nextLong();
    }

    private static final VarHandle LONGS_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static final int COMPRESSION_ROUNDS = 1;
    private static final int FINALIZATION_ROUNDS = 3;

    private SeededHash() {
    }

    /** The keyed hash of a byte string, folded to 32 bits. */
    static int ofBytes(byte[] data) {
        return fold(sipHash(K0, K1, data, COMPRESSION_ROUNDS, FINALIZATION_ROUNDS));
    }

    /** The keyed hash of a string's characters (as UTF-16LE bytes), folded to 32 bits. */
    static int ofChars(String text) {
        return fold(sipHashChars(K0, K1, text, COMPRESSION_ROUNDS, FINALIZATION_ROUNDS));
    }

    private static int fold(long hash) {
        return (int) (hash ^ (hash >>> 32));
    }

    /** SipHash-c-d of {@code data} under the key (k0, k1), for tests against published vectors. */
    static long sipHash(long k0, long k1, byte[] data, int compressionRounds, int finalizationRounds) {
        long v0 = k0 ^ 0x736f6d6570736575L;
        long v1 = k1 ^ 0x646f72616e646f6dL;
        long v2 = k0 ^ 0x6c7967656e657261L;
        long v3 = k1 ^ 0x7465646279746573L;
        int length = data.length;
        int whole = length & ~7;
        for (int i = 0; i <= whole; i += 8) {
            long m;
            if (i < whole) {
                m = (long) LONGS_LE.get(data, i);
            } else {
                // The last word: the remaining 0 to 7 bytes, and the length's low byte on top.
                m = (long) length << 56;
                for (int j = length - 1; j >= i; j--) {
                    m |= (data[j] & 0xFFL) << (8 * (j - i));
                }
            }
            v3 ^= m;
            for (int r = 0; r < compressionRounds; r++) {
                v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
                v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
                v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
                v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
            }
            v0 ^= m;
        }
        v2 ^= 0xff;
        for (int r = 0; r < finalizationRounds; r++) {
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        return v0 ^ v1 ^ v2 ^ v3;
    }

    /** {@link #sipHash} of the UTF-16LE bytes of {@code text}, four characters to a word. */
    static long sipHashChars(long k0, long k1, String text, int compressionRounds, int finalizationRounds) {
        long v0 = k0 ^ 0x736f6d6570736575L;
        long v1 = k1 ^ 0x646f72616e646f6dL;
        long v2 = k0 ^ 0x6c7967656e657261L;
        long v3 = k1 ^ 0x7465646279746573L;
        int length = text.length();
        int whole = length & ~3;
        for (int i = 0; i <= whole; i += 4) {
            long m;
            if (i < whole) {
                m = text.charAt(i) | (long) text.charAt(i + 1) << 16
                        | (long) text.charAt(i + 2) << 32 | (long) text.charAt(i + 3) << 48;
            } else {
                // The last word: the remaining 0 to 3 characters, and the byte length's low byte on top.
                m = (long) (2 * length) << 56;
                for (int j = length - 1; j >= i; j--) {
                    m |= (long) text.charAt(j) << (16 * (j - i));
                }
            }
            v3 ^= m;
            for (int r = 0; r < compressionRounds; r++) {
                v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
                v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
                v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
                v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
            }
            v0 ^= m;
        }
        v2 ^= 0xff;
        for (int r = 0; r < finalizationRounds; r++) {
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        return v0 ^ v1 ^ v2 ^ v3;
    }
}
