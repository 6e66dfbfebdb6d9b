package dev.cairn.dictionary.internal;

/**
 * A keyspace entry whose key has a deadline. Invariant: a key has a deadline if and only if its
 * entry is a {@code TimedNode}, and every {@code TimedNode} in the keyspace sits in the
 * {@link ExpiryHeap} at {@link #heapIndex}. Keys without a deadline pay nothing for expiry.
 *
 * <p>Not thread-safe; guarded by the dictionary's command lock.
 */
final class TimedNode extends Node<Object> {
    /**
     * The deadline in milliseconds of Unix time; the key is expired once now > deadline (as in
     * Redis: at the deadline itself the key still lives, with a TTL of 0).
     */
    long deadlineMs;
    /** Position in the expiry heap, -1 when not in it. */
    int heapIndex = -1;

    TimedNode(String key, Object value, long deadlineMs) {
        super(key, value);
        this.deadlineMs = deadlineMs;
    }
}
