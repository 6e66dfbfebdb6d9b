package dev.cairn.dictionary.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * Redis's INCRBYFLOAT and HINCRBYFLOAT arithmetic, digit for digit: C {@code long double} on
 * x86-64, the x87 80-bit extended format (a 64-bit significand with an explicit leading bit,
 * exponents from -16382, subnormals down to 2^-16445, largest finite value about 1.19e4932).
 *
 * <ol>
 *   <li><b>Parsing</b> as Redis's {@code string2ld}: {@code strtold} over the whole text, refused
 *       if the text is empty or 5,120 characters or longer, starts with white space, has anything
 *       after the number, overflows, underflows to zero, or is a NaN. {@code strtold}'s grammar:
 *       an optional sign, then decimal digits with an optional point and {@code e} exponent, or
 *       {@code 0x} hexadecimal digits with an optional point and {@code p} binary exponent, or
 *       {@code inf}/{@code infinity} in any case (accepted: the sum is then refused). strtold must
 *       read every character, so a NUL inside the text makes it invalid. Decimal values are rounded to the nearest 64-bit
 *       significand, ties to even, as glibc's {@code strtold} rounds correctly.</li>
 *   <li><b>Adding</b>: the exact sum of two 80-bit values, rounded once more to 64 bits (the x87
 *       adds at full precision, Linux's default precision control).</li>
 *   <li><b>Formatting</b> as Redis's {@code ld2string} with {@code LD_STR_HUMAN}:
 *       {@code "%.17Lf"} (glibc prints the exact binary value rounded to 17 decimals, ties to
 *       even), then trailing zeros and a trailing point removed, and {@code -0} written as
 *       {@code 0}. Never an exponent: 1e4000 prints as its 4,001 digits.</li>
 * </ol>
 * Values are held exactly as {@link BigDecimal}s; the decimal exponent is range-checked before
 * any exact arithmetic, so the cost of a value is bounded by its length, not its exponent.
 *
 * <p>Stateless; thread-safe.
 */
final class LongDouble {
    private static final int SIGNIFICAND_BITS = 64;
    /** Beyond this binary exponent the 80-bit format overflows (strtold: ERANGE). */
    private static final int MAX_EXPONENT = 16_383;
    /**
     * The exponent of the 80-bit format's last significand bit below 2^-16382 (the smallest
     * normal value): subnormal values are multiples of 2^-16445, and smaller ones round to zero.
     */
    private static final int MIN_QUANTUM_EXPONENT = -16_382 - (SIGNIFICAND_BITS - 1);
    /**
     * Decimal exponents outside the 80-bit range: a value of at least 10^4933 overflows (the
     * largest is about 1.19e4932), and one below 10^-4951 rounds to zero (half the smallest
     * subnormal, 2^-16446, is about 1.82e-4951). Checked before any exact arithmetic, whose cost
     * grows with the exponent (10^20000000 takes seconds to build).
     */
    private static final long OVERFLOW_DECIMAL_EXPONENT = 4_933;
    private static final long ZERO_DECIMAL_EXPONENT = -4_952;
    /** Redis's MAX_LONG_DOUBLE_CHARS: string2ld refuses a text of this length or longer. */
    static final int MAX_CHARS = 5 * 1024;
    /** A bound on exponents read from text, far past any that matters, so they fit a long. */
    private static final long EXPONENT_CAP = 1_000_000_000L;

    /** A parsed value: finite (its exact value) or infinite. */
    record Value(BigDecimal finite) {
        static final Value INFINITE = new Value(null);

        boolean isInfinite() {
            return finite == null;
        }
    }

    /** Zero, what a missing key or field counts as. */
    static final Value ZERO = new Value(BigDecimal.ZERO);

    private LongDouble() {
    }

    /** A stored value as the text {@link #parse} reads: one character per byte. */
    static String text(byte[] value) {
        return new String(value, StandardCharsets.ISO_8859_1);
    }

    /** A text for an error message: at most 40 characters, those outside printable ASCII escaped. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && i < 40; i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7F) {
                out.append(c);
            } else {
                out.append(String.format("\\x%02x", (int) c & 0xFF));
            }
        }
        if (text.length() > 40) {
            out.append("...");
        }
        return out.toString();
    }

    /**
     * The value of {@code text} (one character per byte; a character past 127 is never part of a
     * number) as Redis's {@code string2ld} reads it, or null if Redis refuses it.
     */
    static Value parse(CharSequence text) {
        int length = text.length();
        if (length == 0 || length >= MAX_CHARS) {
            return null;
        }
        String s = text.toString();
        char first = s.charAt(0);
        if (first == ' ' || (first >= '\t' && first <= '\r')) {
            return null;
        }
        int i = first == '+' || first == '-' ? 1 : 0;
        boolean negative = first == '-';
        String body = s.substring(i);
        if (body.equalsIgnoreCase("inf") || body.equalsIgnoreCase("infinity")) {
            return Value.INFINITE;
        }
        BigDecimal exact;
        if (body.length() > 1 && body.charAt(0) == '0' && (body.charAt(1) == 'x' || body.charAt(1) == 'X')) {
            exact = parseHex(body.substring(2));
        } else {
            exact = parseDecimal(body);
        }
        if (exact == null || exact == OUT_OF_RANGE) {
            return null;
        }
        BigDecimal rounded = round(exact);
        // strtold's ERANGE: Redis refuses an overflow and an underflow to zero (subnormals pass).
        if (rounded == null || rounded.signum() == 0 && exact.signum() != 0) {
            return null;
        }
        return new Value(negative ? rounded.negate() : rounded);
    }

    /** Marks a text whose exponent alone puts it far outside the format (overflow or underflow to 0). */
    private static final BigDecimal OUT_OF_RANGE = new BigDecimal(BigInteger.ONE, Integer.MIN_VALUE);

    /** An unsigned decimal: digits with an optional point, at least one digit, an optional exponent. */
    private static BigDecimal parseDecimal(String body) {
        int n = body.length();
        int i = 0;
        StringBuilder digits = new StringBuilder();
        int fractionDigits = 0;
        boolean point = false;
        for (; i < n; i++) {
            char c = body.charAt(i);
            if (c >= '0' && c <= '9') {
                digits.append(c);
                if (point) {
                    fractionDigits++;
                }
            } else if (c == '.' && !point) {
                point = true;
            } else {
                break;
            }
        }
        if (digits.length() == 0) {
            return null;
        }
        long exponent = 0;
        if (i < n) {
            char c = body.charAt(i);
            if (c != 'e' && c != 'E') {
                return null;
            }
            Long parsed = exponent(body, i + 1);
            if (parsed == null) {
                return null;
            }
            exponent = parsed;
        }
        BigInteger unscaled = new BigInteger(digits.toString());
        if (unscaled.signum() == 0) {
            return BigDecimal.ZERO;
        }
        // value = unscaled * 10^(exponent - fractionDigits); its decimal magnitude decides range.
        long scale = fractionDigits - exponent;
        long adjusted = unscaled.toString().length() - 1 - scale;
        if (adjusted >= OVERFLOW_DECIMAL_EXPONENT + 1 || adjusted <= ZERO_DECIMAL_EXPONENT - 1) {
            return OUT_OF_RANGE;
        }
        return new BigDecimal(unscaled, Math.toIntExact(scale));
    }

    /** Hexadecimal digits with an optional point, at least one digit, an optional binary exponent. */
    private static BigDecimal parseHex(String body) {
        int n = body.length();
        int i = 0;
        BigInteger mantissa = BigInteger.ZERO;
        int digitCount = 0;
        long fractionDigits = 0;
        boolean point = false;
        for (; i < n; i++) {
            char c = body.charAt(i);
            int digit = Character.digit(c, 16);
            if (digit >= 0 && c < 128) {
                mantissa = mantissa.shiftLeft(4).or(BigInteger.valueOf(digit));
                digitCount++;
                if (point) {
                    fractionDigits++;
                }
            } else if (c == '.' && !point) {
                point = true;
            } else {
                break;
            }
        }
        if (digitCount == 0) {
            // strtold reads "0" and stops at the x: text is left over.
            return null;
        }
        long exponent = 0;
        if (i < n) {
            char c = body.charAt(i);
            if (c != 'p' && c != 'P') {
                return null;
            }
            Long parsed = exponent(body, i + 1);
            if (parsed == null) {
                return null;
            }
            exponent = parsed;
        }
        if (mantissa.signum() == 0) {
            return BigDecimal.ZERO;
        }
        long binaryExponent = exponent - 4 * fractionDigits;
        long top = mantissa.bitLength() + binaryExponent;
        if (top > MAX_EXPONENT + 2 || top < MIN_QUANTUM_EXPONENT - 2) {
            return OUT_OF_RANGE;
        }
        int e = Math.toIntExact(binaryExponent);
        return e >= 0 ? new BigDecimal(mantissa.shiftLeft(e))
                : new BigDecimal(mantissa.multiply(BigInteger.valueOf(5).pow(-e)), -e);
    }

    /** A signed decimal exponent from {@code from} to the end of {@code s}, capped; null if malformed. */
    private static Long exponent(String s, int from) {
        int i = from;
        boolean negative = false;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        if (i == s.length()) {
            return null;
        }
        long value = 0;
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            value = Math.min(EXPONENT_CAP, value * 10 + (c - '0'));
        }
        return negative ? -value : value;
    }

    /** The sum of two values as the x87 computes it, or null if it is infinite (or NaN). */
    static BigDecimal add(Value a, Value b) {
        if (a.isInfinite() || b.isInfinite()) {
            return null;
        }
        return round(a.finite().add(b.finite()));
    }

    /**
     * Rounds an exact value to the nearest value of the 80-bit format (round half to even): a
     * 64-bit binary significand, fewer bits below 2^-16382 (subnormal), zero below half of
     * 2^-16445; null if it overflows the format's exponent range. Takes time bounded by the
     * value's digits, whatever its exponent.
     */
    static BigDecimal round(BigDecimal exact) {
        if (exact.signum() == 0) {
            return BigDecimal.ZERO;
        }
        // exact = unscaled * 10^-scale with precision digits: 10^adjusted <= |exact| < 10^(adjusted + 1).
        long adjusted = (long) exact.precision() - exact.scale() - 1;
        if (adjusted >= OVERFLOW_DECIMAL_EXPONENT) {
            return null;
        }
        if (adjusted <= ZERO_DECIMAL_EXPONENT) {
            return BigDecimal.ZERO;
        }
        BigInteger numerator = exact.unscaledValue().abs();
        BigInteger denominator = BigInteger.ONE;
        if (exact.scale() > 0) {
            denominator = BigInteger.TEN.pow(exact.scale());
        } else if (exact.scale() < 0) {
            numerator = numerator.multiply(BigInteger.TEN.pow(-exact.scale()));
        }
        // Find e with 2^63 <= numerator / (denominator * 2^e) < 2^64, or the smallest e the
        // format has (a subnormal value, with fewer significand bits).
        int e = Math.max(numerator.bitLength() - denominator.bitLength() - SIGNIFICAND_BITS, MIN_QUANTUM_EXPONENT);
        BigInteger significand;
        while (true) {
            BigInteger n = e < 0 ? numerator.shiftLeft(-e) : numerator;
            BigInteger d = e > 0 ? denominator.shiftLeft(e) : denominator;
            BigInteger[] qr = n.divideAndRemainder(d);
            int bits = qr[0].bitLength();
            if (bits > SIGNIFICAND_BITS) {
                e++;
            } else if (bits < SIGNIFICAND_BITS && e > MIN_QUANTUM_EXPONENT) {
                e--;
            } else {
                int cmp = qr[1].shiftLeft(1).compareTo(d);
                significand = qr[0];
                if (cmp > 0 || (cmp == 0 && significand.testBit(0))) {
                    significand = significand.add(BigInteger.ONE);
                    if (significand.bitLength() > SIGNIFICAND_BITS) {
                        significand = significand.shiftRight(1);
                        e++;
                    }
                }
                break;
            }
        }
        if (e + SIGNIFICAND_BITS - 1 > MAX_EXPONENT) {
            return null;
        }
        if (significand.signum() == 0) {
            return BigDecimal.ZERO;
        }
        BigDecimal magnitude = e >= 0
                ? new BigDecimal(significand.shiftLeft(e))
                : new BigDecimal(significand.multiply(BigInteger.valueOf(5).pow(-e)), -e);
        return exact.signum() < 0 ? magnitude.negate() : magnitude;
    }

    /** {@code "%.17Lf"} with trailing zeros (and a trailing point) removed, "-0" as "0". */
    static String format(BigDecimal value) {
        BigDecimal rounded = value.setScale(17, RoundingMode.HALF_EVEN).stripTrailingZeros();
        if (rounded.signum() == 0) {
            return "0";
        }
        return rounded.toPlainString();
    }
}
