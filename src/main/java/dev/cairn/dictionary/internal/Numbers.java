package dev.cairn.dictionary.internal;

import dev.cairn.dictionary.NotAFloatException;
import dev.cairn.dictionary.NotAnIntegerException;
import dev.cairn.dictionary.OverflowException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * Parsing and formatting of numbers exactly as Redis does for INCR and INCRBYFLOAT.
 *
 * <p>Integers: Redis's {@code string2ll}: an optional '-', then digits without a leading zero
 * ("0" alone is fine, "-0", "+1", "01", " 1" are not), at most 20 characters, in the signed
 * 64-bit range.
 *
 * <p>Floats: Redis computes INCRBYFLOAT in C {@code long double}, which on x86-64 is the 80-bit
 * extended format (64-bit significand), and prints the result with {@code "%.17Lf"}, trailing
 * zeros removed. A Java double would print 0.1 + 0.2 as 0.30000000000000004 where Redis prints
 * 0.3, so this class emulates the extended format: decimal inputs are rounded to the nearest
 * 64-bit-significand binary value (round half to even), the sum is rounded the same way, and the
 * exact binary result is printed to 17 decimals with {@link BigDecimal}. As {@code strtold} with
 * Redis's checks, a value that overflows the format or underflows to zero is not a float, a
 * subnormal one is. The decimal exponent is range-checked before any exact arithmetic, so a
 * value's cost is bounded by its length, not its exponent. Not supported (refused as not a
 * float, where Redis's {@code strtold} would accept them): hexadecimal floats.
 *
 * <p>Stateless; thread-safe.
 */
final class Numbers {
    /** Redis's largest string, 512 MiB ({@code proto-max-bulk-len}). */
    static final long MAX_STRING_BYTES = 512L * 1024 * 1024;

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
    private static final int MAX_FLOAT_CHARS = 5 * 1024;

    private Numbers() {
    }

    /** Parses a stored value as Redis's string2ll; null if it is not a canonical 64-bit integer. */
    static Long parseLong(byte[] value) {
        int length = value.length;
        if (length == 0 || length > 20) {
            return null;
        }
        if (length == 1 && value[0] == '0') {
            return 0L;
        }
        int i = 0;
        boolean negative = false;
        if (value[0] == '-') {
            negative = true;
            i = 1;
            if (length == 1) {
                return null;
            }
        }
        if (value[i] < '1' || value[i] > '9') {
            return null;
        }
        // Accumulate negatively: the negative range is one larger than the positive.
        long result = 0;
        for (; i < length; i++) {
            int digit = value[i] - '0';
            if (digit < 0 || digit > 9) {
                return null;
            }
            if (result < (Long.MIN_VALUE + digit) / 10) {
                return null;
            }
            result = result * 10 - digit;
        }
        if (negative) {
            return result;
        }
        return result == Long.MIN_VALUE ? null : -result;
    }

    static long parseLongOrThrow(String key, byte[] value) {
        Long parsed = parseLong(value);
        if (parsed == null) {
            throw new NotAnIntegerException(key, "'" + printable(value) + "'");
        }
        return parsed;
    }

    static byte[] format(long value) {
        return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
    }

    static long add(long current, long increment) {
        try {
            return Math.addExact(current, increment);
        } catch (ArithmeticException e) {
            throw new OverflowException("increment or decrement would overflow: " + current + " + " + increment);
        }
    }

    /**
     * Adds {@code increment} to the stored {@code value} (null = absent = 0) as Redis's
     * INCRBYFLOAT and returns the formatted result.
     */
    static String incrByFloat(String key, byte[] value, double increment) {
        if (Double.isNaN(increment)) {
            throw new NotAFloatException("increment is not a valid float: NaN");
        }
        BigDecimal current = value == null ? BigDecimal.ZERO : parseExtended(value);
        if (current == null && isInfinity(value)) {
            // strtold reads "inf" and "infinity" (any case, signed): a valid float whose sum is
            // not finite, so Redis refuses the result rather than the value.
            throw new NotAFloatException("increment would produce NaN or Infinity");
        }
        if (current == null) {
            throw new NotAFloatException("value '" + printable(value) + "' of key '" + key + "' is not a valid float");
        }
        if (Double.isInfinite(increment)) {
            throw new NotAFloatException("increment would produce NaN or Infinity");
        }
        BigDecimal addend = roundExtended(new BigDecimal(Double.toString(increment)));
        BigDecimal sum = roundExtended(current.add(addend));
        if (sum == null) {
            throw new NotAFloatException("increment would produce NaN or Infinity");
        }
        return formatHuman(sum);
    }

    /** Whether {@code value} is an infinity as strtold spells it: inf or infinity in any case, signed or not. */
    private static boolean isInfinity(byte[] value) {
        String text = new String(value, StandardCharsets.ISO_8859_1);
        if (text.startsWith("+") || text.startsWith("-")) {
            text = text.substring(1);
        }
        return text.equalsIgnoreCase("inf") || text.equalsIgnoreCase("infinity");
    }

    /** The value of a string as strtold would read it, rounded to the 80-bit format; null if invalid. */
    static BigDecimal parseExtended(byte[] value) {
        if (value.length == 0 || value.length >= MAX_FLOAT_CHARS) {
            return null;
        }
        String text = new String(value, StandardCharsets.ISO_8859_1);
        char first = text.charAt(0);
        if (Character.isWhitespace(first)) {
            return null;
        }
        String unsigned = first == '+' || first == '-' ? text.substring(1) : text;
        if (unsigned.isEmpty() || !(Character.isDigit(unsigned.charAt(0)) || unsigned.charAt(0) == '.')) {
            // inf, infinity, nan and hexadecimal forms: never a finite increment base
            return null;
        }
        for (int i = 0; i < unsigned.length(); i++) {
            char c = unsigned.charAt(i);
            if (!(Character.isDigit(c) && c < 128) && c != '.' && c != 'e' && c != 'E' && c != '+' && c != '-') {
                return null;
            }
        }
        BigDecimal exact;
        try {
            exact = new BigDecimal(text);
        } catch (NumberFormatException e) {
            return zeroWithHugeExponent(text) ? BigDecimal.ZERO : null;
        }
        BigDecimal rounded = roundExtended(exact);
        // strtold's ERANGE on underflow to zero: Redis refuses the value (subnormals pass).
        return rounded != null && rounded.signum() == 0 && exact.signum() != 0 ? null : rounded;
    }

    /**
     * Whether {@code text}, which BigDecimal refused, is a zero with an exponent beyond the int
     * range ("0e99999999999"): strtold reads it as 0, where any other digits overflow or
     * underflow (refused either way).
     */
    private static boolean zeroWithHugeExponent(String text) {
        int e = Math.max(text.indexOf('e'), text.indexOf('E'));
        if (e < 0 || !text.substring(e + 1).matches("[+-]?[0-9]+")) {
            return false;
        }
        try {
            return new BigDecimal(text.substring(0, e)).signum() == 0;
        } catch (NumberFormatException notANumber) {
            return false;
        }
    }

    /**
     * Rounds an exact value to the nearest value of the 80-bit format (round half to even): a
     * 64-bit binary significand, fewer bits below 2^-16382 (subnormal), zero below half of
     * 2^-16445; null if it overflows the format's exponent range. Takes time bounded by the
     * value's digits, whatever its exponent.
     */
    static BigDecimal roundExtended(BigDecimal exact) {
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
        BigInteger[] qr;
        while (true) {
            BigInteger n = e < 0 ? numerator.shiftLeft(-e) : numerator;
            BigInteger d = e > 0 ? denominator.shiftLeft(e) : denominator;
            qr = n.divideAndRemainder(d);
            int bits = qr[0].bitLength();
            if (bits > SIGNIFICAND_BITS) {
                e++;
            } else if (bits < SIGNIFICAND_BITS && e > MIN_QUANTUM_EXPONENT) {
                e--;
            } else {
                // Round half to even on the remainder.
                BigInteger twiceRemainder = qr[1].shiftLeft(1);
                int cmp = twiceRemainder.compareTo(d);
                BigInteger significand = qr[0];
                if (cmp > 0 || (cmp == 0 && significand.testBit(0))) {
                    significand = significand.add(BigInteger.ONE);
                    if (significand.bitLength() > SIGNIFICAND_BITS) {
                        significand = significand.shiftRight(1);
                        e++;
                    }
                }
                qr[0] = significand;
                break;
            }
        }
        if (e + SIGNIFICAND_BITS - 1 > MAX_EXPONENT) {
            return null;
        }
        if (qr[0].signum() == 0) {
            return BigDecimal.ZERO;
        }
        BigDecimal magnitude = e >= 0
                ? new BigDecimal(qr[0].shiftLeft(e))
                : new BigDecimal(qr[0].multiply(BigInteger.valueOf(5).pow(-e)), -e);
        return exact.signum() < 0 ? magnitude.negate() : magnitude;
    }

    /** {@code "%.17Lf"} with trailing zeros (and a trailing point) removed, "-0" as "0". */
    static String formatHuman(BigDecimal value) {
        BigDecimal rounded = value.setScale(17, RoundingMode.HALF_EVEN).stripTrailingZeros();
        if (rounded.signum() == 0) {
            return "0";
        }
        return rounded.toPlainString();
    }

    /** A value for an error message: at most 40 characters, non-printable bytes escaped. */
    static String printable(byte[] value) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < value.length && i < 40; i++) {
            int b = value[i] & 0xFF;
            if (b >= 0x20 && b < 0x7F) {
                text.append((char) b);
            } else {
                text.append(String.format("\\x%02x", b));
            }
        }
        if (value.length > 40) {
            text.append("...");
        }
        return text.toString();
    }
}
