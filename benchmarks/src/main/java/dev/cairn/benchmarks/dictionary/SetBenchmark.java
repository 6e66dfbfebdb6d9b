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
 * <p>Both sides start every iteration from a freshly built set of 1,000,000 members and add
 * members never seen before (so both include their share of table growth). SADD also pays what
 * every command pays: the key check, the command lock, the defensive copy of the member.
 *
 * <pre>
 * java -Xms4g -Xmx4g -XX:+UseG1GC -jar benchmarks/target/benchmarks.jar SetBenchmark \
 *     -f 1 -wi 3 -w 2s -i 5 -r 2s -jvmArgs "-Xms4g -Xmx4g -XX:+UseG1GC"
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SetBenchmark {
    private static final int SIZE = 1_000_000;

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
    }

    @TearDown
    public void close() {
        dictionary.close();
    }

    @Benchmark
    public long sadd() {
        return sets.sadd("set", member(next++));
    }

    @Benchmark
    public boolean hashSetAdd() {
        return baseline.add(ByteBuffer.wrap(member(next++)));
    }
}
