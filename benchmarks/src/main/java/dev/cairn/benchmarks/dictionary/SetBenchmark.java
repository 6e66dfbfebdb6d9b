package dev.cairn.benchmarks.dictionary;

import dev.cairn.dictionary.Dictionary;
import dev.cairn.dictionary.SetCommands;
import dev.cairn.dictionary.internal.LocalDictionary;
import java.nio.ByteBuffer;
import java.time.InstantSource;
import java.util.HashSet;
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
 * How much does SADD of a new member into a set of one million members cost, against the
 * JDK's {@code HashSet.add} of the same member bytes (wrapped in a {@code ByteBuffer} for
 * content equality) into a set of the same size?
 *
 * <p>Each iteration starts from a freshly built set of 1,000,000 members (built in
 * {@code @Setup}, followed by a GC so the previous iteration's garbage is not collected during
 * the measurement) and times {@value #BATCH} adds of members never seen before, so the set
 * stays near one million members and both sides pay their share of table growth. SADD also
 * pays what every command pays: the key check, the command lock, the defensive copy of the
 * member. Single-shot timing of one batch per iteration; the score is per add.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar SetBenchmark -f 1 -wi 3 -i 5 \
 *     -jvmArgs "-Xms4g -Xmx4g -XX:+UseG1GC"
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SetBenchmark {
    private static final int SIZE = 1_000_000;
    private static final int BATCH = 100_000;

    private Dictionary dictionary;
    private SetCommands sets;
    private HashSet<ByteBuffer> baseline;
    private long next;

    private static byte[] member(long n) {
        return ByteBuffer.allocate(Long.BYTES).putLong(n).array();
    }

    @Setup(Level.Iteration)
    public void fill() {
        if (dictionary != null) {
            dictionary.close();
        }
        dictionary = new LocalDictionary(InstantSource.system());
        sets = dictionary.sets();
        baseline = new HashSet<>();
        for (long i = 0; i < SIZE; i++) {
            sets.sadd("set", member(i));
            baseline.add(ByteBuffer.wrap(member(i)));
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
    public long sadd() {
        long added = 0;
        for (int i = 0; i < BATCH; i++) {
            added += sets.sadd("set", member(next++));
        }
        return added;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long hashSetAdd() {
        long added = 0;
        for (int i = 0; i < BATCH; i++) {
            added += baseline.add(ByteBuffer.wrap(member(next++))) ? 1 : 0;
        }
        return added;
    }
}
