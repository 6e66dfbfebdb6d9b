package dev.cairn.dictionary.internal;

import dev.cairn.dictionary.KeyType;
import dev.cairn.dictionary.LexRange;
import dev.cairn.dictionary.ScoreRange;
import dev.cairn.dictionary.internal.ScoreSkipList.Node;
import java.util.random.RandomGenerator;

/**
 * The value of a sorted-set key: distinct byte-string members, each with a score, ordered by
 * score and then by member bytes (unsigned). As in Redis, two indexes share the nodes: a
 * {@link ScoreSkipList} for order and rank, and a {@link MemberTable} from member to node for
 * O(1) score lookups, uniform random picks and cursor scans.
 *
 * <p>Scores are never NaN. A score of -0.0 is stored as 0.0: the two compare equal in Redis's
 * ordering, and Redis's compact encoding of small sorted sets writes both as {@code 0}, so
 * normalizing keeps one answer for every size of set.
 *
 * <p>Ranks are 0-based here. Rank ranges take Redis's inclusive {@code start}/{@code stop}
 * with negative values counted from the end. Visitors receive members in the order the
 * command answers with and must not modify this value.
 *
 * <p>Invariants: the list and the table hold the same members; each table entry's value is
 * that member's node. Member arrays are kept as given (callers hand over arrays nobody
 * mutates afterwards).
 *
 * <p>Not thread-safe; the dictionary's command lock serializes access.
 */
final class SortedSetValue extends CollectionValue {
    /** Receives the entries of a range or of a removal. */
    @FunctionalInterface
    interface EntryVisitor {
        void accept(byte[] member, double score);
    }

    private final ScoreSkipList list;
    private final MemberTable table;
    /** Latched once an add took the set past Redis's listpack limits (see {@link ObjectEncodings}). */
    private boolean converted;

    SortedSetValue() {
        this(0);
    }

    SortedSetValue(int expectedSize) {
        list = new ScoreSkipList();
        table = new MemberTable(true, expectedSize);
    }

    private SortedSetValue(SortedSetValue source) {
        // A copy of a flooded table starts on the seeded hash, rather than rediscover the flood.
        table = new MemberTable(true, source.size(), source.table.seeded());
        list = source.list.copy(node -> table.insertAbsent(node.member, table.hash(node.member), node));
        converted = source.converted;
    }

    @Override
    public KeyType type() {
        return KeyType.ZSET;
    }

    int size() {
        return list.length();
    }

    @Override
    public boolean isEmpty() {
        return list.length() == 0;
    }

    private Node node(byte[] member) {
        int index = table.indexOf(member);
        return index < 0 ? null : (Node) table.valueAt(index);
    }

    /** The member's score, or NaN when it is not a member (no stored score is NaN). */
    double scoreOrNaN(byte[] member) {
        Node node = node(member);
        return node == null ? Double.NaN : node.score;
    }

    boolean contains(byte[] member) {
        return table.indexOf(member) >= 0;
    }

    /**
     * Adds the member with this score, or changes its score.
     *
     * @return the previous score, or NaN if the member was added
     * @throws IllegalArgumentException if the score is NaN
     */
    double put(byte[] member, double score) {
        if (Double.isNaN(score)) {
            throw new IllegalArgumentException("score is NaN for a sorted-set member");
        }
        double normalized = score + 0.0; // -0.0 + 0.0 == +0.0; every other value is unchanged
        int hash = table.hash(member);
        int index = table.indexOf(member, hash);
        if (index < 0) {
            Node node = list.insert(normalized, member);
            table.insertAbsent(member, hash, node);
            if (!converted && (list.length() > ObjectEncodings.ZSET_MAX_LISTPACK_ENTRIES
                    || member.length > ObjectEncodings.ZSET_MAX_LISTPACK_VALUE)) {
                converted = true;
            }
            return Double.NaN;
        }
        Node node = (Node) table.valueAt(index);
        double previous = node.score;
        if (previous != normalized) {
            list.updateScore(node, normalized);
        }
        return previous;
    }

    /** Whether Redis would hold this sorted set as a skip list rather than a listpack. */
    boolean skiplist() {
        if (converted || list.length() > ObjectEncodings.ZSET_MAX_LISTPACK_ENTRIES) {
            return true;
        }
        for (int i = 0; i < table.size(); i++) {
            if (table.memberAt(i).length > ObjectEncodings.ZSET_MAX_LISTPACK_VALUE) {
                return true;
            }
        }
        return false;
    }

    /** Removes the member; returns whether it was present. */
    boolean remove(byte[] member) {
        int index = table.indexOf(member);
        if (index < 0) {
            return false;
        }
        list.delete((Node) table.valueAt(index));
        table.removeAt(index);
        return true;
    }

    /** ZRANK / ZREVRANK: the member's 0-based rank, or -1 when it is not a member. */
    long rank(byte[] member, boolean reverse) {
        Node node = node(member);
        if (node == null) {
            return -1;
        }
        long rank = list.rankOf(node) - 1;
        return reverse ? list.length() - 1 - rank : rank;
    }

    /**
     * Clamps Redis's inclusive rank range to [0, size), counting negative ends from the end.
     *
     * @return {start, stop}, or null when the range is empty
     */
    private long[] clampRanks(long start, long stop) {
        long length = list.length();
        long from = start < 0 ? Math.max(0, length + start) : start;
        long to = stop < 0 ? length + stop : Math.min(stop, length - 1);
        return from > to || from >= length ? null : new long[] {from, to};
    }

    /**
     * ZRANGE start stop [REV]: visits the entries whose rank (from the top when
     * {@code reverse}) is in [start, stop].
     *
     * @return how many entries were visited
     */
    long rangeByRank(long start, long stop, boolean reverse, EntryVisitor visitor) {
        long[] ranks = clampRanks(start, stop);
        if (ranks == null) {
            return 0;
        }
        long count = ranks[1] - ranks[0] + 1;
        long firstRank = reverse ? list.length() - ranks[0] : ranks[0] + 1;
        return walk(list.byRank(firstRank), reverse, count, null, null, visitor);
    }

    /**
     * ZRANGE min max BYSCORE [REV] [LIMIT offset count]: visits the entries whose score is in
     * {@code range}, lowest first (highest first when {@code reverse}), skipping {@code offset}
     * of them and visiting at most {@code count} (all when {@code count} is negative).
     *
     * @return how many entries were visited
     */
    long rangeByScore(ScoreRange range, boolean reverse, long offset, long count, EntryVisitor visitor) {
        if (offset < 0 || count == 0) {
            return 0;
        }
        Node start = reverse ? list.lastInRange(range) : list.firstInRange(range);
        return walk(skip(start, reverse, offset), reverse, count, range, null, visitor);
    }

    /** ZRANGE min max BYLEX [REV] [LIMIT offset count]; as {@link #rangeByScore} for members. */
    long rangeByLex(LexRange range, boolean reverse, long offset, long count, EntryVisitor visitor) {
        if (offset < 0 || count == 0) {
            return 0;
        }
        Node start = reverse ? list.lastInRange(range) : list.firstInRange(range);
        return walk(skip(start, reverse, offset), reverse, count, null, range, visitor);
    }

    /** The node {@code offset} steps from {@code start}, found by rank in O(log n). */
    private Node skip(Node start, boolean reverse, long offset) {
        if (start == null || offset == 0) {
            return start;
        }
        long rank = list.rankOf(start);
        return list.byRank(reverse ? rank - offset : rank + offset);
    }

    private static long walk(Node start, boolean reverse, long count, ScoreRange scores, LexRange lex,
            EntryVisitor visitor) {
        long visited = 0;
        for (Node x = start; x != null && visited != count; x = reverse ? x.backward : x.next0) {
            if (scores != null && !(reverse ? scores.aboveMin(x.score) : scores.belowMax(x.score))) {
                break;
            }
            if (lex != null && !(reverse ? lex.aboveMin(x.member) : lex.belowMax(x.member))) {
                break;
            }
            visitor.accept(x.member, x.score);
            visited++;
        }
        return visited;
    }

    /** ZCOUNT: the number of entries whose score is in {@code range}, in O(log n). */
    long countByScore(ScoreRange range) {
        Node first = list.firstInRange(range);
        return first == null ? 0 : list.rankOf(list.lastInRange(range)) - list.rankOf(first) + 1;
    }

    /** ZLEXCOUNT: the number of entries whose member is in {@code range}, in O(log n). */
    long countByLex(LexRange range) {
        Node first = list.firstInRange(range);
        return first == null ? 0 : list.rankOf(list.lastInRange(range)) - list.rankOf(first) + 1;
    }

    /** ZREMRANGEBYRANK: removes the entries of a rank range; see {@link #rangeByRank}. */
    long removeRangeByRank(long start, long stop, EntryVisitor removed) {
        long[] ranks = clampRanks(start, stop);
        if (ranks == null) {
            return 0;
        }
        long[] left = {ranks[1] - ranks[0] + 1};
        return removeFrom(list.byRank(ranks[0] + 1), node -> left[0]-- > 0, removed);
    }

    /** ZREMRANGEBYSCORE: removes the entries whose score is in {@code range}. */
    long removeRangeByScore(ScoreRange range, EntryVisitor removed) {
        return removeFrom(list.firstInRange(range), node -> range.belowMax(node.score), removed);
    }

    /** ZREMRANGEBYLEX: removes the entries whose member is in {@code range}. */
    long removeRangeByLex(LexRange range, EntryVisitor removed) {
        return removeFrom(list.firstInRange(range), node -> range.belowMax(node.member), removed);
    }

    private long removeFrom(Node first, ScoreSkipList.NodeCondition condition, EntryVisitor removed) {
        if (first == null) {
            return 0;
        }
        return list.deleteRun(first, condition, node -> {
            table.removeAt(table.indexOf(node.member));
            removed.accept(node.member, node.score);
        });
    }

    /**
     * ZPOPMIN / ZPOPMAX: removes up to {@code count} entries from the low (or high) end,
     * visiting them lowest first (highest first for {@code max}).
     *
     * @return how many entries were removed
     */
    long pop(boolean max, long count, EntryVisitor removed) {
        if (count < 0) {
            throw new IllegalArgumentException("count " + count + " is negative");
        }
        long n = Math.min(count, list.length());
        if (!max) {
            long[] left = {n};
            return removeFrom(list.first(), node -> left[0]-- > 0, removed);
        }
        for (long i = 0; i < n; i++) {
            Node last = list.last();
            list.delete(last);
            table.removeAt(table.indexOf(last.member));
            removed.accept(last.member, last.score);
        }
        return n;
    }

    /** ZRANDMEMBER key: one entry chosen uniformly; returns false (visiting nothing) when empty. */
    boolean randomEntry(RandomGenerator random, EntryVisitor visitor) {
        if (isEmpty()) {
            return false;
        }
        Node node = (Node) table.valueAt(random.nextInt(table.size()));
        visitor.accept(node.member, node.score);
        return true;
    }

    /** ZRANDMEMBER key count: see {@link RandomSampling#choose}. Returns how many were visited. */
    long randomEntries(long count, RandomGenerator random, EntryVisitor visitor) {
        int[] picks = RandomSampling.choose(table.size(), count, random);
        for (int pick : picks) {
            Node node = (Node) table.valueAt(pick);
            visitor.accept(node.member, node.score);
        }
        return picks.length;
    }

    /**
     * One step of ZSCAN; see {@link MemberTable#scan}: entries present for the whole scan are
     * reported at least once (with their score at the time they are reported).
     *
     * @return the next cursor, 0 when the scan is complete
     */
    long scan(long cursor, int count, EntryVisitor visitor) {
        return table.scan(cursor, count, i -> {
            Node node = (Node) table.valueAt(i);
            visitor.accept(node.member, node.score);
        });
    }

    /** Visits every entry in order, lowest first. */
    void forEach(EntryVisitor visitor) {
        for (Node x = list.first(); x != null; x = x.next0) {
            visitor.accept(x.member, x.score);
        }
    }

    /** An independent copy sharing the (immutable) member arrays; O(n). */
    @Override
    public SortedSetValue copy() {
        return new SortedSetValue(this);
    }

    /**
     * Verifies the skip list's invariants and that the table holds exactly its nodes; for
     * tests.
     *
     * @throws IllegalStateException naming the first broken invariant
     */
    void checkInvariants() {
        list.checkInvariants();
        if (table.size() != list.length()) {
            throw new IllegalStateException("table has " + table.size() + " members, list " + list.length());
        }
        for (Node x = list.first(); x != null; x = x.next0) {
            int index = table.indexOf(x.member);
            if (index < 0 || table.valueAt(index) != x) {
                throw new IllegalStateException("member of the list missing from the table or not mapped to its node");
            }
        }
    }
}
