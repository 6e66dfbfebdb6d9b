package dev.cairn.benchmarks.dictionary;

import dev.cairn.dictionary.Dictionary;
import dev.cairn.dictionary.ScoredMember;
import dev.cairn.dictionary.SortedSetCommands;
import dev.cairn.dictionary.ZRange;
import dev.cairn.dictionary.internal.LocalDictionary;
import java.nio.ByteBuffer;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * How much does ZRANGE of 10 entries at a random rank cost on a sorted set of one million
 * members, against the JDK's {@code TreeMap} holding the same (score, member) pairs in the same
 * order? (ZADD is measured by {@link SortedSetAddBenchmark} against the same baseline.)
 *
 * <p>Baseline: a {@code TreeMap} keyed by (score, member), compared as the sorted set orders
 * them. It is the JDK's standard ordered map and does the same ordering work per insert
 * (O(log n) comparisons, one node); it keeps no member index and no ranks, so it is a lower
 * bound for ZADD. The JDK has no rank index at all, so the ZRANGE baseline seeks by key
 * ({@code tailMap} of an existing key) and iterates 10 entries: the closest JDK equivalent of
 * "10 entries from a position". Positions are drawn in {@code @Setup} and cycled.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar 'SortedSetBenchmark\.' \
 *     -f 1 -wi 3 -w 2s -i 5 -r 2s -jvmArgs "-Xms4g -Xmx4g -XX:+UseG1GC"
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SortedSetBenchmark {
    private static final int SIZE = 1_000_000;
    private static final int POSITIONS = 1 << 16;

    /** A (score, member) key ordered as the sorted set orders its entries. */
    record Entry(double score, byte[] member) implements Comparable<Entry> {
        @Override
        public int compareTo(Entry other) {
            int byScore = Double.compare(score, other.score);
            return byScore != 0 ? byScore : Arrays.compareUnsigned(member, other.member);
        }
    }

    private Dictionary dictionary;
    private SortedSetCommands zsets;
    private TreeMap<Entry, Boolean> baseline;
    private Entry[] entriesByRank;
    private int[] ranks;
    private int cursor;

    private static byte[] member(long n) {
        return ByteBuffer.allocate(Long.BYTES).putLong(n).array();
    }

    @Setup(Level.Trial)
    public void fill() {
        SplittableRandom random = new SplittableRandom(42);
        dictionary = new LocalDictionary(InstantSource.system());
        zsets = dictionary.sortedSets();
        baseline = new TreeMap<>();
        for (long i = 0; i < SIZE; i++) {
            double score = random.nextInt(SIZE);
            zsets.zadd("zset", score, member(i));
            baseline.put(new Entry(score, member(i)), Boolean.TRUE);
        }
        entriesByRank = baseline.keySet().toArray(new Entry[0]);
        ranks = new int[POSITIONS];
        for (int i = 0; i < POSITIONS; i++) {
            ranks[i] = random.nextInt(SIZE - 10);
        }
        System.gc();
    }

    @TearDown
    public void close() {
        dictionary.close();
    }

    @Benchmark
    public List<ScoredMember> zrangeTenAtRandomRank() {
        int rank = ranks[cursor++ & (POSITIONS - 1)];
        return zsets.zrange("zset", ZRange.byRank(rank, rank + 9L));
    }

    @Benchmark
    public void treeMapTenFromRandomKey(Blackhole sink) {
        Entry from = entriesByRank[ranks[cursor++ & (POSITIONS - 1)]];
        Iterator<Map.Entry<Entry, Boolean>> it = baseline.tailMap(from, true).entrySet().iterator();
        for (int i = 0; i < 10 && it.hasNext(); i++) {
            sink.consume(it.next());
        }
    }
}
