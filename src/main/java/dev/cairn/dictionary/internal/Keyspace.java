package dev.cairn.dictionary.internal;

/**
 * The keyspace: a {@link StringTable} from key to value plus the {@link ExpiryHeap} of the
 * keys that have a deadline. Values are {@code byte[]} for strings and a
 * {@link CollectionValue} for every other type. It knows nothing of time or transactions; the
 * {@link Engine} decides when a key is expired.
 *
 * <p>Invariants: no value is null or an empty collection; a key has a deadline if and only if
 * its entry is a {@link TimedNode}, which is then in the heap.
 *
 * <p>Not thread-safe; guarded by the dictionary's command lock.
 */
final class Keyspace {
    /** The deadline of a key that has none. */
    static final long NO_DEADLINE = -1;

    final StringTable<Object> table = new StringTable<>();
    final ExpiryHeap expiries = new ExpiryHeap();

    Node<Object> find(String key) {
        return table.find(key);
    }

    static long deadlineOf(Node<Object> node) {
        return node instanceof TimedNode timed ? timed.deadlineMs : NO_DEADLINE;
    }

    /** Stores a value, clearing the deadline unless {@code keepDeadline}; returns the entry. */
    Node<Object> put(String key, Object value, boolean keepDeadline) {
        Node<Object> node = table.find(key);
        if (node == null) {
            node = new Node<>(key, value);
            table.insert(node);
            return node;
        }
        node.value = value;
        if (!keepDeadline && node instanceof TimedNode timed) {
            return clearDeadline(timed);
        }
        return node;
    }

    /** Stores a value with a deadline ({@link #NO_DEADLINE} for none); returns the entry. */
    Node<Object> put(String key, Object value, long deadlineMs) {
        Node<Object> node = put(key, value, false);
        return deadlineMs == NO_DEADLINE ? node : setDeadline(node, deadlineMs);
    }

    /** Gives the entry a deadline; returns the entry now in the table (replaced if it was plain). */
    Node<Object> setDeadline(Node<Object> node, long deadlineMs) {
        if (node instanceof TimedNode timed) {
            expiries.reschedule(timed, deadlineMs);
            return timed;
        }
        TimedNode timed = new TimedNode(node.key, node.value, deadlineMs);
        table.replace(node, timed);
        expiries.add(timed);
        return timed;
    }

    /** Removes the entry's deadline; returns the (plain) entry now in the table. */
    Node<Object> clearDeadline(TimedNode timed) {
        expiries.remove(timed);
        Node<Object> plain = new Node<>(timed.key, timed.value);
        table.replace(timed, plain);
        return plain;
    }

    /** Removes the key; returns its entry or null. */
    Node<Object> remove(String key) {
        Node<Object> node = table.remove(key);
        if (node instanceof TimedNode timed) {
            expiries.remove(timed);
        }
        return node;
    }

    int size() {
        return table.size();
    }
}
