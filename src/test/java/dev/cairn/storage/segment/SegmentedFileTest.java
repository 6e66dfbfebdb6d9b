package dev.cairn.storage.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.cairn.common.ClosedException;
import dev.cairn.common.CorruptFileException;
import dev.cairn.common.Durability;
import dev.cairn.common.StorageException;
import dev.cairn.storage.BackgroundFlusher;
import dev.cairn.storage.Storage;
import dev.cairn.storage.fs.FaultInjectingFileSystem;
import dev.cairn.storage.fs.MemoryFileSystem;
import dev.cairn.storage.fs.StorageFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class SegmentedFileTest {
    private static final SegmentedFileOptions OPTIONS = SegmentedFileOptions.defaults(".seg")
            .withSegmentBytes(200).withDurability(Durability.NONE);

    private final MemoryFileSystem memory = new MemoryFileSystem();
    private final FaultInjectingFileSystem faults = new FaultInjectingFileSystem(memory);
    private final Path root = Path.of("/data");
    private Storage storage = Storage.open(faults, root, 1000);
    private final Path dir = root.resolve("file");

    @AfterEach
    void closeStorage() {
        storage.close();
    }

    private SegmentedFile open(SegmentedFileOptions options) {
        return SegmentedFile.open(storage, dir, options, 0);
    }

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String string(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return new String(a, StandardCharsets.UTF_8);
    }

    /** Appends entries named by their number, rolling with base = entry number, as the log does. */
    private static List<long[]> appendNumbered(SegmentedFile file, int from, int count) {
        List<long[]> addresses = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            ByteBuffer payload = bytes("entry-" + i);
            if (file.shouldRoll(payload.remaining())) {
                file.roll(i);
            }
            long position = file.append(payload);
            addresses.add(new long[] {file.active().base(), position});
        }
        return addresses;
    }

    private static List<String> readAll(SegmentedFile file) {
        List<String> all = new ArrayList<>();
        for (Segment s : file.segments()) {
            SegmentScanner scanner = s.scanner(SegmentFormat.HEADER_SIZE);
            while (scanner.nextOrThrow()) {
                all.add(string(scanner.payload()));
            }
        }
        return all;
    }

    @Test
    void appendsReadBackByPositionAndRollBySize() {
        try (SegmentedFile file = open(OPTIONS)) {
            List<long[]> addresses = appendNumbered(file, 0, 40);
            assertThat(file.segments()).hasSizeGreaterThan(3);
            for (int i = 0; i < 40; i++) {
                Segment segment = file.floorSegment(addresses.get(i)[0]);
                assertThat(string(segment.read(addresses.get(i)[1]))).isEqualTo("entry-" + i);
            }
            for (Segment s : file.segments()) {
                assertThat(s.size()).isLessThanOrEqualTo(200);
            }
        }
    }

    @Test
    void segmentBasesAreTheRollArgumentsAndNamesTheFiles() {
        try (SegmentedFile file = open(OPTIONS)) {
            appendNumbered(file, 0, 40);
            long previous = -1;
            for (Segment s : file.segments()) {
                assertThat(s.base()).isGreaterThan(previous);
                assertThat(s.path().getFileName().toString()).isEqualTo(SegmentFormat.fileName(s.base(), ".seg"));
                previous = s.base();
            }
        }
    }

    @Test
    void reopenAfterCleanCloseSkipsTheScanAndContinues() {
        try (SegmentedFile file = open(OPTIONS)) {
            appendNumbered(file, 0, 25);
        }
        try (SegmentedFile file = open(OPTIONS)) {
            assertThat(file.recovery().scanned()).isFalse();
            appendNumbered(file, 25, 25);
        }
        try (SegmentedFile file = open(OPTIONS)) {
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                expected.add("entry-" + i);
            }
            assertThat(readAll(file)).isEqualTo(expected);
        }
    }

    @Test
    void reopenAfterCrashScansTheLastSegment() {
        SegmentedFile file = open(OPTIONS.withDurability(Durability.ALWAYS));
        appendNumbered(file, 0, 10);
        file.awaitDurable(file.writtenMark());
        memory.crash(null);
        storage.close();
        storage = Storage.open(faults, root, 1000);
        try (SegmentedFile reopened = open(OPTIONS)) {
            assertThat(reopened.recovery().scanned()).isTrue();
            assertThat(reopened.recovery().truncated()).isFalse();
            assertThat(readAll(reopened)).hasSize(10);
        }
    }

    @Test
    void everySecondPolicySyncsInTheBackground() {
        storage.close();
        storage = Storage.open(faults, root, 5);
        SegmentedFile file = open(OPTIONS.withDurability(Durability.EVERY_SECOND));
        appendNumbered(file, 0, 10);
        long mark = file.writtenMark();
        file.awaitDurable(mark);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (file.durableMark() < mark && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(file.durableMark()).isEqualTo(mark);
        memory.crash(null);
        storage.close();
        storage = Storage.open(faults, root, 5);
        try (SegmentedFile reopened = open(OPTIONS)) {
            assertThat(readAll(reopened)).hasSize(10);
        }
    }

    // A roll fsyncs the segment it closes whatever the policy; without fsyncs ahead of it, an
    // appender under NONE waited at each roll for the whole segment to reach the disk.
    @Test
    void noneFsyncsAheadInTheBackgroundOnceEnoughIsUnsynced() {
        SegmentedFile file = open(OPTIONS.withSegmentBytes(64L << 20));
        ByteBuffer entry = ByteBuffer.allocate(64 * 1024);
        int entries = (int) (SegmentedFile.SYNC_AHEAD_BYTES / entry.capacity()) + 1;
        for (int i = 0; i < entries; i++) {
            entry.clear().putInt(0, i);
            file.append(entry);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (file.durableMark() < SegmentedFile.SYNC_AHEAD_BYTES && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(file.durableMark()).isGreaterThanOrEqualTo(SegmentedFile.SYNC_AHEAD_BYTES);
        long durable = file.durableMark();
        memory.crash(null);
        storage.close();
        storage = Storage.open(faults, root, 1000);
        try (SegmentedFile reopened = open(OPTIONS.withSegmentBytes(64L << 20))) {
            int survived = 0;
            SegmentScanner scanner = reopened.active().scanner(SegmentFormat.HEADER_SIZE);
            while (scanner.nextOrThrow()) {
                assertThat(scanner.payload().getInt(scanner.payload().position())).isEqualTo(survived++);
            }
            assertThat((long) survived * (entry.capacity() + SegmentFormat.FRAME_OVERHEAD))
                    .as("the entries the background fsync covered survive the machine crash").isGreaterThanOrEqualTo(durable);
        }
    }

    // After a failed fsync every write-out asked for the fsync ahead again, and each attempt
    // logged an error: one every 5 ms for as long as the file stayed open.
    @Test
    void aFailedFsyncAheadIsNotRequestedAgain() {
        Logger flusherLog = (Logger) LoggerFactory.getLogger(BackgroundFlusher.class);
        ListAppender<ILoggingEvent> errors = new ListAppender<>();
        errors.start();
        flusherLog.addAppender(errors);
        try (SegmentedFile failing = open(OPTIONS.withSegmentBytes(64L << 20));
                SegmentedFile other = SegmentedFile.open(storage, root.resolve("other"), OPTIONS, 0)) {
            faults.failForce(faults.forceCount() + 1);
            ByteBuffer entry = ByteBuffer.allocate(64 * 1024);
            for (long written = 0; written <= SegmentedFile.SYNC_AHEAD_BYTES; written += entry.capacity()) {
                failing.append(entry.clear());
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (errors.list.isEmpty() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(errors.list).as("the fsync ahead failed once").hasSize(1);
            assertThatThrownBy(failing::checkWritable).isInstanceOf(StorageException.class);
            // Two more write-out rounds reach the other file; the failing file had one in between.
            Path active = other.active().path();
            for (int round = 0; round < 2; round++) {
                long before = memory.size(active);
                other.append(bytes("tick " + round));
                while (memory.size(active) == before && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                assertThat(memory.size(active)).isGreaterThan(before);
            }
            assertThat(errors.list).as("no fsync asked for again").hasSize(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            flusherLog.detachAppender(errors);
        }
    }

    // Fsyncs and write-outs had one thread: a fsync waiting for the disk held back every file's
    // write-out, past the 5 ms a crash of the process may take from NONE and EVERY_SECOND.
    @Test
    void aBackgroundFsyncWaitingForTheDiskDoesNotHoldBackWriteOuts() throws Exception {
        storage.close();
        storage = Storage.open(faults, root, 5);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (SegmentedFile synced = SegmentedFile.open(storage, root.resolve("a"),
                        OPTIONS.withDurability(Durability.EVERY_SECOND), 0);
                SegmentedFile buffered = SegmentedFile.open(storage, root.resolve("b"), OPTIONS, 0)) {
            // Released before the files close: closing fsyncs, behind the held fsync.
            try {
                faults.holdForce(faults.forceCount() + 1, entered, release);
                synced.append(bytes("to sync"));
                assertThat(entered.await(10, TimeUnit.SECONDS)).as("the background fsync started").isTrue();
                Path active = buffered.active().path();
                long before = memory.size(active);
                buffered.append(bytes("to write out"));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (memory.size(active) == before && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                assertThat(memory.size(active)).as("written out while the fsync waits").isGreaterThan(before);
            } finally {
                release.countDown();
            }
        }
    }

    @Test
    void tornFinalEntryIsTruncatedAndReported() throws IOException {
        Path last;
        long end;
        try (SegmentedFile file = open(OPTIONS)) {
            appendNumbered(file, 0, 5);
            last = file.active().path();
            end = file.active().size();
        }
        memory.delete(dir.resolve(SegmentedFile.CLEAN_MARKER));
        try (StorageFile f = memory.openExisting(last)) {
            f.write(ByteBuffer.allocate(8).putInt(0, 1000).putInt(4, 12345), end);
            f.write(bytes("partial"), end + 8);
        }
        try (SegmentedFile file = open(OPTIONS)) {
            assertThat(file.recovery().truncated()).isTrue();
            assertThat(file.recovery().tornTail()).isTrue();
            assertThat(file.recovery().truncatedAt()).isEqualTo(end);
            assertThat(file.active().size()).isEqualTo(end);
            assertThat(readAll(file)).hasSize(5);
        }
        assertThat(storage.metrics().tornTailsTruncated()).isEqualTo(1);
    }

    @Test
    void corruptionBeforeTheTailRefusesToOpenUnlessAskedToTruncate() throws IOException {
        long secondEntry;
        try (SegmentedFile file = open(OPTIONS.withSegmentBytes(10_000))) {
            file.append(bytes("first"));
            secondEntry = file.append(bytes("second"));
            file.append(bytes("third"));
        }
        memory.delete(dir.resolve(SegmentedFile.CLEAN_MARKER));
        Path segment = dir.resolve(SegmentFormat.fileName(0, ".seg"));
        faults.flipBit(segment, secondEntry + SegmentFormat.PAYLOAD_OFFSET + 1, 3);
        assertThatThrownBy(() -> open(OPTIONS))
                .isInstanceOf(CorruptFileException.class)
                .hasMessageContaining(segment.toString())
                .hasMessageContaining("position " + secondEntry)
                .satisfies(e -> assertThat(((CorruptFileException) e).position()).isEqualTo(secondEntry));
        try (SegmentedFile file = open(OPTIONS.withRecoveryMode(RecoveryMode.TRUNCATE_AT_CORRUPTION))) {
            assertThat(file.recovery().tornTail()).isFalse();
            assertThat(readAll(file)).containsExactly("first");
        }
    }

    @Test
    void deletesWholeSegmentsFromTheHeadButNeverTheActiveOne() {
        try (SegmentedFile file = open(OPTIONS)) {
            appendNumbered(file, 0, 40);
            List<Segment> before = file.segments();
            long thirdBase = before.get(2).base();
            assertThat(file.deleteSegmentsBelow(thirdBase)).isEqualTo(2);
            assertThat(file.segments().get(0).base()).isEqualTo(thirdBase);
            assertThat(memory.exists(before.get(0).path())).isFalse();
            int remaining = file.segments().size();
            assertThat(file.deleteSegmentsBelow(Long.MAX_VALUE)).isEqualTo(remaining - 1);
            assertThat(file.segments()).hasSize(1);
        }
    }

    @Test
    void scannerReadsEntriesLargerAndSmallerThanItsChunk() {
        try (SegmentedFile file = open(OPTIONS.withSegmentBytes(1 << 22))) {
            int[] sizes = {10, 200_000, 3, 70_000, 65_536, 0, 1};
            for (int size : sizes) {
                byte[] bytes = new byte[size];
                java.util.Arrays.fill(bytes, (byte) size);
                file.append(ByteBuffer.wrap(bytes));
            }
            SegmentScanner scanner = file.active().scanner(SegmentFormat.HEADER_SIZE);
            for (int size : sizes) {
                assertThat(scanner.nextOrThrow()).isTrue();
                assertThat(scanner.payload().remaining()).isEqualTo(size);
                if (size > 0) {
                    assertThat(scanner.payload().get(size - 1)).isEqualTo((byte) size);
                }
            }
            assertThat(scanner.nextOrThrow()).isFalse();
            long last = file.active().size() - SegmentFormat.FRAME_OVERHEAD - 1;
            SegmentScanner tail = file.active().scanner(last);
            assertThat(tail.nextOrThrow()).isTrue();
            assertThat(tail.payload().remaining()).isEqualTo(1);
        }
    }

    @Test
    void scannerWithADirectChunkCarriesStraddlingEntriesOverAndGrowsIntoADirectBuffer() {
        java.util.Random random = new java.util.Random(42);
        try (SegmentedFile file = open(OPTIONS.withSegmentBytes(1 << 24))) {
            List<Integer> sizes = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                int size = switch (random.nextInt(4)) {
                    case 0 -> random.nextInt(16);
                    case 1 -> random.nextInt(2_000);
                    case 2 -> SegmentScanner.CHUNK_BYTES - SegmentFormat.FRAME_OVERHEAD - 2 + random.nextInt(5);
                    default -> random.nextInt(150_000);
                };
                sizes.add(size);
                file.append(ByteBuffer.wrap(pattern(i, size)));
            }
            ByteBuffer chunk = ByteBuffer.allocateDirect(SegmentScanner.CHUNK_BYTES);
            for (int round = 0; round < 2; round++) {
                SegmentScanner scanner = file.active().scanner(SegmentFormat.HEADER_SIZE, chunk);
                for (int i = 0; i < sizes.size(); i++) {
                    assertThat(scanner.nextOrThrow()).isTrue();
                    byte[] read = new byte[scanner.payload().remaining()];
                    scanner.payload().get(read);
                    assertThat(read).as("entry %d of %d bytes", i, sizes.get(i)).isEqualTo(pattern(i, sizes.get(i)));
                }
                assertThat(scanner.nextOrThrow()).isFalse();
                assertThat(scanner.buffer().isDirect()).as("a direct chunk grows into a direct buffer").isTrue();
                assertThat(scanner.buffer().capacity()).isGreaterThanOrEqualTo(
                        sizes.stream().mapToInt(Integer::intValue).max().orElseThrow());
                chunk = scanner.buffer();
            }
        }
    }

    private static byte[] pattern(int entry, int size) {
        byte[] bytes = new byte[size];
        for (int j = 0; j < size; j++) {
            bytes[j] = (byte) (entry * 31 + j);
        }
        return bytes;
    }

    @Test
    void entryLargerThanTheLimitIsRejectedAndChangesNothing() {
        try (SegmentedFile file = open(OPTIONS.withMaxEntryBytes(16))) {
            file.append(bytes("ok"));
            long size = file.active().size();
            assertThatThrownBy(() -> file.append(ByteBuffer.allocate(17)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("17 bytes");
            assertThat(file.active().size()).isEqualTo(size);
        }
    }

    @Test
    void readOutsideTheEntriesNamesTheValidRange() {
        try (SegmentedFile file = open(OPTIONS)) {
            file.append(bytes("x"));
            assertThatThrownBy(() -> file.active().read(5000))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5000");
        }
    }

    @Test
    void useAfterCloseIsAClearError() {
        SegmentedFile file = open(OPTIONS);
        file.close();
        file.close();
        assertThatThrownBy(() -> file.append(bytes("x"))).isInstanceOf(ClosedException.class);
    }

    @Test
    void failedAppendMakesTheFileRefuseWrites() {
        // Written through, so the append itself meets the full disk (buffered: SegmentWriteBufferTest).
        try (SegmentedFile file = open(OPTIONS.withWriteBufferBytes(0))) {
            file.append(bytes("one"));
            faults.setFreeSpace(3);
            assertThatThrownBy(() -> file.append(bytes("two"))).isInstanceOf(StorageException.class)
                    .hasMessageContaining("No space left");
            faults.setFreeSpace(-1);
            assertThatThrownBy(() -> file.append(bytes("three"))).isInstanceOf(StorageException.class)
                    .hasMessageContaining("refuses writes");
        }
    }

    @Test
    void foreignFileWithOurNameIsRefused() throws IOException {
        memory.createDirectories(dir);
        try (StorageFile f = memory.open(dir.resolve(SegmentFormat.fileName(0, ".seg")))) {
            f.write(bytes("this is not a segment, just some text"), 0);
        }
        assertThatThrownBy(() -> open(OPTIONS)).isInstanceOf(CorruptFileException.class)
                .hasMessageContaining("not a Cairn segment");
    }

    @Test
    void realFilesWorkTheSameWay(@TempDir Path temp) {
        try (Storage real = Storage.open(temp)) {
            try (SegmentedFile file = SegmentedFile.open(real, temp.resolve("f"), OPTIONS, 0)) {
                appendNumbered(file, 0, 30);
                file.sync();
            }
            try (SegmentedFile file = SegmentedFile.open(real, temp.resolve("f"), OPTIONS, 0)) {
                assertThat(readAll(file)).hasSize(30).startsWith("entry-0").endsWith("entry-29");
            }
        }
    }

    @Test
    void replacementRewritesASealedSegmentAndSurvivesReopen() {
        try (SegmentedFile file = open(OPTIONS)) {
            file.append(bytes("a"));
            file.append(bytes("b"));
            Segment first = file.active();
            file.roll(10);
            file.append(bytes("c"));
            SegmentedFile.Replacement replacement = file.prepareReplacement(List.of(first), List.of(bytes("b")));
            Segment fresh = file.commitReplacement(replacement);
            assertThat(file.segments()).containsExactly(fresh, file.active());
            assertThat(string(fresh.read(SegmentFormat.HEADER_SIZE))).isEqualTo("b");
            assertThatThrownBy(() -> file.commitReplacement(file.prepareReplacement(List.of(file.active()), List.of())))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        try (SegmentedFile reopened = open(OPTIONS)) {
            assertThat(string(reopened.segments().get(0).read(SegmentFormat.HEADER_SIZE))).isEqualTo("b");
            assertThat(reopened.segments().get(0).size()).isEqualTo(SegmentFormat.HEADER_SIZE + 9);
        }
    }

    /** Segments 0, 10, 20 (sealed, one entry each, "a" "b" "c") and 30 (active, "d"), each with a companion file. */
    // Scenario: a reader takes the segment list, then one maintenance round replaces two groups of
    // segments. Every segment the reader holds stays readable until the owner's next round.
    @Test
    void segmentsRemovedInARoundStayReadableUntilTheNextRound() throws IOException {
        try (SegmentedFile file = fourSegmentsWithCompanions(OPTIONS)) {
            List<Segment> held = file.segments();
            file.commitReplacement(file.prepareReplacement(held.subList(0, 1), List.of(bytes("a2"))));
            file.commitReplacement(file.prepareReplacement(held.subList(1, 3), List.of(bytes("b2"))));
            for (Segment s : held) {
                SegmentScanner scanner = s.scanner(SegmentFormat.HEADER_SIZE);
                assertThat(scanner.nextOrThrow()).as("%s", s.path()).isTrue();
            }
            file.closeRetired();
            assertThatThrownBy(() -> held.get(0).scanner(SegmentFormat.HEADER_SIZE).nextOrThrow())
                    .isInstanceOf(dev.cairn.common.StorageException.class);
            assertThat(readAll(file)).containsExactly("a2", "b2", "d");
        }
    }

    private SegmentedFile fourSegmentsWithCompanions(SegmentedFileOptions options) throws IOException {
        SegmentedFile file = open(options);
        String[] entries = {"a", "b", "c", "d"};
        for (int i = 0; i < 4; i++) {
            if (i > 0) {
                file.roll(10L * i);
            }
            file.append(bytes(entries[i]));
            memory.open(dir.resolve(SegmentFormat.fileName(10L * i, ".idx"))).close();
        }
        return file;
    }

    private List<String> names() throws IOException {
        return memory.list(dir).stream().map(p -> p.getFileName().toString()).toList();
    }

    // Scenario: three sealed segments replaced by one holding "b" and "c", committed, and the same
    // replacement cut short by hand at each step: before the commit point (a .cleaned file) the old
    // segments stand; after it (a .swap file, with none, some or all old files deleted) the open
    // completes it; either way no temporary file and no companion of a replaced segment is left.
    @Test
    void replacingSegmentsByOneIsCompletedOrUndoneOnOpenAfterACrashAtAnyStep() throws IOException {
        SegmentedFileOptions options = OPTIONS.withCompanionSuffixes(List.of(".idx"));
        try (SegmentedFile file = fourSegmentsWithCompanions(options)) {
            List<Segment> sealed = file.segments().subList(0, 3);
            Segment fresh = file.commitReplacement(file.prepareReplacement(sealed, List.of(bytes("b"), bytes("c"))));
            assertThat(fresh.base()).isZero();
            assertThat(file.segments()).containsExactly(fresh, file.active());
            assertThat(readAll(file)).containsExactly("b", "c", "d");
        }
        assertThat(names()).containsExactlyInAnyOrder("00000000000000000000.seg", "00000000000000000030.seg",
                "00000000000000000030.idx", SegmentedFile.CLEAN_MARKER);

        for (int deleted = -1; deleted <= 3; deleted++) {
            memory.list(dir).forEach(p -> {
                try {
                    memory.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            Path cleaned = dir.resolve(SegmentFormat.cleanedFileName(0, ".seg"));
            try (SegmentedFile file = fourSegmentsWithCompanions(options)) {
                file.prepareReplacement(file.segments().subList(0, 3), List.of(bytes("b"), bytes("c")));
            }
            assertThat(memory.exists(cleaned)).isTrue();
            if (deleted >= 0) { // committed: the .swap, then the old files deleted one by one
                memory.atomicMove(cleaned, dir.resolve(SegmentFormat.swapFileName(0, 30, ".seg")));
                for (int i = 0; i < deleted; i++) {
                    memory.delete(dir.resolve(SegmentFormat.fileName(10L * i, ".seg")));
                    memory.delete(dir.resolve(SegmentFormat.fileName(10L * i, ".idx")));
                }
            }
            try (SegmentedFile file = open(options)) {
                String where = deleted < 0 ? "crash before the commit point" : "crash after " + deleted + " deletes";
                assertThat(readAll(file)).as(where).containsExactlyElementsOf(
                        deleted < 0 ? List.of("a", "b", "c", "d") : List.of("b", "c", "d"));
                assertThat(names()).as(where).noneMatch(n -> n.endsWith(".swap") || n.endsWith(".cleaned"));
                if (deleted >= 0) {
                    assertThat(names()).as(where).doesNotContain("00000000000000000000.idx",
                            "00000000000000000010.idx", "00000000000000000020.idx", "00000000000000000010.seg");
                }
            }
        }
    }

    // Scenario: a replacement without entries leaves no segment in the middle, but keeps the first
    // segment (empty) where the file begins; a replacement of segments no longer in place is refused.
    @Test
    void anEmptyReplacementRemovesMiddleSegmentsAndKeepsTheFirstOneEmpty() throws IOException {
        SegmentedFileOptions options = OPTIONS.withCompanionSuffixes(List.of(".idx"));
        try (SegmentedFile file = fourSegmentsWithCompanions(options)) {
            List<Segment> middle = List.copyOf(file.segments().subList(1, 3));
            SegmentedFile.Replacement stale = file.prepareReplacement(middle, List.of());
            assertThat(file.commitReplacement(file.prepareReplacement(middle, List.of()))).isNull();
            assertThat(file.segments()).extracting(Segment::base).containsExactly(0L, 30L);
            assertThatThrownBy(() -> file.commitReplacement(stale)).isInstanceOf(IllegalArgumentException.class);
            Segment first = file.commitReplacement(file.prepareReplacement(file.segments().subList(0, 1), List.of()));
            assertThat(first.isEmpty()).isTrue();
            assertThat(readAll(file)).containsExactly("d");
        }
        assertThat(names()).containsExactlyInAnyOrder("00000000000000000000.seg", "00000000000000000030.seg",
                "00000000000000000030.idx", SegmentedFile.CLEAN_MARKER);
    }
}
