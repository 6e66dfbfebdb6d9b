package dev.cairn.benchmarks.persistence;

import dev.cairn.common.Durability;
import dev.cairn.dictionary.SnapshotRules;
import dev.cairn.dictionary.internal.DictionaryOptions;
import dev.cairn.dictionary.internal.LocalDictionary;
import dev.cairn.storage.Storage;
import dev.cairn.storage.segment.SegmentedFileOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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

/**
 * SET latency (p50 to p99.9) on a persistent dictionary of 1M keys while snapshots of it run back
 * to back, against the same dictionary with no snapshot: what does copy-on-write cost a writer?
 * Durability NONE, so fsync latency does not hide the snapshot's cost.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar 'persistence.SnapshotLatencyBenchmark' -f 1 -wi 1 -w 3s -i 3 -r 5s \
 *     -jvmArgs "-Xms4g -Xmx4g -XX:+UseParallelGC"
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SnapshotLatencyBenchmark {
    static final int KEYS = 1 << 20;

    @Param({"false", "true"})
    public boolean snapshotting;

    private Path directory;
    private Storage storage;
    private LocalDictionary dictionary;
    private String[] keys;
    private byte[] value;
    private int next;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong snapshots = new AtomicLong();
    private Thread snapshotter;

    @Setup(Level.Trial)
    public void open() throws IOException {
        keys = new String[KEYS];
        for (int i = 0; i < KEYS; i++) {
            keys[i] = String.format("key:%012d", i);
        }
        value = new byte[100];
        directory = Files.createTempDirectory("cairn-snapshot-latency");
        storage = Storage.open(directory);
        dictionary = LocalDictionary.open(storage, directory.resolve("dictionary"), InstantSource.system(),
                DictionaryOptions.DEFAULT, SegmentedFileOptions.defaults(".aof").withSegmentBytes(256L << 20)
                        .withDurability(Durability.NONE), SnapshotRules.ON_DEMAND);
        for (String key : keys) {
            dictionary.strings().set(key, value);
        }
        if (snapshotting) {
            snapshotter = new Thread(() -> {
                while (!stop.get()) {
                    dictionary.snapshot();
                    snapshots.incrementAndGet();
                }
            });
            snapshotter.start();
        }
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        stop.set(true);
        if (snapshotter != null) {
            snapshotter.join();
            System.out.println("snapshots completed during the trial: " + snapshots.get());
        }
        dictionary.close();
        storage.close();
        PersistenceBenchmark.deleteTree(directory);
    }

    @Benchmark
    public void set() {
        dictionary.strings().set(keys[(next++ * 40503) & (KEYS - 1)], value);
    }
}
