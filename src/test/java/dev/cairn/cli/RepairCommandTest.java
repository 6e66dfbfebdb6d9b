package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import dev.cairn.log.ProducerRecord;
import dev.cairn.log.TopicConfig;
import dev.cairn.log.TopicPartition;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * repair: each kind of damage is listed with what it drops before anything changes; a declined or
 * dry run changes nothing; a confirmed one leaves a directory that check passes and that still
 * holds everything written before the damage; damage it cannot mend is named and left as it is.
 */
class RepairCommandTest {
    private static final String SEGMENT = "log/orders-0/00000000000000000000.log";
    private static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Appends {@code n} more records to orders-0, after what {@link DescribeCommandTest#fill} wrote. */
    private static void appendMore(Path dir, int n) {
        try (Cairn cairn = Cairn.open(dir)) {
            for (int i = 0; i < n; i++) {
                cairn.log().append(new ProducerRecord("orders", 0, null, utf8("more" + i), utf8("m" + i), List.of()));
            }
        }
    }

    private static void flipByte(Path file, long position) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(position);
            int b = f.read();
            f.seek(position);
            f.write(b ^ 0x5A);
        }
    }

    private static void cut(Path file, long bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - bytes);
        }
    }

    private static Path onlyAofSegment(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir.resolve("dictionary"))) {
            return all.filter(p -> p.getFileName().toString().endsWith(".aof")).findFirst().orElseThrow();
        }
    }

    private static List<String> values(Path dir, int max) {
        try (Cairn cairn = Cairn.open(dir)) {
            return cairn.log().read(ORDERS_0, 0, max).stream()
                    .map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
        }
    }

    private static void checkPasses(Path dir) {
        CliRun check = CliRun.of("check", dir.toString());
        assertThat(check.exitCode()).as(check.out() + check.err()).isZero();
    }

    @Test
    void aCleanDirectoryHasNothingToRepair(@TempDir Path dir) {
        DescribeCommandTest.fill(dir);
        Map<String, String> before = CliRun.fingerprint(dir);
        CliRun run = CliRun.of("repair", dir.toString());
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("nothing to repair");
        assertThat(CliRun.fingerprint(dir)).isEqualTo(before);
    }

    @Test
    void aTornLogTailIsListedThenDeclinedDryRunAndRepaired(@TempDir Path dir) throws Exception {
        DescribeCommandTest.fill(dir);
        appendMore(dir, 1);
        Path segment = dir.resolve(SEGMENT);
        long size = Files.size(segment);
        cut(segment, 10); // the last batch (offset 5) torn by a crash
        Files.delete(segment.resolveSibling("clean-shutdown"));
        Map<String, String> before = CliRun.fingerprint(dir);

        CliRun dry = CliRun.of("repair", dir.toString(), "--dry-run");
        assertThat(dry.exitCode()).as(dry.out() + dry.err()).isEqualTo(1);
        assertThat(dry.out()).containsPattern(SEGMENT + ": truncate at position (\\d+), dropping (\\d+) bytes")
                .contains("0 record batches", "unreadable bytes at", "dry run: nothing changed");
        assertThat(dry.out()).doesNotContain("[y/N]");
        assertThat(CliRun.fingerprint(dir)).isEqualTo(before);

        CliRun declined = CliRun.answering("n\n", "repair", dir.toString());
        assertThat(declined.exitCode()).as(declined.out() + declined.err()).isEqualTo(3);
        assertThat(declined.out()).contains("[y/N]", "nothing changed");
        assertThat(CliRun.fingerprint(dir)).as("bytes after a declined repair").isEqualTo(before);
        CliRun noAnswer = CliRun.answering("", "repair", dir.toString());
        assertThat(noAnswer.exitCode()).isEqualTo(3);
        assertThat(CliRun.fingerprint(dir)).isEqualTo(before);

        CliRun confirmed = CliRun.answering("y\n", "repair", dir.toString());
        assertThat(confirmed.exitCode()).as(confirmed.out() + confirmed.err()).isZero();
        assertThat(confirmed.out()).contains("repaired");
        assertThat(Files.size(segment)).isLessThan(size - 10);
        checkPasses(dir);
        assertThat(values(dir, 100)).containsExactly("v0", "v1", "v2", "v3", "v4");
        assertThat(CliRun.of("repair", dir.toString()).out()).contains("nothing to repair");
    }

    @Test
    void corruptionBeforeTheTailOfTheLastSegmentListsEveryRecordItDrops(@TempDir Path dir) throws Exception {
        DescribeCommandTest.fill(dir);
        Path segment = dir.resolve(SEGMENT);
        // Entry 0 starts at 20 (the segment header); entries are alike in size, so entry 2 starts at 20 + 2 * len.
        long entry = (Files.size(segment) - 20) / 5;
        flipByte(segment, 20 + 2 * entry + 30);

        CliRun run = CliRun.of("repair", dir.toString(), "--yes");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains(SEGMENT + ": truncate at position " + (20 + 2 * entry),
                "2 record batches (2 records, offsets 3..4)", entry + " unreadable bytes at " + (20 + 2 * entry));
        checkPasses(dir);
        assertThat(values(dir, 100)).containsExactly("v0", "v1");
    }

    @Test
    void aTornAofTailIsRepairedAndTheKeysBeforeItKept(@TempDir Path dir) throws Exception {
        DescribeCommandTest.fill(dir);
        try (Cairn cairn = Cairn.open(dir)) {
            cairn.dictionary().strings().set("late", utf8("value"));
        }
        Path aof = onlyAofSegment(dir);
        cut(aof, 3);
        Files.delete(aof.resolveSibling("clean-shutdown"));
        Map<String, String> before = CliRun.fingerprint(dir);

        CliRun declined = CliRun.answering("no\n", "repair", dir.toString());
        assertThat(declined.exitCode()).isEqualTo(3);
        assertThat(declined.out()).contains(dir.relativize(aof) + ": truncate at position", "0 append-only entries");
        assertThat(CliRun.fingerprint(dir)).isEqualTo(before);

        CliRun run = CliRun.of("repair", dir.toString(), "--yes");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        checkPasses(dir);
        try (Cairn cairn = Cairn.open(dir)) {
            assertThat(cairn.dictionary().strings().get("greeting")).isEqualTo(utf8("hello"));
            assertThat(cairn.dictionary().hashes().hget("user:1", "name")).isEqualTo(utf8("ada"));
            assertThat(cairn.dictionary().strings().get("late")).isNull();
            assertThat(cairn.dictionary(2).strings().get("other")).isEqualTo(new byte[] {0, 1, 2, (byte) 0xFF});
        }
    }

    @Test
    void aCorruptAofEntryNamesTheCommandsDroppedAfterIt(@TempDir Path dir) throws Exception {
        DescribeCommandTest.fill(dir);
        try (Cairn cairn = Cairn.open(dir)) {
            cairn.dictionary().strings().set("after:1", utf8("x"));
            cairn.dictionary().strings().set("after:2", utf8("y"));
        }
        Path aof = onlyAofSegment(dir);
        flipByte(aof, 20 + 10); // inside the first entry (SET greeting)

        CliRun run = CliRun.of("repair", dir.toString(), "--dry-run");

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
        assertThat(run.out()).contains(dir.relativize(aof) + ": truncate at position 20",
                "3 append-only entries (", "after:1", "after:2", "unreadable bytes at 20");
    }

    @Test
    void corruptionInASealedSegmentIsNamedAndLeftAsItIs(@TempDir Path dir) throws Exception {
        try (Cairn cairn = Cairn.open(dir)) {
            cairn.log().createTopic("orders", TopicConfig.defaults().withSegmentBytes(1024));
            for (int i = 0; i < 40; i++) {
                cairn.log().append(new ProducerRecord("orders", 0, null, utf8("k" + i), utf8("v" + i), List.of()));
            }
        }
        Path sealed = dir.resolve(SEGMENT);
        flipByte(sealed, 20 + 30);
        Map<String, String> before = CliRun.fingerprint(dir);

        CliRun run = CliRun.answering("y\n", "repair", dir.toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(4);
        assertThat(run.out()).contains("damage repair cannot mend", SEGMENT + " @20", "CRC mismatch",
                "left as it is");
        assertThat(CliRun.fingerprint(dir)).isEqualTo(before);
    }

    @Test
    void aDamagedManifestIsNamedAndTheRestIsStillRepaired(@TempDir Path dir) throws Exception {
        DescribeCommandTest.fill(dir);
        flipByte(dir.resolve("dictionary/manifest"), 20);
        Path segment = dir.resolve(SEGMENT);
        cut(segment, 3);
        Map<String, String> dictionaryBefore = CliRun.fingerprint(dir.resolve("dictionary"));

        CliRun run = CliRun.of("repair", dir.toString(), "--yes");

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(4);
        assertThat(run.out()).contains(SEGMENT + ": truncate at position", "damage repair cannot mend",
                "dictionary: does not open", "manifest", "repaired 1 file");
        assertThat(CliRun.fingerprint(dir.resolve("dictionary"))).as("the dictionary's files").isEqualTo(dictionaryBefore);
        assertThat(values(dir, 100)).containsExactly("v0", "v1", "v2", "v3");
    }

    @Test
    void aMissingIndexAndALeftoverTempFileAreRebuiltAndRemoved(@TempDir Path dir) throws Exception {
        DescribeCommandTest.fill(dir);
        Files.delete(dir.resolve("log/orders-0/00000000000000000000.index"));
        Files.write(dir.resolve("dictionary/manifest.tmp"), new byte[] {1, 2, 3});

        CliRun run = CliRun.of("repair", dir.toString(), "--yes");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("log/orders-0/00000000000000000000.index: rebuild",
                "dictionary/manifest.tmp: delete (3 bytes): the leftover of an interrupted write");
        assertThat(dir.resolve("dictionary/manifest.tmp")).doesNotExist();
        checkPasses(dir);
        assertThat(values(dir, 100)).containsExactly("v0", "v1", "v2", "v3", "v4");
    }

    @Test
    void refusesWhileOpen(@TempDir Path dir) {
        DescribeCommandTest.fill(dir);
        try (Cairn running = Cairn.open(dir)) {
            CliRun run = CliRun.of("repair", dir.toString(), "--yes");
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).contains("while it is open");
            assertThat(running.isClosed()).isFalse();
        }
    }
}
