package dev.cairn.server.redis;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads whole replies from a RESP2 or RESP3 stream: the raw bytes of one reply ({@link #readRaw}),
 * or its value ({@link #parse}) as Java objects: {@code String} for simple strings, {@code
 * Error} records, {@code Long}, {@code byte[]}, {@code List} for every aggregate (a map as its
 * flat key-value list), {@code null} for nulls, and the text of doubles, booleans and big
 * numbers as {@code Scalar}.
 *
 * <p>Not thread-safe.
 */
final class RespReplyReader {
    /** An error reply. */
    record Error(String text) {
    }

    /** A double, boolean or big number, by its text after the type byte. */
    record Scalar(char type, String text) {
    }

    private final InputStream in;

    RespReplyReader(InputStream in) {
        this.in = in;
    }

    /** The bytes of the next whole reply. */
    byte[] readRaw() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        copyOne(out);
        return out.toByteArray();
    }

    private void copyOne(ByteArrayOutputStream out) throws IOException {
        String line = line(out);
        char type = line.charAt(0);
        String rest = line.substring(1);
        switch (type) {
            case '$', '=', '!' -> {
                long length = Long.parseLong(rest);
                if (length >= 0) {
                    out.write(in.readNBytes((int) length + 2));
                }
            }
            case '*', '~', '>' -> {
                long n = Long.parseLong(rest);
                for (long i = 0; i < n; i++) {
                    copyOne(out);
                }
            }
            case '%', '|' -> {
                long n = Long.parseLong(rest);
                for (long i = 0; i < 2 * n; i++) {
                    copyOne(out);
                }
                if (type == '|') {
                    copyOne(out);
                }
            }
            default -> {
                // one-line types: + - : _ , # (
            }
        }
    }

    private String line(ByteArrayOutputStream out) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the stream ended inside a reply");
            }
            out.write(b);
            if (previous == '\r' && b == '\n') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
            previous = b;
        }
    }

    /** The value of one raw reply. */
    static Object parse(byte[] raw) {
        int[] position = {0};
        return parseOne(raw, position);
    }

    private static Object parseOne(byte[] raw, int[] position) {
        int start = position[0];
        int end = start;
        while (!(raw[end] == '\r' && raw[end + 1] == '\n')) {
            end++;
        }
        char type = (char) raw[start];
        String rest = new String(raw, start + 1, end - start - 1, StandardCharsets.ISO_8859_1);
        position[0] = end + 2;
        switch (type) {
            case '+':
                return rest;
            case '-':
                return new Error(rest);
            case ':':
                return Long.parseLong(rest);
            case '_':
                return null;
            case ',', '#', '(':
                return new Scalar(type, rest);
            case '$', '=', '!': {
                int length = Integer.parseInt(rest);
                if (length < 0) {
                    return null;
                }
                byte[] bytes = java.util.Arrays.copyOfRange(raw, position[0], position[0] + length);
                position[0] += length + 2;
                return bytes;
            }
            default: {
                long n = Long.parseLong(rest);
                if (n < 0) {
                    return null;
                }
                long elements = type == '%' ? 2 * n : n;
                List<Object> list = new ArrayList<>();
                for (long i = 0; i < elements; i++) {
                    list.add(parseOne(raw, position));
                }
                return list;
            }
        }
    }
}
