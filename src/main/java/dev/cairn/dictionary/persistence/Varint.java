package dev.cairn.dictionary.persistence;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/**
 * Unsigned LEB128 integers: 7 bits a byte, low bits first, high bit set on every byte but the
 * last (the encoding of protocol buffers' varints). Used for counts and lengths in the
 * dictionary's formats, where almost every value fits in one byte.
 *
 * <p>Stateless.
 */
final class Varint {
    /** The most bytes an int takes. */
    static final int MAX_BYTES = 5;

    private Varint() {
    }

    static int size(int value) {
        int bytes = 1;
        while ((value & ~0x7F) != 0) {
            value >>>= 7;
            bytes++;
        }
        return bytes;
    }

    static void put(ByteBuffer buffer, int value) {
        while ((value & ~0x7F) != 0) {
            buffer.put((byte) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        buffer.put((byte) value);
    }

    /**
     * Reads a non-negative int.
     *
     * @throws IllegalArgumentException if the bytes are not a varint of at most 31 bits
     * @throws BufferUnderflowException if the buffer ends inside it
     */
    static int get(ByteBuffer buffer) {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            byte b = buffer.get();
            value |= (b & 0x7F) << shift;
            if (b >= 0) {
                if (value < 0 || (shift == 28 && (b & 0x70) != 0)) {
                    throw new IllegalArgumentException("varint exceeds 31 bits");
                }
                return value;
            }
        }
        throw new IllegalArgumentException("varint longer than " + MAX_BYTES + " bytes");
    }
}
