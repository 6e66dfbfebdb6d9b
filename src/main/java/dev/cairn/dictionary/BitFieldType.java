package dev.cairn.dictionary;

/**
 * The type of a BITFIELD field: signed ({@code i1} to {@code i64}) or unsigned ({@code u1} to
 * {@code u63}; a {@code u64} could not be answered as a 64-bit signed integer, so Redis refuses it
 * too). Fields are big-endian: the first bit of a field is its most significant.
 *
 * @param signed whether the field is two's complement
 * @param bits   the width, 1 to 64 (signed) or 1 to 63 (unsigned)
 */
public record BitFieldType(boolean signed, int bits) {
    private static final String INVALID =
            "Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";

    public BitFieldType {
        if (bits < 1 || bits > (signed ? 64 : 63)) {
            throw new IllegalArgumentException(INVALID + " Got " + (signed ? "i" : "u") + bits);
        }
    }

    /** A signed field of {@code bits} bits ({@code iN}). */
    public static BitFieldType signed(int bits) {
        return new BitFieldType(true, bits);
    }

    /** An unsigned field of {@code bits} bits ({@code uN}). */
    public static BitFieldType unsigned(int bits) {
        return new BitFieldType(false, bits);
    }

    /**
     * The type named as in Redis: {@code i} or {@code u} followed by the width in decimal.
     *
     * @throws IllegalArgumentException if {@code name} is not such a type
     */
    public static BitFieldType parse(String name) {
        // Redis reads the width as its integers: ASCII digits, no sign, no leading zero.
        if (name == null || name.length() < 2 || name.length() > 3 || name.charAt(0) != 'i' && name.charAt(0) != 'u'
                || name.charAt(1) == '0') {
            throw new IllegalArgumentException(INVALID + " Got " + name);
        }
        int width = 0;
        for (int i = 1; i < name.length(); i++) {
            char digit = name.charAt(i);
            if (digit < '0' || digit > '9') {
                throw new IllegalArgumentException(INVALID + " Got " + name);
            }
            width = width * 10 + digit - '0';
        }
        return new BitFieldType(name.charAt(0) == 'i', width);
    }

    /**
     * The bit offset of the {@code index}-th field of this type, Redis's {@code #index} offset form
     * ({@code index * bits}). As Redis computes it, the product wraps around on overflow; a result
     * out of range is refused by the command.
     */
    public long offsetOf(long index) {
        return index * bits;
    }

    @Override
    public String toString() {
        return (signed ? "i" : "u") + bits;
    }
}
