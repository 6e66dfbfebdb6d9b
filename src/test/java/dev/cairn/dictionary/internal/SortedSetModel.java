package dev.cairn.dictionary.internal;

import dev.cairn.dictionary.LexRange;
import dev.cairn.dictionary.ScoreRange;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The oracle for sorted-set tests: a TreeSet of entries in Redis's order plus a HashMap of
 * scores, with every operation written the plain way (linear scans over the sorted entries).
 */
final class SortedSetModel {
    /** One (member, score) pair; equality by content, for comparing answers. */
    record Entry(byte[] member, double score) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Entry that && Arrays.equals(member, that.member)
                    && Double.compare(score, that.score) == 0;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(member) * 31 + Double.hashCode(score);
        }

        @Override
        public String toString() {
            return Arrays.toString(member) + "=" + score;
        }
    }

    static final Comparator<Entry> ORDER = (a, b) -> {
        if (a.score < b.score) {
            return -1;
        }
        if (a.score > b.score) {
            return 1;
        }
        return Arrays.compareUnsigned(a.member, b.member);
    };

    private final TreeSet<Entry> entries = new TreeSet<>(ORDER);
    private final Map<ByteBuffer, Double> scores = new HashMap<>();

    int size() {
        return entries.size();
    }

    double scoreOrNaN(byte[] member) {
        Double score = scores.get(ByteBuffer.wrap(member));
        return score == null ? Double.NaN : score;
    }

    double put(byte[] member, double score) {
        double normalized = score == 0 ? 0.0 : score;
        double previous = scoreOrNaN(member);
        if (!Double.isNaN(previous)) {
            entries.remove(new Entry(member, previous));
        }
        entries.add(new Entry(member, normalized));
        scores.put(ByteBuffer.wrap(member), normalized);
        return previous;
    }

    boolean remove(byte[] member) {
        Double previous = scores.remove(ByteBuffer.wrap(member));
        if (previous == null) {
            return false;
        }
        entries.remove(new Entry(member, previous));
        return true;
    }

    List<Entry> ordered() {
        return new ArrayList<>(entries);
    }

    long rank(byte[] member, boolean reverse) {
        List<Entry> ordered = ordered();
        for (int i = 0; i < ordered.size(); i++) {
            if (Arrays.equals(ordered.get(i).member(), member)) {
                return reverse ? ordered.size() - 1 - i : i;
            }
        }
        return -1;
    }

    List<Entry> rangeByRank(long start, long stop, boolean reverse) {
        List<Entry> ordered = ordered();
        if (reverse) {
            java.util.Collections.reverse(ordered);
        }
        List<Entry> out = new ArrayList<>();
        long n = ordered.size();
        long from = start < 0 ? n + start : start;
        long to = stop < 0 ? n + stop : stop;
        for (long i = Math.max(0, from); i <= to && i < n; i++) {
            out.add(ordered.get((int) i));
        }
        return out;
    }

    List<Entry> rangeByScore(ScoreRange range, boolean reverse, long offset, long count) {
        List<Entry> matching = new ArrayList<>();
        for (Entry e : entries) {
            if (range.contains(e.score())) {
                matching.add(e);
            }
        }
        return window(matching, reverse, offset, count);
    }

    List<Entry> rangeByLex(LexRange range, boolean reverse, long offset, long count) {
        List<Entry> matching = new ArrayList<>();
        for (Entry e : entries) {
            if (range.contains(e.member())) {
                matching.add(e);
            }
        }
        return window(matching, reverse, offset, count);
    }

    private static List<Entry> window(List<Entry> matching, boolean reverse, long offset, long count) {
        if (reverse) {
            java.util.Collections.reverse(matching);
        }
        List<Entry> out = new ArrayList<>();
        if (offset < 0) {
            return out;
        }
        for (long i = offset; i < matching.size() && (count < 0 || out.size() < count); i++) {
            out.add(matching.get((int) i));
        }
        return out;
    }

    void removeAll(List<Entry> gone) {
        for (Entry e : gone) {
            remove(e.member());
        }
    }
}
