package dev.cairn.dictionary.internal;

/**
 * Pure functions on strings as bit arrays, for the bitmap commands: counting, searching, and
 * reading and writing BITFIELD's big-endian integer fields with Redis's overflow rules. Bit 0 is
 * the most significant bit of byte 0; bits past the end of an array read as 0.
 *
 * <p>Stateless and thread-safe.
 */
final class Bits {
    private Bits() {
    }

    /** The bit at {@code offset}, 0 past the end. */
    static boolean get(byte[] bytes, long offset) {
        long index = offset >>> 3;
        return index < bytes.length && (bytes[(int) index] & (0x80 >>> (offset & 7))) != 0;
    }

    /** Sets or clears the bit at {@code offset}, which must be inside {@code bytes}. */
    static void set(byte[] bytes, long offset, boolean value) {
        int index = (int) (offset >>> 3);
        int mask = 0x80 >>> (offset & 7);
        bytes[index] = (byte) (value ? bytes[index] | mask : bytes[index] & ~mask);
    }

    /** The number of set bits from bit {@code first} to bit {@code last} inclusive, both inside {@code bytes}. */
    static long count(byte[] bytes, long first, long last) {
        int firstByte = (int) (first >>> 3);
        int lastByte = (int) (last >>> 3);
        // Whole bytes, then the bits of the edge bytes outside the range taken away.
        long count = 0;
        for (int i = firstByte; i <= lastByte; i++) {
            count += Integer.bitCount(bytes[i] & 0xFF);
        }
        count -= Integer.bitCount((bytes[firstByte] & 0xFF) >>> (8 - (first & 7)));
        count -= Integer.bitCount(bytes[lastByte] & (0xFF >>> ((last & 7) + 1)));
        return count;
    }

    /** The first position from bit {@code first} to bit {@code last} inclusive holding {@code bit}, or -1. */
    static long find(byte[] bytes, boolean bit, long first, long last) {
        int skip = bit ? 0 : 0xFF;
        long position = first;
        while (position <= last) {
            // Whole bytes that cannot hold the bit are passed over at once.
            if ((position & 7) == 0 && position + 7 <= last && (bytes[(int) (position >>> 3)] & 0xFF) == skip) {
                position += 8;
                continue;
            }
            if (get(bytes, position) == bit) {
                return position;
            }
            position++;
        }
        return -1;
    }

    // ---------------------------------------------------------------- BITFIELD fields

    /** The unsigned value of the {@code bits}-bit field at {@code offset} (bits past the end read as 0). */
    static long getUnsigned(byte[] bytes, long offset, int bits) {
        long value = 0;
        for (int i = 0; i < bits; i++) {
            value = value << 1 | (get(bytes, offset + i) ? 1 : 0);
        }
        return value;
    }

    /** The two's complement value of the {@code bits}-bit field at {@code offset}. */
    static long getSigned(byte[] bytes, long offset, int bits) {
        long value = getUnsigned(bytes, offset, bits);
        return bits == 64 ? value : value << (64 - bits) >> (64 - bits);
    }

    /** Writes the low {@code bits} bits of {@code value} at {@code offset}; the field must be inside {@code bytes}. */
    static void setField(byte[] bytes, long offset, int bits, long value) {
        for (int i = 0; i < bits; i++) {
            set(bytes, offset + i, (value >>> (bits - 1 - i) & 1) != 0);
        }
    }

    /**
     * The outcome of adding {@code increment} to a field value under an overflow policy: whether it
     * overflowed, and the value to store (for WRAP and SAT; meaningless for FAIL).
     */
    record Sum(boolean overflowed, long value) {
    }

    /**
     * Redis's unsigned overflow check (bitops.c, checkUnsignedBitfieldOverflow), on 64-bit two's
     * complement arithmetic as Redis's: {@code value} is read as unsigned (a SET of a negative
     * number is a value above the maximum), {@code increment} as signed.
     */
    static Sum addUnsigned(long value, long increment, int bits, boolean saturate) {
        long max = (1L << bits) - 1;
        long maxIncrement = max - value;
        long minIncrement = -value;
        if (Long.compareUnsigned(value, max) > 0 || increment > 0 && increment > maxIncrement) {
            return new Sum(true, saturate ? max : (value + increment) & max);
        }
        if (increment < 0 && increment < minIncrement) {
            return new Sum(true, saturate ? 0 : (value + increment) & max);
        }
        return new Sum(false, value + increment);
    }

    /**
     * Redis's signed overflow check (bitops.c, checkSignedBitfieldOverflow), kept with its
     * wrapping differences: for a SET of a value near Long.MIN_VALUE into a narrow field the
     * difference wraps and Redis saturates at the maximum, and so does this.
     */
    static Sum addSigned(long value, long increment, int bits, boolean saturate) {
        long max = bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
        long min = -max - 1;
        long maxIncrement = max - value;
        long minIncrement = min - value;
        if (value > max || bits != 64 && increment > maxIncrement
                || value >= 0 && increment > 0 && increment > maxIncrement) {
            return new Sum(true, saturate ? max : wrapSigned(value + increment, bits));
        }
        if (value < min || bits != 64 && increment < minIncrement
                || value < 0 && increment < 0 && increment < minIncrement) {
            return new Sum(true, saturate ? min : wrapSigned(value + increment, bits));
        }
        return new Sum(false, value + increment);
    }

    private static long wrapSigned(long sum, int bits) {
        return bits == 64 ? sum : sum << (64 - bits) >> (64 - bits);
    }
}
