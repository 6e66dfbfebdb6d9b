package dev.cairn.dictionary.internal;

import dev.cairn.dictionary.KeyEventClass;
import dev.cairn.dictionary.KeyType;
import dev.cairn.dictionary.ScanArgs;
import dev.cairn.dictionary.ScanPage;
import dev.cairn.dictionary.SetCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The set commands, each one run under the {@link Engine}'s command lock, on {@link SetValue}s.
 *
 * <p>Every argument is checked and every key's type read before the first mutation, so a
 * command that throws has changed nothing. Writes go through {@link Engine#write} (saved for
 * a transaction's undo), then {@link Engine#changed} (watches, blocked waiters) and
 * {@link Engine#removeIfEmpty}. Each write is propagated in deterministic form: SPOP as the
 * SREM of the members it chose; store commands as DEL of the destination plus the SADD of
 * the result.
 *
 * <p>Thread-safe: all state is in the engine, guarded by its lock.
 */
final class SetCommandsImpl implements SetCommands {
    private final Engine engine;

    SetCommandsImpl(Engine engine) {
        this.engine = engine;
    }

    private SetValue read(String key) {
        return engine.readAs(key, KeyType.SET, SetValue.class);
    }

    /** The value of {@code key} for a read command, counted as a keyspace hit or miss. */
    private SetValue lookup(String key) {
        return engine.lookupReadAs(key, KeyType.SET, SetValue.class);
    }

    private SetValue write(String key) {
        return engine.writeAs(key, KeyType.SET, SetValue.class);
    }

    /** After removals: marks the key written, emits {@code event}, removes it if empty, logs the SREM. */
    private void removed(String key, SetValue set, List<byte[]> gone, String event) {
        if (gone.isEmpty()) {
            return;
        }
        engine.changed(key);
        engine.event(KeyEventClass.SET, event, key);
        engine.removeIfEmpty(key, set);
        engine.propagate("SREM", key, gone);
    }

    @Override
    public long sadd(String key, byte[]... members) {
        KeyRules.check(key);
        byte[][] copies = Members.in(members);
        return engine.call(() -> {
            SetValue set = write(key);
            if (set == null) {
                set = engine.create(key, new SetValue(copies.length));
            }
            List<byte[]> added = new ArrayList<>(copies.length);
            for (byte[] member : copies) {
                if (set.add(member)) {
                    added.add(member);
                }
            }
            if (!added.isEmpty()) {
                engine.changed(key);
                engine.event(KeyEventClass.SET, "sadd", key);
                engine.propagate("SADD", key, added);
            }
            engine.removeIfEmpty(key, set);
            return (long) added.size();
        });
    }

    @Override
    public long srem(String key, byte[]... members) {
        KeyRules.check(key);
        byte[][] copies = Members.in(members);
        return engine.call(() -> {
            SetValue set = write(key);
            if (set == null) {
                return 0L;
            }
            List<byte[]> gone = new ArrayList<>();
            for (byte[] member : copies) {
                if (set.remove(member)) {
                    gone.add(member);
                }
            }
            removed(key, set, gone, "srem");
            return (long) gone.size();
        });
    }

    @Override
    public List<byte[]> smembers(String key) {
        KeyRules.check(key);
        return engine.call(() -> {
            SetValue set = lookup(key);
            return set == null ? new ArrayList<>() : Members.out(set.members());
        });
    }

    @Override
    public boolean sismember(String key, byte[] member) {
        KeyRules.check(key);
        Objects.requireNonNull(member, "member");
        return engine.call(() -> {
            SetValue set = lookup(key);
            return set != null && set.contains(member);
        });
    }

    @Override
    public List<Boolean> smismember(String key, byte[]... members) {
        KeyRules.check(key);
        byte[][] copies = Members.in(members);
        return engine.call(() -> {
            SetValue set = lookup(key);
            List<Boolean> answer = new ArrayList<>(copies.length);
            for (byte[] member : copies) {
                answer.add(set != null && set.contains(member));
            }
            return answer;
        });
    }

    @Override
    public long scard(String key) {
        KeyRules.check(key);
        return engine.call(() -> {
            SetValue set = lookup(key);
            return set == null ? 0L : set.size();
        });
    }

    @Override
    public byte[] spop(String key) {
        List<byte[]> popped = spop(key, 1);
        return popped.isEmpty() ? null : popped.get(0);
    }

    @Override
    public List<byte[]> spop(String key, long count) {
        KeyRules.check(key);
        if (count < 0) {
            throw new IllegalArgumentException("value is out of range, must be positive: count " + count);
        }
        return engine.call(() -> {
            SetValue set = write(key);
            if (set == null || count == 0) {
                return new ArrayList<>();
            }
            List<byte[]> popped = set.pop(count, engine.random);
            removed(key, set, popped, "spop");
            return Members.out(popped);
        });
    }

    @Override
    public byte[] srandmember(String key) {
        KeyRules.check(key);
        return engine.call(() -> {
            SetValue set = lookup(key);
            byte[] member = set == null ? null : set.randomMember(engine.random);
            return member == null ? null : member.clone();
        });
    }

    @Override
    public List<byte[]> srandmember(String key, long count) {
        KeyRules.check(key);
        if (count < -RandomSampling.MAX_COUNT) {
            throw new IllegalArgumentException("value is out of range: count " + count);
        }
        return engine.call(() -> {
            SetValue set = lookup(key);
            return set == null ? new ArrayList<>() : Members.out(set.randomMembers(count, engine.random));
        });
    }

    @Override
    public boolean smove(String source, String destination, byte[] member) {
        KeyRules.check(source);
        KeyRules.check(destination);
        byte[] copy = Members.in(member);
        return engine.call(() -> {
            SetValue from = read(source);
            if (from == null) {
                // As in Redis: a missing source answers 0 before the destination's type is looked at.
                return false;
            }
            SetValue to = read(destination);
            if (source.equals(destination)) {
                return from.contains(copy);
            }
            if (!from.contains(copy)) {
                return false;
            }
            from = write(source);
            from.remove(copy);
            engine.changed(source);
            engine.event(KeyEventClass.SET, "srem", source);
            engine.removeIfEmpty(source, from);
            // As in Redis, a destination that already holds the member is not written (nor signalled).
            if (to == null) {
                engine.create(destination, new SetValue()).add(copy);
                engine.changed(destination);
                engine.event(KeyEventClass.SET, "sadd", destination);
            } else if (!to.contains(copy)) {
                write(destination).add(copy);
                engine.changed(destination);
                engine.event(KeyEventClass.SET, "sadd", destination);
            }
            engine.propagate("SMOVE", source, destination, copy);
            return true;
        });
    }

    /**
     * Every key's set (null when missing), type-checked in order before anything else; each key
     * is a keyspace hit or miss, for the STORE forms too (as Redis 7.0 counts them).
     */
    private List<SetValue> readAll(String[] keys) {
        List<SetValue> sets = new ArrayList<>(keys.length);
        for (String key : keys) {
            sets.add(lookup(key));
        }
        return sets;
    }

    private List<byte[]> algebra(String[] keys, Function<List<SetValue>, SetValue> operation) {
        KeyRules.checkAll(keys);
        return engine.call(() -> Members.out(operation.apply(readAll(keys)).members()));
    }

    /** SINTERSTORE and its relatives; {@code event} is the command's name in lower case, as Redis's event. */
    private long algebraStore(String destination, String[] keys, Function<List<SetValue>, SetValue> operation,
                              String event) {
        KeyRules.check(destination);
        KeyRules.checkAll(keys);
        return engine.call(() -> {
            SetValue result = operation.apply(readAll(keys));
            if (result.isEmpty()) {
                if (engine.delete(destination)) {
                    engine.event(KeyEventClass.GENERIC, "del", destination);
                    engine.propagate("DEL", destination);
                }
                return 0L;
            }
            engine.put(destination, result, false);
            engine.event(KeyEventClass.SET, event, destination);
            if (engine.logging()) {
                engine.propagate("DEL", destination);
                engine.propagate("SADD", destination, result.members());
            }
            return (long) result.size();
        });
    }

    @Override
    public List<byte[]> sinter(String... keys) {
        return algebra(keys, SetAlgebra::intersection);
    }

    @Override
    public long sintercard(long limit, String... keys) {
        KeyRules.checkAll(keys);
        if (limit < 0) {
            throw new IllegalArgumentException("LIMIT can't be negative: " + limit);
        }
        return engine.call(() -> SetAlgebra.intersectionCardinality(readAll(keys), limit));
    }

    @Override
    public List<byte[]> sunion(String... keys) {
        return algebra(keys, SetAlgebra::union);
    }

    @Override
    public List<byte[]> sdiff(String... keys) {
        return algebra(keys, SetAlgebra::difference);
    }

    @Override
    public long sinterstore(String destination, String... keys) {
        return algebraStore(destination, keys, SetAlgebra::intersection, "sinterstore");
    }

    @Override
    public long sunionstore(String destination, String... keys) {
        return algebraStore(destination, keys, SetAlgebra::union, "sunionstore");
    }

    @Override
    public long sdiffstore(String destination, String... keys) {
        return algebraStore(destination, keys, SetAlgebra::difference, "sdiffstore");
    }

    @Override
    public ScanPage<byte[]> sscan(String key, long cursor, ScanArgs args) {
        KeyRules.check(key);
        Objects.requireNonNull(args, "args");
        byte[] pattern = Members.pattern(args);
        return engine.call(() -> {
            SetValue set = lookup(key);
            if (set == null) {
                return new ScanPage<byte[]>(0, List.of());
            }
            List<byte[]> found = new ArrayList<>();
            long next = set.scan(cursor, args.count(), member -> {
                if (Members.matches(pattern, member)) {
                    found.add(member.clone());
                }
            });
            return new ScanPage<>(next, found);
        });
    }
}
