package dev.cairn.dictionary.persistence;

import dev.cairn.storage.Varint;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The payload of one append-only-file entry: one committed write command, or one whole
 * transaction, as Redis-style commands (name first, then arguments). The storage layer frames it
 * with a length and a CRC32C (see {@code SegmentFormat}); this class owns only the inside.
 *
 * <pre>
 *  offset  size  field
 *       0     1  kind           1 = committed write (one command or one transaction)
 *       1   var  command count  c, unsigned LEB128
 *  then c times:
 *             var  argument count a, unsigned LEB128
 *  then a times:
 *             var  length n, unsigned LEB128
 *               n  argument bytes
 * </pre>
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

    private AofEntryFormat() {
    }

    /** Encodes {@code commands} (each a list of arguments) into a new buffer, ready to read. */
    public static ByteBuffer encode(List<List<byte[]>> commands) {
        return encode(commands, null);
    }

    /**
     * Encodes {@code commands} into {@code reuse} when it is large enough (from its start,
     * overwriting it), else into a new buffer; for a writer that encodes one entry at a time.
     *
     * @return the encoded entry, ready to read: {@code reuse} or a new buffer
     */
    public static ByteBuffer encode(List<List<byte[]>> commands, ByteBuffer reuse) {
        int size = 1 + Varint.size(commands.size());
        for (List<byte[]> command : commands) {
            size += Varint.size(command.size());
            for (byte[] argument : command) {
                size += Varint.size(argument.length) + argument.length;
            }
        }
        ByteBuffer buffer = reuse != null && reuse.capacity() >= size ? reuse.clear() : ByteBuffer.allocate(size);
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
     * Decodes an entry.
     *
     * @throws IllegalArgumentException naming what is wrong, if the bytes are not an entry of
     *     this format (the caller turns it into a corrupt-file error with the file and position)
     */
    public static List<List<byte[]>> decode(ByteBuffer payload) {
        ByteBuffer in = payload.duplicate();
        try {
            byte kind = in.get();
            if (kind != KIND_WRITE) {
                throw new IllegalArgumentException("unknown append-only entry kind " + kind);
            }
            int count = Varint.get(in);
            checkCount(count, in, "command count");
            List<List<byte[]>> commands = new ArrayList<>(count);
            for (int c = 0; c < count; c++) {
                int arguments = Varint.get(in);
                checkCount(arguments, in, "argument count");
                if (arguments == 0) {
                    throw new IllegalArgumentException("command " + c + " has no name");
                }
                List<byte[]> command = new ArrayList<>(arguments);
                for (int a = 0; a < arguments; a++) {
                    int length = Varint.get(in);
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
            if (in.hasRemaining()) {
                throw new IllegalArgumentException(in.remaining() + " bytes left after the last command");
            }
            return commands;
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("entry ends inside a field");
        }
    }

    /** Each counted item takes at least one byte, so a count above the bytes left is corrupt. */
    private static void checkCount(int count, ByteBuffer in, String what) {
        if (count > in.remaining()) {
            throw new IllegalArgumentException(what + " " + count + " exceeds the " + in.remaining()
                    + " bytes left in the entry");
        }
    }
}
