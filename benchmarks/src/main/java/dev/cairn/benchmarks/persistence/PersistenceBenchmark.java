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
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * SET throughput of a persistent dictionary under each durability policy, against the in-memory
 * dictionary in the same run: what does the append-only file cost a writer?
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar 'persistence.PersistenceBenchmark' -f 1 -wi 2 -w 2s -i 3 -r 3s \
 *     -jvmArgs "-Xms2g -Xmx2g -XX:+UseParallelGC"
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PersistenceBenchmark {
    static final int KEYS = 1 << 16;

    /** "MEMORY" is the baseline; the others persist with that durability policy. */
    @Param({"MEMORY", "NONE", "EVERY_SECOND", "ALWAYS"})
    public String mode;

    private Path directory;
    private Storage storage;
    private LocalDictionary dictionary;
    private String[] keys;
    private byte[] value;
    private int next;

    @Setup(Level.Trial)
    public void open() throws IOException {
        keys = new String[KEYS];
        for (int i = 0; i < KEYS; i++) {
            keys[i] = String.format("key:%012d", i);
        }
        value = new byte[100];
        if (mode.equals("MEMORY")) {
            dictionary = new LocalDictionary(InstantSource.system(), DictionaryOptions.DEFAULT);
            return;
        }
        directory = Files.createTempDirectory("cairn-persistence-bench");
        storage = Storage.open(directory);
        dictionary = LocalDictionary.open(storage, directory.resolve("dictionary"), InstantSource.system(),
                DictionaryOptions.DEFAULT, SegmentedFileOptions.defaults(".aof").withSegmentBytes(64L << 20)
                        .withDurability(Durability.valueOf(mode)), SnapshotRules.ON_DEMAND);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        dictionary.close();
        if (storage != null) {
            storage.close();
            deleteTree(directory);
        }
    }

    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Benchmark
    public void set() {
        dictionary.strings().set(keys[next++ & (KEYS - 1)], value);
    }
}
