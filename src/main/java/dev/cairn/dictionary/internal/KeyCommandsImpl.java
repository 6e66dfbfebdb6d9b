package dev.cairn.dictionary.internal;

import dev.cairn.dictionary.BusyKeyException;
import dev.cairn.dictionary.ExpireCondition;
import dev.cairn.dictionary.Glob;
import dev.cairn.dictionary.KeyCommands;
import dev.cairn.dictionary.KeyEventClass;
import dev.cairn.dictionary.KeyType;
import dev.cairn.dictionary.NoSuchKeyException;
import dev.cairn.dictionary.RestoreArgs;
import dev.cairn.dictionary.ScanArgs;
import dev.cairn.dictionary.ScanPage;
import dev.cairn.dictionary.SortArgs;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The key commands, each one run under the {@link Engine}'s command lock.
 *
 * <p>Thread-safe: all state is in the engine, guarded by its lock.
 */
final class KeyCommandsImpl implements KeyCommands {
    private final Engine engine;
    private final SortCommand sort;

    KeyCommandsImpl(Engine engine) {
        this.engine = engine;
        this.sort = new SortCommand(engine);
    }

    @Override
    public long del(String... keys) {
        KeyRules.checkAll(keys);
        return engine.call(() -> {
            List<String> deleted = new ArrayList<>();
            for (String key : keys) {
                if (engine.delete(key)) {
                    engine.event(KeyEventClass.GENERIC, "del", key);
                    deleted.add(key);
                }
            }
            if (!deleted.isEmpty()) {
                engine.propagate("DEL", deleted);
            }
            return (long) deleted.size();
        });
    }

    @Override
    public long exists(String... keys) {
        KeyRules.checkAll(keys);
        return engine.call(() -> {
            long count = 0;
            for (String key : keys) {
                if (engine.lookupRead(key) != null) {
                    count++;
                }
            }
            return count;
        });
    }

    @Override
    public KeyType type(String key) {
        KeyRules.check(key);
        return engine.call(() -> {
            Node<Object> node = engine.lookupRead(key);
            return node == null ? KeyType.NONE : Engine.typeOf(node.value);
        });
    }

    @Override
    public void rename(String key, String newKey) {
        renameGeneric(key, newKey, false);
    }

    @Override
    public boolean renameNx(String key, String newKey) {
        return renameGeneric(key, newKey, true);
    }

    private boolean renameGeneric(String key, String newKey, boolean onlyIfAbsent) {
        KeyRules.check(key);
        KeyRules.check(newKey);
        return engine.call(() -> {
            Node<Object> node = engine.live(key);
            if (node == null) {
                throw new NoSuchKeyException(key);
            }
            if (key.equals(newKey)) {
                return !onlyIfAbsent;
            }
            if (onlyIfAbsent && engine.live(newKey) != null) {
                return false;
            }
            Object value = node.value;
            long deadlineMs = Keyspace.deadlineOf(node);
            // As Redis: a destination that exists is deleted first, so the key is added anew.
            engine.delete(newKey);
            engine.put(newKey, value, false);
            engine.delete(key);
            if (deadlineMs != Keyspace.NO_DEADLINE) {
                engine.setDeadline(newKey, deadlineMs);
            }
            engine.event(KeyEventClass.GENERIC, "rename_from", key);
            engine.event(KeyEventClass.GENERIC, "rename_to", newKey);
            engine.propagate(onlyIfAbsent ? "RENAMENX" : "RENAME", key, newKey);
            return true;
        });
    }

    @Override
    public boolean copy(String source, String destination, boolean replace) {
        KeyRules.check(source);
        KeyRules.check(destination);
        if (source.equals(destination)) {
            throw new IllegalArgumentException("source and destination objects are the same: '" + source + "'");
        }
        return engine.call(() -> {
            // Redis looks the source up as a read, the destination as a write.
            Node<Object> node = engine.lookupRead(source);
            if (node == null) {
                return false;
            }
            if (engine.live(destination) != null && !replace) {
                return false;
            }
            // Strings are never mutated, so they are shared; collections are copied deeply.
            Object value = node.value instanceof CollectionValue collection ? collection.copy() : node.value;
            long deadlineMs = Keyspace.deadlineOf(node);
            engine.delete(destination);
            engine.put(destination, value, false);
            if (deadlineMs != Keyspace.NO_DEADLINE) {
                engine.setDeadline(destination, deadlineMs);
            }
            engine.event(KeyEventClass.GENERIC, "copy_to", destination);
            // With REPLACE whatever the call said: it replays the same whether or not the
            // destination existed, and a replay must not find it there and skip the copy.
            engine.propagate("COPY", source, destination, "REPLACE");
            return true;
        });
    }

    @Override
    public long touch(String... keys) {
        return exists(keys);
    }

    @Override
    public boolean expire(String key, long seconds, ExpireCondition condition) {
        return expireGeneric(key, seconds, 1000, true, condition, "expire");
    }

    @Override
    public boolean pexpire(String key, long millis, ExpireCondition condition) {
        return expireGeneric(key, millis, 1, true, condition, "pexpire");
    }

    @Override
    public boolean expireAt(String key, long unixSeconds, ExpireCondition condition) {
        return expireGeneric(key, unixSeconds, 1000, false, condition, "expireat");
    }

    @Override
    public boolean pexpireAt(String key, long unixMillis, ExpireCondition condition) {
        return expireGeneric(key, unixMillis, 1, false, condition, "pexpireat");
    }

    // Redis's expireGenericCommand: overflow check first, then existence, then the condition;
    // a deadline not after now deletes the key (logged as DEL), any other is logged as PEXPIREAT.
    private boolean expireGeneric(String key, long when, long unitMs, boolean relative,
                                  ExpireCondition condition, String command) {
        KeyRules.check(key);
        Objects.requireNonNull(condition, "condition");
        return engine.call(() -> {
            long nowMs = engine.nowMs();
            long deadlineMs = Deadlines.deadline(when, unitMs, relative ? nowMs : 0, command);
            Node<Object> node = engine.live(key);
            if (node == null) {
                return false;
            }
            long current = Keyspace.deadlineOf(node);
            boolean hasDeadline = current != Keyspace.NO_DEADLINE;
            if (!allows(condition, hasDeadline, current, deadlineMs)) {
                return false;
            }
            if (deadlineMs <= nowMs) {
                engine.delete(key);
                engine.event(KeyEventClass.GENERIC, "del", key);
                engine.propagate("DEL", key);
            } else {
                engine.setDeadline(key, deadlineMs);
                engine.event(KeyEventClass.GENERIC, "expire", key);
                engine.propagate("PEXPIREAT", key, deadlineMs);
            }
            return true;
        });
    }

    /** Redis 7.0's checks of NX, XX, GT and LT, in its order; a key without a deadline has an infinite one. */
    private static boolean allows(ExpireCondition condition, boolean hasDeadline, long currentMs, long deadlineMs) {
        return switch (condition) {
            case ALWAYS -> true;
            case NX -> !hasDeadline;
            case XX -> hasDeadline;
            case GT, XX_GT -> hasDeadline && deadlineMs > currentMs;
            case LT -> !hasDeadline || deadlineMs < currentMs;
            case XX_LT -> hasDeadline && deadlineMs < currentMs;
        };
    }

    @Override
    public boolean persist(String key) {
        KeyRules.check(key);
        return engine.call(() -> {
            boolean removed = engine.clearDeadline(key);
            if (removed) {
                engine.event(KeyEventClass.GENERIC, "persist", key);
                engine.propagate("PERSIST", key);
            }
            return removed;
        });
    }

    @Override
    public long ttl(String key) {
        return ttlGeneric(key, false, false);
    }

    @Override
    public long pttl(String key) {
        return ttlGeneric(key, true, false);
    }

    @Override
    public long expireTime(String key) {
        return ttlGeneric(key, false, true);
    }

    @Override
    public long pexpireTime(String key) {
        return ttlGeneric(key, true, true);
    }

    private long ttlGeneric(String key, boolean millis, boolean absolute) {
        KeyRules.check(key);
        return engine.call(() -> {
            Node<Object> node = engine.lookupRead(key);
            long deadlineMs = node == null ? -2 : Keyspace.deadlineOf(node);
            if (deadlineMs == -2 || deadlineMs == Keyspace.NO_DEADLINE) {
                return deadlineMs;
            }
            long value = Math.max(0, absolute ? deadlineMs : deadlineMs - engine.nowMs());
            // Rounded to the nearest second as Redis's (ms + 500) / 1000, without the sum, which
            // overflows for deadlines in the last 500 ms of the range.
            return millis ? value : value / 1000 + (value % 1000 >= 500 ? 1 : 0);
        });
    }

    @Override
    public List<String> keys(String pattern) {
        Objects.requireNonNull(pattern, "pattern");
        byte[] bytes = pattern.equals("*") ? null : Glob.utf8(pattern);
        return engine.call(() -> {
            long nowMs = engine.nowMs();
            List<String> found = new ArrayList<>();
            engine.keyspace.table.forEach(node -> {
                if (!isExpired(node, nowMs) && Members.matches(bytes, node.key)) {
                    found.add(node.key);
                }
            });
            return found;
        });
    }

    private static boolean isExpired(Node<Object> node, long nowMs) {
        return node instanceof TimedNode timed && timed.deadlineMs < nowMs;
    }

    @Override
    public ScanPage<String> scan(long cursor, ScanArgs args) {
        Objects.requireNonNull(args, "args");
        byte[] pattern = "*".equals(args.match()) ? null : Glob.utf8(args.match());
        return engine.call(() -> {
            long nowMs = engine.nowMs();
            List<String> found = new ArrayList<>();
            long next = engine.keyspace.table.scan(cursor, args.count(), node -> {
                if (!isExpired(node, nowMs)
                        && (args.type() == null || Engine.typeOf(node.value) == args.type())
                        && Members.matches(pattern, node.key)) {
                    found.add(node.key);
                }
            });
            return new ScanPage<>(next, found);
        });
    }

    @Override
    public long dbSize() {
        return engine.call(() -> {
            // Expired keys are invisible, so remove them before counting.
            engine.sweepExpired(Integer.MAX_VALUE);
            return (long) engine.keyspace.size();
        });
    }

    @Override
    public void flush() {
        engine.run(() -> {
            engine.flush();
            engine.propagate("FLUSHALL");
        });
    }

    @Override
    public String randomKey() {
        return engine.call(() -> {
            while (true) {
                Node<Object> node = engine.keyspace.table.random(engine.random);
                if (node == null) {
                    return null;
                }
                // live() deletes an expired pick, so each retry has one key fewer to choose from.
                if (engine.live(node.key) != null) {
                    return node.key;
                }
            }
        });
    }

    @Override
    public byte[] dump(String key) {
        KeyRules.check(key);
        return engine.call(() -> {
            Node<Object> node = engine.lookupRead(key);
            return node == null ? null : DumpFormat.dump(node.value);
        });
    }

    // Redis 7.0's restoreCommand, in its order: an existing key without REPLACE, then the ttl,
    // then the payload (footer, then value), all before anything changes.
    @Override
    public void restore(String key, long ttlMs, byte[] payload, RestoreArgs args) {
        KeyRules.check(key);
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(args, "args");
        byte[] copy = payload.clone();
        engine.run(() -> {
            if (!args.replace() && engine.live(key) != null) {
                throw new BusyKeyException(key);
            }
            if (ttlMs < 0) {
                throw new IllegalArgumentException("Invalid TTL value, must be >= 0");
            }
            Object value = DumpFormat.restore(copy);
            long nowMs = engine.nowMs();
            // Redis adds without an overflow check: a sum that wraps is a deadline in the past.
            long deadlineMs = ttlMs == 0 ? Keyspace.NO_DEADLINE : args.absoluteTtl() ? ttlMs : ttlMs + nowMs;
            // As Redis: with REPLACE the old key goes first, so the restored one is added anew.
            boolean deleted = args.replace() && engine.delete(key);
            if (ttlMs != 0 && deadlineMs <= nowMs) {
                if (deleted) {
                    engine.event(KeyEventClass.GENERIC, "del", key);
                    engine.propagate("DEL", key);
                }
                return;
            }
            engine.put(key, value, false);
            if (deadlineMs != Keyspace.NO_DEADLINE) {
                engine.setDeadline(key, deadlineMs);
            }
            engine.event(KeyEventClass.GENERIC, "restore", key);
            // Replayed as logged: REPLACE since the key may exist by then only if it was replaced,
            // an absolute deadline (0 for none) so replay sets the same one.
            engine.propagate("RESTORE", key, ttlMs == 0 ? 0 : deadlineMs, copy, "REPLACE", "ABSTTL");
        });
    }

    @Override
    public String objectEncoding(String key) {
        KeyRules.check(key);
        return engine.call(() -> {
            Node<Object> node = engine.lookupRead(key);
            return node == null ? null : ObjectEncodings.encoding(node.value);
        });
    }

    @Override
    public Long objectRefCount(String key) {
        KeyRules.check(key);
        return engine.call(() -> {
            Node<Object> node = engine.lookupRead(key);
            return node == null ? null : ObjectEncodings.refCount(node.value);
        });
    }

    @Override
    public List<byte[]> sort(String key, SortArgs args) {
        KeyRules.check(key);
        Objects.requireNonNull(args, "args");
        return engine.call(() -> {
            List<byte[]> sorted = sort.run(key, args, false);
            List<byte[]> copies = new ArrayList<>(sorted.size());
            sorted.forEach(element -> copies.add(element == null ? null : element.clone()));
            return copies;
        });
    }

    // The stored list replaces the destination as SET would (deadline cleared), logged as DEL and
    // RPUSH of the result, which replay applies as it is; an empty result only deletes.
    @Override
    public long sortStore(String key, SortArgs args, String destination) {
        KeyRules.check(key);
        KeyRules.check(destination);
        Objects.requireNonNull(args, "args");
        return engine.call(() -> {
            List<byte[]> sorted = sort.run(key, args, true);
            if (sorted.isEmpty()) {
                if (engine.delete(destination)) {
                    engine.event(KeyEventClass.GENERIC, "del", destination);
                    engine.propagate("DEL", destination);
                }
                return 0L;
            }
            ListValue list = new ListValue();
            sorted.forEach(list::addLast);
            engine.put(destination, list, false);
            engine.event(KeyEventClass.LIST, "sortstore", destination);
            engine.propagate("DEL", destination);
            engine.propagate("RPUSH", destination, sorted);
            return (long) sorted.size();
        });
    }
}
