package dev.cairn.dictionary.internal;

import dev.cairn.dictionary.KeyType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * The value of a set key: distinct byte-string members, without order, in a
 * {@link MemberTable} (no object per member besides its bytes).
 *
 * <p>Random choices follow Redis: SRANDMEMBER with a count returns distinct members for a
 * positive count and independent picks (repeats possible) for a negative one; SPOP removes
 * distinct members. Randomness is passed in so that a caller can seed it, and so that what was
 * chosen can be logged as a deterministic removal.
 *
 * <p>Member arrays are kept as given: callers hand over arrays nobody mutates afterwards and
 * never mutate the arrays they get back.
 *
 * <p>Not thread-safe; the dictionary's command lock serializes access.
 */
final class SetValue extends CollectionValue {
    private final MemberTable table;
    /** Latched once an add took the set past Redis's intset limits (see {@link ObjectEncodings}). */
    private boolean converted;

    SetValue() {
        this(0);
    }

    SetValue(int expectedSize) {
        table = new MemberTable(false, expectedSize);
    }

    private SetValue(MemberTable table) {
        this.table = table;
    }

    @Override
    public KeyType type() {
        return KeyType.SET;
    }

    int size() {
        return table.size();
    }

    @Override
    public boolean isEmpty() {
        return table.size() == 0;
    }

    boolean contains(byte[] member) {
        return table.indexOf(member) >= 0;
    }

    /** The member at a position in [0, size); positions change with every write. */
    byte[] memberAt(int index) {
        return table.memberAt(index);
    }

    /** Adds a member; returns whether it was absent. */
    boolean add(byte[] member) {
        int hash = table.hash(member);
        if (table.indexOf(member, hash) >= 0) {
            return false;
        }
        table.insertAbsent(member, hash, null);
        if (!converted && (table.size() > ObjectEncodings.SET_MAX_INTSET_ENTRIES || Numbers.parseLong(member) == null)) {
            converted = true;
        }
        return true;
    }

    /** Whether Redis would hold this set as a hash table rather than an intset. */
    boolean hashtable() {
        if (converted || table.size() > ObjectEncodings.SET_MAX_INTSET_ENTRIES) {
            return true;
        }
        for (int i = 0; i < table.size(); i++) {
            if (Numbers.parseLong(table.memberAt(i)) == null) {
                return true;
            }
        }
        return false;
    }

    /** Removes a member; returns whether it was present. */
    boolean remove(byte[] member) {
        int index = table.indexOf(member);
        if (index < 0) {
            return false;
        }
        table.removeAt(index);
        return true;
    }

    /** Visits every member, in no particular order. The visitor must not modify this set. */
    void forEach(Consumer<byte[]> visitor) {
        for (int i = 0; i < table.size(); i++) {
            visitor.accept(table.memberAt(i));
        }
    }

    /** Every member, in no particular order. */
    List<byte[]> members() {
        List<byte[]> members = new ArrayList<>(table.size());
        forEach(members::add);
        return members;
    }

    /** SRANDMEMBER key: one member chosen uniformly, or null when empty. */
    byte[] randomMember(RandomGenerator random) {
        return isEmpty() ? null : table.memberAt(random.nextInt(table.size()));
    }

    /** SRANDMEMBER key count: see {@link RandomSampling#choose}. */
    List<byte[]> randomMembers(long count, RandomGenerator random) {
        int[] picks = RandomSampling.choose(table.size(), count, random);
        List<byte[]> members = new ArrayList<>(picks.length);
        for (int pick : picks) {
            members.add(table.memberAt(pick));
        }
        return members;
    }

    /**
     * SPOP key count: removes and returns {@code min(count, size)} distinct members chosen
     * uniformly.
     *
     * @throws IllegalArgumentException if {@code count} is negative
     */
    List<byte[]> pop(long count, RandomGenerator random) {
        if (count < 0) {
            throw new IllegalArgumentException("count " + count + " is negative");
        }
        int n = (int) Math.min(count, table.size());
        List<byte[]> popped = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            // Entries are dense, so any position is a member, and removal keeps them dense.
            int index = random.nextInt(table.size());
            popped.add(table.memberAt(index));
            table.removeAt(index);
        }
        return popped;
    }

    /**
     * One step of SSCAN; see {@link MemberTable#scan}: members present for the whole scan are
     * reported at least once.
     *
     * @return the next cursor, 0 when the scan is complete
     */
    long scan(long cursor, int count, Consumer<byte[]> visitor) {
        return table.scan(cursor, count, i -> visitor.accept(table.memberAt(i)));
    }

    /** An independent copy sharing the (immutable) member arrays. */
    @Override
    public SetValue copy() {
        SetValue copy = new SetValue(table.copy());
        copy.converted = converted;
        return copy;
    }
}
