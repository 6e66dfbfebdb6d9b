package dev.cairn.dictionary.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.common.Durability;
import dev.cairn.dictionary.SnapshotRules;
import dev.cairn.storage.Storage;
import dev.cairn.storage.fs.MemoryFileSystem;
import dev.cairn.storage.segment.SegmentedFileOptions;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A persistent dictionary on a memory file system, for tests that run commands on it and then
 * check its append-only file: {@link #assertReplayRebuildsTheSameState} closes it, opens a fresh
 * dictionary from the files it wrote (every entry replayed, no snapshot) and requires the same
 * content, so every write the test ran also went through logging and replay.
 *
 * <p>Not thread-safe; one per test.
 */
final class ReplayedDictionary implements AutoCloseable {
    private static final Path ROOT = Path.of("/data");
    private static final Path DIRECTORY = ROOT.resolve("dictionary");
    private static final SegmentedFileOptions FILES = SegmentedFileOptions.defaults(".aof")
            .withDurability(Durability.NONE);

    private final InstantSource clock;
    private final Storage storage = Storage.open(new MemoryFileSystem(), ROOT, 1000);
    private LocalDictionary dictionary;

    ReplayedDictionary(InstantSource clock) {
        this.clock = clock;
        this.dictionary = open();
    }

    /**
     * As {@link #ReplayedDictionary(InstantSource)}, also handing every committed entry to
     * {@code observer} (after the append-only file took it).
     */
    ReplayedDictionary(InstantSource clock, Consumer<WriteEntry> observer) {
        this(clock);
        Engine engine = dictionary.engine();
        engine.begin();
        try {
            WriteSink file = engine.sink();
            engine.attachSink(new WriteSink() {
                @Override
                public void commit(WriteEntry entry) {
                    file.commit(entry);
                    observer.accept(entry);
                }

                @Override
                public long lastMark() {
                    return file.lastMark();
                }

                @Override
                public void awaitDurable(long mark) {
                    file.awaitDurable(mark);
                }

                @Override
                public RuntimeException failure() {
                    return file.failure();
                }
            });
        } finally {
            engine.endQuietly();
        }
    }

    private LocalDictionary open() {
        return LocalDictionary.open(storage, DIRECTORY, clock, DictionaryOptions.DEFAULT.withoutSweeper(), FILES,
                SnapshotRules.ON_DEMAND);
    }

    /** The dictionary the test runs commands on (a fresh one after a replay check). */
    LocalDictionary dictionary() {
        return dictionary;
    }

    /**
     * Closes the dictionary, opens another from its append-only file and requires that both hold
     * the same keys, types, values and deadlines. The reopened one is {@link #dictionary()} after.
     */
    void assertReplayRebuildsTheSameState(String context) {
        Map<String, String> before = DictionaryDump.of(dictionary);
        dictionary.close();
        dictionary = open();
        assertThat(DictionaryDump.of(dictionary)).as("%s: the state rebuilt from the append-only file", context)
                .isEqualTo(before);
        assertThat(dictionary.stats().snapshotKeysLoaded()).isZero();
    }

    @Override
    public void close() {
        dictionary.close();
        storage.close();
    }
}
