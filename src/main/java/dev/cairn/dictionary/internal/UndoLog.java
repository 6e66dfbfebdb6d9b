package dev.cairn.dictionary.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a running transaction needs to undo itself: for each key, its state before the
 * transaction's first write to it (copy on first write), and the whole keyspace as it was before
 * a FLUSHALL. Records are undone newest first, so a key written, flushed and written again ends
 * as it was before the transaction.
 *
 * <p>Strings are kept by reference (no command mutates a stored {@code byte[]}); collections are
 * deep-copied by {@link CollectionValue#copy()}.
 *
 * <p>Not thread-safe; owned by the thread running the transaction, under the command lock.
 */
final class UndoLog {

    /** A key's state before the transaction first wrote it; {@code value == null}: absent. */
    record KeyState(String key, Object value, long deadlineMs) {
    }

    /** The keyspace before a FLUSHALL in the transaction. */
    record Flushed(Keyspace before) {
    }

    private final List<Object> records = new ArrayList<>();
    private final Set<String> saved = new HashSet<>();

    /** Records the state of {@code key} unless already recorded since the start or last flush. */
    void save(String key, Node<Object> node) {
        if (!saved.add(key)) {
            return;
        }
        if (node == null) {
            records.add(new KeyState(key, null, Keyspace.NO_DEADLINE));
            return;
        }
        Object value = node.value;
        Object copy = value instanceof CollectionValue collection ? collection.copy() : value;
        records.add(new KeyState(key, copy, Keyspace.deadlineOf(node)));
    }

    /** Records the keyspace replaced by a flush. */
    void saveFlush(Keyspace before) {
        records.add(new Flushed(before));
        saved.clear();
    }

    /** Puts every recorded state back into {@code current}, newest first; returns the keyspace to use. */
    Keyspace rollback(Keyspace current) {
        Keyspace keyspace = current;
        for (int i = records.size() - 1; i >= 0; i--) {
            Object record = records.get(i);
            if (record instanceof Flushed flushed) {
                keyspace = flushed.before();
            } else {
                KeyState state = (KeyState) record;
                keyspace.remove(state.key());
                if (state.value() != null) {
                    keyspace.put(state.key(), state.value(), state.deadlineMs());
                }
            }
        }
        records.clear();
        saved.clear();
        return keyspace;
    }
}
