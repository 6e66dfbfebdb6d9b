package dev.cairn.dictionary.command;

import dev.cairn.dictionary.BinaryKeys;
import dev.cairn.dictionary.Scores;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The arguments of one command as a client sent them (index 0 is the command's name), with
 * Redis's parsing of each kind: keys ({@link BinaryKeys}), keywords (ASCII, any case), integers
 * ({@code string2ll}: no sign but {@code -}, no leading zeros, no blanks) and floats
 * ({@link Scores}). Each parse failure is a {@link CommandException} with Redis's text.
 *
 * <p>Not thread-safe; the arrays are the caller's and are not copied (a command reads them while
 * it runs and keeps none it has not copied).
 */
public final class Arguments {
    static final String NOT_AN_INTEGER = "ERR value is not an integer or out of range";
    static final String NOT_A_FLOAT = "ERR value is not a valid float";
    static final String SYNTAX = "ERR syntax error";

    private final byte[][] values;

    public Arguments(byte[][] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("a command has at least its name");
        }
        this.values = values;
    }

    /** Arguments of the UTF-8 encodings of {@code values}: for tests and internal callers. */
    public static Arguments of(String... values) {
        byte[][] bytes = new byte[values.length][];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = values[i].getBytes(StandardCharsets.UTF_8);
        }
        return new Arguments(bytes);
    }

    /** The number of arguments, the name included (Redis's argc). */
    public int count() {
        return values.length;
    }

    /** Argument {@code index} itself (not a copy). */
    public byte[] bytes(int index) {
        return values[index];
    }

    /** Every argument from {@code from} on, as an array of the arguments themselves. */
    public byte[][] bytesFrom(int from) {
        return Arrays.copyOfRange(values, from, values.length);
    }

    /** Arguments {@code from} (inclusive) to {@code to} (exclusive). */
    public byte[][] bytesRange(int from, int to) {
        return Arrays.copyOfRange(values, from, to);
    }

    /** Argument {@code index} as a key (or hash field) name. */
    public String key(int index) {
        return BinaryKeys.fromBytes(values[index]);
    }

    /** Arguments {@code from} (inclusive) to {@code to} (exclusive) as keys. */
    public String[] keys(int from, int to) {
        String[] keys = new String[to - from];
        for (int i = from; i < to; i++) {
            keys[i - from] = key(i);
        }
        return keys;
    }

    /** Every argument from {@code from} on, as keys. */
    public String[] keysFrom(int from) {
        return keys(from, values.length);
    }

    /** Argument {@code index} as text (UTF-8; for keywords and messages). */
    public String text(int index) {
        return new String(values[index], StandardCharsets.UTF_8);
    }

    /** The command's name as sent, for error messages. */
    public String name() {
        return text(0);
    }

    /** Whether argument {@code index} is {@code keyword} (ASCII, compared without case). */
    public boolean is(int index, String keyword) {
        byte[] value = values[index];
        if (value.length != keyword.length()) {
            return false;
        }
        for (int i = 0; i < value.length; i++) {
            int c = value[i];
            if (c >= 'a' && c <= 'z') {
                c -= 'a' - 'A';
            }
            int k = keyword.charAt(i);
            if (k >= 'a' && k <= 'z') {
                k -= 'a' - 'A';
            }
            if (c != k) {
                return false;
            }
        }
        return true;
    }

    /** Argument {@code index} as a 64-bit integer, or {@code ERR value is not an integer or out of range}. */
    public long integer(int index) {
        return integer(index, NOT_AN_INTEGER);
    }

    /** Argument {@code index} as a 64-bit integer, or the error {@code errorReply}. */
    public long integer(int index, String errorReply) {
        Long value = parseLong(values[index]);
        if (value == null) {
            throw new CommandException(errorReply);
        }
        return value;
    }

    /** Argument {@code index} as a non-negative integer, or {@code errorReply} if negative. */
    public long nonNegative(int index, String errorReply) {
        long value = integer(index);
        if (value < 0) {
            throw new CommandException(errorReply);
        }
        return value;
    }

    /** Argument {@code index} as a float (ZADD scores, increments), or {@code ERR value is not a valid float}. */
    public double decimal(int index) {
        return decimal(index, NOT_A_FLOAT);
    }

    /** Argument {@code index} as a float, or the error {@code errorReply}. */
    public double decimal(int index, String errorReply) {
        double value = Scores.parseOrNaN(text(index), false);
        if (Double.isNaN(value)) {
            throw new CommandException(errorReply);
        }
        return value;
    }

    /**
     * A blocking command's timeout in seconds (a float, as Redis 6+): its value in nanoseconds,
     * 0 for "wait for ever".
     */
    public long timeoutNanos(int index) {
        double seconds = Scores.parseOrNaN(text(index), false);
        if (Double.isNaN(seconds) || Double.isInfinite(seconds) || seconds * 1000 > Long.MAX_VALUE / 2) {
            throw new CommandException("ERR timeout is not a float or out of range");
        }
        if (seconds < 0) {
            throw new CommandException("ERR timeout is negative");
        }
        return (long) (seconds * 1_000_000_000d);
    }

    /** Redis's {@code string2ll}: the integer {@code bytes} spell, or null. */
    public static Long parseLong(byte[] bytes) {
        int n = bytes.length;
        if (n == 0 || n > 20) {
            return null;
        }
        if (n == 1 && bytes[0] == '0') {
            return 0L;
        }
        int i = 0;
        boolean negative = bytes[0] == '-';
        if (negative) {
            i++;
            if (n == 1) {
                return null;
            }
        }
        if (bytes[i] < '1' || bytes[i] > '9') {
            return null;
        }
        long value = 0;
        for (; i < n; i++) {
            int d = bytes[i] - '0';
            if (d < 0 || d > 9) {
                return null;
            }
            // Accumulate negatively: the negative range is one larger.
            if (value < (Long.MIN_VALUE + d) / 10) {
                return null;
            }
            value = value * 10 - d;
        }
        if (!negative) {
            if (value == Long.MIN_VALUE) {
                return null;
            }
            value = -value;
        }
        return value;
    }

    /** The error Redis gives when a command has the wrong number of arguments. */
    public CommandException wrongArity() {
        return new CommandException("ERR wrong number of arguments for '" + name().toLowerCase(java.util.Locale.ROOT)
                + "' command");
    }

    /** {@code ERR syntax error}. */
    public static CommandException syntax() {
        return new CommandException(SYNTAX);
    }
}
