package dev.cairn.server.redis;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One command as a client sent it: its arguments as byte strings, the command name first.
 *
 * <p>Immutable: the arrays are owned by this object (the parser hands over arrays nobody else
 * holds, {@link #of(byte[]...)} copies) and every accessor that returns bytes returns a copy.
 * Arguments are binary-safe and may be empty; a command has at least one argument.
 */
final class RespCommand {
    private final byte[][] arguments;

    private RespCommand(byte[][] arguments) {
        this.arguments = arguments;
    }

    /** Takes ownership of {@code arguments}: the caller must not keep or change them. */
    static RespCommand adopt(byte[][] arguments) {
        if (arguments.length == 0) {
            throw new IllegalArgumentException("a command has at least one argument, got none");
        }
        return new RespCommand(arguments);
    }

    /** A command of copies of {@code arguments}. */
    public static RespCommand of(byte[]... arguments) {
        byte[][] copies = new byte[arguments.length][];
        for (int i = 0; i < arguments.length; i++) {
            copies[i] = arguments[i].clone();
        }
        return adopt(copies);
    }

    /** A command of the UTF-8 encodings of {@code arguments}. */
    public static RespCommand of(String... arguments) {
        byte[][] encoded = new byte[arguments.length][];
        for (int i = 0; i < arguments.length; i++) {
            encoded[i] = arguments[i].getBytes(StandardCharsets.UTF_8);
        }
        return adopt(encoded);
    }

    /** The number of arguments, the command name included (Redis's argc); at least 1. */
    public int size() {
        return arguments.length;
    }

    /** A copy of argument {@code index} (0 is the command name). */
    public byte[] argument(int index) {
        return arguments[index].clone();
    }

    /** Argument {@code index} itself, for the writer, which only reads it. */
    byte[] rawArgument(int index) {
        return arguments[index];
    }

    /** The arguments themselves, for the dispatcher, which neither keeps nor changes them. */
    byte[][] rawArguments() {
        return arguments;
    }

    /** The length in bytes of argument {@code index}. */
    public int argumentLength(int index) {
        return arguments[index].length;
    }

    /** Argument {@code index} decoded as UTF-8 (malformed bytes become U+FFFD). */
    public String argumentString(int index) {
        return new String(arguments[index], StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RespCommand command && Arrays.deepEquals(arguments, command.arguments);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(arguments);
    }

    /** The arguments quoted as redis-cli prints them: printable ASCII as is, other bytes as \xHH. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        for (byte[] argument : arguments) {
            if (text.length() > 0) {
                text.append(' ');
            }
            text.append('"');
            for (byte b : argument) {
                int c = b & 0xFF;
                if (c == '"' || c == '\\') {
                    text.append('\\').append((char) c);
                } else if (c >= 0x20 && c < 0x7F) {
                    text.append((char) c);
                } else {
                    text.append(String.format("\\x%02x", c));
                }
            }
            text.append('"');
        }
        return text.toString();
    }
}
