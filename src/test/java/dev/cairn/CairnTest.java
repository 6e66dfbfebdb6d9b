package dev.cairn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.common.ClosedException;
import dev.cairn.common.CorruptFileException;
import dev.cairn.common.Durability;
import dev.cairn.common.MissingFileException;
import dev.cairn.common.StorageException;
import dev.cairn.log.Consumer;
import dev.cairn.log.ConsumerConfig;
import dev.cairn.log.CleanupPolicy;
import dev.cairn.log.ConsumerRecord;
import dev.cairn.log.Log;
import dev.cairn.log.ProducerRecord;
import dev.cairn.log.TopicConfig;
import dev.cairn.log.TopicPartition;
import dev.cairn.log.internal.DefaultLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CairnTest {

    @Test
    void openCreatesTheDirectoryAndLocksIt(@TempDir Path temp) {
        Path dir = temp.resolve("nested").resolve("data");
        try (Cairn cairn = Cairn.open(dir)) {
            assertThat(Files.isDirectory(dir)).isTrue();
            assertThat(cairn.directory()).isEqualTo(dir.toAbsolutePath());
            assertThat(cairn.isInMemory()).isFalse();
            assertThatThrownBy(() -> Cairn.open(dir))
                    .isInstanceOf(StorageException.class).hasMessageContaining("already in use");
        }
        Cairn.open(dir).close();
    }

    @Test
    void storageStatsStartAtZero(@TempDir Path dir) {
        try (Cairn cairn = Cairn.open(dir)) {
            assertThat(cairn.storageStats()).isEqualTo(new dev.cairn.common.StorageStats(0, 0, 0, 0, 0));
        }
    }

    @Test
    void theDictionaryOnDiskSurvivesAReopen(@TempDir Path dir) {
        try (Cairn cairn = Cairn.open(dir)) {
            cairn.dictionary().strings().set("greeting", "hello".getBytes());
            assertThat(cairn.dictionary()).isSameAs(cairn.dictionary());
        }
        try (Cairn cairn = Cairn.open(dir)) {
            assertThat(cairn.dictionary().strings().get("greeting")).isEqualTo("hello".getBytes());
            assertThat(cairn.dictionary().stats().persistent()).isTrue();
        }
    }

    @Test
    void closingCairnClosesTheDictionary() {
        Cairn cairn = Cairn.inMemory();
        var dictionary = cairn.dictionary();
        cairn.close();
        assertThatThrownBy(() -> dictionary.strings().get("k")).isInstanceOf(ClosedException.class);
        assertThatThrownBy(cairn::dictionary).isInstanceOf(ClosedException.class);
    }

    @Test
    void theLogIsReachedThroughCairnAndSurvivesAReopen(@TempDir Path dir) {
        try (Cairn cairn = Cairn.open(dir)) {
            assertThat(cairn.log()).isSameAs(cairn.log());
            cairn.log().createTopic("t", TopicConfig.defaults().withPartitions(2));
            cairn.log().append(new ProducerRecord("t", 1, null, null, "v".getBytes(StandardCharsets.UTF_8),
                    java.util.List.of()));
        }
        try (Cairn cairn = Cairn.open(dir)) {
            assertThat(cairn.log().endOffset(new TopicPartition("t", 1))).isEqualTo(1);
        }
        Cairn closed = Cairn.inMemory();
        closed.log();
        closed.close();
        assertThatThrownBy(closed::log).isInstanceOf(ClosedException.class);
    }

    @Test
    void inMemoryTouchesNoDisk() {
        try (Cairn cairn = Cairn.inMemory()) {
            assertThat(cairn.isInMemory()).isTrue();
            assertThat(Files.exists(cairn.directory())).isFalse();
        }
    }

    @Test
    void closeIsIdempotentAndUseAfterCloseIsAClearError() {
        Cairn cairn = Cairn.builder().inMemory().durability(Durability.NONE).open();
        assertThat(cairn.defaultDurability()).isEqualTo(Durability.NONE);
        cairn.close();
        cairn.close();
        assertThat(cairn.isClosed()).isTrue();
        assertThatThrownBy(cairn::storage).isInstanceOf(ClosedException.class).hasMessageContaining("closed");
    }

    @Test
    void builderNeedsADirectoryOrMemory() {
        assertThatThrownBy(() -> Cairn.builder().open()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Cairn.builder().directory(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void aDeletedManifestIsRefusedAndTheSnapshotKept(@TempDir Path dir) throws java.io.IOException {
        try (Cairn c = Cairn.open(dir)) {
            c.dictionary().strings().set("k", "v");
            c.dictionary().snapshot();
        }
        Files.delete(dir.resolve("dictionary/manifest"));
        try (Cairn c = Cairn.open(dir)) {
            assertThatThrownBy(c::dictionary).isInstanceOf(MissingFileException.class)
                    .hasMessageContaining("manifest");
        }
        try (var files = Files.list(dir.resolve("dictionary"))) {
            assertThat(files.map(f -> f.getFileName().toString())).anyMatch(n -> n.startsWith("snapshot-"));
        }
    }

    @Test
    void aRegularFileAsTheDataDirectoryIsNamedAsSuch(@TempDir Path temp) throws java.io.IOException {
        Path file = Files.writeString(temp.resolve("data"), "not a directory");
        assertThatThrownBy(() -> Cairn.open(file)).isInstanceOf(StorageException.class)
                .hasMessageContaining(file + " exists and is not a directory");
        assertThatThrownBy(() -> Cairn.open(file.resolve("below"))).isInstanceOf(StorageException.class)
                .hasMessageContaining(file + " exists and is not a directory");
    }

    // Scenario: twelve batches of ten records in a file-backed partition, one byte of the fourth
    // batch's records flipped on disk. Reads that reach that batch's records fail with the file and
    // the batch's position; a seek past it (Kafka's remedy) reads every later record intact, by
    // offset, by both kinds of poll and by timestamp.
    @Test
    void aDamagedBatchFailsOnlyTheReadsThatReachItsRecords(@TempDir Path dir) throws IOException {
        TopicPartition tp = new TopicPartition("t", 0);
        try (Cairn cairn = Cairn.open(dir)) {
            // ALWAYS: each append is a batch of its own, so the batch bounds are known.
            cairn.log().createTopic("t", TopicConfig.defaults().withDurability(Durability.ALWAYS));
            for (int b = 0; b < 12; b++) {
                List<ProducerRecord> batch = new ArrayList<>();
                for (int r = 0; r < 10; r++) {
                    long offset = b * 10L + r;
                    batch.add(new ProducerRecord("t", 0, 1_000 + offset, null, valueOf(offset), List.of()));
                }
                cairn.log().append(batch);
            }
        }
        Path segment = dir.resolve("log").resolve("t-0").resolve("00000000000000000000.log");
        long badBatch = flipAByteOfTheRecordsOfEntry(segment, 3); // offsets 30 to 39, after the first index entry
        try (Cairn cairn = Cairn.open(dir)) {
            Log log = cairn.log();
            assertThat(log.read(tp, 0, 30)).extracting(ConsumerRecord::offset).containsExactlyElementsOf(range(0, 30));
            for (long start : new long[] {40, 41, 55, 119}) {
                List<ConsumerRecord> after = log.read(tp, start, 1000);
                assertThat(after).extracting(ConsumerRecord::offset).containsExactlyElementsOf(range(start, 120));
                after.forEach(r -> assertThat(r.value()).isEqualTo(valueOf(r.offset())));
            }
            for (long start : new long[] {30, 35, 39}) {
                assertThatThrownBy(() -> log.read(tp, start, 100)).isInstanceOfSatisfying(CorruptFileException.class,
                        e -> {
                            assertThat(e.file()).isEqualTo(segment.toString());
                            assertThat(e.position()).isEqualTo(badBatch);
                            assertThat(e.problem()).contains("CRC").contains("offsets 30 to 39");
                        });
            }
            assertThat(log.offsetForTime(tp, 1_040)).hasValue(40);
            assertThat(log.offsetForTime(tp, 1_029)).hasValue(29);
            assertThatThrownBy(() -> log.offsetForTime(tp, 1_035)).isInstanceOf(CorruptFileException.class);

            try (Consumer consumer = log.consumer(ConsumerConfig.standalone().withMaxPollRecords(1000))) {
                consumer.assign(List.of(tp));
                consumer.seek(tp, 32);
                assertThatThrownBy(() -> consumer.poll(Duration.ZERO)).isInstanceOf(CorruptFileException.class)
                        .hasMessageContaining(segment.toString());
                assertThat(consumer.position(tp)).isEqualTo(32);
                // As Kafka's consumer: the records before the damage come back, the next poll raises it.
                consumer.seek(tp, 20);
                assertThat(consumer.poll(Duration.ZERO)).extracting(ConsumerRecord::offset)
                        .containsExactlyElementsOf(range(20, 30));
                assertThat(consumer.position(tp)).isEqualTo(30);
                assertThatThrownBy(() -> consumer.poll(Duration.ZERO)).isInstanceOf(CorruptFileException.class);
                assertThat(consumer.position(tp)).isEqualTo(30);
                consumer.seek(tp, 40);
                List<ConsumerRecord> polled = consumer.poll(Duration.ZERO);
                assertThat(polled).extracting(ConsumerRecord::offset).containsExactlyElementsOf(range(40, 120));
                polled.forEach(r -> assertThat(r.value()).isEqualTo(valueOf(r.offset())));

                consumer.seek(tp, 20);
                List<Long> handled = new ArrayList<>();
                assertThatThrownBy(() -> consumer.poll(Duration.ZERO, r -> handled.add(r.offset())))
                        .isInstanceOf(CorruptFileException.class);
                assertThat(handled).containsExactlyElementsOf(range(20, 30));
                assertThat(consumer.position(tp)).isEqualTo(30);
                consumer.seek(tp, 40);
                handled.clear();
                assertThat(consumer.poll(Duration.ZERO, r -> {
                    assertThat(r.toRecord().value()).isEqualTo(valueOf(r.offset()));
                    handled.add(r.offset());
                })).isEqualTo(80);
                assertThat(handled).containsExactlyElementsOf(range(40, 120));
            }
        }
    }

    private static byte[] valueOf(long offset) {
        return ("value " + offset + " ".repeat(60)).getBytes(StandardCharsets.UTF_8);
    }

    private static List<Long> range(long from, long to) {
        List<Long> offsets = new ArrayList<>();
        for (long o = from; o < to; o++) {
            offsets.add(o);
        }
        return offsets;
    }

    /**
     * Flips one byte inside the first record's value of the {@code entry}-th entry of a segment file
     * (walking the storage frames: 20-byte header, then 4-byte length, 4-byte CRC, payload).
     *
     * @return the entry's position
     */
    private static long flipAByteOfTheRecordsOfEntry(Path segment, int entry) throws IOException {
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long position = 20;
            ByteBuffer length = ByteBuffer.allocate(4);
            for (int i = 0; i < entry; i++) {
                channel.read(length.clear(), position);
                position += 8 + length.getInt(0);
            }
            long target = position + 8 + 36 + 10; // past the frame, the batch header and the record's first fields
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, target);
            one.put(0, (byte) (one.get(0) ^ 0x20)).rewind();
            channel.write(one, target);
            return position;
        }
    }

    // Scenario: the user's report, through the public API on real files: 50 keys overwritten round
    // after round in a compacted topic with 4 KiB segments. The segment files and the file handles
    // open on them stay bounded by the live data (before: 83, 167, 257, 349 segments over four
    // rounds, and a file handle each); every key reads back after each round and after reopen.
    @Test
    void aCompactedTopicKeepsItsSegmentsAndOpenFilesBounded(@TempDir Path dir) throws IOException {
        TopicPartition tp = new TopicPartition("c", 0);
        Path partitionDir = dir.resolve("log").resolve("c-0");
        Map<String, String> model = new HashMap<>();
        long maxSegments = 0;
        long maxHandles = 0;
        try (Cairn cairn = Cairn.open(dir)) {
            Log log = cairn.log();
            log.createTopic("c", TopicConfig.defaults().withCleanupPolicy(CleanupPolicy.COMPACT).withSegmentBytes(4096)
                    .withDurability(Durability.NONE));
            for (int round = 0; round < 12; round++) {
                for (int i = 0; i < 2_000; i++) {
                    String value = "value " + round + "-" + i;
                    log.append(ProducerRecord.of("c", ("key" + (i % 50)).getBytes(StandardCharsets.UTF_8),
                            value.getBytes(StandardCharsets.UTF_8)));
                    model.put("key" + (i % 50), value);
                }
                ((DefaultLog) log).runMaintenance(); // what the background maintenance runs every 30 s
                // Removed segments' files stay open for readers until the next round, which closes them.
                ((DefaultLog) log).runMaintenance();
                assertThat(latest(log.read(tp, log.beginningOffset(tp), 1_000_000))).as("round " + round)
                        .isEqualTo(model);
                maxSegments = Math.max(maxSegments, countFiles(partitionDir, ".log"));
                maxHandles = Math.max(maxHandles, openHandlesUnder(partitionDir));
            }
        }
        assertThat(maxSegments).isLessThanOrEqualTo(6);
        assertThat(maxHandles).isLessThanOrEqualTo(2 * maxSegments + 2);
        try (Cairn cairn = Cairn.open(dir)) {
            Log log = cairn.log();
            assertThat(latest(log.read(tp, log.beginningOffset(tp), 1_000_000))).isEqualTo(model);
            assertThat(log.endOffset(tp)).isEqualTo(12 * 2_000);
        }
    }

    private static Map<String, String> latest(List<ConsumerRecord> records) {
        Map<String, String> latest = new HashMap<>();
        for (ConsumerRecord r : records) {
            latest.put(new String(r.key(), StandardCharsets.UTF_8), new String(r.value(), StandardCharsets.UTF_8));
        }
        return latest;
    }

    private static long countFiles(Path directory, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix)).count();
        }
    }

    /** File descriptors of this process open on files in {@code directory} (Linux's /proc); 0 elsewhere. */
    private static long openHandlesUnder(Path directory) throws IOException {
        Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) {
            return 0;
        }
        Path real = directory.toRealPath();
        long count = 0;
        try (Stream<Path> entries = Files.list(fds)) {
            for (Path fd : entries.toList()) {
                try {
                    if (Files.readSymbolicLink(fd).startsWith(real)) {
                        count++;
                    }
                } catch (IOException closedMeanwhile) {
                    // the descriptor that listed the directory, or one closed since
                }
            }
        }
        return count;
    }
}
