package dev.cairn.dictionary.internal;

import dev.cairn.dictionary.IndexOutOfRangeException;
import dev.cairn.dictionary.KeyEventClass;
import dev.cairn.dictionary.KeyType;
import dev.cairn.dictionary.KeyValue;
import dev.cairn.dictionary.KeyValues;
import dev.cairn.dictionary.ListCommands;
import dev.cairn.dictionary.ListEnd;
import dev.cairn.dictionary.ListInsert;
import dev.cairn.dictionary.LposArgs;
import dev.cairn.dictionary.NoSuchKeyException;
import dev.cairn.dictionary.WrongTypeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The list commands, each one run under the {@link Engine}'s command lock; the blocking ones
 * wait through {@link Engine#block} and are served by the command that pushes.
 *
 * <p>Thread-safe: all state is in the engine, guarded by its lock.
 */
final class ListCommandsImpl implements ListCommands {
    private final Engine engine;

    ListCommandsImpl(Engine engine) {
        this.engine = engine;
    }

    private static byte[][] copyElements(byte[][] elements) {
        if (elements == null || elements.length == 0) {
            throw new IllegalArgumentException("at least one element is required");
        }
        byte[][] copy = new byte[elements.length][];
        for (int i = 0; i < elements.length; i++) {
            copy[i] = Objects.requireNonNull(elements[i], "element").clone();
        }
        return copy;
    }

    private ListValue read(String key) {
        return engine.readAs(key, KeyType.LIST, ListValue.class);
    }

    /** The value of {@code key} for a read command, counted as a keyspace hit or miss. */
    private ListValue lookup(String key) {
        return engine.lookupReadAs(key, KeyType.LIST, ListValue.class);
    }

    private ListValue write(String key) {
        return engine.writeAs(key, KeyType.LIST, ListValue.class);
    }

    // ---------------------------------------------------------------- push and pop

    @Override
    public long lpush(String key, byte[]... elements) {
        return push(key, elements, true, false);
    }

    @Override
    public long rpush(String key, byte[]... elements) {
        return push(key, elements, false, false);
    }

    @Override
    public long lpushx(String key, byte[]... elements) {
        return push(key, elements, true, true);
    }

    @Override
    public long rpushx(String key, byte[]... elements) {
        return push(key, elements, false, true);
    }

    private long push(String key, byte[][] elements, boolean head, boolean onlyIfExists) {
        KeyRules.check(key);
        byte[][] copy = copyElements(elements);
        return engine.call(() -> {
            ListValue list = write(key);
            if (list == null) {
                if (onlyIfExists) {
                    return 0L;
                }
                list = engine.create(key, new ListValue());
            }
            for (byte[] element : copy) {
                if (head) {
                    list.addFirst(element);
                } else {
                    list.addLast(element);
                }
            }
            engine.changed(key);
            engine.event(KeyEventClass.LIST, head ? "lpush" : "rpush", key);
            engine.propagate(head ? "LPUSH" : "RPUSH", key, Arrays.asList((Object[]) copy));
            return (long) list.size();
        });
    }

    @Override
    public byte[] lpop(String key) {
        return popOne(key, true);
    }

    @Override
    public byte[] rpop(String key) {
        return popOne(key, false);
    }

    private byte[] popOne(String key, boolean head) {
        KeyRules.check(key);
        return engine.call(() -> {
            ListValue list = write(key);
            if (list == null) {
                return null;
            }
            byte[] element = head ? list.removeFirst() : list.removeLast();
            afterRemoval(key, list, head ? "lpop" : "rpop");
            engine.propagate(head ? "LPOP" : "RPOP", key);
            return element.clone();
        });
    }

    /** Marks the key changed and emits {@code event}, then deletes the list if it became empty. */
    private void afterRemoval(String key, ListValue list, String event) {
        engine.changed(key);
        engine.event(KeyEventClass.LIST, event, key);
        engine.removeIfEmpty(key, list);
    }

    @Override
    public List<byte[]> lpop(String key, long count) {
        return popMany(key, count, true);
    }

    @Override
    public List<byte[]> rpop(String key, long count) {
        return popMany(key, count, false);
    }

    private List<byte[]> popMany(String key, long count, boolean head) {
        KeyRules.check(key);
        if (count < 0) {
            throw new IllegalArgumentException("value is out of range, must be positive: " + count);
        }
        return engine.call(() -> {
            ListValue list = read(key);
            if (list == null) {
                return null;
            }
            List<byte[]> popped = new ArrayList<>();
            if (count == 0) {
                return popped;
            }
            list = write(key);
            long n = Math.min(count, list.size());
            for (long i = 0; i < n; i++) {
                popped.add((head ? list.removeFirst() : list.removeLast()).clone());
            }
            afterRemoval(key, list, head ? "lpop" : "rpop");
            engine.propagate(head ? "LPOP" : "RPOP", key, n);
            return popped;
        });
    }

    // ---------------------------------------------------------------- reading

    @Override
    public long llen(String key) {
        KeyRules.check(key);
        return engine.call(() -> {
            ListValue list = lookup(key);
            return list == null ? 0L : list.size();
        });
    }

    @Override
    public List<byte[]> lrange(String key, long start, long stop) {
        KeyRules.check(key);
        return engine.call(() -> {
            List<byte[]> range = new ArrayList<>();
            ListValue list = lookup(key);
            if (list == null) {
                return range;
            }
            long length = list.size();
            long from = start < 0 ? length + start : start;
            long to = stop < 0 ? length + stop : stop;
            if (from < 0) {
                from = 0;
            }
            if (from > to || from >= length) {
                return range;
            }
            if (to >= length) {
                to = length - 1;
            }
            for (long i = from; i <= to; i++) {
                range.add(list.get((int) i).clone());
            }
            return range;
        });
    }

    /** The position of {@code index} (negative from the tail) in a list of {@code length}, or -1. */
    private static int position(long index, int length) {
        long at = index < 0 ? length + index : index;
        return at < 0 || at >= length ? -1 : (int) at;
    }

    @Override
    public byte[] lindex(String key, long index) {
        KeyRules.check(key);
        return engine.call(() -> {
            ListValue list = lookup(key);
            if (list == null) {
                return null;
            }
            int at = position(index, list.size());
            return at < 0 ? null : list.get(at).clone();
        });
    }

    @Override
    public void lset(String key, long index, byte[] element) {
        KeyRules.check(key);
        byte[] copy = Objects.requireNonNull(element, "element").clone();
        engine.run(() -> {
            ListValue list = read(key);
            if (list == null) {
                throw new NoSuchKeyException(key);
            }
            int at = position(index, list.size());
            if (at < 0) {
                throw new IndexOutOfRangeException(key, index, list.size());
            }
            write(key).set(at, copy);
            engine.changed(key);
            engine.event(KeyEventClass.LIST, "lset", key);
            engine.propagate("LSET", key, index, copy);
        });
    }

    private static int indexOf(ListValue list, byte[] element) {
        for (int i = 0; i < list.size(); i++) {
            if (Arrays.equals(list.get(i), element)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public long linsert(String key, ListInsert where, byte[] pivot, byte[] element) {
        KeyRules.check(key);
        Objects.requireNonNull(where, "where");
        byte[] pivotCopy = Objects.requireNonNull(pivot, "pivot").clone();
        byte[] copy = Objects.requireNonNull(element, "element").clone();
        return engine.call(() -> {
            ListValue list = read(key);
            if (list == null) {
                return 0L;
            }
            int at = indexOf(list, pivotCopy);
            if (at < 0) {
                return -1L;
            }
            list = write(key);
            list.insert(where == ListInsert.BEFORE ? at : at + 1, copy);
            engine.changed(key);
            engine.event(KeyEventClass.LIST, "linsert", key);
            engine.propagate("LINSERT", key, where.name(), pivotCopy, copy);
            return (long) list.size();
        });
    }

    @Override
    public long lrem(String key, long count, byte[] element) {
        KeyRules.check(key);
        byte[] target = Objects.requireNonNull(element, "element").clone();
        return engine.call(() -> {
            ListValue list = read(key);
            if (list == null || indexOf(list, target) < 0) {
                return 0L;
            }
            list = write(key);
            long limit = count == 0 ? Long.MAX_VALUE : Math.abs(count == Long.MIN_VALUE ? Long.MAX_VALUE : count);
            long removed = 0;
            if (count >= 0) {
                for (int i = 0; i < list.size() && removed < limit; ) {
                    if (Arrays.equals(list.get(i), target)) {
                        list.remove(i);
                        removed++;
                    } else {
                        i++;
                    }
                }
            } else {
                for (int i = list.size() - 1; i >= 0 && removed < limit; i--) {
                    if (Arrays.equals(list.get(i), target)) {
                        list.remove(i);
                        removed++;
                    }
                }
            }
            afterRemoval(key, list, "lrem");
            engine.propagate("LREM", key, count, target);
            return removed;
        });
    }

    @Override
    public void ltrim(String key, long start, long stop) {
        KeyRules.check(key);
        engine.run(() -> {
            ListValue list = read(key);
            if (list == null) {
                return;
            }
            long length = list.size();
            long from = start < 0 ? length + start : start;
            long to = stop < 0 ? length + stop : stop;
            if (from < 0) {
                from = 0;
            }
            boolean everything = from > to || from >= length;
            if (!everything && to >= length) {
                to = length - 1;
            }
            if (!everything && from == 0 && to == length - 1) {
                // Nothing to log, but Redis signals the key whenever it exists (WATCH sees it).
                engine.changed(key);
                engine.event(KeyEventClass.LIST, "ltrim", key);
                return;
            }
            list = write(key);
            if (everything) {
                list.clear();
            } else {
                list.keep((int) from, (int) to);
            }
            afterRemoval(key, list, "ltrim");
            engine.propagate("LTRIM", key, start, stop);
        });
    }

    @Override
    public Long lpos(String key, byte[] element, LposArgs args) {
        List<Long> found = lposGeneric(key, element, args, -1);
        return found == null || found.isEmpty() ? null : found.get(0);
    }

    @Override
    public List<Long> lpos(String key, byte[] element, LposArgs args, long count) {
        if (count < 0) {
            throw new IllegalArgumentException("COUNT can't be negative: " + count);
        }
        return lposGeneric(key, element, args, count);
    }

    // Redis's lposCommand: count -1 means "no COUNT option" (answer the first match only).
    private List<Long> lposGeneric(String key, byte[] element, LposArgs args, long count) {
        KeyRules.check(key);
        Objects.requireNonNull(args, "args");
        byte[] target = Objects.requireNonNull(element, "element").clone();
        return engine.call(() -> {
            List<Long> found = new ArrayList<>();
            ListValue list = lookup(key);
            if (list == null) {
                return found;
            }
            boolean fromTail = args.rank() < 0;
            long rank = Math.abs(args.rank());
            int length = list.size();
            long matches = 0;
            for (int step = 0; step < length && (args.maxLen() == 0 || step < args.maxLen()); step++) {
                int index = fromTail ? length - 1 - step : step;
                if (Arrays.equals(list.get(index), target)) {
                    matches++;
                    if (matches >= rank) {
                        found.add((long) index);
                        if (count == -1 || (count > 0 && matches - rank + 1 >= count)) {
                            break;
                        }
                    }
                }
            }
            return found;
        });
    }

    // ---------------------------------------------------------------- moves

    @Override
    public byte[] lmove(String source, String destination, ListEnd from, ListEnd to) {
        KeyRules.check(source);
        KeyRules.check(destination);
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        return engine.call(() -> {
            if (read(source) == null) {
                return null;
            }
            return move(source, destination, from, to, "LMOVE");
        });
    }

    /**
     * Moves one element from a non-empty source list; checks the destination's type before any
     * change. Returns a copy of the element for the caller.
     */
    private byte[] move(String source, String destination, ListEnd from, ListEnd to, String command) {
        Node<Object> target = engine.live(destination);
        if (target != null && !(target.value instanceof ListValue)) {
            throw new WrongTypeException(destination, KeyType.LIST, Engine.typeOf(target.value));
        }
        ListValue sourceList = write(source);
        byte[] element = from == ListEnd.LEFT ? sourceList.removeFirst() : sourceList.removeLast();
        ListValue destinationList = write(destination);
        if (destinationList == null) {
            destinationList = engine.create(destination, new ListValue());
        }
        if (to == ListEnd.LEFT) {
            destinationList.addFirst(element);
        } else {
            destinationList.addLast(element);
        }
        // Redis's order: the push to the destination, then the pop from the source.
        engine.changed(destination);
        engine.event(KeyEventClass.LIST, to == ListEnd.LEFT ? "lpush" : "rpush", destination);
        afterRemoval(source, sourceList, from == ListEnd.LEFT ? "lpop" : "rpop");
        engine.propagate(command, source, destination, from.name(), to.name());
        return element.clone();
    }

    // ---------------------------------------------------------------- blocking

    /**
     * A blocking command's timeout in nanoseconds for {@link Engine#block}: zero stays zero (try
     * once, never wait), and a duration too long for a long saturates below
     * {@link Engine#NO_TIMEOUT}, so that only the overloads without a timeout wait without one.
     */
    static long timeoutNanos(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout is negative: " + timeout);
        }
        try {
            return Math.min(timeout.toNanos(), Engine.NO_TIMEOUT / 2);
        } catch (ArithmeticException e) {
            return Engine.NO_TIMEOUT / 2;
        }
    }

    @Override
    public CompletableFuture<KeyValue> blpopAsync(Duration timeout, String... keys) {
        return blockingPop(timeoutNanos(timeout), keys, true);
    }

    @Override
    public CompletableFuture<KeyValue> blpopAsync(String... keys) {
        return blockingPop(Engine.NO_TIMEOUT, keys, true);
    }

    @Override
    public CompletableFuture<KeyValue> brpopAsync(Duration timeout, String... keys) {
        return blockingPop(timeoutNanos(timeout), keys, false);
    }

    @Override
    public CompletableFuture<KeyValue> brpopAsync(String... keys) {
        return blockingPop(Engine.NO_TIMEOUT, keys, false);
    }

    /** Pops for a blocked or immediate BLPOP/BRPOP; null if {@code key} holds no list. */
    private KeyValue popFrom(String key, boolean head) {
        Node<Object> node = engine.live(key);
        if (node == null || !(node.value instanceof ListValue)) {
            return null;
        }
        ListValue list = write(key);
        byte[] element = head ? list.removeFirst() : list.removeLast();
        afterRemoval(key, list, head ? "lpop" : "rpop");
        engine.propagate(head ? "LPOP" : "RPOP", key);
        return new KeyValue(key, element.clone());
    }

    private CompletableFuture<KeyValue> blockingPop(long timeoutNanos, String[] keys, boolean head) {
        KeyRules.checkAll(keys);
        return engine.tryOrBlock(List.of(keys), timeoutNanos, () -> {
            for (String key : keys) {
                if (read(key) != null) {
                    return popFrom(key, head);
                }
            }
            return null;
        }, key -> popFrom(key, head));
    }

    @Override
    public CompletableFuture<byte[]> blmoveAsync(String source, String destination, ListEnd from, ListEnd to,
            Duration timeout) {
        return blockingMove(source, destination, from, to, timeoutNanos(timeout));
    }

    @Override
    public CompletableFuture<byte[]> blmoveAsync(String source, String destination, ListEnd from, ListEnd to) {
        return blockingMove(source, destination, from, to, Engine.NO_TIMEOUT);
    }

    private CompletableFuture<byte[]> blockingMove(String source, String destination, ListEnd from, ListEnd to,
            long timeoutNanos) {
        KeyRules.check(source);
        KeyRules.check(destination);
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        return engine.tryOrBlock(List.of(source), timeoutNanos,
                () -> read(source) != null ? move(source, destination, from, to, "LMOVE") : null,
                key -> {
                    Node<Object> node = engine.live(key);
                    if (node == null || !(node.value instanceof ListValue)) {
                        return null;
                    }
                    return move(source, destination, from, to, "LMOVE");
                });
    }

    // ---------------------------------------------------------------- LMPOP and BLMPOP

    private static void checkMultiPop(String[] keys, long count) {
        KeyRules.checkAll(keys);
        if (keys.length == 0) {
            throw new IllegalArgumentException("numkeys should be greater than 0");
        }
        if (count <= 0) {
            throw new IllegalArgumentException("count should be greater than 0: " + count);
        }
    }

    /** Pops up to {@code count} elements from {@code key} if it holds a list (logged as [LR]POP key n); else null. */
    private KeyValues popRange(String key, boolean head, long count) {
        Node<Object> node = engine.live(key);
        if (node == null || !(node.value instanceof ListValue)) {
            return null;
        }
        ListValue list = write(key);
        long n = Math.min(count, list.size());
        List<byte[]> popped = new ArrayList<>((int) n);
        for (long i = 0; i < n; i++) {
            popped.add((head ? list.removeFirst() : list.removeLast()).clone());
        }
        afterRemoval(key, list, head ? "lpop" : "rpop");
        engine.propagate(head ? "LPOP" : "RPOP", key, n);
        return new KeyValues(key, popped);
    }

    /** The first list among {@code keys} popped, as Redis's mpopGenericCommand; null if all are empty. */
    private KeyValues popFirst(String[] keys, boolean head, long count) {
        for (String key : keys) {
            // Type-checked in order: a key of another type before the first list fails the command.
            if (read(key) != null) {
                return popRange(key, head, count);
            }
        }
        return null;
    }

    @Override
    public KeyValues lmpop(ListEnd end, long count, String... keys) {
        Objects.requireNonNull(end, "end");
        checkMultiPop(keys, count);
        return engine.call(() -> popFirst(keys, end == ListEnd.LEFT, count));
    }

    @Override
    public CompletableFuture<KeyValues> blmpopAsync(Duration timeout, ListEnd end, long count, String... keys) {
        return blockingMultiPop(timeoutNanos(timeout), end, count, keys);
    }

    @Override
    public CompletableFuture<KeyValues> blmpopAsync(ListEnd end, long count, String... keys) {
        return blockingMultiPop(Engine.NO_TIMEOUT, end, count, keys);
    }

    private CompletableFuture<KeyValues> blockingMultiPop(long timeoutNanos, ListEnd end, long count,
            String[] keys) {
        Objects.requireNonNull(end, "end");
        checkMultiPop(keys, count);
        boolean head = end == ListEnd.LEFT;
        return engine.tryOrBlock(List.of(keys), timeoutNanos, () -> popFirst(keys, head, count),
                key -> popRange(key, head, count));
    }
}
