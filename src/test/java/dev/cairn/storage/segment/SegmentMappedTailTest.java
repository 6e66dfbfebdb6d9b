package dev.cairn.storage.segment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.common.Durability;
import dev.cairn.storage.Storage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Appends on real files go through a mapped window of the segment's tail (see {@link Segment}):
 * the file runs ahead of the entries in zeros while the segment is active, is cut back on roll
 * and close, and a process that stops without closing leaves zeros that recovery drops quietly.
 */
class SegmentMappedTailTest {
    private static final SegmentedFileOptions OPTIONS = SegmentedFileOptions.defaults(".seg")
            .withSegmentBytes(3 << 20).withDurability(Durability.NONE);

    @TempDir
    Path temp;

    private static byte[] payload(int i, int size) {
        byte[] bytes = new byte[size];
        new Random(i).nextBytes(bytes);
        bytes[0] = (byte) i;
        return bytes;
    }

    /** Sizes that cross window boundaries at every offset, with a few entries too large for a window. */
    private static int sizeOf(int i) {
        if (i % 97 == 0) {
            return Segment.MAX_WINDOW_BYTES / 2 + 1;
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
    void entriesAreReadableAtOnceAndTheFileIsCutBackOnRollAndClose() throws IOException {
        Path dir = temp.resolve("f");
        List<byte[]> written;
        try (Storage storage = Storage.open(temp)) {
            try (SegmentedFile file = SegmentedFile.open(storage, dir, OPTIONS, 0)) {
                written = append(file, 0, 4000);
                assertThat(file.segments()).as("the test must roll").hasSizeGreaterThan(1);
                assertThat(readAll(file)).as("readers see mapped appends through the file").containsExactlyElementsOf(written);
                for (Segment sealed : file.segments().subList(0, file.segments().size() - 1)) {
                    assertThat(fileSize(sealed)).isEqualTo(sealed.size());
                }
                assertThat(fileSize(file.active())).as("the window runs ahead").isGreaterThan(file.active().size());
            }
            try (SegmentedFile file = SegmentedFile.open(storage, dir, OPTIONS, 0)) {
                assertThat(file.recovery().scanned()).as("a clean close skips the scan").isFalse();
                assertThat(fileSize(file.active())).isEqualTo(file.active().size());
                assertThat(readAll(file)).containsExactlyElementsOf(written);
            }
        }
    }

    @Test
    void zerosLeftByAProcessThatStoppedWithoutClosingAreDroppedQuietly() throws IOException {
        Path dir = temp.resolve("f");
        List<byte[]> written;
        Storage first = Storage.open(temp);
        SegmentedFile abandoned = SegmentedFile.open(first, dir, OPTIONS, 0);
        written = new ArrayList<>(append(abandoned, 0, 700));
        long entriesEnd = abandoned.active().size();
        long fileEnd = fileSize(abandoned.active());
        assertThat(fileEnd).isGreaterThan(entriesEnd);
        // The owner stops here without closing the file: no seal, no marker. (Its mapping stays in
        // this process; it is never touched again.)
        first.close();
        try (Storage storage = Storage.open(temp);
                SegmentedFile file = SegmentedFile.open(storage, dir, OPTIONS, 0)) {
            RecoveryReport report = file.recovery();
            assertThat(report.scanned()).isTrue();
            assertThat(report.truncated()).as("zeros are not a torn entry").isFalse();
            assertThat(file.active().size()).isEqualTo(entriesEnd);
            assertThat(fileSize(file.active())).isEqualTo(entriesEnd);
            assertThat(readAll(file)).containsExactlyElementsOf(written);
            written.addAll(append(file, 700, 300));
        }
        try (Storage storage = Storage.open(temp);
                SegmentedFile file = SegmentedFile.open(storage, dir, OPTIONS, 0)) {
            assertThat(readAll(file)).containsExactlyElementsOf(written);
        }
    }

    @Test
    void aTornEntryBeforeTheZerosIsReportedWithItsOwnLength() throws IOException {
        Path dir = temp.resolve("f");
        Storage first = Storage.open(temp);
        SegmentedFile abandoned = SegmentedFile.open(first, dir, OPTIONS, 0);
        List<byte[]> written = append(abandoned, 1, 50);
        Path active = abandoned.active().path();
        long entriesEnd = abandoned.active().size();
        first.close();
        // The start of a frame whose payload never arrived: a length, a CRC, 5 payload bytes.
        try (FileChannel channel = FileChannel.open(active, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[] {0, 0, 1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9}), entriesEnd);
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
    void truncationDropsTheWindowAndAppendsContinueAfterIt() {
        Path dir = temp.resolve("f");
        try (Storage storage = Storage.open(temp);
                SegmentedFile file = SegmentedFile.open(storage, dir, OPTIONS, 0)) {
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
    void alwaysDurabilityForcesMappedAppends() {
        Path dir = temp.resolve("f");
        SegmentedFileOptions always = OPTIONS.withDurability(Durability.ALWAYS);
        try (Storage storage = Storage.open(temp);
                SegmentedFile file = SegmentedFile.open(storage, dir, always, 0)) {
            for (int i = 0; i < 20; i++) {
                file.append(ByteBuffer.wrap(payload(i, 100)));
                file.awaitDurable(file.writtenMark());
                assertThat(file.durableMark()).isEqualTo(file.writtenMark());
            }
        }
    }
}
