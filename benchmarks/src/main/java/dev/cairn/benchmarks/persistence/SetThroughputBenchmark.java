package dev.cairn.benchmarks.persistence;

import dev.cairn.Cairn;
import dev.cairn.common.Durability;
import dev.cairn.dictionary.SnapshotRules;
import dev.cairn.dictionary.StringCommands;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * How much does persistence cost a SET? Throughput of SET (16-byte keys, 100-byte values) on a
 * persistent dictionary in a temporary directory, under each {@link Durability}, against the
 * in-memory dictionary ({@code durability=IN_MEMORY}) in the same run. Snapshots are
 * {@link SnapshotRules#ON_DEMAND on demand} and none is asked for, so only the append-only file
 * is measured. {@link #set} runs on one thread; {@link #setEightThreads} on eight, where
 * {@code ALWAYS} shares each fsync among the writers waiting for it (group commit).
 *
 * <pre>
 * java -jar benchmarks.jar 'persistence.SetThroughputBenchmark' -f 1 -wi 3 -w 3s -i 5 -r 2s \
 *     -jvmArgs "-Xms4g -Xmx4g -XX:+UseParallelGC"
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SetThroughputBenchmark {
    /** Distinct keys written in turn; a power of two so the cursor wraps with a mask. */
    private static final int KEY_COUNT = 1 << 16;

    /** {@code IN_MEMORY} for the baseline, or a {@link Durability} name for a dictionary on disk. */
    @Param({"IN_MEMORY", "NONE", "EVERY_SECOND", "ALWAYS"})
    public String durability;

    private Path directory;
    private Cairn cairn;
    private StringCommands strings;
    private String[] keys;
    private byte[] value;
    private final AtomicInteger threadCount = new AtomicInteger();

    /** Each thread writes its own stride of the keys, so threads do not all hit the same key. */
    @State(Scope.Thread)
    public static class Cursor {
        int next;

        @Setup(Level.Trial)
        public void start(SetThroughputBenchmark benchmark) {
            next = benchmark.threadCount.getAndIncrement() * 4099;
        }
    }

    @Setup(Level.Trial)
    public void open() {
        keys = BenchData.keys(KEY_COUNT);
        value = BenchData.value(7);
        if (durability.equals("IN_MEMORY")) {
            cairn = Cairn.builder().inMemory().open();
        } else {
            directory = BenchData.tempDirectory("cairn-bench-set-");
            cairn = Cairn.builder().directory(directory).durability(Durability.valueOf(durability))
                    .snapshotRules(SnapshotRules.ON_DEMAND).open();
        }
        strings = cairn.dictionary().strings();
    }

    @TearDown(Level.Trial)
    public void close() {
        cairn.close();
        BenchData.delete(directory);
    }

    /** One SET on one thread; returns the key written. */
    @Benchmark
    @Threads(1)
    public String set(Cursor cursor) {
        return setNext(cursor);
    }

    /** One SET from each of eight threads; returns the key written. */
    @Benchmark
    @Threads(8)
    public String setEightThreads(Cursor cursor) {
        return setNext(cursor);
    }

    private String setNext(Cursor cursor) {
        String key = keys[cursor.next++ & (KEY_COUNT - 1)];
        strings.set(key, value);
        return key;
    }
}
