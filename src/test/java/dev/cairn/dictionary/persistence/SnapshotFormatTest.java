package dev.cairn.dictionary.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.common.CorruptFileException;
import dev.cairn.storage.fs.FaultInjectingFileSystem;
import dev.cairn.storage.fs.MemoryFileSystem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotFormatTest {
    private static final Path DIR = Path.of("/d");
    private static final Path FILE = DIR.resolve("snapshot-1.cds");

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static MemoryFileSystem writeSample() throws IOException {
        MemoryFileSystem fs = new MemoryFileSystem();
        fs.createDirectories(DIR);
        try (SnapshotWriter writer = SnapshotWriter.begin(fs, FILE, 7, 1234, 99)) {
            writer.string("s", SnapshotFormat.NO_DEADLINE, b("value"));
            writer.hash("h", 5000, 2);
            writer.pair(b("f1"), b("v1"));
            writer.pair(b("f2"), b("v2"));
            writer.list("l", SnapshotFormat.NO_DEADLINE, 3);
            writer.element(b("a"));
            writer.element(b("b"));
            writer.element(b("c"));
            writer.set("set", SnapshotFormat.NO_DEADLINE, 1);
            writer.element(b("m"));
            writer.sortedSet("z", SnapshotFormat.NO_DEADLINE, 2);
            writer.scored(b("x"), 1.5);
            writer.scored(b("y"), Double.NEGATIVE_INFINITY);
            writer.string("big", 1, new byte[600_000]);
            writer.finish();
        }
        return fs;
    }

    private static List<String> readAll(MemoryFileSystem fs) {
        List<String> seen = new ArrayList<>();
        try (SnapshotReader reader = SnapshotReader.open(fs, FILE)) {
            while (reader.next()) {
                StringBuilder line = new StringBuilder().append(reader.type()).append(' ').append(reader.key())
                        .append(' ').append(reader.deadlineMs());
                for (int i = 0; i < reader.elements().size(); i++) {
                    byte[] e = reader.elements().get(i);
                    line.append(' ').append(e.length > 100 ? e.length + " bytes" : new String(e, StandardCharsets.UTF_8));
                    if (reader.type() == SnapshotFormat.TYPE_SORTED_SET) {
                        line.append('=').append(reader.score(i));
                    }
                }
                seen.add(line.toString());
            }
            // The header is trusted only once the CRC at the end has been checked.
            assertThat(reader.recordsRead()).isEqualTo(6);
            assertThat(reader.id()).isEqualTo(7);
            assertThat(reader.sequence()).isEqualTo(1234);
            assertThat(reader.createdAtMs()).isEqualTo(99);
        }
        return seen;
    }

    @Test
    void roundTripsEveryType() throws IOException {
        assertThat(readAll(writeSample())).containsExactly(
                "1 s -1 value",
                "2 h 5000 f1 v1 f2 v2",
                "3 l -1 a b c",
                "4 set -1 m",
                "5 z -1 x=1.5 y=-Infinity",
                "1 big 1 600000 bytes");
    }

    @Test
    void aBitFlipAnywhereIsDetected() throws IOException {
        MemoryFileSystem fs = writeSample();
        FaultInjectingFileSystem faults = new FaultInjectingFileSystem(fs);
        long size = fs.size(FILE);
        // Every byte of the small records, and a sample of the large value's bytes.
        for (long position = 0; position < size; position += position < 200 || position > size - 100 ? 1 : 9973) {
            faults.flipBit(FILE, position, (int) (position % 8));
            long at = position;
            assertThatThrownBy(() -> readAll(fs)).as("flip at %d", at).isInstanceOf(CorruptFileException.class)
                    .hasMessageContaining(FILE.toString());
            faults.flipBit(FILE, position, (int) (position % 8));
        }
        assertThat(readAll(fs)).hasSize(6);
    }

    @Test
    void anUnfinishedSnapshotLeavesNoFile() throws IOException {
        MemoryFileSystem fs = new MemoryFileSystem();
        fs.createDirectories(DIR);
        try (SnapshotWriter writer = SnapshotWriter.begin(fs, FILE, 1, 0, 0)) {
            writer.string("k", -1, b("v"));
        }
        assertThat(fs.list(DIR)).isEmpty();
    }

    @Test
    void aCollectionMustGetTheElementsItAnnounced() throws IOException {
        MemoryFileSystem fs = new MemoryFileSystem();
        fs.createDirectories(DIR);
        try (SnapshotWriter writer = SnapshotWriter.begin(fs, FILE, 1, 0, 0)) {
            writer.list("l", -1, 2);
            writer.element(b("only one"));
            assertThatThrownBy(writer::finish).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> writer.pair(b("a"), b("b"))).isInstanceOf(IllegalStateException.class);
        }
    }
}
