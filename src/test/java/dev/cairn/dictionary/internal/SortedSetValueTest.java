package dev.cairn.dictionary.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.dictionary.LexRange;
import dev.cairn.dictionary.ScoreRange;
import dev.cairn.dictionary.internal.SortedSetModel.Entry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class SortedSetValueTest {
    private static final int ITERATIONS = Integer.getInteger("cairn.fuzz.iterations", 200);
    private static final byte[] ALPHABET = {0x00, 0x01, 'a', 'b', 0x7f, (byte) 0x80, (byte) 0xff};
    private static final double[] SCORES = {
        Double.NEGATIVE_INFINITY, -3, -1.5, -0.0, 0.0, 1, 2, 2.5, 7, Double.POSITIVE_INFINITY};

    private static byte[] randomMember(Random random) {
        byte[] member = new byte[random.nextInt(4)];
        for (int i = 0; i < member.length; i++) {
            member[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return member;
    }

    private static double randomScore(Random random) {
        return random.nextInt(3) == 0 ? random.nextInt(11) - 5 : SCORES[random.nextInt(SCORES.length)];
    }

    private static ScoreRange randomScoreRange(Random random) {
        return new ScoreRange(randomScore(random), random.nextBoolean(), randomScore(random), random.nextBoolean());
    }

    private static byte[] lexEnd(Random random) {
        int kind = random.nextInt(6);
        if (kind == 0) {
            return new byte[] {'-'};
        }
        if (kind == 1) {
            return new byte[] {'+'};
        }
        byte[] member = randomMember(random);
        byte[] end = new byte[member.length + 1];
        end[0] = (byte) (kind % 2 == 0 ? '[' : '(');
        System.arraycopy(member, 0, end, 1, member.length);
        return end;
    }

    private static List<Entry> collect(VisitorCall call) {
        List<Entry> out = new ArrayList<>();
        long n = call.run((m, s) -> out.add(new Entry(m, s)));
        assertThat(n).isEqualTo(out.size());
        return out;
    }

    @FunctionalInterface
    private interface VisitorCall {
        long run(SortedSetValue.EntryVisitor visitor);
    }

    @Test
    void randomOperationsMatchATreeSetModel() {
        // Mixed scores: every operation except the lexicographic ones, which need equal scores.
        for (long seed = 0; seed < Math.max(4, ITERATIONS / 25); seed++) {
            runModel(seed, false, 1500);
        }
    }

    @Test
    void randomOperationsWithEqualScoresMatchATreeSetModelIncludingLexRanges() {
        // All scores equal, as Redis requires for BYLEX: lex ranges, counts and removals join in.
        for (long seed = 100; seed < 100 + Math.max(4, ITERATIONS / 25); seed++) {
            runModel(seed, true, 1500);
        }
    }

    private static void runModel(long seed, boolean lexMode, int steps) {
        Random random = new Random(seed);
        SortedSetValue value = new SortedSetValue();
        SortedSetModel model = new SortedSetModel();
        SplittableRandom picks = new SplittableRandom(seed);
        for (int step = 0; step < steps; step++) {
            String where = "seed " + seed + " step " + step + (lexMode ? " (lex)" : "");
            int op = random.nextInt(lexMode ? 16 : 13);
            byte[] member = randomMember(random);
            boolean reverse = random.nextBoolean();
            int size = model.size();
            switch (op) {
                case 0, 1, 2 -> {
                    double score = lexMode ? 1 : randomScore(random);
                    double previous = value.put(member, score);
                    assertThat(bits(previous)).as(where).isEqualTo(bits(model.put(member, score)));
                }
                case 3 -> assertThat(value.remove(member)).as(where).isEqualTo(model.remove(member));
                case 4 -> {
                    assertThat(bits(value.scoreOrNaN(member))).as(where).isEqualTo(bits(model.scoreOrNaN(member)));
                    assertThat(value.contains(member)).as(where).isEqualTo(!Double.isNaN(model.scoreOrNaN(member)));
                    assertThat(value.rank(member, reverse)).as(where).isEqualTo(model.rank(member, reverse));
                }
                case 5 -> {
                    long start = random.nextInt(2 * size + 7) - size - 3;
                    long stop = random.nextInt(2 * size + 7) - size - 3;
                    assertThat(collect(v -> value.rangeByRank(start, stop, reverse, v))).as(where)
                            .isEqualTo(model.rangeByRank(start, stop, reverse));
                }
                case 6 -> {
                    ScoreRange range = randomScoreRange(random);
                    long offset = random.nextInt(5) == 0 ? -1 : random.nextInt(size + 2);
                    long count = random.nextInt(4) == 0 ? -1 : random.nextInt(size + 2);
                    assertThat(collect(v -> value.rangeByScore(range, reverse, offset, count, v))).as(where + " " + range)
                            .isEqualTo(model.rangeByScore(range, reverse, offset, count));
                    assertThat(value.countByScore(range)).as(where)
                            .isEqualTo(model.rangeByScore(range, false, 0, -1).size());
                }
                case 7 -> {
                    ScoreRange range = randomScoreRange(random);
                    List<Entry> expected = model.rangeByScore(range, false, 0, -1);
                    model.removeAll(expected);
                    assertThat(collect(v -> value.removeRangeByScore(range, v))).as(where).isEqualTo(expected);
                }
                case 8 -> {
                    long start = random.nextInt(2 * size + 7) - size - 3;
                    long stop = random.nextInt(2 * size + 7) - size - 3;
                    List<Entry> expected = model.rangeByRank(start, stop, false);
                    model.removeAll(expected);
                    assertThat(collect(v -> value.removeRangeByRank(start, stop, v))).as(where).isEqualTo(expected);
                }
                case 9 -> {
                    long count = random.nextInt(5);
                    List<Entry> expected = count == 0 ? List.of() : model.rangeByRank(0, count - 1, reverse);
                    model.removeAll(expected);
                    assertThat(collect(v -> value.pop(reverse, count, v))).as(where).isEqualTo(expected);
                }
                case 10 -> {
                    long count = random.nextInt(2 * size + 5) - size - 2;
                    List<Entry> got = collect(v -> value.randomEntries(count, picks, v));
                    List<Entry> all = model.ordered();
                    assertThat(all).as(where).containsAll(got);
                    if (count >= 0) {
                        assertThat(got).as(where).hasSize((int) Math.min(count, size)).doesNotHaveDuplicates();
                    } else {
                        assertThat(got).as(where).hasSize(size == 0 ? 0 : (int) -count);
                    }
                    List<Entry> one = collect(v -> value.randomEntry(picks, v) ? 1 : 0);
                    assertThat(all).as(where).containsAll(one);
                    assertThat(one).hasSize(size == 0 ? 0 : 1);
                }
                case 11 -> {
                    Set<Entry> seen = new HashSet<>();
                    long cursor = 0;
                    do {
                        cursor = value.scan(cursor, 1 + random.nextInt(5), (m, s) -> seen.add(new Entry(m, s)));
                    } while (cursor != 0);
                    assertThat(seen).as(where).containsExactlyInAnyOrderElementsOf(model.ordered());
                }
                case 12 -> {
                    List<Entry> all = new ArrayList<>();
                    value.forEach((m, s) -> all.add(new Entry(m, s)));
                    assertThat(all).as(where).isEqualTo(model.ordered());
                    SortedSetValue copy = value.copy();
                    copy.put(new byte[] {9, 9, 9, 9, 9}, 1);
                    copy.checkInvariants();
                    assertThat(value.contains(new byte[] {9, 9, 9, 9, 9})).isFalse();
                }
                case 13 -> {
                    LexRange range = LexRange.parse(lexEnd(random), lexEnd(random));
                    long offset = random.nextInt(5) == 0 ? -1 : random.nextInt(size + 2);
                    long count = random.nextInt(4) == 0 ? -1 : random.nextInt(size + 2);
                    assertThat(collect(v -> value.rangeByLex(range, reverse, offset, count, v))).as(where + " " + range)
                            .isEqualTo(model.rangeByLex(range, reverse, offset, count));
                }
                case 14 -> {
                    LexRange range = LexRange.parse(lexEnd(random), lexEnd(random));
                    assertThat(value.countByLex(range)).as(where + " " + range)
                            .isEqualTo(model.rangeByLex(range, false, 0, -1).size());
                }
                default -> {
                    LexRange range = LexRange.parse(lexEnd(random), lexEnd(random));
                    List<Entry> expected = model.rangeByLex(range, false, 0, -1);
                    model.removeAll(expected);
                    assertThat(collect(v -> value.removeRangeByLex(range, v))).as(where + " " + range)
                            .isEqualTo(expected);
                }
            }
            assertThat(value.size()).as(where).isEqualTo(model.size());
            assertThat(value.isEmpty()).isEqualTo(model.size() == 0);
            if (step % 7 == 0) {
                value.checkInvariants();
            }
        }
        value.checkInvariants();
    }

    /** Doubles compared by bits, so that NaN (absent) equals NaN and -0.0 differs from 0.0. */
    private static long bits(double d) {
        return Double.doubleToLongBits(d);
    }

    private static byte[] key(int i) {
        return ByteBuffer.allocate(4).putInt(i).array();
    }

    @Test
    void ranksAndRangesHoldAtScaleWhereTheListIsTall() {
        // 50,000 members give the skip list about 8 levels; ranks must match positions exactly.
        SortedSetValue value = new SortedSetValue();
        Random random = new Random(7);
        int n = 50_000;
        for (int i = 0; i < n; i++) {
            value.put(key(i), random.nextInt(1000));
        }
        for (int i = 0; i < n; i += 3) {
            value.put(key(i), random.nextInt(1000));
        }
        value.checkInvariants();
        List<Entry> ordered = collect(v -> value.rangeByRank(0, -1, false, v));
        assertThat(ordered).hasSize(n);
        for (int probe = 0; probe < 2000; probe++) {
            int rank = random.nextInt(n);
            Entry e = ordered.get(rank);
            assertThat(value.rank(e.member(), false)).isEqualTo(rank);
            assertThat(collect(v -> value.rangeByRank(rank, rank + 9L, false, v)))
                    .isEqualTo(ordered.subList(rank, Math.min(n, rank + 10)));
        }
        assertThat(value.removeRangeByRank(100, 40_099, (m, s) -> { })).isEqualTo(40_000);
        value.checkInvariants();
        assertThat(value.size()).isEqualTo(n - 40_000);
        assertThat(value.countByScore(ScoreRange.ALL)).isEqualTo(n - 40_000);
    }

    @Test
    void negativeZeroIsStoredAsZeroAndEqualsIt() {
        SortedSetValue value = new SortedSetValue();
        value.put(bytes("a"), -0.0);
        assertThat(Double.doubleToRawLongBits(value.scoreOrNaN(bytes("a")))).isEqualTo(0L);
        assertThat(value.put(bytes("a"), 0.0)).isEqualTo(0.0);
        value.put(bytes("b"), 0.0);
        assertThat(value.countByScore(ScoreRange.closed(-0.0, -0.0))).isEqualTo(2);
        assertThat(value.countByScore(new ScoreRange(-0.0, true, 1, false))).isZero();
    }

    @Test
    void nanScoresAreRefusedAndChangeNothing() {
        SortedSetValue value = new SortedSetValue();
        value.put(bytes("a"), 1);
        assertThatThrownBy(() -> value.put(bytes("a"), Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> value.put(bytes("b"), Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThat(value.size()).isEqualTo(1);
        assertThat(value.scoreOrNaN(bytes("a"))).isEqualTo(1.0);
    }

    @Test
    void membersOrderByUnsignedBytesOnEqualScores() {
        SortedSetValue value = new SortedSetValue();
        value.put(new byte[] {(byte) 0xff}, 0);
        value.put(new byte[] {0x7f}, 0);
        value.put(new byte[] {}, 0);
        value.put(new byte[] {0x7f, 0}, 0);
        List<Entry> ordered = collect(v -> value.rangeByRank(0, -1, false, v));
        assertThat(ordered).extracting(Entry::member)
                .containsExactly(new byte[] {}, new byte[] {0x7f}, new byte[] {0x7f, 0}, new byte[] {(byte) 0xff});
    }

    @Test
    void scoreUpdatesInPlaceAndAcrossNeighbours() {
        SortedSetValue value = new SortedSetValue();
        for (int i = 0; i < 10; i++) {
            value.put(key(i), i * 10);
        }
        assertThat(value.put(key(5), 55)).isEqualTo(50.0);
        assertThat(value.rank(key(5), false)).isEqualTo(5);
        assertThat(value.put(key(5), 1000)).isEqualTo(55.0);
        assertThat(value.rank(key(5), false)).isEqualTo(9);
        assertThat(value.rank(key(5), true)).isEqualTo(0);
        assertThat(value.put(key(5), -1)).isEqualTo(1000.0);
        assertThat(value.rank(key(5), false)).isEqualTo(0);
        value.checkInvariants();
    }

    @Test
    void limitWithOffsetSkipsByRank() {
        SortedSetValue value = new SortedSetValue();
        for (int i = 0; i < 100; i++) {
            value.put(key(i), i);
        }
        List<Entry> page = collect(v -> value.rangeByScore(ScoreRange.closed(10, 50), false, 30, 100, v));
        assertThat(page).extracting(Entry::score).containsExactly(40.0, 41.0, 42.0, 43.0, 44.0, 45.0, 46.0, 47.0,
                48.0, 49.0, 50.0);
        List<Entry> reversed = collect(v -> value.rangeByScore(ScoreRange.closed(10, 50), true, 38, 5, v));
        assertThat(reversed).extracting(Entry::score).containsExactly(12.0, 11.0, 10.0);
        assertThat(collect(v -> value.rangeByScore(ScoreRange.closed(10, 50), false, 41, 5, v))).isEmpty();
    }

    @Test
    void lexRangesFollowRedisSyntax() {
        SortedSetValue value = new SortedSetValue();
        for (String m : new String[] {"a", "b", "c", "d", "e"}) {
            value.put(bytes(m), 0);
        }
        assertThat(value.countByLex(LexRange.parse("[b", "(d"))).isEqualTo(2);
        assertThat(value.countByLex(LexRange.parse("-", "+"))).isEqualTo(5);
        assertThat(value.countByLex(LexRange.parse("+", "-"))).isZero();
        assertThat(value.countByLex(LexRange.parse("-", "-"))).isZero();
        assertThat(value.countByLex(LexRange.parse("(c", "[c"))).isZero();
        assertThat(collect(v -> value.rangeByLex(LexRange.parse("[b", "+"), true, 1, 2, v)))
                .extracting(e -> new String(e.member(), StandardCharsets.UTF_8)).containsExactly("d", "c");
    }

    @Test
    void popTakesFromTheRightEndAndEmptiesTheValue() {
        SortedSetValue value = new SortedSetValue();
        for (int i = 0; i < 5; i++) {
            value.put(key(i), i);
        }
        assertThat(collect(v -> value.pop(true, 2, v))).extracting(Entry::score).containsExactly(4.0, 3.0);
        assertThat(collect(v -> value.pop(false, 2, v))).extracting(Entry::score).containsExactly(0.0, 1.0);
        assertThat(collect(v -> value.pop(false, 10, v))).extracting(Entry::score).containsExactly(2.0);
        assertThat(value.isEmpty()).isTrue();
        assertThatThrownBy(() -> value.pop(false, -1, (m, s) -> { })).isInstanceOf(IllegalArgumentException.class);
        value.checkInvariants();
    }

    @Property(tries = 100)
    void rankIsThePositionInSortedOrder(@ForAll @Size(max = 60) List<@Size(max = 3) List<Byte>> members,
            @ForAll @Size(max = 60) List<Integer> scores) {
        SortedSetValue value = new SortedSetValue();
        SortedSetModel model = new SortedSetModel();
        for (int i = 0; i < members.size(); i++) {
            byte[] member = new byte[members.get(i).size()];
            for (int j = 0; j < member.length; j++) {
                member[j] = members.get(i).get(j);
            }
            double score = scores.isEmpty() ? 0 : scores.get(i % scores.size()) % 4;
            value.put(member, score);
            model.put(member, score);
        }
        List<Entry> ordered = model.ordered();
        for (int i = 0; i < ordered.size(); i++) {
            assertThat(value.rank(ordered.get(i).member(), false)).isEqualTo(i);
            assertThat(value.rank(ordered.get(i).member(), true)).isEqualTo(ordered.size() - 1 - i);
        }
        value.checkInvariants();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
