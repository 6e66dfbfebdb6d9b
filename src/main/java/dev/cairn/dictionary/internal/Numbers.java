package dev.cairn.dictionary.internal;

import dev.cairn.dictionary.NotAnIntegerException;
import dev.cairn.dictionary.OverflowException;
import java.nio.charset.StandardCharsets;

/**
 * Parsing and formatting of integers exactly as Redis does for INCR and its relatives; the
 * floats of INCRBYFLOAT are {@link LongDouble}'s.
 *
 * <p>Integers: Redis's {@code string2ll}: an optional '-', then digits without a leading zero
 * ("0" alone is fine, "-0", "+1", "01", " 1" are not), at most 20 characters, in the signed
 * 64-bit range.
 *
 * <p>Stateless; thread-safe.
 */
final class Numbers {
    /** Redis's largest string, 512 MiB ({@code proto-max-bulk-len}). */
    static final long MAX_STRING_BYTES = 512L * 1024 * 1024;

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
