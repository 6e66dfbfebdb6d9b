package dev.cairn.dictionary.internal;

import dev.cairn.dictionary.Expiration;
import dev.cairn.dictionary.KeyEventClass;
import dev.cairn.dictionary.KeyType;
import dev.cairn.dictionary.LcsResult;
import dev.cairn.dictionary.NotAFloatException;
import dev.cairn.dictionary.OverflowException;
import dev.cairn.dictionary.SetArgs;
import dev.cairn.dictionary.SetResult;
import dev.cairn.dictionary.StringCommands;
import dev.cairn.dictionary.WrongTypeException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The string commands, each one run under the {@link Engine}'s command lock. A string is stored
 * as a bare {@code byte[]} that no command mutates (APPEND and SETRANGE store a new array), so
 * the undo log and future snapshots may share it. Values are copied in and out.
 *
 * <p>Thread-safe: all state is in the engine, guarded by its lock.
 */
final class StringCommandsImpl implements StringCommands {
    private final Engine engine;

    StringCommandsImpl(Engine engine) {
        this.engine = engine;
    }

    private static byte[] copyOf(byte[] value) {
        return Objects.requireNonNull(value, "value").clone();
    }

    private static byte[] copyOrNull(Object value) {
        return value == null ? null : ((byte[]) value).clone();
    }

    // GET and SET are the hot paths: no lambda, so nothing is allocated but the copies.
    @Override
    public byte[] get(String key) {
        // The key's characters are checked only when nothing was found: a key that is present
        // passed the check when it was stored. Checking first reads the key's characters before
        // the lookup starts; with many keys, and a caller's key not in the CPU cache, that is one
        // more cache miss in a row, which the lookup otherwise overlaps with its own (it reads
        // the same characters to compare them). An invalid key still gets its
        // IllegalArgumentException, after the lookup instead of before it; either way outside the
        // command, so a transaction does not count it as a failed command.
        KeyRules.checkNotNull(key);
        // First without the lock (see Engine, "Reads without the lock"); the locked read handles
        // what that cannot: a write in progress, expiry, another type, a closed dictionary.
        Object value = engine.peekString(key);
        if (value == Engine.UNKNOWN) {
            value = lockedGet(key);
        }
        if (value == null) {
            KeyRules.check(key);
            return null;
        }
        // Stored strings are never mutated, so the copy needs no lock.
        return ((byte[]) value).clone();
    }

    private Object lockedGet(String key) {
        engine.begin();
        try {
            return engine.lookupRead(key, KeyType.STRING);
        } catch (RuntimeException e) {
            engine.fail(e);
            throw e;
        } finally {
            engine.end();
        }
    }

    @Override
    public void set(String key, byte[] value) {
        KeyRules.check(key);
        byte[] copy = copyOf(value);
        engine.begin();
        try {
            engine.put(key, copy, false);
            engine.event(KeyEventClass.STRING, "set", key);
            if (engine.logging()) {
                engine.propagate("SET", key, copy);
            }
        } finally {
            engine.end();
        }
    }

    @Override
    public SetResult set(String key, byte[] value, SetArgs args) {
        KeyRules.check(key);
        Objects.requireNonNull(args, "args");
        byte[] copy = copyOf(value);
        Expiration expiration = args.expiration();
        Deadlines.checkPositive(expiration, "set");
        return engine.call(() -> {
            long deadlineMs = Keyspace.NO_DEADLINE;
            boolean keepTtl = expiration != null && expiration.kind() == Expiration.Kind.KEEP_TTL;
            if (expiration != null && !keepTtl) {
                deadlineMs = Deadlines.absolute(expiration, engine.nowMs(), "set");
            }
            // SET ... GET looks the key up as GET does (Redis's getGenericCommand); plain SET as a write.
            Node<Object> node = args.get() ? engine.lookupRead(key) : engine.live(key);
            byte[] old = null;
            if (args.get() && node != null) {
                if (!(node.value instanceof byte[] bytes)) {
                    throw new WrongTypeException(key, KeyType.STRING, Engine.typeOf(node.value));
                }
                old = bytes.clone();
            }
            boolean write = switch (args.condition()) {
                case ALWAYS -> true;
                case NX -> node == null;
                case XX -> node != null;
            };
            if (write) {
                engine.put(key, copy, keepTtl);
                engine.event(KeyEventClass.STRING, "set", key);
                if (deadlineMs != Keyspace.NO_DEADLINE) {
                    engine.setDeadline(key, deadlineMs);
                    engine.event(KeyEventClass.GENERIC, "expire", key);
                    engine.propagate("SET", key, copy, "PXAT", deadlineMs);
                } else if (keepTtl) {
                    engine.propagate("SET", key, copy, "KEEPTTL");
                } else {
                    engine.propagate("SET", key, copy);
                }
            }
            return new SetResult(write, old);
        });
    }

    @Override
    public boolean setNx(String key, byte[] value) {
        return set(key, value, SetArgs.DEFAULT.nx()).written();
    }

    @Override
    public byte[] getSet(String key, byte[] value) {
        KeyRules.check(key);
        byte[] copy = copyOf(value);
        return engine.call(() -> {
            byte[] old = copyOrNull(engine.lookupRead(key, KeyType.STRING));
            engine.put(key, copy, false);
            engine.event(KeyEventClass.STRING, "set", key);
            engine.propagate("SET", key, copy);
            return old;
        });
    }

    @Override
    public byte[] getDel(String key) {
        KeyRules.check(key);
        return engine.call(() -> {
            Object old = engine.lookupRead(key, KeyType.STRING);
            if (old != null) {
                engine.delete(key);
                engine.event(KeyEventClass.GENERIC, "del", key);
                engine.propagate("DEL", key);
            }
            return copyOrNull(old);
        });
    }

    @Override
    public byte[] getEx(String key, Expiration expiration) {
        KeyRules.check(key);
        if (expiration != null && expiration.kind() == Expiration.Kind.KEEP_TTL) {
            throw new IllegalArgumentException("GETEX takes no KEEPTTL option");
        }
        return engine.call(() -> {
            // Redis 7.0 looks the key up before it checks the expiry value.
            Object value = engine.lookupRead(key, KeyType.STRING);
            if (value == null || expiration == null) {
                return copyOrNull(value);
            }
            Deadlines.checkPositive(expiration, "getex");
            long nowMs = engine.nowMs();
            long deadlineMs = expiration.kind() == Expiration.Kind.PERSIST
                    ? Keyspace.NO_DEADLINE : Deadlines.absolute(expiration, nowMs, "getex");
            if (expiration.kind() == Expiration.Kind.PERSIST) {
                if (engine.clearDeadline(key)) {
                    engine.event(KeyEventClass.GENERIC, "persist", key);
                    engine.propagate("PERSIST", key);
                }
            } else if (deadlineMs <= nowMs) {
                engine.delete(key);
                engine.event(KeyEventClass.GENERIC, "del", key);
                engine.propagate("DEL", key);
            } else {
                engine.setDeadline(key, deadlineMs);
                engine.event(KeyEventClass.GENERIC, "expire", key);
                engine.propagate("PEXPIREAT", key, deadlineMs);
            }
            return copyOrNull(value);
        });
    }

    @Override
    public List<byte[]> mget(String... keys) {
        KeyRules.checkAll(keys);
        return engine.call(() -> {
            List<byte[]> values = new ArrayList<>(keys.length);
            for (String key : keys) {
                Node<Object> node = engine.lookupRead(key);
                values.add(node != null && node.value instanceof byte[] bytes ? bytes.clone() : null);
            }
            return values;
        });
    }

    private static Map<String, byte[]> checkedCopy(Map<String, byte[]> pairs) {
        if (pairs == null || pairs.isEmpty()) {
            throw new IllegalArgumentException("at least one key and value are required");
        }
        Map<String, byte[]> copy = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> pair : pairs.entrySet()) {
            copy.put(KeyRules.check(pair.getKey()), copyOf(pair.getValue()));
        }
        return copy;
    }

    private void storeAll(Map<String, byte[]> pairs, String command) {
        List<Object> args = new ArrayList<>();
        args.add(command);
        for (Map.Entry<String, byte[]> pair : pairs.entrySet()) {
            engine.put(pair.getKey(), pair.getValue(), false);
            engine.event(KeyEventClass.STRING, "set", pair.getKey());
            args.add(pair.getKey());
            args.add(pair.getValue());
        }
        engine.propagate(args);
    }

    @Override
    public void mset(Map<String, byte[]> pairs) {
        Map<String, byte[]> copy = checkedCopy(pairs);
        engine.run(() -> storeAll(copy, "MSET"));
    }

    @Override
    public boolean msetNx(Map<String, byte[]> pairs) {
        Map<String, byte[]> copy = checkedCopy(pairs);
        return engine.call(() -> {
            for (String key : copy.keySet()) {
                if (engine.live(key) != null) {
                    return false;
                }
            }
            storeAll(copy, "MSET");
            return true;
        });
    }

    @Override
    public long decrBy(String key, long decrement) {
        if (decrement == Long.MIN_VALUE) {
            throw new OverflowException("decrement would overflow: " + decrement);
        }
        return incrBy(key, -decrement);
    }

    @Override
    public long incrBy(String key, long increment) {
        KeyRules.check(key);
        return engine.call(() -> {
            Object value = engine.read(key, KeyType.STRING);
            long current = value == null ? 0 : Numbers.parseLongOrThrow(key, (byte[]) value);
            long result = Numbers.add(current, increment);
            engine.put(key, Numbers.format(result), true);
            engine.event(KeyEventClass.STRING, "incrby", key);
            engine.propagate("INCRBY", key, increment);
            return result;
        });
    }

    @Override
    public double incrByFloat(String key, double increment) {
        KeyRules.check(key);
        if (Double.isNaN(increment)) {
            throw new NotAFloatException("increment is not a valid float: NaN");
        }
        return Double.parseDouble(incrByFloat(key, Double.toString(increment)));
    }

    @Override
    public String incrByFloat(String key, String increment) {
        KeyRules.check(key);
        Objects.requireNonNull(increment, "increment");
        return engine.call(() -> {
            // Redis's order: the type (a write lookup, not a keyspace hit), the value, the increment.
            byte[] value = (byte[]) engine.read(key, KeyType.STRING);
            LongDouble.Value current = value == null ? LongDouble.ZERO : LongDouble.parse(LongDouble.text(value));
            if (current == null) {
                throw new NotAFloatException("value '" + Numbers.printable(value) + "' of key '" + key
                        + "' is not a valid float");
            }
            LongDouble.Value addend = LongDouble.parse(increment);
            if (addend == null) {
                throw new NotAFloatException("increment '" + LongDouble.printable(increment) + "' is not a valid float");
            }
            BigDecimal sum = LongDouble.add(current, addend);
            if (sum == null) {
                throw new NotAFloatException("increment would produce NaN or Infinity");
            }
            String result = LongDouble.format(sum);
            byte[] bytes = result.getBytes(StandardCharsets.US_ASCII);
            engine.put(key, bytes, true);
            engine.event(KeyEventClass.STRING, "incrbyfloat", key);
            engine.propagate("SET", key, bytes, "KEEPTTL");
            return result;
        });
    }

    @Override
    public long append(String key, byte[] value) {
        KeyRules.check(key);
        byte[] suffix = copyOf(value);
        return engine.call(() -> {
            byte[] current = (byte[]) engine.read(key, KeyType.STRING);
            int length = current == null ? 0 : current.length;
            checkLength(length, suffix.length);
            byte[] joined = new byte[length + suffix.length];
            if (current != null) {
                System.arraycopy(current, 0, joined, 0, length);
            }
            System.arraycopy(suffix, 0, joined, length, suffix.length);
            engine.put(key, joined, true);
            engine.event(KeyEventClass.STRING, "append", key);
            engine.propagate("APPEND", key, suffix);
            return (long) joined.length;
        });
    }

    /** Refuses a string that would end past 512 MiB; both arguments are non-negative. */
    private static void checkLength(long offset, long length) {
        // Compared without adding: offset + length overflows for an offset near Long.MAX_VALUE.
        if (length > Numbers.MAX_STRING_BYTES || offset > Numbers.MAX_STRING_BYTES - length) {
            throw new OverflowException("string exceeds maximum allowed size: " + offset + " + " + length
                    + " bytes > " + Numbers.MAX_STRING_BYTES);
        }
    }

    @Override
    public long strlen(String key) {
        KeyRules.check(key);
        return engine.call(() -> {
            Object value = engine.lookupRead(key, KeyType.STRING);
            return value == null ? 0L : ((byte[]) value).length;
        });
    }

    @Override
    public byte[] getRange(String key, long start, long end) {
        KeyRules.check(key);
        return engine.call(() -> {
            byte[] value = (byte[]) engine.lookupRead(key, KeyType.STRING);
            long length = value == null ? 0 : value.length;
            if (start < 0 && end < 0 && start > end) {
                return new byte[0];
            }
            long from = start < 0 ? Math.max(0, length + start) : start;
            long to = end < 0 ? Math.max(0, length + end) : end;
            if (to >= length) {
                to = length - 1;
            }
            if (from > to || length == 0) {
                return new byte[0];
            }
            byte[] range = new byte[(int) (to - from + 1)];
            System.arraycopy(value, (int) from, range, 0, range.length);
            return range;
        });
    }

    @Override
    public long setRange(String key, long offset, byte[] value) {
        KeyRules.check(key);
        byte[] patch = copyOf(value);
        if (offset < 0) {
            throw new IllegalArgumentException("offset is out of range: " + offset);
        }
        return engine.call(() -> {
            byte[] current = (byte[]) engine.read(key, KeyType.STRING);
            int length = current == null ? 0 : current.length;
            if (patch.length == 0) {
                return (long) length;
            }
            checkLength(offset, patch.length);
            byte[] result = new byte[(int) Math.max(length, offset + patch.length)];
            if (current != null) {
                System.arraycopy(current, 0, result, 0, length);
            }
            System.arraycopy(patch, 0, result, (int) offset, patch.length);
            engine.put(key, result, true);
            engine.event(KeyEventClass.STRING, "setrange", key);
            engine.propagate("SETRANGE", key, offset, patch);
            return (long) result.length;
        });
    }

    @Override
    public byte[] lcs(String key1, String key2) {
        return lcsTable(key1, key2, Lcs::sequence);
    }

    @Override
    public long lcsLen(String key1, String key2) {
        return lcsTable(key1, key2, table -> (long) table.length());
    }

    @Override
    public LcsResult lcsIdx(String key1, String key2, long minMatchLen) {
        return lcsTable(key1, key2, table -> table.matches(minMatchLen));
    }

    private <T> T lcsTable(String key1, String key2, Function<Lcs, T> answer) {
        KeyRules.check(key1);
        KeyRules.check(key2);
        return engine.call(() -> {
            // Both keys are looked up (each a keyspace hit or miss) before either type is checked, as Redis does.
            Node<Object> first = engine.lookupRead(key1);
            Node<Object> second = engine.lookupRead(key2);
            byte[] a = stringOrNull(key1, first);
            byte[] b = stringOrNull(key2, second);
            return answer.apply(Lcs.of(a == null ? new byte[0] : a, b == null ? new byte[0] : b));
        });
    }

    private static byte[] stringOrNull(String key, Node<Object> node) {
        if (node == null) {
            return null;
        }
        if (!(node.value instanceof byte[] bytes)) {
            throw new WrongTypeException(key, KeyType.STRING, Engine.typeOf(node.value));
        }
        return bytes;
    }
}
