package dev.cairn.storage.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cairn.common.CorruptFileException;
import dev.cairn.common.Durability;
import dev.cairn.common.StorageException;
import dev.cairn.storage.Storage;
import dev.cairn.storage.fs.FaultInjectingFileSystem;
import dev.cairn.storage.fs.MemoryFileSystem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Every fault the injecting file system can produce, against a segmented file: no silent loss, no corrupt entry returned. */
class SegmentedFileFaultTest {
    private static final Path ROOT = Path.of("/data");
    private static final Path DIR = ROOT.resolve("file");
    private static final int ENTRIES = 6;

    /** Writes through, so that each append is one write a fault can be aimed at (buffered writes: SegmentWriteBufferTest). */
    private static SegmentedFileOptions options(Durability durability) {
        return SegmentedFileOptions.defaults(".seg").withSegmentBytes(1 << 20).withDurability(durability)
                .withWriteBufferBytes(0);
    }

    private static byte[] payload(int i) {
        byte[] bytes = new byte[20 + i];
        for (int b = 0; b < bytes.length; b++) {
            bytes[b] = (byte) (i * 31 + b);
        }
        return bytes;
    }

    private static List<byte[]> readAll(SegmentedFile file) {
        List<byte[]> all = new ArrayList<>();
        for (Segment s : file.segments()) {
            SegmentScanner scanner = s.scanner(SegmentFormat.HEADER_SIZE);
            while (scanner.nextOrThrow()) {
                byte[] b = new byte[scanner.payload().remaining()];
                scanner.payload().get(b);
                all.add(b);
            }
        }
        return all;
    }

    private static void assertEntriesArePrefix(List<byte[]> entries, int atLeast) {
        assertThat(entries.size()).isGreaterThanOrEqualTo(atLeast).isLessThanOrEqualTo(ENTRIES);
        for (int i = 0; i < entries.size(); i++) {
            assertThat(entries.get(i)).isEqualTo(payload(i));
        }
    }

    /** The big-endian length field of a payload under 256 bytes starts with three zero bytes. */
    private static final int LEADING_ZEROS_OF_LENGTH = 3;

    @Test
    void writeTornAtEveryByteOfTheLastEntryLosesOnlyThatEntry() {
        assertThat(payload(ENTRIES - 1).length).as("a length that starts with exactly three zero bytes")
                .isBetween(1, 255);
        int lastFrame = SegmentFormat.FRAME_OVERHEAD + payload(ENTRIES - 1).length;
        for (int keep = 0; keep <= lastFrame; keep++) {
            MemoryFileSystem memory = new MemoryFileSystem();
            FaultInjectingFileSystem faults = new FaultInjectingFileSystem(memory);
            Storage storage = Storage.open(faults, ROOT, 1000);
            SegmentedFile file = SegmentedFile.open(storage, DIR, options(Durability.NONE), 0);
            for (int i = 0; i < ENTRIES - 1; i++) {
                file.append(ByteBuffer.wrap(payload(i)));
            }
            faults.tearWrite(faults.writeCount() + 1, keep);
            if (keep < lastFrame) {
                assertThatThrownBy(() -> file.append(ByteBuffer.wrap(payload(ENTRIES - 1))))
                        .isInstanceOf(StorageException.class).hasMessageContaining("torn");
            } else {
                // Tearing "after" the whole frame still fails the call: the entry is complete on disk.
                catchThrowable(() -> file.append(ByteBuffer.wrap(payload(ENTRIES - 1))));
            }
            // The process dies here: no close, no marker. The OS kept what was written.
            storage.close();
            Storage reopened = Storage.open(faults, ROOT, 1000);
            try (SegmentedFile recovered = SegmentedFile.open(reopened, DIR, options(Durability.NONE), 0)) {
                List<byte[]> entries = readAll(recovered);
                assertEntriesArePrefix(entries, ENTRIES - 1);
                if (keep < lastFrame) {
                    assertThat(entries).as("torn after %d bytes", keep).hasSize(ENTRIES - 1);
                    // Zero bytes kept are indistinguishable from nothing written (a mapped tail
                    // is zeros too): only a non-zero byte makes a torn entry to report.
                    assertThat(recovered.recovery().truncated()).as("torn after %d bytes", keep)
                            .isEqualTo(keep > LEADING_ZEROS_OF_LENGTH);
                }
                recovered.append(ByteBuffer.wrap(payload(99)));
            } finally {
                reopened.close();
            }
        }
    }

    @Test
    void bitFlipAnywhereIsDetectedAndNeverReturnsCorruptEntries() throws IOException {
        MemoryFileSystem pristine = new MemoryFileSystem();
        try (Storage storage = Storage.open(pristine, ROOT, 1000);
                SegmentedFile file = SegmentedFile.open(storage, DIR, options(Durability.NONE), 0)) {
            for (int i = 0; i < ENTRIES; i++) {
                file.append(ByteBuffer.wrap(payload(i)));
            }
        }
        Path segment = DIR.resolve(SegmentFormat.fileName(0, ".seg"));
        byte[] original = pristine.contents(segment);
        long lastEntry = original.length - SegmentFormat.FRAME_OVERHEAD - payload(ENTRIES - 1).length;
        int detectedAsCorrupt = 0;
        for (int position = 0; position < original.length; position++) {
            for (int bit = 0; bit < 8; bit += 3) {
                MemoryFileSystem memory = copyWithoutMarker(pristine, segment, original);
                FaultInjectingFileSystem faults = new FaultInjectingFileSystem(memory);
                faults.flipBit(segment, position, bit);
                try (Storage storage = Storage.open(faults, ROOT, 1000)) {
                    SegmentedFile file;
                    try {
                        file = SegmentedFile.open(storage, DIR, options(Durability.NONE), 0);
                    } catch (CorruptFileException e) {
                        assertThat(e.file()).isEqualTo(segment.toString());
                        detectedAsCorrupt++;
                        continue;
                    }
                    try (file) {
                        // Opened: only a flip in the final entry may be repaired, and only by dropping it.
                        assertThat((long) position).as("flip at %d bit %d opened", position, bit)
                                .isGreaterThanOrEqualTo(lastEntry);
                        assertThat(file.recovery().truncatedAt()).isEqualTo(lastEntry);
                        assertEntriesArePrefix(readAll(file), ENTRIES - 1);
                        assertThat(readAll(file)).hasSize(ENTRIES - 1);
                    }
                }
            }
        }
        assertThat(detectedAsCorrupt).isGreaterThan(0);
    }

    private static MemoryFileSystem copyWithoutMarker(MemoryFileSystem source, Path segment, byte[] bytes)
            throws IOException {
        MemoryFileSystem copy = new MemoryFileSystem();
        copy.createDirectories(DIR);
        try (var f = copy.open(segment)) {
            f.write(ByteBuffer.wrap(bytes), 0);
        }
        return copy;
    }

    @Test
    void failedFsyncReachesEveryWaiterAndStopsWrites() throws Exception {
        MemoryFileSystem memory = new MemoryFileSystem();
        FaultInjectingFileSystem faults = new FaultInjectingFileSystem(memory);
        try (Storage storage = Storage.open(faults, ROOT, 1000);
                SegmentedFile file = SegmentedFile.open(storage, DIR, options(Durability.ALWAYS), 0)) {
            file.append(ByteBuffer.wrap(payload(0)));
            file.awaitDurable(file.writtenMark());
            faults.failForce(faults.forceCount() + 1);
            int threads = 4;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Throwable>> outcomes = new ArrayList<>();
            Object writeLock = new Object();
            for (int t = 0; t < threads; t++) {
                int id = t;
                outcomes.add(pool.submit(() -> {
                    start.await();
                    long mark;
                    try {
                        synchronized (writeLock) {
                            file.append(ByteBuffer.wrap(payload(1 + id)));
                            mark = file.writtenMark();
                        }
                        file.awaitDurable(mark);
                        return null;
                    } catch (StorageException e) {
                        return e;
                    }
                }));
            }
            start.countDown();
            int failed = 0;
            for (Future<Throwable> outcome : outcomes) {
                if (outcome.get(10, TimeUnit.SECONDS) != null) {
                    failed++;
                }
            }
            pool.shutdown();
            // Whoever reached the failed fsync, or came after it, was told; nobody is told "durable" wrongly.
            assertThat(failed).isGreaterThanOrEqualTo(1);
            assertThat(file.durableMark()).isLessThan(file.writtenMark());
            assertThatThrownBy(() -> file.append(ByteBuffer.wrap(payload(9))))
                    .isInstanceOf(StorageException.class).hasMessageContaining("failed fsync");
            assertThat(storage.metrics().fsyncFailures()).isEqualTo(1);
        }
    }

    @Test
    void fullDiskFailsTheAppendAndRecoveryKeepsEverythingBefore() {
        MemoryFileSystem memory = new MemoryFileSystem();
        FaultInjectingFileSystem faults = new FaultInjectingFileSystem(memory);
        Storage storage = Storage.open(faults, ROOT, 1000);
        SegmentedFile file = SegmentedFile.open(storage, DIR, options(Durability.ALWAYS), 0);
        for (int i = 0; i < ENTRIES - 1; i++) {
            file.append(ByteBuffer.wrap(payload(i)));
            file.awaitDurable(file.writtenMark());
        }
        faults.setFreeSpace(10);
        assertThatThrownBy(() -> file.append(ByteBuffer.wrap(payload(ENTRIES - 1))))
                .isInstanceOf(StorageException.class).hasMessageContaining("No space left on device");
        faults.setFreeSpace(-1);
        file.close();
        storage.close();
        try (Storage reopened = Storage.open(faults, ROOT, 1000);
                SegmentedFile recovered = SegmentedFile.open(reopened, DIR, options(Durability.ALWAYS), 0)) {
            assertThat(recovered.recovery().truncated()).isTrue();
            assertEntriesArePrefix(readAll(recovered), ENTRIES - 1);
            assertThat(readAll(recovered)).hasSize(ENTRIES - 1);
        }
    }

    @Test
    void powerLossKeepsEverythingAcknowledgedWithAlways() {
        MemoryFileSystem memory = new MemoryFileSystem();
        for (int seed = 0; seed < 20; seed++) {
            Storage storage = Storage.open(memory, ROOT.resolve("run" + seed), 1000);
            Path dir = ROOT.resolve("run" + seed).resolve("file");
            SegmentedFile file = SegmentedFile.open(storage, dir,
                    options(Durability.ALWAYS).withSegmentBytes(150), 0);
            int acknowledged = 0;
            for (int i = 0; i < ENTRIES; i++) {
                if (file.shouldRoll(payload(i).length)) {
                    file.roll(i);
                }
                file.append(ByteBuffer.wrap(payload(i)));
                file.awaitDurable(file.writtenMark());
                acknowledged++;
            }
            memory.crash(new java.util.Random(seed));
            storage.close();
            try (Storage reopened = Storage.open(memory, ROOT.resolve("run" + seed), 1000);
                    SegmentedFile recovered = SegmentedFile.open(reopened, dir, options(Durability.ALWAYS), 0)) {
                assertEntriesArePrefix(readAll(recovered), acknowledged);
            }
        }
    }
}
