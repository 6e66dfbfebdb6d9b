package dev.cairn.dictionary.internal;

import dev.cairn.dictionary.KeyEventClass;

/**
 * Redis's MOVE between two dictionaries (databases): the key, with its value and deadline, leaves
 * one keyspace and enters the other, as one step under both command locks.
 *
 * <p>Lock order: the dictionaries are locked in the order of {@link LocalDictionary}'s creation
 * number, lower first, so two moves in opposite directions cannot deadlock. Each engine logs its
 * own half (the destination the RESTORE of the value's dump with its absolute deadline, the source
 * a DEL), so each database's append-only file replays alone. The destination's half is committed
 * first, so a crash that keeps only one half (a process crash between the two appends) leaves the
 * key in both databases, not in neither; the two files are made durable independently.
 * Events, in Redis's order: {@code new} and, after the source's removal, {@code move_from} on the
 * source and {@code move_to} on the destination.
 *
 * <p>Not instantiable; called with both locks held.
 */
final class KeyMove {
    private KeyMove() {
    }

    /** Moves {@code key}; false if it is missing in {@code source} or present in {@code target}. */
    static boolean move(Engine source, Engine target, String key) {
        if (source.inTransaction() || target.inTransaction()) {
            throw new IllegalStateException("MOVE inside a transaction is not supported");
        }
        Node<Object> node = source.live(key);
        if (node == null || target.live(key) != null) {
            return false;
        }
        // Copied, as COPY does: the source's snapshot may still be reading the value it held.
        Object value = node.value instanceof CollectionValue collection ? collection.copy() : node.value;
        long deadlineMs = Keyspace.deadlineOf(node);
        target.put(key, value, false);
        if (deadlineMs != Keyspace.NO_DEADLINE) {
            target.setDeadline(key, deadlineMs);
        }
        source.delete(key);
        source.event(KeyEventClass.GENERIC, "move_from", key);
        target.event(KeyEventClass.GENERIC, "move_to", key);
        if (target.logging()) {
            long absolute = deadlineMs == Keyspace.NO_DEADLINE ? 0 : deadlineMs;
            target.propagate("RESTORE", key, absolute, DumpFormat.dump(value), "REPLACE", "ABSTTL");
            target.commitPending();
        }
        source.propagate("DEL", key);
        return true;
    }
}
