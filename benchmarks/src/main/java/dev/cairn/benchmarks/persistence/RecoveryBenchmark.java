package dev.cairn.benchmarks.persistence;

import dev.cairn.common.Durability;
import dev.cairn.dictionary.SnapshotRules;
import dev.cairn.dictionary.internal.DictionaryOptions;
import dev.cairn.dictionary.internal.LocalDictionary;
import dev.cairn.dictionary.persistence.SnapshotReader;
import dev.cairn.storage.Storage;
import dev.cairn.storage.fs.RealFileSystem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * How long opening a persistent dictionary takes: from a snapshot of 1M keys (target ≤ 1 s), and
 * by replaying an append-only file of 1M SET entries (target ≥ 1M entries/s). Baseline for the
 * snapshot: reading the same snapshot file with {@link SnapshotReader} alone, building nothing.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar 'persistence.RecoveryBenchmark' -f 1 -wi 1 -i 5 \
 *     -jvmArgs "-Xms4g -Xmx4g -XX:+UseParallelGC"
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class RecoveryBenchmark {
    static final int KEYS = 1_000_000;

    private Path snapshotRoot;
    private Path replayRoot;

    @Setup(Level.Trial)
    public void prepare() throws IOException {
        snapshotRoot = Files.createTempDirectory("cairn-recovery-snapshot");
        replayRoot = Files.createTempDirectory("cairn-recovery-replay");
        byte[] value = new byte[100];
        for (Path root : new Path[] {snapshotRoot, replayRoot}) {
            try (Storage storage = Storage.open(root); LocalDictionary d = open(storage, root)) {
                for (int i = 0; i < KEYS; i++) {
                    d.strings().set(String.format("key:%012d", i), value);
                }
                if (root == snapshotRoot) {
                    d.snapshot();
                }
            }
        }
    }

    private static LocalDictionary open(Storage storage, Path root) {
        return LocalDictionary.open(storage, root.resolve("dictionary"), InstantSource.system(),
                DictionaryOptions.DEFAULT.withoutSweeper(),
                dev.cairn.storage.segment.SegmentedFileOptions.defaults(".aof").withSegmentBytes(256L << 20)
                        .withDurability(Durability.NONE), SnapshotRules.ON_DEMAND);
    }

    @TearDown(Level.Trial)
    public void delete() throws IOException {
        PersistenceBenchmark.deleteTree(snapshotRoot);
        PersistenceBenchmark.deleteTree(replayRoot);
    }

    /** Open = load the 1M-key snapshot (no entries to replay). */
    @Benchmark
    public long openFromSnapshot() {
        try (Storage storage = Storage.open(snapshotRoot); LocalDictionary d = open(storage, snapshotRoot)) {
            return d.stats().snapshotKeysLoaded();
        }
    }

    /** Baseline: read and check the same snapshot file, building nothing. */
    @Benchmark
    public long readSnapshotFileOnly() throws IOException {
        Path file;
        try (Stream<Path> files = Files.list(snapshotRoot.resolve("dictionary"))) {
            file = files.filter(p -> p.toString().endsWith(".cds")).findFirst().orElseThrow();
        }
        long records = 0;
        try (SnapshotReader reader = SnapshotReader.open(new RealFileSystem(), file)) {
            while (reader.next()) {
                records++;
            }
        }
        return records;
    }

    /** Open = replay 1M SET entries (no snapshot). */
    @Benchmark
    public long openByReplay() {
        try (Storage storage = Storage.open(replayRoot); LocalDictionary d = open(storage, replayRoot)) {
            return d.stats().entriesReplayed();
        }
    }
}
