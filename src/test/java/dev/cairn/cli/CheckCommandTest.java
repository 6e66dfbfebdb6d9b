package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** check: a clean directory passes; each kind of damage is named with its file and position; nothing changes. */
class CheckCommandTest {
    private static final String SEGMENT = "log/orders-0/00000000000000000000.log";

    private static CliRun checked(Path dir) {
        Map<String, String> before = CliRun.fingerprint(dir);
        CliRun run = CliRun.of("check", dir.toString());
        assertThat(CliRun.fingerprint(dir)).as("files, bytes and mtimes after check").isEqualTo(before);
        return run;
    }

    @Test
    void aCleanDirectoryHasNoProblems(@TempDir Path dir) {
        DescribeCommandTest.fill(dir);
        try (Cairn cairn = Cairn.open(dir)) {
            cairn.dictionary().snapshot();
        }
        CliRun run = checked(dir);
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("no problems");
    }

    @Test
    void aFlippedByteInASegmentIsACrcMismatchAtItsEntry(@TempDir Path dir) throws Exception {
        DescribeCommandTest.fill(dir);
        Path segment = dir.resolve(SEGMENT);
        try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
            f.seek(40);
            int b = f.read();
            f.seek(40);
            f.write(b ^ 0x01);
        }
        CliRun run = checked(dir);
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains(SEGMENT + " @20: entry 0: entry CRC mismatch", "1 problem");
    }

    @Test
    void aFileCutMidEntryIsATornTail(@TempDir Path dir) throws Exception {
        DescribeCommandTest.fill(dir);
        Path segment = dir.resolve(SEGMENT);
        long size = Files.size(segment);
        try (var channel = java.nio.channels.FileChannel.open(segment, StandardOpenOption.WRITE)) {
            channel.truncate(size - 5);
        }
        CliRun run = checked(dir);
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).containsPattern(SEGMENT + " @\\d+: entry 4: entry length \\d+ runs past the end of the file");
    }

    @Test
    void aDeletedIndexAndACorruptSnapshotAreNamed(@TempDir Path dir) throws Exception {
        DescribeCommandTest.fill(dir);
        try (Cairn cairn = Cairn.open(dir)) {
            cairn.dictionary().snapshot();
        }
        Files.delete(dir.resolve("log/orders-0/00000000000000000000.index"));
        Path snapshot;
        try (var files = Files.list(dir.resolve("dictionary"))) {
            snapshot = files.filter(p -> p.getFileName().toString().endsWith(".cds")).findFirst().orElseThrow();
        }
        try (RandomAccessFile f = new RandomAccessFile(snapshot.toFile(), "rw")) {
            f.seek(33);
            f.write(0x7E);
        }
        CliRun run = checked(dir);
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("log/orders-0/00000000000000000000.index: missing",
                "dictionary/" + snapshot.getFileName() + " @", "snapshot CRC mismatch", "2 problems");
    }

    @Test
    void refusesWhileOpenAndRejectsAMissingDirectory(@TempDir Path dir) {
        DescribeCommandTest.fill(dir);
        try (Cairn running = Cairn.open(dir)) {
            CliRun run = CliRun.of("check", dir.toString());
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).contains("while it is open");
            assertThat(running.isClosed()).isFalse();
        }
        CliRun missing = CliRun.of("check", dir.resolve("absent").toString());
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("no such directory");
        assertThat(CliRun.of("check", dir.toString(), "--progress").err()).contains("checking [", "100%");
    }
}
