package dev.cairn.dictionary.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.Cairn;
import dev.cairn.common.CorruptFileException;
import dev.cairn.common.Durability;
import dev.cairn.dictionary.Dictionary;
import dev.cairn.dictionary.SnapshotRules;
import dev.cairn.storage.Storage;
import dev.cairn.storage.fs.MemoryFileSystem;
import dev.cairn.storage.fs.StorageFile;
import dev.cairn.storage.segment.RecoveryMode;
import dev.cairn.storage.segment.SegmentedFileOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes larger than one append-only frame: logged as fragments, replayed whole, never refused
 * after being applied, and an unfinished one at the tail is dropped like a torn entry.
 */
class LargeWriteTest {
    private static final Path ROOT = Path.of("/data");
    private static final Path DIR = ROOT.resolve("dictionary");
    /** Frames of at most 1 KiB, so that kilobytes stand for the hundreds of megabytes of the real limit. */
    private static final SegmentedFileOptions SMALL_FRAMES = SegmentedFileOptions.defaults(".aof")
            .withDurability(Durability.ALWAYS).withMaxEntryBytes(1024).withSegmentBytes(4096);

    private final MemoryFileSystem memory = new MemoryFileSystem();
    private final ManualClock clock = new ManualClock(1_000_000);

    private LocalDictionary open(Storage storage, SegmentedFileOptions files) {
        return LocalDictionary.open(storage, DIR, clock, DictionaryOptions.DEFAULT.withoutSweeper(), files,
                SnapshotRules.ON_DEMAND);
    }

    private static byte[] bytes(int size, long seed) {
        byte[] value = new byte[size];
        new Random(seed).nextBytes(value);
        return value;
    }

    @Test
    void writesLargerThanAFrameAreLoggedAndReplayedWhole() {
        Map<String, String> before;
        try (Storage storage = Storage.open(memory, ROOT, 1000); LocalDictionary d = open(storage, SMALL_FRAMES)) {
            d.strings().set("small", "1");
            d.strings().set("big", bytes(10_000, 1));
            Map<String, byte[]> pairs = new LinkedHashMap<>();
            for (int i = 0; i < 5; i++) {
                pairs.put("m" + i, bytes(700, 10 + i));
            }
            d.strings().mset(pairs);
            d.transaction(tx -> {
                tx.strings().set("tx1", bytes(3000, 2));
                tx.lists().rpush("tx-list", bytes(2000, 3), bytes(2000, 4));
                return null;
            });
            // A set built by small commands whose union is one entry far larger than a frame.
            for (int i = 0; i < 400; i++) {
                d.sets().sadd(i % 2 == 0 ? "s1" : "s2", "member-" + i);
            }
            assertThat(d.sets().sunionstore("union", "s1", "s2")).isEqualTo(400);
            d.strings().set("after", "still writable");
            before = DictionaryDump.of(d);
        }
        try (Storage storage = Storage.open(memory, ROOT, 1000); LocalDictionary d = open(storage, SMALL_FRAMES)) {
            assertThat(DictionaryDump.of(d)).isEqualTo(before);
            assertThat(d.strings().get("big")).isEqualTo(bytes(10_000, 1));
            d.strings().set("after-reopen", bytes(5000, 5));
        }
        try (Storage storage = Storage.open(memory, ROOT, 1000); LocalDictionary d = open(storage, SMALL_FRAMES)) {
            assertThat(d.strings().get("after-reopen")).isEqualTo(bytes(5000, 5));
        }
    }

    @Test
    void anUnfinishedLargeWriteAtTheTailIsDroppedAndTheRestKept() throws IOException {
        Path segment;
        long beforeBig;
        try (Storage storage = Storage.open(memory, ROOT, 1000); LocalDictionary d = open(storage, SMALL_FRAMES)) {
            d.strings().set("kept", "yes");
            segment = lastSegment();
            beforeBig = memory.size(segment);
            d.strings().set("big", bytes(3000, 1));
            assertThat(memory.size(segment)).isGreaterThan(beforeBig + 3000);
        }
        memory.delete(segment.resolveSibling("clean-shutdown"));
        // A crash part-way through the run of fragments: every cut point after the first fragment.
        byte[] whole = read(segment);
        for (long cut = beforeBig + 1100; cut < whole.length - 1; cut += 700) {
            write(segment, Arrays.copyOf(whole, (int) cut));
            try (Storage storage = Storage.open(memory, ROOT, 1000); LocalDictionary d = open(storage, SMALL_FRAMES)) {
                assertThat(d.strings().get("kept")).as("cut at %d", cut).isNotNull();
                assertThat(d.strings().get("big")).as("cut at %d", cut).isNull();
                assertThat(memory.size(segment)).isEqualTo(beforeBig);
                d.strings().set("next", "write");
            }
            try (Storage storage = Storage.open(memory, ROOT, 1000); LocalDictionary d = open(storage, SMALL_FRAMES)) {
                assertThat(d.strings().get("next")).isNotNull();
            }
            memory.delete(segment.resolveSibling("clean-shutdown"));
        }
    }

    @Test
    void aRunOfFragmentsInterruptedByAnotherEntryIsCorrupt() throws IOException {
        Path segment;
        long beforeBig;
        long afterBig;
        try (Storage storage = Storage.open(memory, ROOT, 1000); LocalDictionary d = open(storage, SMALL_FRAMES)) {
            d.strings().set("kept", "yes");
            segment = lastSegment();
            beforeBig = memory.size(segment);
            d.strings().set("big", bytes(3000, 1));
            afterBig = memory.size(segment);
            d.strings().set("later", "entry");
        }
        // Move the last fragment to the end, after the whole entry that followed the run.
        byte[] whole = read(segment);
        int lastFragment = lastFramePosition(whole, (int) beforeBig, (int) afterBig);
        byte[] reordered = new byte[whole.length];
        System.arraycopy(whole, 0, reordered, 0, lastFragment);
        System.arraycopy(whole, (int) afterBig, reordered, lastFragment, whole.length - (int) afterBig);
        System.arraycopy(whole, lastFragment, reordered, lastFragment + whole.length - (int) afterBig,
                (int) afterBig - lastFragment);
        write(segment, reordered);
        memory.delete(segment.resolveSibling("clean-shutdown"));
        try (Storage storage = Storage.open(memory, ROOT, 1000)) {
            assertThatThrownBy(() -> open(storage, SMALL_FRAMES)).isInstanceOf(CorruptFileException.class)
                    .hasMessageContaining(segment.toString()).hasMessageContaining("interrupts");
        }
        try (Storage storage = Storage.open(memory, ROOT, 1000);
                LocalDictionary d = open(storage, SMALL_FRAMES.withRecoveryMode(RecoveryMode.TRUNCATE_AT_CORRUPTION))) {
            assertThat(d.strings().get("kept")).isNotNull();
            assertThat(d.strings().get("big")).isNull();
        }
    }

    @Test
    void aValueOverSixtyFourMebibytesIsAcceptedAndSurvivesAReopen(@TempDir Path dir) {
        // The default frame limit is 64 MiB; Redis accepts strings up to 512 MB.
        byte[] value = bytes((64 << 20) + 1000, 9);
        try (Cairn cairn = Cairn.open(dir)) {
            Dictionary d = cairn.dictionary();
            d.strings().set("huge", value);
            d.strings().set("small", "after");
        }
        try (Cairn cairn = Cairn.open(dir)) {
            assertThat(cairn.dictionary().strings().get("huge")).isEqualTo(value);
            assertThat(cairn.dictionary().strings().getString("small")).isEqualTo("after");
        }
    }

    /** The position of the last frame in {@code [from, to)} of a segment's bytes, walking the frames' lengths. */
    private static int lastFramePosition(byte[] segment, int from, int to) {
        int position = from;
        int last = from;
        while (position < to) {
            last = position;
            int length = ByteBuffer.wrap(segment, position, 4).getInt();
            position += 8 + length;
        }
        return last;
    }

    private Path lastSegment() throws IOException {
        Path part = DIR.resolve("aof-00000000000000000001");
        List<Path> segments = memory.list(part).stream().filter(p -> p.toString().endsWith(".aof")).sorted().toList();
        return segments.get(segments.size() - 1);
    }

    private byte[] read(Path file) throws IOException {
        try (StorageFile f = memory.openExisting(file)) {
            ByteBuffer bytes = ByteBuffer.allocate((int) f.size());
            f.read(bytes, 0);
            return bytes.array();
        }
    }

    private void write(Path file, byte[] content) throws IOException {
        memory.delete(file);
        try (StorageFile f = memory.open(file)) {
            f.write(ByteBuffer.wrap(content), 0);
        }
    }
}
