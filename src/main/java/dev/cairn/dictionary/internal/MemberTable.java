package dev.cairn.dictionary.internal;

import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * A hash table of distinct byte-string members, each with an optional value: the member
 * index of set values and of sorted-set values (where the value is the member's skip-list
 * node).
 *
 * <p>Layout, chosen for memory and for the commands it serves:
 * <pre>
 *   entries, dense in [0, size):  members[i]  hashes[i]  chain[i]  values[i] (only with values)
 *   buckets[b]:                   first entry index of bucket b, or -1
 * </pre>
 * No object is allocated per entry besides the member bytes themselves. Because entries are
 * dense, a uniformly random member is one {@code nextInt(size)} away (SRANDMEMBER, SPOP,
 * ZRANDMEMBER). Because an entry's bucket depends only on its hash and the table's capacity
 * (chaining, not probing), the reverse-binary cursor of Redis's {@code dictScan} applies:
 * a scan reports every entry that is present from the scan's start to its end at least once,
 * even when the table grows or shrinks between calls.
 *
 * <p>Invariants: {@code buckets.length == members.length}, a power of two between
 * {@value #MIN_CAPACITY} and 2<sup>30</sup>; every entry in [0, size) is reachable from
 * exactly one bucket, the one at {@code hashes[i] & (capacity - 1)}; members are distinct by
 * content; slots at and past {@code size} hold no references. The table grows when full and
 * halves when under a quarter full, so memory follows the size both ways. While the table is on
 * the fast hash, no chain is longer than {@value #LONG_CHAIN} ({@link #longestChain}, for tests).
 *
 * <p>Hash flooding: members start on a fast hash ({@code Arrays.hashCode} through Murmur3's
 * finalizer), which anyone can make collide (the bytes "Aa" and "BB" have the same
 * {@code Arrays.hashCode}, and so has every concatenation of them; the finalizer is a bijection
 * and keeps every collision). Short binary members collide under it even when nobody chose them
 * ({@code Arrays.hashCode} is a polynomial in signed bytes: 2<sup>18</sup> four-byte counters
 * share about 11,000 hashes). As {@link StringTable} does, the table switches for good to
 * {@link SeededHash} (SipHash keyed per process) when an insert makes a chain longer than
 * {@value #LONG_CHAIN} entries or a shrink merges chains into one that long, rehashing every
 * member once; entry indexes do not change. Callers therefore take hashes from {@link #hash} of
 * the table they use, and must not keep one across an insert. A scan cursor made before the
 * switch restarts the scan under the new hash ({@link #SEEDED_CURSOR}), so the scan guarantee
 * holds across it.
 *
 * <p>Member arrays are stored as given and never modified: callers hand over arrays nobody
 * else mutates. Entry indexes are valid until the next insert or removal.
 *
 * <p>Not thread-safe; owned by the value that holds it, which the dictionary's command lock
 * serializes.
 */
final class MemberTable {
    static final int MIN_CAPACITY = 4;
    private static final int MAX_CAPACITY = 1 << 30;
    /** A chain longer than this on the fast hash switches the table to the seeded hash. */
    static final int LONG_CHAIN = 16;
    /** Marks a scan cursor made under the seeded hash; bucket bits never reach it. */
    static final long SEEDED_CURSOR = 1L << 62;

    private byte[][] members;
    private int[] hashes;
    private int[] chain;
    private int[] buckets;
    private Object[] values;
    private int size;
    /** Whether members hash with {@link SeededHash}; set once, by {@link #switchToSeededHash}. */
    private boolean seeded;

    /**
     * Creates an empty table.
     *
     * @param withValues whether entries carry a value ({@link #valueAt})
     * @param expectedSize how many entries to make room for up front
     */
    MemberTable(boolean withValues, int expectedSize) {
        this(withValues, expectedSize, false);
    }

    /**
     * Creates an empty table, on the seeded hash from the start if {@code seeded} (for a copy of
     * a flooded table).
     */
    MemberTable(boolean withValues, int expectedSize, boolean seeded) {
        this.seeded = seeded;
        if (expectedSize < 0) {
            throw new IllegalArgumentException("expected size " + expectedSize + " is negative");
        }
        int capacity = capacityFor(expectedSize);
        members = new byte[capacity][];
        hashes = new int[capacity];
        chain = new int[capacity];
        buckets = new int[capacity];
        Arrays.fill(buckets, -1);
        values = withValues ? new Object[capacity] : null;
    }

    private MemberTable(MemberTable source) {
        members = source.members.clone();
        hashes = source.hashes.clone();
        chain = source.chain.clone();
        buckets = source.buckets.clone();
        values = source.values == null ? null : source.values.clone();
        size = source.size;
        seeded = source.seeded;
    }

    private static int capacityFor(int expectedSize) {
        if (expectedSize > MAX_CAPACITY) {
            throw new IllegalArgumentException(
                    "expected size " + expectedSize + " exceeds the maximum of " + MAX_CAPACITY);
        }
        int capacity = MIN_CAPACITY;
        while (capacity < expectedSize) {
            capacity <<= 1;
        }
        return capacity;
    }

    /**
     * The hash of a member's content under this table's hash function; well mixed so that the
     * low bits pick buckets evenly. Valid until the next insert (which may switch the function).
     */
    int hash(byte[] member) {
        return seeded ? SeededHash.ofBytes(member) : fastHash(member);
    }

    /** Whether the table switched to the seeded hash. */
    boolean seeded() {
        return seeded;
    }

    private static int fastHash(byte[] member) {
        int h = Arrays.hashCode(member);
        // Murmur3's 32-bit finalizer: spreads Arrays.hashCode's weak low bits.
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    int size() {
        return size;
    }

    int capacity() {
        return members.length;
    }

    /** The index of the entry equal to {@code member}, or -1. */
    int indexOf(byte[] member) {
        return indexOf(member, hash(member));
    }

    /** As {@link #indexOf(byte[])}, with the member's {@link #hash} already computed. */
    int indexOf(byte[] member, int hash) {
        for (int i = buckets[hash & (buckets.length - 1)]; i >= 0; i = chain[i]) {
            if (hashes[i] == hash && Arrays.equals(members[i], member)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Adds a member that is not in the table.
     *
     * @param hash the member's {@link #hash}
     * @param value the entry's value; ignored by a table without values
     * @return the new entry's index
     * @throws IllegalStateException when the table already holds 2<sup>30</sup> entries
     */
    int insertAbsent(byte[] member, int hash, Object value) {
        assert indexOf(member, hash) < 0 : "member already present";
        if (size == members.length) {
            if (size == MAX_CAPACITY) {
                throw new IllegalStateException("a collection holds at most " + MAX_CAPACITY + " members");
            }
            resize(members.length << 1);
        }
        int i = size++;
        members[i] = member;
        hashes[i] = hash;
        if (values != null) {
            values[i] = value;
        }
        int bucket = hash & (buckets.length - 1);
        int head = buckets[bucket];
        chain[i] = head;
        buckets[bucket] = i;
        if (!seeded && longerThan(head, LONG_CHAIN - 1)) {
            switchToSeededHash();
        }
        return i;
    }

    /** Whether the chain from entry {@code head} has more than {@code limit} entries. */
    private boolean longerThan(int head, int limit) {
        int i = head;
        for (int length = 0; i >= 0; length++) {
            if (length == limit) {
                return true;
            }
            i = chain[i];
        }
        return false;
    }

    /** Rehashes every member with the seeded hash and keeps it from now on; indexes stay. */
    private void switchToSeededHash() {
        seeded = true;
        for (int i = 0; i < size; i++) {
            hashes[i] = SeededHash.ofBytes(members[i]);
        }
        relink();
    }

    /** The length of the longest chain: a probe for tests of the flooding defence. */
    int longestChain() {
        int longest = 0;
        for (int head : buckets) {
            int length = 0;
            for (int i = head; i >= 0; i = chain[i]) {
                length++;
            }
            longest = Math.max(longest, length);
        }
        return longest;
    }

    byte[] memberAt(int index) {
        return members[index];
    }

    Object valueAt(int index) {
        return values[index];
    }

    void setValueAt(int index, Object value) {
        values[index] = value;
    }

    /** Removes the entry at {@code index}; the last entry moves into its place. */
    void removeAt(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("index " + index + " outside [0, " + size + ")");
        }
        repointReferenceTo(index, chain[index]);
        int last = --size;
        if (index != last) {
            repointReferenceTo(last, index);
            members[index] = members[last];
            hashes[index] = hashes[last];
            chain[index] = chain[last];
            if (values != null) {
                values[index] = values[last];
            }
        }
        members[last] = null;
        if (values != null) {
            values[last] = null;
        }
        if (size < members.length >>> 2 && members.length > MIN_CAPACITY) {
            resize(members.length >>> 1);
        }
    }

    /** Makes whatever points at entry {@code from} (its bucket head or a chain link) point at {@code to}. */
    private void repointReferenceTo(int from, int to) {
        int bucket = hashes[from] & (buckets.length - 1);
        if (buckets[bucket] == from) {
            buckets[bucket] = to;
            return;
        }
        int i = buckets[bucket];
        while (chain[i] != from) {
            i = chain[i];
        }
        chain[i] = to;
    }

    /** Removes every entry; the capacity drops back to the minimum. */
    void clear() {
        members = new byte[MIN_CAPACITY][];
        hashes = new int[MIN_CAPACITY];
        chain = new int[MIN_CAPACITY];
        buckets = new int[MIN_CAPACITY];
        Arrays.fill(buckets, -1);
        values = values == null ? null : new Object[MIN_CAPACITY];
        size = 0;
    }

    private void resize(int capacity) {
        boolean shrinking = capacity < members.length;
        members = Arrays.copyOf(members, capacity);
        hashes = Arrays.copyOf(hashes, capacity);
        chain = Arrays.copyOf(chain, capacity);
        if (values != null) {
            values = Arrays.copyOf(values, capacity);
        }
        relink();
        // Growing only splits chains; halving merges them, which can join short chains into a long one.
        if (shrinking && !seeded && longestChain() > LONG_CHAIN) {
            switchToSeededHash();
        }
    }

    /** Rebuilds the buckets and chains from the hashes, for the current capacity. */
    private void relink() {
        int capacity = members.length;
        buckets = new int[capacity];
        Arrays.fill(buckets, -1);
        int mask = capacity - 1;
        for (int i = 0; i < size; i++) {
            int bucket = hashes[i] & mask;
            chain[i] = buckets[bucket];
            buckets[bucket] = i;
        }
    }

    /**
     * One step of a cursor scan, after Redis's {@code dictScan}: visits whole buckets, starting
     * at the bucket the cursor names, until at least {@code count} entries were visited, ten
     * times {@code count} buckets were looked at, or the scan wrapped around.
     *
     * <p>The cursor is incremented with its bits reversed (most significant bucket bit first),
     * so that the buckets already visited at one capacity map onto buckets already visited at
     * any other capacity: growing or shrinking between calls may report an entry twice but
     * never skips one that stayed in the table. A cursor made before the table switched to the
     * seeded hash restarts the scan from the beginning (see the class comment).
     *
     * @param cursor 0 to start, then the value the previous call returned
     * @param count the number of entries after which to stop, at least 1
     * @param visitor receives entry indexes; it must not modify the table
     * @return the cursor for the next call, 0 when the scan is complete
     */
    long scan(long cursor, int count, IntConsumer visitor) {
        if (count < 1) {
            throw new IllegalArgumentException("count " + count + " is less than 1");
        }
        if (size == 0) {
            return 0;
        }
        long mask = buckets.length - 1;
        long v = cursor & ~SEEDED_CURSOR;
        if (seeded && (cursor & SEEDED_CURSOR) == 0) {
            v = 0;
        }
        long bucketBudget = 10L * count;
        int visited = 0;
        do {
            for (int i = buckets[(int) (v & mask)]; i >= 0; i = chain[i]) {
                visitor.accept(i);
                visited++;
            }
            v |= ~mask;
            v = Long.reverse(v);
            v++;
            v = Long.reverse(v);
        } while (v != 0 && visited < count && --bucketBudget > 0);
        return v != 0 && seeded ? v | SEEDED_CURSOR : v;
    }

    /** An independent copy; member arrays and values are shared (members are never modified). */
    MemberTable copy() {
        return new MemberTable(this);
    }
}
