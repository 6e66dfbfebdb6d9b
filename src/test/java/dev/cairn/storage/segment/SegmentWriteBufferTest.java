package dev.cairn.storage.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.cairn.common.Durability;
import dev.cairn.common.StorageException;
import dev.cairn.storage.Storage;
import dev.cairn.storage.fs.FaultInjectingFileSystem;
import dev.cairn.storage.fs.MemoryFileSystem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Appends are coalesced in a write buffer (see {@link Segment}): readers see them at once, the
 * file gets them in one write when the buffer fills, before reads, fsyncs, rolls and closes, and
 * from the background flusher; a failed write of the buffer fails the file like a failed append.
 */
class SegmentWriteBufferTest {
    private static final SegmentedFileOptions OPTIONS = SegmentedFileOptions.defaults(".seg")
            .withSegmentBytes(3 << 20).withDurability(Durability.NONE);

    @TempDir
    Path temp;

    private static byte[] payload(int i, int size) {
        byte[] bytes = new byte[size];
        new Random(i).nextBytes(bytes);
        bytes[0] = (byte) (i | 1);
        return bytes;
    }

    /** Sizes that cross buffer boundaries at every offset, with a few entries larger than the buffer. */
    private static int sizeOf(int i) {
        if (i % 97 == 0) {
            return SegmentedFileOptions.DEFAULT_WRITE_BUFFER_BYTES + 1;
        }
        return 1 + (i * 7919) % 3000;
    }

    private static List<byte[]> append(SegmentedFile file, int from, int count) {
        List<byte[]> written = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            byte[] payload = payload(i, sizeOf(i));
            if (file.shouldRoll(payload.length)) {
                file.roll(file.active().base() + 1_000_000);
            }
            file.append(ByteBuffer.wrap(payload));
            written.add(payload);
        }
        return written;
    }

    private static List<byte[]> readAll(SegmentedFile file) {
        List<byte[]> all = new ArrayList<>();
        for (Segment s : file.segments()) {
            SegmentScanner scanner = s.scanner(SegmentFormat.HEADER_SIZE);
            while (scanner.nextOrThrow()) {
                byte[] bytes = new byte[scanner.payload().remaining()];
                scanner.payload().get(bytes);
                all.add(bytes);
            }
        }
        return all;
    }

    private static long fileSize(Segment segment) throws IOException {
        return Files.size(segment.path());
    }

    @Test
    void appendsAreReadableAtOnceAndReachTheFileOnRollAndClose() throws IOException {
        Path dir = temp.resolve("f");
        List<byte[]> written;
        try (Storage storage = Storage.open(temp)) {
            try (SegmentedFile file = SegmentedFile.open(storage, dir, OPTIONS.withDurability(Durability.ALWAYS), 0)) {
                written = append(file, 1, 4000);
                assertThat(file.segments()).as("the test must roll").hasSizeGreaterThan(1);
                for (Segment sealed : file.segments().subList(0, file.segments().size() - 1)) {
                    assertThat(fileSize(sealed)).isEqualTo(sealed.size());
                }
                file.append(ByteBuffer.wrap(payload(7, 10)));
                written.add(payload(7, 10));
                assertThat(fileSize(file.active())).as("the last append is still buffered")
                        .isLessThan(file.active().size());
                assertThat(readAll(file)).as("readers see buffered appends").containsExactlyElementsOf(written);
                assertThat(fileSize(file.active())).as("a scan copies from the buffer without writing it out")
                        .isLessThan(file.active().size());
            }
            try (SegmentedFile file = SegmentedFile.open(storage, dir, OPTIONS, 0)) {
                assertThat(file.recovery().scanned()).as("a clean close skips the scan").isFalse();
                assertThat(readAll(file)).containsExactlyElementsOf(written);
            }
        }
    }

    @Test
    void aScanStraddlingTheFileAndTheBufferReadsBothIntoAReusedChunk() throws IOException {
        try (Storage storage = Storage.open(temp);
                SegmentedFile file = SegmentedFile.open(storage, temp.resolve("f"), OPTIONS, 0)) {
            List<byte[]> written = new ArrayList<>();
            for (int i = 1; i <= 60; i++) {
                written.add(payload(i, 50 + i));
                file.append(ByteBuffer.wrap(written.get(i - 1)));
                if (i == 30) {
                    file.writeOut();
                }
            }
            Segment active = file.active();
            assertThat(fileSize(active)).as("half in the file, half buffered")
                    .isGreaterThan(SegmentFormat.HEADER_SIZE).isLessThan(active.size());
            ByteBuffer chunk = ByteBuffer.allocateDirect(SegmentScanner.CHUNK_BYTES);
            for (int round = 0; round < 2; round++) {
                List<byte[]> read = new ArrayList<>();
                SegmentScanner scanner = active.scanner(SegmentFormat.HEADER_SIZE, chunk);
                while (scanner.nextOrThrow()) {
                    byte[] bytes = new byte[scanner.payload().remaining()];
                    scanner.payload().get(bytes);
                    read.add(bytes);
                }
                assertThat(read).containsExactlyElementsOf(written);
            }
        }
    }

    @Test
    void scannersRacingTheWriterAndWriteOutsSeeAPrefixOfTheAppends() throws Exception {
        try (Storage storage = Storage.open(temp);
                SegmentedFile file = SegmentedFile.open(storage, temp.resolve("f"), OPTIONS, 0)) {
            int count = 20_000;
            List<byte[]> written = new ArrayList<>();
            for (int i = 1; i <= count; i++) {
                written.add(payload(i, 1 + (i * 31) % 200));
            }
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread reader = new Thread(() -> {
                ByteBuffer chunk = ByteBuffer.allocateDirect(SegmentScanner.CHUNK_BYTES);
                try {
                    int seen = 0;
                    while (seen < count) {
                        SegmentScanner scanner = file.active().scanner(SegmentFormat.HEADER_SIZE, chunk);
                        int n = 0;
                        while (scanner.nextOrThrow()) {
                            byte[] bytes = new byte[scanner.payload().remaining()];
                            scanner.payload().get(bytes);
                            assertThat(bytes).as("entry %d", n).isEqualTo(written.get(n));
                            n++;
                        }
                        assertThat(n).as("a scan never sees fewer entries than an earlier one").isGreaterThanOrEqualTo(seen);
                        seen = n;
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            reader.start();
            for (int i = 0; i < count; i++) {
                file.append(ByteBuffer.wrap(written.get(i)));
                if (i % 97 == 0) {
                    file.writeOut();
                }
            }
            reader.join(60_000);
            assertThat(reader.isAlive()).isFalse();
            assertThat(failure.get()).isNull();
        }
    }

    @Test
    void appendsAndReadsGoOnWhileAWriteOutIsInFlight() throws Exception {
        FaultInjectingFileSystem faults = new FaultInjectingFileSystem(new MemoryFileSystem());
        Path root = Path.of("/data");
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // ALWAYS files get no background write-out: only this test writes the buffer out.
        try (Storage storage = Storage.open(faults, root, 1000);
                SegmentedFile file = SegmentedFile.open(storage, root.resolve("f"),
                        OPTIONS.withDurability(Durability.ALWAYS), 0)) {
            List<byte[]> written = new ArrayList<>();
            for (int i = 1; i <= 20; i++) {
                written.add(payload(i, 100));
                file.append(ByteBuffer.wrap(written.get(i - 1)));
            }
            faults.holdWrite(faults.writeCount() + 1, entered, release);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread flusher = new Thread(() -> {
                try {
                    file.writeOut();
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            flusher.start();
            try {
                assertThat(entered.await(10, TimeUnit.SECONDS)).as("the write-out started").isTrue();
                // The first 20 entries are being written: appends go into the other buffer, and a
                // reader sees the file, the buffer in flight and the new one, in order.
                assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                    for (int i = 21; i <= 40; i++) {
                        written.add(payload(i, 100));
                        file.append(ByteBuffer.wrap(written.get(i - 1)));
                    }
                    assertThat(readAll(file)).containsExactlyElementsOf(written);
                }, "appends and reads must not wait for a write-out in flight");
            } finally {
                release.countDown();
            }
            flusher.join(10_000);
            assertThat(failure.get()).isNull();
            assertThat(readAll(file)).containsExactlyElementsOf(written);
            file.writeOut();
            assertThat(faults.delegate().size(file.active().path())).isEqualTo(file.active().size());
        }
    }

    @Test
    void theBackgroundFlusherWritesTheBufferOutWithoutAnyRead() throws IOException {
        try (Storage storage = Storage.open(temp);
                SegmentedFile file = SegmentedFile.open(storage, temp.resolve("f"), OPTIONS, 0)) {
            file.append(ByteBuffer.wrap(payload(1, 100)));
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (fileSize(file.active()) < file.active().size() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(fileSize(file.active())).isEqualTo(file.active().size());
        }
    }

    @Test
    void aProcessThatStopsWithoutClosingKeepsWhatWasWrittenOut() throws IOException {
        Path dir = temp.resolve("f");
        Storage first = Storage.open(temp);
        SegmentedFile abandoned = SegmentedFile.open(first, dir, OPTIONS, 0);
        List<byte[]> written = new ArrayList<>(append(abandoned, 1, 700));
        abandoned.writeOut();
        int writtenOut = written.size();
        written.addAll(append(abandoned, 701, 5));
        // The owner stops here without closing: no seal, no marker. What the flusher had not
        // written out yet is lost, as it would be if the process died.
        first.close();
        try (Storage storage = Storage.open(temp);
                SegmentedFile file = SegmentedFile.open(storage, dir, OPTIONS, 0)) {
            assertThat(file.recovery().truncated()).isFalse();
            List<byte[]> recovered = readAll(file);
            assertThat(recovered.size()).isBetween(writtenOut, written.size());
            assertThat(recovered).containsExactlyElementsOf(written.subList(0, recovered.size()));
        }
    }

    /** Appends 50 entries into {@code written}, writes them out, and stops without closing (no seal, no marker). */
    private Segment abandonAfterWritingOut(Path dir, List<byte[]> written) {
        Storage first = Storage.open(temp);
        SegmentedFile abandoned = SegmentedFile.open(first, dir, OPTIONS, 0);
        written.addAll(append(abandoned, 1, 50));
        abandoned.writeOut();
        first.close();
        return abandoned.active();
    }

    @Test
    void zerosAfterTheEntriesAreCutWithoutReportingATornEntry() throws IOException {
        Path dir = temp.resolve("f");
        List<byte[]> written = new ArrayList<>();
        Segment active = abandonAfterWritingOut(dir, written);
        long entriesEnd = active.size();
        // A power loss can leave the file longer than what reached it, the rest reading as zeros.
        try (FileChannel channel = FileChannel.open(active.path(), StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate(100_000), entriesEnd);
        }
        try (Storage storage = Storage.open(temp);
                SegmentedFile file = SegmentedFile.open(storage, dir, OPTIONS, 0)) {
            assertThat(file.recovery().scanned()).isTrue();
            assertThat(file.recovery().truncated()).isFalse();
            assertThat(file.active().size()).isEqualTo(entriesEnd);
            assertThat(Files.size(active.path())).isEqualTo(entriesEnd);
            assertThat(readAll(file)).containsExactlyElementsOf(written);
        }
    }

    @Test
    void aTornEntryBeforeZerosIsReportedWithItsOwnLength() throws IOException {
        Path dir = temp.resolve("f");
        List<byte[]> written = new ArrayList<>();
        Segment active = abandonAfterWritingOut(dir, written);
        long entriesEnd = active.size();
        // The start of a frame whose payload never arrived (a length, a CRC, 5 bytes), then zeros.
        try (FileChannel channel = FileChannel.open(active.path(), StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[] {0, 0, 1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9}), entriesEnd);
            channel.write(ByteBuffer.allocate(1000), entriesEnd + 13);
        }
        try (Storage storage = Storage.open(temp);
                SegmentedFile file = SegmentedFile.open(storage, dir, OPTIONS, 0)) {
            RecoveryReport report = file.recovery();
            assertThat(report.truncated()).isTrue();
            assertThat(report.tornTail()).isTrue();
            assertThat(report.truncatedAt()).isEqualTo(entriesEnd);
            assertThat(report.bytesTruncated()).as("the torn frame, not the zeros after it").isEqualTo(13);
            assertThat(readAll(file)).containsExactlyElementsOf(written);
        }
    }

    @Test
    void truncationTakesBufferedAppendsIntoAccount() {
        try (Storage storage = Storage.open(temp);
                SegmentedFile file = SegmentedFile.open(storage, temp.resolve("f"), OPTIONS, 0)) {
            List<byte[]> written = append(file, 1, 40);
            Segment active = file.active();
            long cut = active.size();
            append(file, 41, 40);
            file.truncateTo(active, cut);
            written.addAll(append(file, 200, 40));
            assertThat(readAll(file)).containsExactlyElementsOf(written);
        }
    }

    @Test
    void aWriteOfTheBufferTornAtAnyByteLeavesAPrefixOfTheEntries() {
        Path root = Path.of("/data");
        int before = 3;
        int buffered = 5;
        int bufferBytes = buffered * (SegmentFormat.FRAME_OVERHEAD + 20);
        for (int keep = 0; keep <= bufferBytes; keep++) {
            FaultInjectingFileSystem faults = new FaultInjectingFileSystem(new MemoryFileSystem());
            Storage storage = Storage.open(faults, root, 1000);
            // ALWAYS files get no background write-out: only this test writes the buffer out.
            SegmentedFile file = SegmentedFile.open(storage, root.resolve("f"), OPTIONS.withDurability(Durability.ALWAYS), 0);
            List<byte[]> written = new ArrayList<>();
            for (int i = 0; i < before + buffered; i++) {
                if (i == before) {
                    file.writeOut();
                }
                written.add(payload(i, 20));
                file.append(ByteBuffer.wrap(written.get(i)));
            }
            faults.tearWrite(faults.writeCount() + 1, keep);
            int tornAt = keep;
            if (keep < bufferBytes) {
                assertThatThrownBy(file::writeOut).as("torn after %d bytes", tornAt).isInstanceOf(StorageException.class);
            } else {
                // Tearing "after" the whole buffer still fails the call; every byte is in the file.
                assertThatThrownBy(file::writeOut).isInstanceOf(StorageException.class);
            }
            storage.close();
            try (Storage reopened = Storage.open(faults, root, 1000);
                    SegmentedFile recovered = SegmentedFile.open(reopened, root.resolve("f"), OPTIONS, 0)) {
                List<byte[]> entries = readAll(recovered);
                int whole = keep / (SegmentFormat.FRAME_OVERHEAD + 20);
                assertThat(entries).as("torn after %d bytes", keep).hasSize(before + whole);
                assertThat(entries).containsExactlyElementsOf(written.subList(0, entries.size()));
            }
        }
    }

    @Test
    void aFailedWriteOfTheBufferFailsLaterAppendsAndSyncs() {
        FaultInjectingFileSystem faults = new FaultInjectingFileSystem(new MemoryFileSystem());
        Path root = Path.of("/data");
        try (Storage storage = Storage.open(faults, root, 1000);
                SegmentedFile file = SegmentedFile.open(storage, root.resolve("f"),
                        OPTIONS.withDurability(Durability.ALWAYS), 0)) {
            file.append(ByteBuffer.wrap(payload(1, 100)));
            file.writeOut();
            file.append(ByteBuffer.wrap(payload(2, 100)));
            faults.tearWrite(faults.writeCount() + 1, 10);
            assertThatThrownBy(file::sync).isInstanceOf(StorageException.class);
            assertThatThrownBy(() -> file.append(ByteBuffer.wrap(payload(3, 100))))
                    .isInstanceOf(StorageException.class);
            assertThatThrownBy(file::sync).isInstanceOf(StorageException.class);
        }
    }
}
