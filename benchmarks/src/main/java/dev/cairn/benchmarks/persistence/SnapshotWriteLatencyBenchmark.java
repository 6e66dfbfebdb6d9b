package dev.cairn.benchmarks.persistence;

import dev.cairn.Cairn;
import dev.cairn.common.Durability;
import dev.cairn.dictionary.Dictionary;
import dev.cairn.dictionary.SnapshotRules;
import dev.cairn.dictionary.StringCommands;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * Does a snapshot stall writers? Latency of SET (16-byte key, 100-byte value, overwriting one of
 * 1M keys) while a background thread takes snapshots of the 1M keys back to back
 * ({@code snapshotting=true}), against the same with no snapshot ({@code snapshotting=false}).
 * Read p99.9 of the sample-time distribution. Durability is {@link Durability#NONE} so that fsync
 * latency does not hide the snapshot's own cost; snapshot rules are on demand, so the only
 * snapshots are the background thread's.
 *
 * <pre>
 * java -jar benchmarks.jar 'persistence.SnapshotWriteLatencyBenchmark' -f 1 -wi 2 -w 3s -i 5 -r 5s \
 *     -jvmArgs "-Xms4g -Xmx4g -XX:+UseParallelGC"
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
public class SnapshotWriteLatencyBenchmark {
    private static final int KEY_COUNT = 1 << 20;

    @Param({"false", "true"})
    public boolean snapshotting;

    private Path directory;
    private Cairn cairn;
    private StringCommands strings;
    private String[] keys;
    private byte[] value;
    private int next;
    private Thread snapshotter;
    private volatile boolean running;
    /** Snapshots the background thread finished, to show it really ran. */
    private final AtomicLong snapshots = new AtomicLong();

    @Setup(Level.Trial)
    public void open() {
        keys = BenchData.keys(KEY_COUNT);
        value = BenchData.value(11);
        directory = BenchData.tempDirectory("cairn-bench-snapshot-latency-");
        cairn = Cairn.builder().directory(directory).durability(Durability.NONE)
                .snapshotRules(SnapshotRules.ON_DEMAND).open();
        Dictionary dictionary = cairn.dictionary();
        BenchData.load(dictionary, keys, BenchData.value(3));
        strings = dictionary.strings();
        if (snapshotting) {
            running = true;
            snapshotter = new Thread(() -> {
                while (running) {
                    dictionary.snapshot();
                    snapshots.incrementAndGet();
                }
            }, "bench-snapshotter");
            snapshotter.setDaemon(true);
            snapshotter.start();
        }
    }

    @TearDown(Level.Trial)
    public void close() throws InterruptedException {
        running = false;
        if (snapshotter != null) {
            snapshotter.join();
            System.out.println("snapshots taken during the trial: " + snapshots.get()
                    + ", last took " + cairn.dictionary().stats().lastSnapshotDurationMs() + " ms");
        }
        cairn.close();
        BenchData.delete(directory);
    }

    /** One SET overwriting the next of the 1M keys; returns the key written. */
    @Benchmark
    public String set() {
        String key = keys[next++ & (KEY_COUNT - 1)];
        strings.set(key, value);
        return key;
    }
}
