package dev.cairn.dictionary.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.common.Durability;
import dev.cairn.storage.Storage;
import dev.cairn.storage.fs.MemoryFileSystem;
import dev.cairn.storage.segment.SegmentedFileOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The file life cycle with a toy state machine (SET and DEL on a TreeMap) standing in for the dictionary. */
class PersistenceFilesTest {
    private static final Path ROOT = Path.of("/data");
    private static final Path DIR = ROOT.resolve("dictionary");
    private static final SegmentedFileOptions OPTIONS = SegmentedFileOptions.defaults(".aof")
            .withSegmentBytes(300).withDurability(Durability.ALWAYS);

    private final MemoryFileSystem memory = new MemoryFileSystem();
    private Storage storage = Storage.open(memory, ROOT, 1000);
    private final Map<String, String> state = new TreeMap<>();

    @AfterEach
    void close() {
        storage.close();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }

    private void apply(List<List<byte[]>> commands, Map<String, String> target) {
        for (List<byte[]> c : commands) {
            switch (s(c.get(0))) {
                case "SET" -> target.put(s(c.get(1)), s(c.get(2)));
                case "DEL" -> target.remove(s(c.get(1)));
                default -> throw new AssertionError("unexpected command " + s(c.get(0)));
            }
        }
    }

    /** Opens the files and rebuilds a state from them, as the dictionary would on open. */
    private PersistenceFiles.Recovery reopen(Map<String, String> rebuilt) {
        PersistenceFiles files = PersistenceFiles.open(storage, DIR, OPTIONS);
        return files.recover(reader -> {
            Map<String, String> loaded = new TreeMap<>();
            while (reader.next()) {
                loaded.put(reader.key(), s(reader.elements().get(0)));
            }
            rebuilt.putAll(loaded);
        }, commands -> apply(commands, rebuilt));
    }

    private void write(AppendOnlyFile aof, List<List<byte[]>> commands) {
        aof.awaitDurable(aof.append(commands));
        apply(commands, state);
    }

    private void snapshot(PersistenceFiles files, PersistenceFiles.SnapshotTarget target, Map<String, String> at) {
        try (SnapshotWriter writer = SnapshotWriter.begin(storage.fs(), target.path(), target.id(), target.sequence(), 0)) {
            for (Map.Entry<String, String> e : at.entrySet()) {
                writer.string(e.getKey(), SnapshotFormat.NO_DEADLINE, b(e.getValue()));
            }
            writer.finish();
        }
        files.completeSnapshot(target);
    }

    @Test
    void replaysWhatWasAppendedAcrossSegmentsAndRestarts() {
        PersistenceFiles.Recovery first = reopen(new TreeMap<>());
        for (int i = 0; i < 50; i++) {
            write(first.aof(), List.of(List.of(b("SET"), b("k" + i % 7), b("v" + i))));
        }
        write(first.aof(), List.of(List.of(b("DEL"), b("k3")), List.of(b("SET"), b("t"), b("x"))));
        first.aof().close();
        Map<String, String> rebuilt = new TreeMap<>();
        PersistenceFiles.Recovery second = reopen(rebuilt);
        assertThat(rebuilt).isEqualTo(state);
        assertThat(second.entriesReplayed()).isEqualTo(51);
        assertThat(second.aof().nextSequence()).isEqualTo(51);
        second.aof().close();
    }

    @Test
    void aSnapshotReplacesThePartsItCoversAndRecoveryCombinesBoth() throws IOException {
        PersistenceFiles files = PersistenceFiles.open(storage, DIR, OPTIONS);
        AppendOnlyFile aof = files.recover(r -> { }, c -> { }).aof();
        for (int i = 0; i < 20; i++) {
            write(aof, List.of(List.of(b("SET"), b("k" + i % 5), b("v" + i))));
        }
        PersistenceFiles.SnapshotTarget target = files.beginSnapshot(aof);
        Map<String, String> atSnapshot = new TreeMap<>(state);
        for (int i = 0; i < 10; i++) {
            write(aof, List.of(List.of(b("SET"), b("after" + i), b("x"))));
        }
        snapshot(files, target, atSnapshot);
        assertThat(files.manifest().parts()).containsExactly(target.id());
        assertThat(memory.list(DIR)).extracting(p -> p.getFileName().toString())
                .containsExactlyInAnyOrder("manifest", ManifestFormat.snapshotFileName(target.id()),
                        ManifestFormat.partDirectoryName(target.id()));
        aof.close();
        Map<String, String> rebuilt = new TreeMap<>();
        PersistenceFiles.Recovery recovery = reopen(rebuilt);
        assertThat(rebuilt).isEqualTo(state);
        assertThat(recovery.snapshotKeys()).isEqualTo(5);
        assertThat(recovery.entriesReplayed()).isEqualTo(10);
        assertThat(recovery.aof().nextSequence()).isEqualTo(30);
        recovery.aof().close();
    }

    @Test
    void aPowerLossAtAnyStepOfASnapshotLosesNothingAcknowledged() {
        for (int crashAt = 0; crashAt < 4; crashAt++) {
            state.clear();
            Path dir = ROOT.resolve("run" + crashAt);
            PersistenceFiles files = PersistenceFiles.open(storage, dir, OPTIONS);
            AppendOnlyFile aof = files.recover(r -> { }, c -> { }).aof();
            Random random = new Random(crashAt);
            for (int i = 0; i < 15; i++) {
                write(aof, List.of(List.of(b("SET"), b("k" + random.nextInt(6)), b("v" + i))));
            }
            if (crashAt >= 1) {
                PersistenceFiles.SnapshotTarget target = files.beginSnapshot(aof);
                Map<String, String> atSnapshot = new TreeMap<>(state);
                write(aof, List.of(List.of(b("DEL"), b("k1"))));
                if (crashAt >= 2) {
                    snapshot(files, target, atSnapshot);
                }
                if (crashAt >= 3) {
                    write(aof, List.of(List.of(b("SET"), b("last"), b("1"))));
                }
            }
            memory.crash(new Random(crashAt));
            storage.close();
            storage = Storage.open(memory, ROOT, 1000);
            Map<String, String> rebuilt = new TreeMap<>();
            PersistenceFiles reopened = PersistenceFiles.open(storage, dir, OPTIONS);
            PersistenceFiles.Recovery recovery = reopened.recover(reader -> {
                while (reader.next()) {
                    rebuilt.put(reader.key(), s(reader.elements().get(0)));
                }
            }, commands -> apply(commands, rebuilt));
            assertThat(rebuilt).as("crash at step %d", crashAt).isEqualTo(state);
            recovery.aof().close();
        }
    }
}
