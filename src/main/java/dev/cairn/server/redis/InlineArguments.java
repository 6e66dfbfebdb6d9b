package dev.cairn.server.redis;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits an inline command line into arguments with Redis's quoting rules: the rules of
 * {@code sdssplitargs} in Redis's sds.c, re-implemented here.
 *
 * <ul>
 *   <li>Arguments are separated by runs of ASCII white space (space, \t, \n, \v, \f, \r); an
 *       unquoted argument ends at a space, \t, \n or \r.</li>
 *   <li>In double quotes: {@code \xHH} (two hex digits) is that byte; {@code \n \r \t \b \a} are
 *       the control characters; a backslash before any other character is that character
 *       ({@code \\}, {@code \"}).</li>
 *   <li>In single quotes everything is literal except {@code \'}, a single quote.</li>
 *   <li>A quote may open in the middle of an argument ({@code a"b c"} is {@code ab c}); a closing
 *       quote must be followed by white space or the end of the line, and a quote left open is an
 *       error: both make {@link #split} return null ("unbalanced quotes").</li>
 * </ul>
 *
 * <p>Stateless; thread-safe.
 */
final class InlineArguments {
    private static final byte[][] NONE = new byte[0][];

    private InlineArguments() {
    }

    /**
     * The arguments of {@code line} (without its line ending; no NUL bytes, which end a C string and
     * so the line), or null when its quotes are unbalanced. A blank line has no arguments.
     */
    static byte[][] split(byte[] line) {
        List<byte[]> arguments = new ArrayList<>();
        int p = 0;
        while (true) {
            while (p < line.length && isSpace(line[p])) {
                p++;
            }
            if (p >= line.length) {
                return arguments.isEmpty() ? NONE : arguments.toArray(NONE);
            }
            ByteArrayOutputStream current = new ByteArrayOutputStream();
            boolean inDoubleQuotes = false;
            boolean inSingleQuotes = false;
            boolean done = false;
            while (!done) {
                int c = at(line, p);
                if (inDoubleQuotes) {
                    if (c == '\\' && at(line, p + 1) == 'x' && isHexDigit(at(line, p + 2))
                            && isHexDigit(at(line, p + 3))) {
                        current.write(Character.digit(at(line, p + 2), 16) * 16 + Character.digit(at(line, p + 3), 16));
                        p += 3;
                    } else if (c == '\\' && at(line, p + 1) != 0) {
                        p++;
                        current.write(unescape(at(line, p)));
                    } else if (c == '"') {
                        if (at(line, p + 1) != 0 && !isSpace(at(line, p + 1))) {
                            return null;
                        }
                        done = true;
                    } else if (c == 0) {
                        return null;
                    } else {
                        current.write(c);
                    }
                } else if (inSingleQuotes) {
                    if (c == '\\' && at(line, p + 1) == '\'') {
                        p++;
                        current.write('\'');
                    } else if (c == '\'') {
                        if (at(line, p + 1) != 0 && !isSpace(at(line, p + 1))) {
                            return null;
                        }
                        done = true;
                    } else if (c == 0) {
                        return null;
                    } else {
                        current.write(c);
                    }
                } else {
                    switch (c) {
                        case ' ', '\n', '\r', '\t', 0 -> done = true;
                        case '"' -> inDoubleQuotes = true;
                        case '\'' -> inSingleQuotes = true;
                        default -> current.write(c);
                    }
                }
                // As in C, the terminator is never stepped over.
                if (at(line, p) != 0) {
                    p++;
                }
            }
            arguments.add(current.toByteArray());
        }
    }

    /** The byte at {@code index}, or 0 (the C string's terminator) past the end. */
    private static int at(byte[] line, int index) {
        return index < line.length ? line[index] & 0xFF : 0;
    }

    private static int unescape(int c) {
        return switch (c) {
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'b' -> '\b';
            case 'a' -> 7;
            default -> c;
        };
    }

    /** C's isspace in the "C" locale, which Redis runs in. */
    private static boolean isSpace(int c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    private static boolean isHexDigit(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
