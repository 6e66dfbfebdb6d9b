package dev.cairn.dictionary.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Copy-on-write per key for a snapshot in progress, so that a snapshot is the state of one
 * instant while writers go on.
 *
 * <p>At the snapshot's instant the keyspace's table stops resizing, and a cursor walks its buckets
 * in order, a slice at a time under the command lock. A key whose bucket is below the cursor has
 * been captured. Before any change to a key not yet captured, the engine calls
 * {@link #beforeChange}, which keeps the key's value and deadline as they were at the instant (or
 * notes that the key did not exist), once. When the cursor reaches the key, the kept state wins
 * over the live one; keys that were deleted before the cursor reached them are emitted at the end
 * from what was kept.
 *
 * <p>Strings are kept by reference (no command mutates a stored {@code byte[]}); collections are
 * deep-copied, because commands mutate them in place. Captured collections are copied too, so
 * that serialization can run outside the lock.
 *
 * <p>Not thread-safe; every method runs under the command lock.
 */
final class SnapshotBarrier {

    /** One key as the snapshot records it. {@code value} is private to the snapshot. */
    record Item(String key, Object value, long deadlineMs) {
    }

    /** A key's state at the snapshot's instant; a null value means the key did not exist. */
    private record Kept(Object value, long deadlineMs) {
    }

    private final Keyspace keyspace;
    private final int buckets;
    private int cursor;
    private final Map<String, Kept> kept = new HashMap<>();

    SnapshotBarrier(Keyspace keyspace) {
        this.keyspace = keyspace;
        keyspace.table.pauseResizing(true);
        this.buckets = keyspace.table.bucketCount();
    }

    /** Called before {@code key} changes in {@code live}; {@code node} is its entry, or null if absent. */
    void beforeChange(Keyspace live, String key, Node<Object> node) {
        if (live != keyspace || cursor >= buckets || keyspace.table.bucketOf(key) < cursor || kept.containsKey(key)) {
            return;
        }
        kept.put(key, node == null ? new Kept(null, Keyspace.NO_DEADLINE)
                : new Kept(privateCopy(node.value), Keyspace.deadlineOf(node)));
    }

    /** Captures the next {@code maxBuckets} buckets; at the end, also the kept keys no longer present. */
    List<Item> nextSlice(int maxBuckets) {
        List<Item> items = new ArrayList<>();
        int end = Math.min(buckets, cursor + maxBuckets);
        for (int b = cursor; b < end; b++) {
            for (Node<Object> node = keyspace.table.bucket(b); node != null; node = node.next) {
                Kept k = kept.remove(node.key);
                if (k == null) {
                    items.add(new Item(node.key, privateCopy(node.value), Keyspace.deadlineOf(node)));
                } else if (k.value() != null) {
                    items.add(new Item(node.key, k.value(), k.deadlineMs()));
                }
            }
        }
        cursor = end;
        if (cursor == buckets) {
            kept.forEach((key, k) -> {
                if (k.value() != null) {
                    items.add(new Item(key, k.value(), k.deadlineMs()));
                }
            });
            kept.clear();
        }
        return items;
    }

    boolean finished() {
        return cursor == buckets;
    }

    /** Lets the captured table resize again. */
    void release() {
        keyspace.table.pauseResizing(false);
    }

    private static Object privateCopy(Object value) {
        return value instanceof CollectionValue collection ? collection.copy() : value;
    }
}
