package dev.cairn.dictionary.internal;

import dev.cairn.dictionary.BitFieldArgs;
import dev.cairn.dictionary.BitOperation;
import dev.cairn.dictionary.BitUnit;
import dev.cairn.dictionary.BitmapCommands;
import dev.cairn.dictionary.KeyEventClass;
import dev.cairn.dictionary.KeyType;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The bitmap commands, each one run under the {@link Engine}'s command lock, with Redis 7.0's
 * semantics (bitops.c). Stored strings are never mutated (see {@link StringCommandsImpl}), so a
 * write copies the string, changes the copy and stores it.
 *
 * <p>Logged forms: SETBIT and BITFIELD as a SETRANGE of the bytes they may have changed (which
 * also grows the string, and keeps its deadline, as they do); BITOP as a SET of the destination,
 * or a DEL when the result is empty.
 *
 * <p>Thread-safe: all state is in the engine, guarded by its lock.
 */
final class BitmapCommandsImpl implements BitmapCommands {
    private final Engine engine;

    BitmapCommandsImpl(Engine engine) {
        this.engine = engine;
    }

    private static void checkOffset(long offset) {
        if (offset < 0 || offset > MAX_OFFSET) {
            throw new IllegalArgumentException("bit offset is not an integer or out of range: " + offset
                    + " (0 to " + MAX_OFFSET + ")");
        }
    }

    private byte[] readString(String key) {
        return (byte[]) engine.read(key, KeyType.STRING);
    }

    /** The string of {@code key} for a read command, counted as a keyspace hit or miss. */
    private byte[] lookupString(String key) {
        return (byte[]) engine.lookupRead(key, KeyType.STRING);
    }

    @Override
    public boolean getBit(String key, long offset) {
        KeyRules.check(key);
        checkOffset(offset);
        return engine.call(() -> {
            byte[] value = lookupString(key);
            return value != null && Bits.get(value, offset);
        });
    }

    @Override
    public boolean setBit(String key, long offset, boolean bit) {
        KeyRules.check(key);
        checkOffset(offset);
        return engine.call(() -> {
            byte[] current = readString(key);
            boolean old = current != null && Bits.get(current, offset);
            int index = (int) (offset >>> 3);
            byte[] result = grown(current, index + 1);
            Bits.set(result, offset, bit);
            // Redis 7.0 counts a SETBIT as a write even when the bit keeps its value.
            engine.put(key, result, true);
            // As Redis 7.0.15: the event only when the key was created or grown or the bit flipped.
            if (current == null || result.length > current.length || old != bit) {
                engine.event(KeyEventClass.STRING, "setbit", key);
            }
            engine.propagate("SETRANGE", key, index, new byte[] {result[index]});
            return old;
        });
    }

    /** A copy of {@code current} (null: empty) at least {@code length} bytes long, zero padded. */
    private static byte[] grown(byte[] current, int length) {
        if (current == null) {
            return new byte[length];
        }
        byte[] copy = new byte[Math.max(length, current.length)];
        System.arraycopy(current, 0, copy, 0, current.length);
        return copy;
    }

    @Override
    public long bitCount(String key) {
        KeyRules.check(key);
        return engine.call(() -> {
            byte[] value = lookupString(key);
            return value == null || value.length == 0 ? 0L : Bits.count(value, 0, value.length * 8L - 1);
        });
    }

    @Override
    public long bitCount(String key, long start, long end, BitUnit unit) {
        KeyRules.check(key);
        Objects.requireNonNull(unit, "unit");
        return engine.call(() -> {
            byte[] value = lookupString(key);
            if (value == null || start < 0 && end < 0 && start > end) {
                return 0L;
            }
            long[] range = bitRange(value.length, start, end, unit);
            return range == null ? 0L : Bits.count(value, range[0], range[1]);
        });
    }

    /**
     * The bits {first, last} that {@code start} and {@code end} cover in a string of
     * {@code length} bytes, as bitops.c turns them (negative indexes from the end, then clipped);
     * null for an empty range.
     */
    private static long[] bitRange(int length, long start, long end, BitUnit unit) {
        boolean bits = unit == BitUnit.BIT;
        long size = bits ? length * 8L : length;
        long from = start < 0 ? Math.max(0, size + start) : start;
        long to = end < 0 ? Math.max(0, size + end) : end;
        if (to >= size) {
            to = size - 1;
        }
        if (from > to) {
            return null;
        }
        return bits ? new long[] {from, to} : new long[] {from * 8, to * 8 + 7};
    }

    @Override
    public long bitPos(String key, boolean bit) {
        KeyRules.check(key);
        return bitPosGeneric(key, bit, 0, -1, BitUnit.BYTE, false);
    }

    @Override
    public long bitPos(String key, boolean bit, long start) {
        KeyRules.check(key);
        return bitPosGeneric(key, bit, start, -1, BitUnit.BYTE, false);
    }

    @Override
    public long bitPos(String key, boolean bit, long start, long end, BitUnit unit) {
        KeyRules.check(key);
        Objects.requireNonNull(unit, "unit");
        return bitPosGeneric(key, bit, start, end, unit, true);
    }

    private long bitPosGeneric(String key, boolean bit, long start, long end, BitUnit unit, boolean endGiven) {
        return engine.call(() -> {
            byte[] value = lookupString(key);
            if (value == null) {
                // A missing key is an endless run of clear bits.
                return bit ? -1L : 0L;
            }
            long[] range = bitRange(value.length, start, end, unit);
            if (range == null) {
                return -1L;
            }
            long found = Bits.find(value, bit, range[0], range[1]);
            if (found >= 0 || bit || endGiven) {
                return found;
            }
            // Without an end the string counts as padded with clear bits on the right.
            return range[1] + 1;
        });
    }

    @Override
    public long bitOp(BitOperation op, String destination, String... keys) {
        Objects.requireNonNull(op, "op");
        KeyRules.check(destination);
        KeyRules.checkAll(keys);
        if (keys.length == 0) {
            throw new IllegalArgumentException("wrong number of arguments for 'bitop' command: no source key");
        }
        if (op == BitOperation.NOT && keys.length != 1) {
            throw new IllegalArgumentException("BITOP NOT must be called with a single source key, got " + keys.length);
        }
        return engine.call(() -> {
            byte[][] sources = new byte[keys.length][];
            int longest = 0;
            for (int i = 0; i < keys.length; i++) {
                sources[i] = lookupString(keys[i]);
                if (sources[i] != null) {
                    longest = Math.max(longest, sources[i].length);
                }
            }
            if (longest == 0) {
                if (engine.delete(destination)) {
                    engine.event(KeyEventClass.GENERIC, "del", destination);
                    engine.propagate("DEL", destination);
                }
                return 0L;
            }
            byte[] result = combine(op, sources, longest);
            engine.put(destination, result, false);
            // Redis names BITOP's store "set".
            engine.event(KeyEventClass.STRING, "set", destination);
            engine.propagate("SET", destination, result);
            return (long) result.length;
        });
    }

    /** The bitwise {@code op} of {@code sources} (null: empty), each zero padded to {@code length} bytes. */
    private static byte[] combine(BitOperation op, byte[][] sources, int length) {
        byte[] result = new byte[length];
        byte[] first = sources[0];
        if (first != null) {
            System.arraycopy(first, 0, result, 0, first.length);
        }
        if (op == BitOperation.NOT) {
            for (int i = 0; i < length; i++) {
                result[i] = (byte) ~result[i];
            }
            return result;
        }
        for (int s = 1; s < sources.length; s++) {
            byte[] source = sources[s];
            int size = source == null ? 0 : source.length;
            for (int i = 0; i < length; i++) {
                int b = i < size ? source[i] : 0;
                result[i] = (byte) switch (op) {
                    case AND -> result[i] & b;
                    case OR -> result[i] | b;
                    default -> result[i] ^ b;
                };
            }
        }
        return result;
    }

    @Override
    public List<Long> bitField(String key, BitFieldArgs args) {
        KeyRules.check(key);
        Objects.requireNonNull(args, "args");
        return bitFieldGeneric(key, args);
    }

    @Override
    public List<Long> bitFieldRo(String key, BitFieldArgs args) {
        KeyRules.check(key);
        Objects.requireNonNull(args, "args");
        if (args.writes()) {
            throw new IllegalArgumentException("BITFIELD_RO only supports the GET subcommand: " + args);
        }
        return bitFieldGeneric(key, args);
    }

    private List<Long> bitFieldGeneric(String key, BitFieldArgs args) {
        List<BitFieldArgs.Op> ops = args.ops();
        long lowest = Long.MAX_VALUE;
        long highest = -1;
        for (BitFieldArgs.Op op : ops) {
            if (op.kind() != BitFieldArgs.Kind.GET) {
                lowest = Math.min(lowest, op.offset());
                highest = Math.max(highest, op.offset() + op.type().bits() - 1);
            }
        }
        long highestWrite = highest;
        if (highestWrite > MAX_OFFSET) {
            // Redis grows the string a few bytes past 512 MiB here; a string never passes it in Cairn.
            throw new IllegalArgumentException("bit offset is not an integer or out of range: a field written "
                    + "ends at bit " + highestWrite + ", past the end of a 512 MiB string (bit " + MAX_OFFSET + ")");
        }
        long firstByte = lowest >>> 3;
        long lastByte = highestWrite >>> 3;
        return engine.call(() -> {
            // Only GETs: Redis looks the key up as a read; with a write, as a write.
            byte[] current = highestWrite < 0 ? lookupString(key) : readString(key);
            byte[] value = highestWrite < 0 ? current : grown(current, (int) lastByte + 1);
            List<Long> replies = new ArrayList<>(ops.size());
            for (BitFieldArgs.Op op : ops) {
                replies.add(apply(op, value));
            }
            if (highestWrite >= 0) {
                engine.put(key, value, true);
                engine.event(KeyEventClass.STRING, "setbit", key);
                byte[] changed = new byte[(int) (lastByte - firstByte + 1)];
                System.arraycopy(value, (int) firstByte, changed, 0, changed.length);
                engine.propagate("SETRANGE", key, firstByte, changed);
            }
            return replies;
        });
    }

    /** Runs one subcommand on {@code value} (null: a missing key, for reads only); returns its reply. */
    private static Long apply(BitFieldArgs.Op op, byte[] value) {
        int bits = op.type().bits();
        boolean signed = op.type().signed();
        long old = value == null ? 0 : signed ? Bits.getSigned(value, op.offset(), bits)
                : Bits.getUnsigned(value, op.offset(), bits);
        if (op.kind() == BitFieldArgs.Kind.GET) {
            return old;
        }
        boolean incr = op.kind() == BitFieldArgs.Kind.INCRBY;
        boolean saturate = op.overflow() == BitFieldArgs.Overflow.SAT;
        Bits.Sum sum = signed
                ? Bits.addSigned(incr ? old : op.value(), incr ? op.value() : 0, bits, saturate)
                : Bits.addUnsigned(incr ? old : op.value(), incr ? op.value() : 0, bits, saturate);
        if (sum.overflowed() && op.overflow() == BitFieldArgs.Overflow.FAIL) {
            return null;
        }
        Bits.setField(value, op.offset(), bits, sum.value());
        return incr ? sum.value() : old;
    }
}
