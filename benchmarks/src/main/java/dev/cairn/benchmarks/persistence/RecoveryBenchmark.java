package dev.cairn.benchmarks.persistence;

import dev.cairn.Cairn;
import dev.cairn.common.Durability;
import dev.cairn.dictionary.Dictionary;
import dev.cairn.dictionary.DictionaryStats;
import dev.cairn.dictionary.SnapshotRules;
import dev.cairn.dictionary.persistence.PersistenceFiles;
import dev.cairn.dictionary.persistence.SnapshotReader;
import dev.cairn.storage.Storage;
import dev.cairn.storage.segment.RecoveryMode;
import dev.cairn.storage.segment.SegmentedFileOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
 * How long does a persistent dictionary take to open? Two prepared data directories, built once
 * per trial with a persistent dictionary and closed cleanly:
 * <ul>
 *   <li>a snapshot of 1M keys (16-byte keys, 100-byte values) and an empty append-only part:
 *       {@link #openSnapshot} against {@link #readSnapshotOnly}, which reads and checks the same
 *       snapshot file with {@link SnapshotReader} alone, building no keyspace;</li>
 *   <li>an append-only file of 1M SET entries and no snapshot: {@link #openAppendOnly} against
 *       {@link #decodeAppendOnly}, which scans, checks and decodes the same entries through
 *       {@link PersistenceFiles#recover} without applying them.</li>
 * </ul>
 * Each measured call opens (and closes) the whole thing once, so the mode is single-shot; the
 * replay rate is {@link #KEY_COUNT} divided by the time of one call. Run with {@code -gc true}, so
 * that the previous call's million keys are collected between iterations rather than inside the
 * next measured open.
 *
 * <pre>
 * java -jar benchmarks.jar 'persistence.RecoveryBenchmark' -f 1 -wi 3 -i 10 -gc true \
 *     -jvmArgs "-Xms4g -Xmx4g -XX:+UseParallelGC"
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class RecoveryBenchmark {
    static final int KEY_COUNT = 1_000_000;

    /** Data directory whose dictionary holds a snapshot of every key and an empty append-only part. */
    private Path snapshotRoot;
    /** Data directory whose dictionary holds only an append-only file of one SET per key. */
    private Path appendOnlyRoot;
    private Path snapshotFile;

    @Setup(Level.Trial)
    public void prepare() {
        String[] keys = BenchData.keys(KEY_COUNT);
        byte[] value = BenchData.value(5);
        snapshotRoot = BenchData.tempDirectory("cairn-bench-recovery-snapshot-");
        try (Cairn cairn = open(snapshotRoot, Durability.NONE)) {
            Dictionary dictionary = cairn.dictionary();
            BenchData.load(dictionary, keys, value);
            dictionary.snapshot();
        }
        snapshotFile = onlySnapshot(snapshotRoot.resolve("dictionary"));
        appendOnlyRoot = BenchData.tempDirectory("cairn-bench-recovery-aof-");
        try (Cairn cairn = open(appendOnlyRoot, Durability.NONE)) {
            BenchData.load(cairn.dictionary(), keys, value);
        }
        check(snapshotRoot, KEY_COUNT, 0);
        check(appendOnlyRoot, 0, KEY_COUNT);
    }

    @TearDown(Level.Trial)
    public void delete() {
        BenchData.delete(snapshotRoot);
        BenchData.delete(appendOnlyRoot);
    }

    /** Opens the dictionary from its snapshot; returns its stats (keys loaded, recovery ms). */
    @Benchmark
    public DictionaryStats openSnapshot() {
        return openAndClose(snapshotRoot);
    }

    /** Reads every record of the same snapshot file and checks its CRC; returns the record count. */
    @Benchmark
    public long readSnapshotOnly() {
        try (Storage storage = Storage.open(snapshotRoot);
                SnapshotReader reader = SnapshotReader.open(storage.fs(), snapshotFile)) {
            while (reader.next()) {
                // Each record is read and checked by next(); nothing is kept.
            }
            return reader.recordsRead();
        }
    }

    /** Opens the dictionary by replaying its append-only file; returns its stats (entries replayed, recovery ms). */
    @Benchmark
    public DictionaryStats openAppendOnly() {
        return openAndClose(appendOnlyRoot);
    }

    /** Scans, checks and decodes the same append-only entries without applying them; returns their count. */
    @Benchmark
    public long decodeAppendOnly() {
        try (Storage storage = Storage.open(appendOnlyRoot)) {
            PersistenceFiles files = PersistenceFiles.open(storage, appendOnlyRoot.resolve("dictionary"), fileOptions());
            long[] entries = {0};
            PersistenceFiles.Recovery recovery = files.recover(reader -> {
                throw new IllegalStateException("this directory should hold no snapshot");
            }, commands -> entries[0] += commands.size());
            recovery.aof().close();
            return entries[0];
        }
    }

    private static DictionaryStats openAndClose(Path root) {
        try (Cairn cairn = open(root, Durability.ALWAYS)) {
            return cairn.dictionary().stats();
        }
    }

    private static Cairn open(Path root, Durability durability) {
        return Cairn.builder().directory(root).durability(durability).snapshotRules(SnapshotRules.ON_DEMAND).open();
    }

    /** The options {@code Cairn.dictionary()} gives the append-only file, so the baseline reads it the same way. */
    private static SegmentedFileOptions fileOptions() {
        return SegmentedFileOptions.defaults(".aof").withSegmentBytes(64L << 20).withDurability(Durability.ALWAYS)
                .withRecoveryMode(RecoveryMode.STRICT);
    }

    private static Path onlySnapshot(Path dictionaryDirectory) {
        try (Stream<Path> files = Files.list(dictionaryDirectory)) {
            List<Path> snapshots = files.filter(p -> p.getFileName().toString().startsWith("snapshot-")).toList();
            if (snapshots.size() != 1) {
                throw new IllegalStateException("expected one snapshot in " + dictionaryDirectory + ", found " + snapshots);
            }
            return snapshots.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fails the trial unless opening {@code root} loads and replays exactly what the benchmark claims. */
    private static void check(Path root, long snapshotKeys, long entriesReplayed) {
        DictionaryStats stats = openAndClose(root);
        if (stats.snapshotKeysLoaded() != snapshotKeys || stats.entriesReplayed() != entriesReplayed) {
            throw new IllegalStateException(root + " loads " + stats.snapshotKeysLoaded() + " snapshot keys and replays "
                    + stats.entriesReplayed() + " entries, expected " + snapshotKeys + " and " + entriesReplayed);
        }
    }
}
