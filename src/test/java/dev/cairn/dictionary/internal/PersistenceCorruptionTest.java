package dev.cairn.dictionary.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.common.CorruptFileException;
import dev.cairn.common.Durability;
import dev.cairn.common.MissingFileException;
import dev.cairn.dictionary.SnapshotRules;
import dev.cairn.dictionary.persistence.Manifest;
import dev.cairn.dictionary.persistence.ManifestFormat;
import dev.cairn.dictionary.persistence.SnapshotFormat;
import dev.cairn.storage.Storage;
import dev.cairn.storage.fs.FaultInjectingFileSystem;
import dev.cairn.storage.fs.MemoryFileSystem;
import dev.cairn.storage.fs.StorageFile;
import dev.cairn.storage.segment.RecoveryMode;
import dev.cairn.storage.segment.SegmentFormat;
import dev.cairn.storage.segment.SegmentedFileOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Damaged persistence files: each is refused with the file and position, or repaired only where the rules allow. */
class PersistenceCorruptionTest {
    private static final Path ROOT = Path.of("/data");
    private static final Path DIR = ROOT.resolve("dictionary");
    private static final SegmentedFileOptions FILES = SegmentedFileOptions.defaults(".aof")
            .withDurability(Durability.ALWAYS);

    private final MemoryFileSystem memory = new MemoryFileSystem();
    private final FaultInjectingFileSystem faults = new FaultInjectingFileSystem(memory);
    private final ManualClock clock = new ManualClock(1_000_000);

    private LocalDictionary open(Storage storage, SegmentedFileOptions files) {
        return LocalDictionary.open(storage, DIR, clock, DictionaryOptions.DEFAULT.withoutSweeper(), files,
                SnapshotRules.ON_DEMAND);
    }

    /** Writes keys k0..k9, optionally snapshots after k4, and closes; returns nothing. */
    private void populate(boolean snapshot) {
        try (Storage storage = Storage.open(faults, ROOT, 1000); LocalDictionary d = open(storage, FILES)) {
            for (int i = 0; i < 10; i++) {
                d.strings().set("k" + i, ("value-" + i).getBytes(StandardCharsets.US_ASCII));
                if (snapshot && i == 4) {
                    d.snapshot();
                }
            }
        }
    }

    private Path only(String suffix) throws IOException {
        for (Path p : memory.list(DIR)) {
            if (p.getFileName().toString().endsWith(suffix)) {
                return p;
            }
            for (Path inner : memory.list(p)) {
                if (inner.getFileName().toString().endsWith(suffix)) {
                    return inner;
                }
            }
        }
        throw new AssertionError("no " + suffix + " file");
    }

    private void forgetCleanShutdown(Path segment) throws IOException {
        memory.delete(segment.resolveSibling("clean-shutdown"));
    }

    @Test
    void aTornLastEntryIsDroppedAndEverythingBeforeItKept() throws IOException {
        populate(false);
        Path segment = only(".aof");
        forgetCleanShutdown(segment);
        try (StorageFile f = memory.openExisting(segment)) {
            f.truncate(f.size() - 3);
        }
        try (Storage storage = Storage.open(faults, ROOT, 1000); LocalDictionary d = open(storage, FILES)) {
            assertThat(d.keys().dbSize()).isEqualTo(9);
            assertThat(d.strings().get("k9")).isNull();
            assertThat(storage.metrics().tornTailsTruncated()).isEqualTo(1);
        }
    }

    @Test
    void aBitFlipBeforeTheTailRefusesToOpenUnlessTruncationIsAsked() throws IOException {
        populate(false);
        Path segment = only(".aof");
        forgetCleanShutdown(segment);
        faults.flipBit(segment, SegmentFormat.HEADER_SIZE + SegmentFormat.PAYLOAD_OFFSET + 4, 2);
        try (Storage storage = Storage.open(faults, ROOT, 1000)) {
            assertThatThrownBy(() -> open(storage, FILES)).isInstanceOf(CorruptFileException.class)
                    .hasMessageContaining(segment.toString()).hasMessageContaining("position " + SegmentFormat.HEADER_SIZE)
                    .hasMessageContaining("Cairn.builder().truncateOnCorruption(true)");
        }
        try (Storage storage = Storage.open(faults, ROOT, 1000);
                LocalDictionary d = open(storage, FILES.withRecoveryMode(RecoveryMode.TRUNCATE_AT_CORRUPTION))) {
            assertThat(d.keys().dbSize()).isZero();
        }
    }

    @Test
    void damageInAnOlderSegmentIsRefusedOrCutThereWithEverythingAfterIt() throws IOException {
        SegmentedFileOptions small = FILES.withSegmentBytes(128);
        try (Storage storage = Storage.open(faults, ROOT, 1000); LocalDictionary d = open(storage, small)) {
            for (int i = 0; i < 30; i++) {
                d.strings().set("k" + i, ("value-" + i).getBytes(StandardCharsets.US_ASCII));
            }
        }
        Path part = DIR.resolve("aof-00000000000000000001");
        List<Path> segments = memory.list(part).stream().filter(p -> p.toString().endsWith(".aof")).toList();
        assertThat(segments.size()).isGreaterThan(3);
        Path second = segments.get(1);
        faults.flipBit(second, SegmentFormat.HEADER_SIZE + SegmentFormat.PAYLOAD_OFFSET + 3, 0);
        try (Storage storage = Storage.open(faults, ROOT, 1000)) {
            assertThatThrownBy(() -> open(storage, small)).isInstanceOf(CorruptFileException.class)
                    .hasMessageContaining(second.toString());
        }
        long before;
        try (Storage storage = Storage.open(faults, ROOT, 1000);
                LocalDictionary d = open(storage, small.withRecoveryMode(RecoveryMode.TRUNCATE_AT_CORRUPTION))) {
            before = d.keys().dbSize();
            assertThat(before).isPositive().isLessThan(30);
            for (long i = 0; i < before; i++) {
                assertThat(d.strings().get("k" + i)).isNotNull();
            }
            d.strings().set("after", "repair".getBytes(StandardCharsets.US_ASCII));
        }
        try (Storage storage = Storage.open(faults, ROOT, 1000); LocalDictionary d = open(storage, small)) {
            assertThat(d.keys().dbSize()).isEqualTo(before + 1);
        }
    }

    @Test
    void aDamagedSnapshotIsRefusedWithItsNameAndPosition() throws IOException {
        populate(true);
        Path snapshot = only(".cds");
        long size = memory.size(snapshot);
        for (long position : List.of(0L, 9L, 40L, size / 2, size - 1)) {
            faults.flipBit(snapshot, position, 1);
            try (Storage storage = Storage.open(faults, ROOT, 1000)) {
                assertThatThrownBy(() -> open(storage, FILES)).as("flip at %d", position)
                        .isInstanceOf(CorruptFileException.class).hasMessageContaining(snapshot.toString());
            }
            faults.flipBit(snapshot, position, 1);
        }
        try (Storage storage = Storage.open(faults, ROOT, 1000); LocalDictionary d = open(storage, FILES)) {
            assertThat(d.keys().dbSize()).isEqualTo(10);
        }
    }

    @Test
    void aSnapshotFromANewerFormatIsRefusedClearly() throws IOException {
        populate(true);
        Path snapshot = only(".cds");
        try (StorageFile f = memory.openExisting(snapshot)) {
            f.write(ByteBuffer.allocate(2).putShort(0, (short) (SnapshotFormat.VERSION + 1)), SnapshotFormat.VERSION_OFFSET);
        }
        try (Storage storage = Storage.open(faults, ROOT, 1000)) {
            assertThatThrownBy(() -> open(storage, FILES)).isInstanceOf(CorruptFileException.class)
                    .hasMessageContaining("version " + (SnapshotFormat.VERSION + 1));
        }
    }

    @Test
    void aMissingSnapshotIsRefusedAndNothingIsDeleted() throws IOException {
        populate(true);
        Path snapshot = only(".cds");
        memory.delete(snapshot);
        List<Path> before = tree();
        try (Storage storage = Storage.open(faults, ROOT, 1000)) {
            assertThatThrownBy(() -> open(storage, FILES)).isInstanceOf(MissingFileException.class)
                    .hasMessageContaining(snapshot.toString());
        }
        assertThat(tree()).isEqualTo(before);
    }

    @Test
    void aMissingManifestBesideDataFilesIsRefusedAndNothingIsDeleted() throws IOException {
        // Deleting the manifest used to make the open start afresh and delete the snapshot and part as leftovers.
        populate(true);
        memory.delete(DIR.resolve("manifest"));
        List<Path> before = tree();
        try (Storage storage = Storage.open(faults, ROOT, 1000)) {
            assertThatThrownBy(() -> open(storage, FILES)).isInstanceOf(MissingFileException.class)
                    .hasMessageContaining(DIR.resolve("manifest").toString())
                    .hasMessageContaining("snapshot-").hasMessageContaining("aof-").hasMessageContaining("Restore");
        }
        assertThat(tree()).isEqualTo(before);
    }

    @Test
    void aMissingManifestWithoutSnapshotIsRefusedToo() throws IOException {
        populate(false);
        memory.delete(DIR.resolve("manifest"));
        try (Storage storage = Storage.open(faults, ROOT, 1000)) {
            assertThatThrownBy(() -> open(storage, FILES)).isInstanceOf(MissingFileException.class);
        }
    }

    @Test
    void aFirstOpenCutShortBeforeItsManifestOpensEmpty() throws IOException {
        // The first open creates the empty part, then the manifest; a crash between leaves a part without entries.
        try (Storage storage = Storage.open(faults, ROOT, 1000); LocalDictionary d = open(storage, FILES)) {
            assertThat(d.keys().dbSize()).isZero();
        }
        memory.delete(DIR.resolve("manifest"));
        try (Storage storage = Storage.open(faults, ROOT, 1000); LocalDictionary d = open(storage, FILES)) {
            d.strings().set("k", "v".getBytes(StandardCharsets.US_ASCII));
        }
        try (Storage storage = Storage.open(faults, ROOT, 1000); LocalDictionary d = open(storage, FILES)) {
            assertThat(d.strings().get("k")).isNotNull();
        }
    }

    @Test
    void aMissingPartIsRefusedAndNothingIsDeleted() throws IOException {
        // Deleting the part after the snapshot used to load the snapshot alone, dropping every later write.
        populate(true);
        Manifest manifest = ManifestFormat.read(memory, DIR).orElseThrow();
        Path part = DIR.resolve("aof-%020d".formatted(manifest.activePart()));
        for (Path file : memory.list(part)) {
            memory.delete(file);
        }
        memory.delete(part);
        List<Path> before = tree();
        try (Storage storage = Storage.open(faults, ROOT, 1000)) {
            assertThatThrownBy(() -> open(storage, FILES)).isInstanceOf(MissingFileException.class)
                    .hasMessageContaining(part.toString());
        }
        assertThat(tree()).isEqualTo(before);
    }

    @Test
    void aMissingSegmentInAPartIsRefused() throws IOException {
        SegmentedFileOptions small = FILES.withSegmentBytes(128);
        try (Storage storage = Storage.open(faults, ROOT, 1000); LocalDictionary d = open(storage, small)) {
            for (int i = 0; i < 30; i++) {
                d.strings().set("k" + i, ("value-" + i).getBytes(StandardCharsets.US_ASCII));
            }
        }
        List<Path> segments = segmentsOfFirstPart();
        assertThat(segments.size()).isGreaterThan(3);
        for (Path gone : List.of(segments.get(0), segments.get(1), segments.get(segments.size() - 1))) {
            byte[] kept = read(gone);
            memory.delete(gone);
            try (Storage storage = Storage.open(faults, ROOT, 1000)) {
                assertThatThrownBy(() -> open(storage, small)).as("without %s", gone)
                        .isInstanceOf(MissingFileException.class).hasMessageContaining(gone.getFileName().toString());
            }
            try (StorageFile f = memory.open(gone)) {
                f.write(ByteBuffer.wrap(kept), 0);
            }
        }
        try (Storage storage = Storage.open(faults, ROOT, 1000); LocalDictionary d = open(storage, small)) {
            assertThat(d.keys().dbSize()).isEqualTo(30);
        }
    }

    private List<Path> segmentsOfFirstPart() throws IOException {
        Path part = DIR.resolve("aof-00000000000000000001");
        return memory.list(part).stream().filter(p -> p.toString().endsWith(".aof")).sorted().toList();
    }

    private byte[] read(Path file) throws IOException {
        try (StorageFile f = memory.openExisting(file)) {
            ByteBuffer bytes = ByteBuffer.allocate((int) f.size());
            f.read(bytes, 0);
            return bytes.array();
        }
    }

    /** Every file and directory under the dictionary's directory, sorted. */
    private List<Path> tree() throws IOException {
        List<Path> all = new java.util.ArrayList<>();
        for (Path p : memory.list(DIR)) {
            all.add(p);
            if (p.getFileName().toString().startsWith("aof-")) {
                all.addAll(memory.list(p));
            }
        }
        all.sort(null);
        return all;
    }

    @Test
    void aFailedFsyncStopsWritesButKeepsReads() {
        try (Storage storage = Storage.open(faults, ROOT, 1000); LocalDictionary d = open(storage, FILES)) {
            d.strings().set("a", "1".getBytes(StandardCharsets.US_ASCII));
            faults.failForce(faults.forceCount() + 1);
            assertThatThrownBy(() -> d.strings().set("b", "2".getBytes(StandardCharsets.US_ASCII)))
                    .isInstanceOf(dev.cairn.common.StorageException.class);
            assertThatThrownBy(() -> d.strings().set("c", "3".getBytes(StandardCharsets.US_ASCII)))
                    .isInstanceOf(dev.cairn.common.StorageException.class).hasMessageContaining("refuses writes");
            assertThat(d.strings().get("a")).isNotNull();
            assertThat(d.strings().get("c")).isNull();
        }
    }
}
