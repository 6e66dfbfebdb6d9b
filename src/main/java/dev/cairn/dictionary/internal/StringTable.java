package dev.cairn.dictionary.internal;

import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * A chained hash table keyed by {@code String}, with what {@code java.util.HashMap} lacks and
 * Redis needs: a cursor scan that survives resizing, and a random entry. Used for the keyspace
 * and for the fields of a hash (and any other type that wants the same scan).
 *
 * <p>The bucket count is a power of two, at least {@value #MIN_BUCKETS}; the table doubles when
 * it holds more entries than three quarters of its buckets (as {@code HashMap}: shorter chains,
 * fewer cache misses per lookup, for 4 bytes per key) and halves down while it holds fewer than
 * an eighth. Resizing rehashes everything at once, from the hashes kept in the entries.
 *
 * <p>Scan uses Redis's reverse-binary cursor (from Pieter Noordhuis's design in Redis's
 * {@code dictScan}): the cursor's bucket bits are incremented from the most significant end, so
 * buckets split or merged by a resize between two calls are visited exactly when their
 * counterparts would have been; every entry present for the whole scan is returned at least once.
 *
 * <h2>Hash flooding</h2>
 * A table starts with the key's cached {@code String.hashCode} (spread), which costs nothing per
 * lookup but lets anyone choose keys that share a bucket: "Aa" and "BB" have the same hash, and
 * so has every concatenation of them, so 2<sup>15</sup> such keys make one chain, and each insert
 * walks it, all under the command lock. The table therefore watches its chains: when an insert
 * makes a chain longer than {@value #LONG_CHAIN} entries, or a shrink merges chains into one that
 * long, it rehashes every entry with {@link SeededHash} (SipHash keyed per process) and keeps that
 * hash for the rest of its life. As {@code HashMap} turns a long chain into a tree, this pays for
 * the defence only where it is needed: ordinary keys do not make such a chain (with random hashes
 * at a load factor of at most 3/4, a table of 2<sup>30</sup> buckets expects about 10<sup>-8</sup>
 * chains of 17; {@code StringTableTest} checks keys of several usual shapes), and a flooded table
 * costs one SipHash of the key per lookup from then on. Redis hashes every key with a keyed
 * SipHash from the start; Java's cached string hash makes the fast start worth keeping (GET stays
 * within 2x of {@code HashMap.get}).
 *
 * <p>While resizing is paused (a snapshot walks the buckets) the switch waits too, like a resize,
 * and happens when resizing resumes; until then a flooded chain stays long. The switch counts as
 * a change of the table for lock-free readers: it happens only inside {@link #insert},
 * {@link #remove} and {@link #pauseResizing}, which callers run after marking the keyspace as
 * changing (see {@code Engine}, "Reads without the lock"); a reader racing it may compute either
 * hash against either bucket array and only find nothing or give up, which its validation turns
 * into a locked read.
 *
 * <p>A scan cursor carries whether it was made under the seeded hash ({@link #SEEDED_CURSOR}); a
 * cursor from before the switch restarts the scan from the beginning under the new hash, so the
 * scan guarantee holds across the switch (entries may be returned twice, which it allows). A
 * table switches at most once, so a scan restarts at most once.
 *
 * <p>Invariants: every entry's {@link Node#hash} is {@link #hashOf} its key under the table's
 * current hash, and the entry is in bucket {@code hash & (buckets - 1)}; outside a pause no chain
 * of a table still on the fast hash is longer than {@value #LONG_CHAIN}
 * ({@link #longestChain}, for tests).
 *
 * <p>Not thread-safe; guarded by the dictionary's command lock, except {@link #findUnlocked}, for
 * readers that validate afterwards. Callers must not change the table from inside a visitor.
 *
 * @param <V> the value type
 */
final class StringTable<V> {
    static final int MIN_BUCKETS = 16;
    /** A chain longer than this on the fast hash switches the table to the seeded hash. */
    static final int LONG_CHAIN = 16;
    /** Marks a scan cursor made under the seeded hash; bucket bits never reach it (at most 2^30 buckets). */
    static final long SEEDED_CURSOR = 1L << 62;

    private Node<V>[] buckets;
    private int size;
    /**
     * Whether keys hash with {@link SeededHash} instead of {@code String.hashCode}; set once, by
     * {@link #switchToSeededHash}. Read without the lock by {@link #findUnlocked}.
     */
    private boolean seeded;
    /** A chain grew past {@link #LONG_CHAIN} while resizing was paused: switch when it resumes. */
    private boolean longChainWhilePaused;
    /**
     * While true the bucket array keeps its size (the table grows past its load factor), so a
     * snapshot can walk the buckets in order and tell a key's bucket from the cursor; like Redis,
     * which stops resizing while a fork holds a snapshot.
     */
    private boolean resizePaused;

    StringTable() {
        this(false);
    }

    /** An empty table, already on the seeded hash if {@code seeded} (for a copy of a flooded table). */
    StringTable(boolean seeded) {
        buckets = newArray(MIN_BUCKETS);
        this.seeded = seeded;
    }

    @SuppressWarnings("unchecked")
    private static <V> Node<V>[] newArray(int length) {
        return (Node<V>[]) new Node<?>[length];
    }

    static int spread(int hash) {
        return hash ^ (hash >>> 16);
    }

    /** The hash of {@code key} under this table's current hash function. */
    int hashOf(String key) {
        return seeded ? SeededHash.ofChars(key) : spread(key.hashCode());
    }

    /** Whether the table switched to the seeded hash. */
    boolean seeded() {
        return seeded;
    }

    int size() {
        return size;
    }

    /** The length of the longest chain: a probe for tests of the flooding defence. */
    int longestChain() {
        int longest = 0;
        for (Node<V> head : buckets) {
            int length = 0;
            for (Node<V> node = head; node != null; node = node.next) {
                length++;
            }
            longest = Math.max(longest, length);
        }
        return longest;
    }

    /** The number of buckets, for tests of the resizing rule. */
    int bucketCount() {
        return buckets.length;
    }

    /** The entry of {@code key}, or null. */
    Node<V> find(String key) {
        return walk(key, Integer.MAX_VALUE);
    }

    /** What {@link #findUnlocked} answers when it gave up. */
    static final Node<Object> GAVE_UP = new Node<>("", null);
    /** Longer chains are not walked without the lock; at load factor 0.75 they are vanishingly rare. */
    private static final int UNLOCKED_WALK_LIMIT = 32;

    /**
     * {@link #find} for a reader that does not hold the lock and validates what it read afterwards
     * (see {@code Engine.peekString}): the same walk, but bounded, because a chain being rehashed
     * by a concurrent resize can look cyclic; returns {@link #GAVE_UP} past the bound.
     */
    Node<V> findUnlocked(String key) {
        return walk(key, UNLOCKED_WALK_LIMIT);
    }

    /** The entry of {@code key} in its bucket's chain, null if absent, {@link #GAVE_UP} after {@code limit} entries. */
    @SuppressWarnings("unchecked")
    private Node<V> walk(String key, int limit) {
        Node<V>[] table = buckets;
        int hash = hashOf(key);
        Node<V> node = table[hash & (table.length - 1)];
        for (int steps = 0; node != null; steps++) {
            if (steps == limit) {
                return (Node<V>) GAVE_UP;
            }
            if (node.hash == hash && node.key.equals(key)) {
                return node;
            }
            node = node.next;
        }
        return null;
    }

    /** Adds an entry whose key is not in the table; sets its {@link Node#hash}. */
    void insert(Node<V> node) {
        Node<V>[] table = buckets;
        int hash = hashOf(node.key);
        node.hash = hash;
        int index = hash & (table.length - 1);
        Node<V> head = table[index];
        node.next = head;
        table[index] = node;
        size++;
        if (!seeded && longerThan(head, LONG_CHAIN - 1)) {
            switchToSeededHash();
        }
        if (size > table.length - (table.length >>> 2) && !resizePaused) {
            resize(table.length << 1);
        }
    }

    /** Whether the chain from {@code head} has more than {@code limit} entries; walks at most limit + 1. */
    private static boolean longerThan(Node<?> head, int limit) {
        Node<?> node = head;
        for (int length = 0; node != null; length++) {
            if (length == limit) {
                return true;
            }
            node = node.next;
        }
        return false;
    }

    /**
     * Rehashes every entry with the seeded hash, at the current bucket count, and keeps it from
     * now on; while resizing is paused, only notes that it must happen on resume.
     */
    private void switchToSeededHash() {
        if (resizePaused) {
            longChainWhilePaused = true;
            return;
        }
        seeded = true;
        longChainWhilePaused = false;
        for (Node<V> head : buckets) {
            for (Node<V> node = head; node != null; node = node.next) {
                node.hash = SeededHash.ofChars(node.key);
            }
        }
        resize(buckets.length);
    }

    /** Puts {@code value} under {@code key}, adding a plain entry if there is none; returns the entry. */
    Node<V> put(String key, V value) {
        Node<V> node = find(key);
        if (node != null) {
            node.value = value;
            return node;
        }
        node = new Node<>(key, value);
        insert(node);
        return node;
    }

    /** Removes the entry of {@code key}; returns it, or null if there was none. */
    Node<V> remove(String key) {
        Node<V>[] table = buckets;
        int hash = hashOf(key);
        int index = hash & (table.length - 1);
        Node<V> previous = null;
        for (Node<V> node = table[index]; node != null; previous = node, node = node.next) {
            if (node.hash == hash && node.key.equals(key)) {
                if (previous == null) {
                    table[index] = node.next;
                } else {
                    previous.next = node.next;
                }
                node.next = null;
                size--;
                maybeShrink();
                return node;
            }
        }
        return null;
    }

    /** Puts {@code replacement} (same key) where {@code old} is, keeping the bucket order. */
    void replace(Node<V> old, Node<V> replacement) {
        Node<V>[] table = buckets;
        int index = old.hash & (table.length - 1);
        Node<V> previous = null;
        for (Node<V> node = table[index]; node != null; previous = node, node = node.next) {
            if (node == old) {
                replacement.hash = old.hash;
                replacement.next = old.next;
                if (previous == null) {
                    table[index] = replacement;
                } else {
                    previous.next = replacement;
                }
                old.next = null;
                return;
            }
        }
        throw new IllegalStateException("entry of key '" + old.key + "' is not in the table");
    }

    /** Removes every entry; a table on the seeded hash stays on it. */
    void clear() {
        buckets = newArray(MIN_BUCKETS);
        size = 0;
    }

    private void maybeShrink() {
        if (resizePaused) {
            return;
        }
        int length = buckets.length;
        if (length > MIN_BUCKETS && size < length / 8) {
            int target = MIN_BUCKETS;
            while (target < size * 2) {
                target <<= 1;
            }
            resize(target);
        }
    }

    private void resize(int length) {
        Node<V>[] old = buckets;
        Node<V>[] table = newArray(length);
        int mask = length - 1;
        for (Node<V> head : old) {
            Node<V> node = head;
            while (node != null) {
                Node<V> next = node.next;
                int index = node.hash & mask;
                node.next = table[index];
                table[index] = node;
                node = next;
            }
        }
        buckets = table;
        // Growing only splits chains; halving merges them, which can join short chains into a long one.
        if (length < old.length && !seeded && longestChain() > LONG_CHAIN) {
            switchToSeededHash();
        }
    }

    /** Stops (true) or resumes (false) resizing; resuming applies any resize that was held back. */
    void pauseResizing(boolean pause) {
        resizePaused = pause;
        if (!pause) {
            int target = buckets.length;
            while (size > target - (target >>> 2)) {
                target <<= 1;
            }
            if (target != buckets.length) {
                resize(target);
            } else {
                maybeShrink();
            }
            if (longChainWhilePaused && !seeded) {
                switchToSeededHash();
            }
        }
    }

    /** The bucket {@code key} falls in; stable while resizing is paused. */
    int bucketOf(String key) {
        return hashOf(key) & (buckets.length - 1);
    }

    /** The first entry of bucket {@code index}; follow {@link Node#next} for the rest. */
    Node<V> bucket(int index) {
        return buckets[index];
    }

    /** Visits every entry. */
    void forEach(Consumer<Node<V>> visitor) {
        for (Node<V> head : buckets) {
            for (Node<V> node = head; node != null; node = node.next) {
                visitor.accept(node);
            }
        }
    }

    /**
     * One step of a scan: visits whole buckets from {@code cursor} until at least {@code count}
     * entries were visited or ten times {@code count} buckets were looked at (as Redis bounds an
     * empty stretch), and returns the next cursor, 0 when the scan is complete. A cursor made
     * before the table switched to the seeded hash restarts the scan (see the class comment).
     */
    long scan(long cursor, int count, Consumer<Node<V>> visitor) {
        Node<V>[] table = buckets;
        long mask = table.length - 1;
        long v = cursor & ~SEEDED_CURSOR;
        if (seeded && (cursor & SEEDED_CURSOR) == 0) {
            v = 0;
        }
        int visited = 0;
        long bucketsLeft = Math.max(10L * count, 1);
        do {
            for (Node<V> node = table[(int) (v & mask)]; node != null; node = node.next) {
                visitor.accept(node);
                visited++;
            }
            v |= ~mask;
            v = Long.reverse(v);
            v++;
            v = Long.reverse(v);
        } while (v != 0 && visited < count && --bucketsLeft > 0);
        return v != 0 && seeded ? v | SEEDED_CURSOR : v;
    }

    /**
     * A random entry, or null if the table is empty: a random non-empty bucket, then a random
     * entry of its chain, as Redis's {@code dictGetRandomKey}. Not exactly uniform when chains
     * differ in length; Redis accepts the same.
     */
    Node<V> random(SplittableRandom random) {
        if (size == 0) {
            return null;
        }
        Node<V>[] table = buckets;
        Node<V> head;
        do {
            head = table[random.nextInt(table.length)];
        } while (head == null);
        int length = 0;
        for (Node<V> node = head; node != null; node = node.next) {
            length++;
        }
        Node<V> node = head;
        for (int skip = random.nextInt(length); skip > 0; skip--) {
            node = node.next;
        }
        return node;
    }
}
