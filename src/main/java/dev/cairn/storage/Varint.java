package dev.cairn.storage;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/**
 * Variable-length integers for the formats built on the storage layer: unsigned LEB128, 7 bits a
 * byte, low bits first, high bit set on every byte but the last (protocol buffers' varints), and
 * for signed longs the zigzag mapping onto it (0, -1, 1, -2 ... become 0, 1, 2, 3 ...), so small
 * magnitudes of either sign take one byte. Used for the counts, lengths and deltas of the
 * dictionary's files and the log's records, where almost every value fits in one byte.
 *
 * <p>Relative: every method reads or writes at the buffer's position and moves it. Stateless.
 */
public final class Varint {
    /** The most bytes an int takes. */
    public static final int MAX_BYTES = 5;
    /** The most bytes a long takes. */
    public static final int MAX_LONG_BYTES = 10;

    private Varint() {
    }

    /** Encoded size of a non-negative int (a negative one takes {@link #MAX_BYTES}). */
    public static int size(int value) {
        int bytes = 1;
        while ((value & ~0x7F) != 0) {
            value >>>= 7;
            bytes++;
        }
        return bytes;
    }

    public static void put(ByteBuffer buffer, int value) {
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
    public static int get(ByteBuffer buffer) {
        byte first = buffer.get();
        if (first >= 0) {
            return first; // the common case: one byte
        }
        int value = first & 0x7F;
        for (int shift = 7; shift < 35; shift += 7) {
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

    /** Encoded size of a signed long under the zigzag mapping. */
    public static int sizeZigZag(long value) {
        long v = (value << 1) ^ (value >> 63);
        int bytes = 1;
        while ((v & ~0x7FL) != 0) {
            v >>>= 7;
            bytes++;
        }
        return bytes;
    }

    public static void putZigZag(ByteBuffer buffer, long value) {
        long v = (value << 1) ^ (value >> 63);
        while ((v & ~0x7FL) != 0) {
            buffer.put((byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        buffer.put((byte) v);
    }

    /**
     * Reads a signed long written by {@link #putZigZag}.
     *
     * @throws IllegalArgumentException if the bytes run longer than {@link #MAX_LONG_BYTES}
     * @throws BufferUnderflowException if the buffer ends inside it
     */
    public static long getZigZag(ByteBuffer buffer) {
        long v = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            byte b = buffer.get();
            v |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return (v >>> 1) ^ -(v & 1);
            }
        }
        throw new IllegalArgumentException("varint longer than " + MAX_LONG_BYTES + " bytes");
    }
}
