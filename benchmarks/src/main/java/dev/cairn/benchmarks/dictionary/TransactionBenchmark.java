package dev.cairn.benchmarks.dictionary;

import dev.cairn.Cairn;
import dev.cairn.dictionary.Dictionary;
import dev.cairn.dictionary.StringCommands;
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
 * What does a transaction add to the commands it runs? An in-memory dictionary runs two INCRBYs
 * (one key up, another down) inside {@link Dictionary#transaction(java.util.function.Function)},
 * against the same two INCRBYs as plain commands in the same run. The difference is the price of
 * the block: taking the dictionary for its length, the handle and its views (which check the
 * calling thread and the block's liveness on each call), and the undo record kept in case the
 * block fails. The source uses only the public API, so the same file runs against older builds.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar 'dictionary.TransactionBenchmark' \
 *     -f 1 -wi 3 -w 2s -i 5 -r 2s -jvmArgs "-Xms4g -Xmx4g -XX:+UseParallelGC"
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TransactionBenchmark {
    private Cairn cairn;
    private Dictionary dictionary;
    private StringCommands strings;

    @Setup(Level.Trial)
    public void open() {
        cairn = Cairn.builder().inMemory().open();
        dictionary = cairn.dictionary();
        strings = dictionary.strings();
        // Both keys exist before the first measured call, so no call creates a key.
        strings.incrBy("a", 0);
        strings.incrBy("b", 0);
    }

    @TearDown(Level.Trial)
    public void close() {
        cairn.close();
    }

    /** INCRBY a 1 and INCRBY b -1 in one transaction; returns the block's result. */
    @Benchmark
    public Object transaction() {
        return dictionary.transaction(tx -> {
            tx.strings().incrBy("a", 1);
            tx.strings().incrBy("b", -1);
            return null;
        });
    }

    /** Baseline: the same two INCRBYs as plain commands; returns the second one's result. */
    @Benchmark
    public long plainCommands() {
        strings.incrBy("a", 1);
        return strings.incrBy("b", -1);
    }
}
