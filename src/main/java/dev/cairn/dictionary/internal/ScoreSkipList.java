package dev.cairn.dictionary.internal;

import dev.cairn.dictionary.LexRange;
import dev.cairn.dictionary.ScoreRange;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The ordered index of a sorted set: a skip list of (score, member) nodes, ordered by score
 * and then by member bytes (unsigned, as {@code memcmp}), where every forward link also
 * records its span, the number of level-0 steps it jumps. Summing spans along a search path
 * gives a node's rank, so rank lookups and range-by-rank run in O(log n) like searches.
 *
 * <p>Source of the algorithm: William Pugh, "Skip Lists: A Probabilistic Alternative to
 * Balanced Trees" (CACM, 1990), with the extensions of Redis's {@code t_zset.c}: spans on
 * links, a backward link on level 0 for reverse walks, level probability 1/4 capped at 32
 * levels, ties on score broken by member, and score updates done in place when the node keeps
 * its position. The code here is written anew for this layout.
 *
 * <p>Memory: three quarters of nodes have one level. A node keeps its level-0 link in a field
 * and allocates arrays only for the levels above (links and spans); the level-0 span is
 * implied (1 when the link is set). Search paths reuse two scratch arrays per list, sized to
 * the list's current height, so no operation allocates besides the node it inserts.
 *
 * <p>Invariants (checked by {@link #checkInvariants()} in tests): level-0 order is strictly
 * increasing in (score, member); {@code backward} mirrors level 0; on every level the span of a
 * link equals the number of level-0 steps between its ends, and the span of an empty link
 * below the list's level is the number of nodes after its node (insertion relies on it); {@code length} is the number of
 * nodes; no node sits above the list's level; no score is NaN. Scores compare with {@code <} and {@code ==}, so -0.0 equals 0.0 (callers store 0.0).
 *
 * <p>Not thread-safe; owned by its {@link SortedSetValue}.
 */
final class ScoreSkipList {
    static final int MAX_LEVEL = 32;

    /** One member of the list. The member bytes never change; the score changes in place. */
    static final class Node {
        final byte[] member;
        double score;
        Node backward;
        Node next0;
        /** Links of levels 1 .. level-1 (index i-1 for level i); null for a one-level node. */
        final Node[] upper;
        /** Spans of {@link #upper}'s links. */
        final int[] upperSpan;

        Node(byte[] member, double score, int level) {
            this.member = member;
            this.score = score;
            this.upper = level > 1 ? new Node[level - 1] : null;
            this.upperSpan = level > 1 ? new int[level - 1] : null;
        }

        int level() {
            return upper == null ? 1 : upper.length + 1;
        }

        Node next(int level) {
            return level == 0 ? next0 : upper[level - 1];
        }

        void setNext(int level, Node node) {
            if (level == 0) {
                next0 = node;
            } else {
                upper[level - 1] = node;
            }
        }

        int span(int level) {
            if (level == 0) {
                return next0 == null ? 0 : 1;
            }
            return upperSpan[level - 1];
        }

        /** Level 0's span follows from its link and is not stored. */
        void setSpan(int level, int span) {
            if (level > 0) {
                upperSpan[level - 1] = span;
            }
        }
    }

    private final Node header = new Node(null, 0, MAX_LEVEL);
    private Node tail;
    private int length;
    private int level = 1;
    /** Search-path scratch: the last node before the target on each level, and its rank. */
    private Node[] update = new Node[1];
    private int[] rank = new int[1];

    int length() {
        return length;
    }

    /** The lowest node, or null when empty. */
    Node first() {
        return header.next0;
    }

    /** The highest node, or null when empty. */
    Node last() {
        return tail;
    }

    static int compare(double score1, byte[] member1, double score2, byte[] member2) {
        if (score1 < score2) {
            return -1;
        }
        if (score1 > score2) {
            return 1;
        }
        return Arrays.compareUnsigned(member1, member2);
    }

    /** A level from 1 to 32, each level above the first with probability 1/4. */
    private static int randomLevel() {
        // Two zero bits in a row happen with probability 1/4: count pairs of trailing zeros.
        long bits = ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE;
        return 1 + Long.numberOfTrailingZeros(bits) / 2;
    }

    private void ensureScratch(int height) {
        if (update.length < height) {
            update = new Node[height];
            rank = new int[height];
        }
    }

    /** Inserts a new node; the member must not be in the list. Returns the node. */
    Node insert(double score, byte[] member) {
        Node node = new Node(member, score, randomLevel());
        link(node);
        return node;
    }

    /** Links a node that is in no list at its place for its current score. */
    private void link(Node node) {
        int nodeLevel = node.level();
        ensureScratch(Math.max(level, nodeLevel));
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            rank[i] = i == level - 1 ? 0 : rank[i + 1];
            for (Node next = x.next(i); next != null && compare(next.score, next.member, node.score, node.member) < 0;
                    next = x.next(i)) {
                rank[i] += x.span(i);
                x = next;
            }
            update[i] = x;
        }
        if (nodeLevel > level) {
            for (int i = level; i < nodeLevel; i++) {
                rank[i] = 0;
                update[i] = header;
                header.setSpan(i, length);
            }
            level = nodeLevel;
        }
        for (int i = 0; i < nodeLevel; i++) {
            Node before = update[i];
            int beforeSpan = before.span(i);
            node.setNext(i, before.next(i));
            before.setNext(i, node);
            node.setSpan(i, beforeSpan - (rank[0] - rank[i]));
            before.setSpan(i, rank[0] - rank[i] + 1);
        }
        for (int i = nodeLevel; i < level; i++) {
            update[i].setSpan(i, update[i].span(i) + 1);
        }
        node.backward = update[0] == header ? null : update[0];
        if (node.next0 != null) {
            node.next0.backward = node;
        } else {
            tail = node;
        }
        length++;
    }

    /** Fills {@code update} with the last node before (score, member) on each level. */
    private void findPredecessors(double score, byte[] member) {
        ensureScratch(level);
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            for (Node next = x.next(i); next != null && compare(next.score, next.member, score, member) < 0;
                    next = x.next(i)) {
                x = next;
            }
            update[i] = x;
        }
    }

    /** Unlinks {@code node}, whose predecessors are in {@code update}. */
    private void unlink(Node node) {
        for (int i = 0; i < level; i++) {
            Node before = update[i];
            if (before.next(i) == node) {
                before.setSpan(i, before.span(i) + node.span(i) - 1);
                before.setNext(i, node.next(i));
            } else {
                before.setSpan(i, before.span(i) - 1);
            }
        }
        if (node.next0 != null) {
            node.next0.backward = node.backward;
        } else {
            tail = node.backward;
        }
        while (level > 1 && header.next(level - 1) == null) {
            level--;
        }
        length--;
    }

    /** Removes {@code node}, which must be in this list. */
    void delete(Node node) {
        findPredecessors(node.score, node.member);
        assert update[0].next0 == node : "node not in list";
        unlink(node);
    }

    /** Decides whether a run of removals goes on to a node. */
    @FunctionalInterface
    interface NodeCondition {
        boolean test(Node node);
    }

    /** Receives each node a run of removals has unlinked. */
    @FunctionalInterface
    interface NodeSink {
        void accept(Node node);
    }

    /**
     * Removes {@code first} and the nodes after it, in order, while {@code condition} holds,
     * in O(log n + removed): the search path to {@code first} stays valid for its successors
     * because everything between is removed (Redis's {@code zslDeleteRangeBy*}).
     *
     * @return how many nodes were removed
     */
    long deleteRun(Node first, NodeCondition condition, NodeSink removed) {
        findPredecessors(first.score, first.member);
        assert update[0].next0 == first : "node not in list";
        long count = 0;
        for (Node x = first; x != null && condition.test(x); ) {
            Node next = x.next0;
            unlink(x);
            removed.accept(x);
            count++;
            x = next;
        }
        return count;
    }

    /**
     * Changes the score of {@code node}, which must be in this list. The node stays where it is
     * when the new score keeps it between its neighbours, as Redis does; otherwise it moves.
     */
    void updateScore(Node node, double newScore) {
        if ((node.backward == null || node.backward.score < newScore)
                && (node.next0 == null || node.next0.score > newScore)) {
            node.score = newScore;
            return;
        }
        delete(node);
        node.score = newScore;
        link(node);
    }

    /** The 1-based rank of {@code node}, which must be in this list. */
    long rankOf(Node node) {
        Node x = header;
        long traversed = 0;
        for (int i = level - 1; i >= 0; i--) {
            for (Node next = x.next(i); next != null
                    && compare(next.score, next.member, node.score, node.member) <= 0; next = x.next(i)) {
                traversed += x.span(i);
                x = next;
            }
            if (x == node) {
                return traversed;
            }
        }
        throw new IllegalStateException("node not in list");
    }

    /** The node at a 1-based rank, or null when the rank is outside [1, length]. */
    Node byRank(long wanted) {
        if (wanted < 1 || wanted > length) {
            return null;
        }
        Node x = header;
        long traversed = 0;
        for (int i = level - 1; i >= 0; i--) {
            for (Node next = x.next(i); next != null && traversed + x.span(i) <= wanted; next = x.next(i)) {
                traversed += x.span(i);
                x = next;
            }
            if (traversed == wanted) {
                return x;
            }
        }
        throw new IllegalStateException("rank " + wanted + " not found in a list of " + length);
    }

    /** The lowest node whose score is in {@code range}, or null. */
    Node firstInRange(ScoreRange range) {
        if (range.isEmpty() || tail == null || !range.aboveMin(tail.score) || !range.belowMax(header.next0.score)) {
            return null;
        }
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            for (Node next = x.next(i); next != null && !range.aboveMin(next.score); next = x.next(i)) {
                x = next;
            }
        }
        x = x.next0;
        return x != null && range.belowMax(x.score) ? x : null;
    }

    /** The highest node whose score is in {@code range}, or null. */
    Node lastInRange(ScoreRange range) {
        if (range.isEmpty() || tail == null || !range.aboveMin(tail.score) || !range.belowMax(header.next0.score)) {
            return null;
        }
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            for (Node next = x.next(i); next != null && range.belowMax(next.score); next = x.next(i)) {
                x = next;
            }
        }
        return x != header && range.aboveMin(x.score) ? x : null;
    }

    /** The lowest node whose member is in {@code range} (members compared alone), or null. */
    Node firstInRange(LexRange range) {
        if (range.isEmpty() || tail == null || !range.aboveMin(tail.member) || !range.belowMax(header.next0.member)) {
            return null;
        }
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            for (Node next = x.next(i); next != null && !range.aboveMin(next.member); next = x.next(i)) {
                x = next;
            }
        }
        x = x.next0;
        return x != null && range.belowMax(x.member) ? x : null;
    }

    /** The highest node whose member is in {@code range} (members compared alone), or null. */
    Node lastInRange(LexRange range) {
        if (range.isEmpty() || tail == null || !range.aboveMin(tail.member) || !range.belowMax(header.next0.member)) {
            return null;
        }
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            for (Node next = x.next(i); next != null && range.belowMax(next.member); next = x.next(i)) {
                x = next;
            }
        }
        return x != header && range.aboveMin(x.member) ? x : null;
    }

    /**
     * An independent copy in O(n): the nodes are appended in order with fresh random levels,
     * each link's span being the distance between the ranks it joins.
     *
     * @param created receives each new node (member array shared with the original)
     */
    ScoreSkipList copy(NodeSink created) {
        ScoreSkipList copy = new ScoreSkipList();
        Node[] lastAt = new Node[MAX_LEVEL];
        int[] rankAt = new int[MAX_LEVEL];
        Arrays.fill(lastAt, copy.header);
        int rank = 0;
        Node previous = null;
        for (Node x = header.next0; x != null; x = x.next0) {
            rank++;
            Node node = new Node(x.member, x.score, randomLevel());
            int nodeLevel = node.level();
            for (int i = 0; i < nodeLevel; i++) {
                lastAt[i].setNext(i, node);
                lastAt[i].setSpan(i, rank - rankAt[i]);
                lastAt[i] = node;
                rankAt[i] = rank;
            }
            copy.level = Math.max(copy.level, nodeLevel);
            node.backward = previous;
            previous = node;
            created.accept(node);
        }
        for (int i = 1; i < copy.level; i++) {
            // An empty link's span is the distance to the end, as insertion expects.
            lastAt[i].setSpan(i, rank - rankAt[i]);
        }
        copy.tail = previous;
        copy.length = rank;
        return copy;
    }

    /** Removes every node; the list keeps nothing from before. */
    void clear() {
        Arrays.fill(header.upper, null);
        Arrays.fill(header.upperSpan, 0);
        header.next0 = null;
        tail = null;
        length = 0;
        level = 1;
        update = new Node[1];
        rank = new int[1];
    }

    /**
     * Verifies every invariant of the class Javadoc; for tests. O(n log n).
     *
     * @throws IllegalStateException naming the first broken invariant
     */
    void checkInvariants() {
        int count = 0;
        Node previous = null;
        for (Node x = header.next0; x != null; x = x.next0) {
            count++;
            if (Double.isNaN(x.score)) {
                throw new IllegalStateException("NaN score at position " + count);
            }
            if (x.backward != previous) {
                throw new IllegalStateException("backward link wrong at position " + count);
            }
            if (previous != null && compare(previous.score, previous.member, x.score, x.member) >= 0) {
                throw new IllegalStateException("order broken at position " + count);
            }
            if (x.level() > level) {
                throw new IllegalStateException("node level " + x.level() + " above list level " + level);
            }
            previous = x;
        }
        if (count != length || tail != previous) {
            throw new IllegalStateException("length " + length + " but " + count + " nodes, or tail wrong");
        }
        for (int i = 1; i < MAX_LEVEL; i++) {
            if (i >= level && header.next(i) != null) {
                throw new IllegalStateException("link above the list level " + level + " at level " + i);
            }
            Node x = header;
            int xPosition = 0;
            while (x.next(i) != null) {
                Node next = x.next(i);
                Node walk = x.next0;
                int steps = 1;
                while (walk != next) {
                    if (walk == null) {
                        throw new IllegalStateException("level " + i + " link skips past the end");
                    }
                    walk = walk.next0;
                    steps++;
                }
                if (x.span(i) != steps) {
                    throw new IllegalStateException("span " + x.span(i) + " at level " + i + " after position "
                            + xPosition + " but the link jumps " + steps);
                }
                xPosition += steps;
                x = next;
            }
            if (i < level && x.span(i) != length - xPosition) {
                throw new IllegalStateException("span " + x.span(i) + " of the empty link at level " + i
                        + " after position " + xPosition + " is not the distance to the end of " + length);
            }
        }
    }
}
