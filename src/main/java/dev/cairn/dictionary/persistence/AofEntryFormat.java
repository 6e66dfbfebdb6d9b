package dev.cairn.dictionary.persistence;

import dev.cairn.storage.Varint;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The payload of one append-only-file entry: one committed write command, or one whole
 * transaction, as Redis-style commands (name first, then arguments). The storage layer frames it
 * with a length and a CRC32C (see {@code SegmentFormat}); this class owns only the inside.
 *
 * <pre>
 * whole entry (one frame)
 *  offset  size  field
 *       0     1  kind           1 = committed write (one command or one transaction)
 *       1   var  command count  c, unsigned LEB128
 *  then c times:
 *             var  argument count a, unsigned LEB128
 *  then a times:
 *             var  length n, unsigned LEB128
 *               n  argument bytes
 *
 * fragment (an entry larger than one frame may hold, as a run of consecutive frames)
 *       0     1  kind           2 = fragment, more follow; 3 = last fragment of the entry
 *       1     m  bytes          the next m bytes of the whole entry's encoding above
 * </pre>
 *
 * <p>An entry whose encoding fits the file's largest frame is written whole. A larger one (a
 * 512 MB string, a large transaction, the result of a set operation over a big set) is cut into
 * fragments of at most that size, written back to back in one segment; the concatenation of
 * their bytes after the kind byte is the whole entry's encoding. A run of fragments without its
 * last one at the end of the file is a write that never completed (its caller was never
 * answered): recovery cuts it like a torn final frame. A run interrupted by another entry, or
 * left open where a segment ends, is corruption.
 *
 * <p>A transaction is one entry, so recovery applies it whole or (when its entry is a torn
 * tail) not at all. Replay of the commands, in order, on the state before the entry yields the
 * state after it: the dictionary normalises non-deterministic commands before they reach the
 * file (absolute deadlines, explicit removals).
 *
 * <p>Stateless.
 */
public final class AofEntryFormat {
    public static final byte KIND_WRITE = 1;
    public static final byte KIND_FRAGMENT = 2;
    public static final byte KIND_LAST_FRAGMENT = 3;
    /** Bytes a fragment adds before its slice of the entry: the kind. */
    public static final int FRAGMENT_OVERHEAD = 1;

    private AofEntryFormat() {
    }

    /** Encodes {@code commands} (each a list of arguments) into a new buffer, ready to read. */
    public static ByteBuffer encode(List<List<byte[]>> commands) {
        return encode(commands, null);
    }

    /** The size of {@code commands}' whole-entry encoding; may exceed what one buffer holds. */
    public static long encodedSize(List<List<byte[]>> commands) {
        long size = 1 + Varint.size(commands.size());
        for (List<byte[]> command : commands) {
            size += Varint.size(command.size());
            for (byte[] argument : command) {
                size += Varint.size(argument.length) + (long) argument.length;
            }
        }
        return size;
    }

    /**
     * Encodes {@code commands} into {@code reuse} when it is large enough (from its start,
     * overwriting it), else into a new buffer; for a writer that encodes one entry at a time.
     *
     * @return the encoded entry, ready to read: {@code reuse} or a new buffer
     * @throws IllegalArgumentException if the encoding would not fit one buffer (use
     *     {@link #encodeFragments})
     */
    public static ByteBuffer encode(List<List<byte[]>> commands, ByteBuffer reuse) {
        return encode(commands, encodedSize(commands), reuse);
    }

    /** {@link #encode(List, ByteBuffer)} for a caller that already has {@link #encodedSize}. */
    static ByteBuffer encode(List<List<byte[]>> commands, long size, ByteBuffer reuse) {
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("an entry of " + size + " bytes does not fit one buffer");
        }
        ByteBuffer buffer = reuse != null && reuse.capacity() >= size ? reuse.clear() : ByteBuffer.allocate((int) size);
        buffer.put(KIND_WRITE);
        Varint.put(buffer, commands.size());
        for (List<byte[]> command : commands) {
            Varint.put(buffer, command.size());
            for (byte[] argument : command) {
                Varint.put(buffer, argument.length);
                buffer.put(argument);
            }
        }
        return buffer.flip();
    }

    /**
     * Encodes {@code commands} as fragments of at most {@code fragmentBytes} each (kind byte
     * included), handing each to {@code out} in order, ready to read; the buffer handed over is
     * reused for the next fragment once {@code out} returns.
     */
    public static void encodeFragments(List<List<byte[]>> commands, int fragmentBytes, Consumer<ByteBuffer> out) {
        if (fragmentBytes <= FRAGMENT_OVERHEAD) {
            throw new IllegalArgumentException("fragments of " + fragmentBytes + " bytes cannot carry any of the entry");
        }
        FragmentWriter writer = new FragmentWriter(fragmentBytes, out);
        writer.put(KIND_WRITE);
        writer.putVarint(commands.size());
        for (List<byte[]> command : commands) {
            writer.putVarint(command.size());
            for (byte[] argument : command) {
                writer.putVarint(argument.length);
                writer.put(argument);
            }
        }
        writer.finish();
    }

    /**
     * Decodes a whole entry.
     *
     * @throws IllegalArgumentException naming what is wrong, if the bytes are not an entry of
     *     this format (the caller turns it into a corrupt-file error with the file and position)
     */
    public static List<List<byte[]>> decode(ByteBuffer payload) {
        return decode(List.of(payload));
    }

    /**
     * Decodes an entry from the bytes of its fragments after their kind bytes, in order (one
     * buffer for a whole entry).
     *
     * @throws IllegalArgumentException as {@link #decode(ByteBuffer)}
     */
    public static List<List<byte[]>> decode(List<ByteBuffer> pieces) {
        Input in = new Input(pieces);
        byte kind = in.get();
        if (kind != KIND_WRITE) {
            throw new IllegalArgumentException("unknown append-only entry kind " + kind);
        }
        int count = in.getVarint();
        checkCount(count, in, "command count");
        List<List<byte[]>> commands = new ArrayList<>(count);
        for (int c = 0; c < count; c++) {
            int arguments = in.getVarint();
            checkCount(arguments, in, "argument count");
            if (arguments == 0) {
                throw new IllegalArgumentException("command " + c + " has no name");
            }
            List<byte[]> command = new ArrayList<>(arguments);
            for (int a = 0; a < arguments; a++) {
                int length = in.getVarint();
                if (length > in.remaining()) {
                    throw new IllegalArgumentException("argument of " + length + " bytes, only "
                            + in.remaining() + " left in the entry");
                }
                byte[] argument = new byte[length];
                in.get(argument);
                command.add(argument);
            }
            commands.add(command);
        }
        if (in.remaining() > 0) {
            throw new IllegalArgumentException(in.remaining() + " bytes left after the last command");
        }
        return commands;
    }

    /** Each counted item takes at least one byte, so a count above the bytes left is corrupt. */
    private static void checkCount(int count, Input in, String what) {
        if (count > in.remaining()) {
            throw new IllegalArgumentException(what + " " + count + " exceeds the " + in.remaining()
                    + " bytes left in the entry");
        }
    }

    /** Fills one fragment buffer at a time; a fragment is handed over only once more bytes must follow it. */
    private static final class FragmentWriter {
        private final ByteBuffer fragment;
        private final Consumer<ByteBuffer> out;
        private final ByteBuffer varint = ByteBuffer.allocate(Varint.MAX_BYTES);

        FragmentWriter(int fragmentBytes, Consumer<ByteBuffer> out) {
            this.fragment = ByteBuffer.allocate(fragmentBytes);
            this.out = out;
            fragment.put(KIND_FRAGMENT);
        }

        void put(byte b) {
            room();
            fragment.put(b);
        }

        void putVarint(int value) {
            Varint.put(varint.clear(), value);
            varint.flip();
            while (varint.hasRemaining()) {
                put(varint.get());
            }
        }

        void put(byte[] bytes) {
            int at = 0;
            while (at < bytes.length) {
                room();
                int n = Math.min(fragment.remaining(), bytes.length - at);
                fragment.put(bytes, at, n);
                at += n;
            }
        }

        private void room() {
            if (!fragment.hasRemaining()) {
                out.accept(fragment.flip());
                fragment.clear().put(KIND_FRAGMENT);
            }
        }

        void finish() {
            fragment.put(0, KIND_LAST_FRAGMENT);
            out.accept(fragment.flip());
        }
    }

    /** Reads across the pieces of an entry as if they were one buffer. */
    private static final class Input {
        private final List<ByteBuffer> pieces;
        private int index;
        private ByteBuffer current;
        private long remaining;

        Input(List<ByteBuffer> pieces) {
            this.pieces = pieces;
            for (ByteBuffer piece : pieces) {
                remaining += piece.remaining();
            }
            this.current = pieces.get(0).duplicate();
        }

        long remaining() {
            return remaining;
        }

        private ByteBuffer current() {
            while (!current.hasRemaining()) {
                if (index + 1 >= pieces.size()) {
                    throw new IllegalArgumentException("entry ends inside a field");
                }
                current = pieces.get(++index).duplicate();
            }
            return current;
        }

        byte get() {
            byte b = current().get();
            remaining--;
            return b;
        }

        /** An unsigned LEB128 int, as {@link Varint#get}. */
        int getVarint() {
            int value = 0;
            for (int shift = 0; shift < 7 * Varint.MAX_BYTES; shift += 7) {
                byte b = get();
                value |= (b & 0x7F) << shift;
                if (b >= 0) {
                    if (value < 0 || (shift == 28 && (b & 0x70) != 0)) {
                        throw new IllegalArgumentException("varint exceeds 31 bits");
                    }
                    return value;
                }
            }
            throw new IllegalArgumentException("varint longer than " + Varint.MAX_BYTES + " bytes");
        }

        void get(byte[] target) {
            int at = 0;
            while (at < target.length) {
                ByteBuffer from = current();
                int n = Math.min(from.remaining(), target.length - at);
                from.get(target, at, n);
                at += n;
                remaining -= n;
            }
        }
    }
}
