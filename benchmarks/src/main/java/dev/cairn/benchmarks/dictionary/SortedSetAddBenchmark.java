package dev.cairn.benchmarks.dictionary;

import dev.cairn.benchmarks.dictionary.SortedSetBenchmark.Entry;
import dev.cairn.dictionary.Dictionary;
import dev.cairn.dictionary.SortedSetCommands;
import dev.cairn.dictionary.internal.LocalDictionary;
import java.nio.ByteBuffer;
import java.time.InstantSource;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * How much does ZADD of a new member into a sorted set of one million members cost, against
 * {@code TreeMap.put} of the same (score, member) pair into a map of the same size ordered the
 * same way (see {@link SortedSetBenchmark} for why that baseline)?
 *
 * <p>Each iteration starts from freshly built structures of 1,000,000 entries (built in
 * {@code @Setup}, followed by a GC) and times {@value #BATCH} additions of new members with
 * scores drawn in setup, so the set stays near one million. Single-shot timing of one batch per
 * iteration; the score is per add.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar SortedSetAddBenchmark -f 1 -wi 3 -i 5 \
 *     -jvmArgs "-Xms4g -Xmx4g -XX:+UseG1GC"
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SortedSetAddBenchmark {
    private static final int SIZE = 1_000_000;
    private static final int BATCH = 100_000;

    private Dictionary dictionary;
    private SortedSetCommands zsets;
    private TreeMap<Entry, Boolean> baseline;
    private double[] newScores;
    private long next;

    private static byte[] member(long n) {
        return ByteBuffer.allocate(Long.BYTES).putLong(n).array();
    }

    @Setup(Level.Iteration)
    public void fill() {
        if (dictionary != null) {
            dictionary.close();
        }
        SplittableRandom random = new SplittableRandom(42);
        dictionary = new LocalDictionary(InstantSource.system());
        zsets = dictionary.sortedSets();
        baseline = new TreeMap<>();
        for (long i = 0; i < SIZE; i++) {
            double score = random.nextInt(SIZE);
            zsets.zadd("zset", score, member(i));
            baseline.put(new Entry(score, member(i)), Boolean.TRUE);
        }
        newScores = new double[BATCH];
        for (int i = 0; i < BATCH; i++) {
            newScores[i] = random.nextInt(SIZE);
        }
        next = SIZE;
        System.gc();
    }

    @TearDown
    public void close() {
        dictionary.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long zadd() {
        long added = 0;
        for (int i = 0; i < BATCH; i++) {
            added += zsets.zadd("zset", newScores[i], member(next++));
        }
        return added;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long treeMapPut() {
        long added = 0;
        for (int i = 0; i < BATCH; i++) {
            added += baseline.put(new Entry(newScores[i], member(next++)), Boolean.TRUE) == null ? 1 : 0;
        }
        return added;
    }
}
