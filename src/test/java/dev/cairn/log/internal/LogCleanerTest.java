package dev.cairn.log.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.common.Durability;
import dev.cairn.log.CleanupPolicy;
import dev.cairn.log.Consumer;
import dev.cairn.log.ConsumerConfig;
import dev.cairn.log.ConsumerRecord;
import dev.cairn.log.ProducerRecord;
import dev.cairn.log.TimestampType;
import dev.cairn.log.TopicConfig;
import dev.cairn.log.TopicPartition;
import dev.cairn.storage.Storage;
import dev.cairn.storage.fs.FaultInjectingFileSystem;
import dev.cairn.storage.fs.MemoryFileSystem;
import dev.cairn.storage.segment.SegmentFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LogCleanerTest {
    private final MemoryFileSystem fs = new MemoryFileSystem();
    private final AtomicLong nowMs = new AtomicLong(100_000);
    private final InstantSource clock = () -> Instant.ofEpochMilli(nowMs.get());
    private final Storage storage = Storage.open(fs, Path.of("/data"), 1000);
    private DefaultLog log = open();
    private final TopicPartition tp = new TopicPartition("c", 0);

    private DefaultLog open() {
        return DefaultLog.open(storage, storage.root().resolve("log"),
                LogOptions.of(clock, Durability.NONE, false).withMaintenanceIntervalMs(0));
    }

    @AfterEach
    void tearDown() {
        log.close();
        storage.close();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private Map<String, String> latestByKey(List<ConsumerRecord> records) {
        Map<String, String> latest = new HashMap<>();
        for (ConsumerRecord r : records) {
            String key = new String(r.key(), StandardCharsets.UTF_8);
            if (r.value() == null) {
                latest.remove(key);
            } else {
                latest.put(key, new String(r.value(), StandardCharsets.UTF_8));
            }
        }
        return latest;
    }

    // Scenario: ten keys overwritten many times and one deleted; compaction keeps the latest per key at
    // its original offset, keeps the tombstone through the grace period, then drops it.
    @Test
    void keepsLatestPerKeyPreservesOffsetsAndDropsTombstonesAfterGrace() {
        log.createTopic("c", TopicConfig.defaults().withCleanupPolicy(CleanupPolicy.COMPACT).withSegmentBytes(1024)
                .withDeleteRetentionMs(60_000));
        for (int i = 0; i < 300; i++) {
            log.append(ProducerRecord.of("c", b("k" + (i % 10)), b("v" + i)));
        }
        log.append(ProducerRecord.of("c", b("k3"), null));
        for (int i = 0; i < 50; i++) {
            log.append(ProducerRecord.of("c", b("filler" + i), b("x")));
        }
        List<ConsumerRecord> before = log.read(tp, 0, 10_000);
        Map<String, String> expected = latestByKey(before);
        long endBefore = log.endOffset(tp);

        log.runMaintenance();
        List<ConsumerRecord> after = log.read(tp, 0, 10_000);
        assertThat(after.size()).isLessThan(before.size()).isGreaterThanOrEqualTo(expected.size());
        assertThat(latestByKey(after)).isEqualTo(expected);
        assertThat(log.endOffset(tp)).isEqualTo(endBefore);
        Map<Long, ConsumerRecord> byOffset = new HashMap<>();
        before.forEach(r -> byOffset.put(r.offset(), r));
        for (ConsumerRecord r : after) {
            assertThat(r).isEqualTo(byOffset.get(r.offset()));
        }
        assertThat(after).anyMatch(r -> r.value() == null);
        assertThat(log.read(tp, 5, 1).get(0).offset()).isGreaterThanOrEqualTo(5);

        nowMs.addAndGet(60_000);
        log.runMaintenance();
        List<ConsumerRecord> graceOver = log.read(tp, 0, 10_000);
        assertThat(graceOver).noneMatch(r -> r.value() == null);
        assertThat(latestByKey(graceOver)).isEqualTo(expected);

        log.close();
        log = open();
        assertThat(log.read(tp, 0, 10_000)).isEqualTo(graceOver);
    }

    // Scenario: batches of a LogAppendTime topic lose records to compaction; the batches written in
    // their place are marked LogAppendTime too, so the records keep their type and time.
    @Test
    void compactionKeepsTheTimestampTypeOfTheBatchesItRewrites() {
        log.createTopic("c", TopicConfig.defaults().withCleanupPolicy(CleanupPolicy.COMPACT).withSegmentBytes(1024)
                .withTimestampType(TimestampType.LOG_APPEND_TIME));
        for (int round = 0; round < 30; round++) {
            List<ProducerRecord> batch = new ArrayList<>();
            for (int k = 0; k < 5; k++) {
                batch.add(new ProducerRecord("c", 0, 1L, b("k" + k), b("v" + round), List.of()));
            }
            batch.add(new ProducerRecord("c", 0, 1L, b("unique" + round), b("u"), List.of()));
            log.append(batch);
            nowMs.incrementAndGet();
        }
        List<ConsumerRecord> before = log.read(tp, 0, 10_000);
        log.runMaintenance();
        List<ConsumerRecord> after = log.read(tp, 0, 10_000);
        assertThat(after.size()).isLessThan(before.size());
        assertThat(after).extracting(ConsumerRecord::timestampType).containsOnly(TimestampType.LOG_APPEND_TIME);
        Map<Long, ConsumerRecord> byOffset = new HashMap<>();
        before.forEach(r -> byOffset.put(r.offset(), r));
        for (ConsumerRecord r : after) {
            assertThat(r).isEqualTo(byOffset.get(r.offset()));
        }
    }

    @Test
    void appendsContinueWhileCompactionRuns() throws Exception {
        log.createTopic("c", TopicConfig.defaults().withCleanupPolicy(CleanupPolicy.COMPACT).withSegmentBytes(2048));
        for (int i = 0; i < 2000; i++) {
            log.append(ProducerRecord.of("c", b("k" + (i % 50)), b("v" + i)));
        }
        CompletableFuture<Void> cleaner = CompletableFuture.runAsync(log::runMaintenance);
        for (int i = 2000; i < 3000; i++) {
            log.append(ProducerRecord.of("c", b("k" + (i % 50)), b("v" + i)));
        }
        cleaner.get();
        log.runMaintenance();
        Map<String, String> latest = latestByKey(log.read(tp, 0, 100_000));
        for (int k = 0; k < 50; k++) {
            assertThat(latest.get("k" + k)).isEqualTo("v" + (2950 + k));
        }
        assertThat(log.endOffset(tp)).isEqualTo(3000);
    }

    @Test
    void committedOffsetsSurviveCompactionOfTheOffsetsTopic() {
        log.createTopic("t", TopicConfig.defaults());
        log.append(ProducerRecord.of("t", b("x")));
        try (Consumer c = log.consumer(ConsumerConfig.group("g"))) {
            c.assign(List.of(new TopicPartition("t", 0)));
            // Enough commits to fill more than one 1 MiB segment of the offsets topic, even when
            // many share a batch (about 25 bytes each then).
            for (long i = 0; i < 60_000; i++) {
                c.commitSync(Map.of(new TopicPartition("t", 0), i));
            }
            c.poll(Duration.ZERO);
        }
        log.runMaintenance();
        TopicPartition offsets = new TopicPartition(DefaultLog.OFFSETS_TOPIC, 0);
        assertThat(log.read(offsets, log.beginningOffset(offsets), 100_000).size()).isLessThan(60_000);
        log.close();
        log = open();
        try (Consumer c = log.consumer(ConsumerConfig.group("g"))) {
            assertThat(c.committed(new TopicPartition("t", 0))).hasValue(59_999);
        }
        assertThat(log.partition(offsets).segmentCount()).as("segments of one live record").isLessThanOrEqualTo(3);
    }

    private static final int KEYS = 50;

    /** Writes {@code rounds} overwrites of every key, value "v<round>-<key>" padded to 40 bytes. */
    private static void overwrite(DefaultLog target, String topic, int round, Map<String, String> model) {
        for (int k = 0; k < KEYS; k++) {
            String value = String.format("v%d-%d%-30s", round, k, "");
            target.append(ProducerRecord.of(topic, b("key" + k), b(value)));
            model.put("key" + k, value);
        }
    }

    private Map<String, String> readLatest(DefaultLog target, TopicPartition partition) {
        return latestByKey(target.read(partition, target.beginningOffset(partition), 1_000_000));
    }

    // Scenario: 50 keys overwritten round after round in 4 KiB segments, compacted after each round.
    // Before segments were merged, the count grew by every round's writes (83, 167, 257, 349 ... with
    // a file handle each); now segments and open files stay bounded by the live data, every live key
    // reads back after each round and after reopen, and offsets of kept records never change.
    @Test
    void segmentsAndOpenFilesStayBoundedOverManyRoundsOfOverwrites() {
        FaultInjectingFileSystem counting = new FaultInjectingFileSystem(new MemoryFileSystem());
        Storage countedStorage = Storage.open(counting, Path.of("/counted"), 1000);
        DefaultLog counted = DefaultLog.open(countedStorage, countedStorage.root().resolve("log"),
                LogOptions.of(clock, Durability.NONE, false).withMaintenanceIntervalMs(0));
        try {
            counted.createTopic("c", TopicConfig.defaults().withCleanupPolicy(CleanupPolicy.COMPACT)
                    .withSegmentBytes(4096));
            Map<String, String> model = new HashMap<>();
            int maxSegments = 0;
            long maxOpenFiles = 0;
            for (int round = 0; round < 40; round++) {
                for (int i = 0; i < 20; i++) {
                    overwrite(counted, "c", round * 20 + i, model);
                }
                Map<Long, ConsumerRecord> before = new HashMap<>();
                counted.read(tp, counted.beginningOffset(tp), 1_000_000).forEach(r -> before.put(r.offset(), r));
                counted.runMaintenance();
                // Removed segments' files stay open for readers until the next round, which closes them.
                counted.runMaintenance();
                List<ConsumerRecord> after = counted.read(tp, counted.beginningOffset(tp), 1_000_000);
                assertThat(latestByKey(after)).as("round " + round).isEqualTo(model);
                after.forEach(r -> assertThat(r).isEqualTo(before.get(r.offset())));
                maxSegments = Math.max(maxSegments, counted.partition(tp).segmentCount());
                maxOpenFiles = Math.max(maxOpenFiles, counting.openFiles());
            }
            // 50 live records of about 50 bytes fit in one segment; the active one and the last
            // round's partly compacted ones come on top. Before: 300 and more after 40 rounds.
            assertThat(maxSegments).isLessThanOrEqualTo(8);
            assertThat(maxOpenFiles).isLessThanOrEqualTo(2L * maxSegments + 2);
            counted.close();
            counted = DefaultLog.open(countedStorage, countedStorage.root().resolve("log"),
                    LogOptions.of(clock, Durability.NONE, false).withMaintenanceIntervalMs(0));
            assertThat(readLatest(counted, tp)).isEqualTo(model);
            assertThat(counted.partition(tp).segmentCount()).isLessThanOrEqualTo(maxSegments);
        } finally {
            counted.close();
            countedStorage.close();
        }
    }

    // Scenario: a reader positioned inside a range compaction emptied (the segments removed) reads
    // on from the next offset kept, as in Kafka; the partition's beginning offset stays.
    @Test
    void aReadInsideARemovedRangeGoesOnFromTheNextKeptOffset() {
        log.createTopic("c", TopicConfig.defaults().withCleanupPolicy(CleanupPolicy.COMPACT).withSegmentBytes(1024));
        Map<String, String> model = new HashMap<>();
        for (int round = 0; round < 10; round++) {
            overwrite(log, "c", round, model);
        }
        log.runMaintenance();
        log.runMaintenance();
        List<ConsumerRecord> kept = log.read(tp, 0, 100_000);
        assertThat(log.beginningOffset(tp)).isZero();
        assertThat(latestByKey(kept)).isEqualTo(model);
        long firstKept = kept.get(0).offset();
        assertThat(firstKept).as("the first nine rounds are superseded").isGreaterThanOrEqualTo(9 * KEYS);
        assertThat(log.read(tp, 0, 1).get(0).offset()).isEqualTo(firstKept);
        assertThat(log.read(tp, 123, 1).get(0).offset()).isEqualTo(firstKept);
        try (Consumer c = log.consumer(ConsumerConfig.standalone())) {
            c.assign(List.of(tp));
            c.seek(tp, 77);
            assertThat(c.poll(Duration.ZERO).get(0).offset()).isEqualTo(firstKept);
        }
    }

    /** One run of the crash scenario below, up to the compaction under test; returns the model. */
    private static Map<String, String> crashWorkload(DefaultLog target) {
        target.createTopic("c", TopicConfig.defaults().withCleanupPolicy(CleanupPolicy.COMPACT)
                .withSegmentBytes(2048).withDurability(Durability.ALWAYS));
        Map<String, String> model = new HashMap<>();
        for (int round = 0; round < 6; round++) {
            overwrite(target, "c", round, model);
        }
        target.runMaintenance(); // leaves small segments for the next compaction to merge
        for (int round = 6; round < 12; round++) {
            overwrite(target, "c", round, model);
        }
        return model;
    }

    // Scenario: a compaction that merges and removes segments fails at each of its renames and deletes
    // in turn, and the machine loses power right then; reopening finds every live record, offsets
    // intact, and no temporary file of the swap left.
    @Test
    void aCrashAtEachStepOfTheSwapRecoversEveryLiveRecord() throws IOException {
        int steps;
        {
            MemoryFileSystem memory = new MemoryFileSystem();
            FaultInjectingFileSystem faulty = new FaultInjectingFileSystem(memory);
            Storage s = Storage.open(faulty, Path.of("/crash"), 1000);
            DefaultLog l = DefaultLog.open(s, s.root().resolve("log"), LogOptions.of(clock, Durability.ALWAYS, false)
                    .withMaintenanceIntervalMs(0));
            crashWorkload(l);
            long before = faulty.directoryChangeCount();
            l.runMaintenance();
            steps = (int) (faulty.directoryChangeCount() - before);
            assertThat(l.partition(tp).segmentCount()).isLessThan(8);
            l.close();
            s.close();
        }
        assertThat(steps).as("renames and deletes of one compaction").isGreaterThan(10);
        for (int n = 1; n <= steps; n++) {
            MemoryFileSystem memory = new MemoryFileSystem();
            FaultInjectingFileSystem faulty = new FaultInjectingFileSystem(memory);
            Storage s = Storage.open(faulty, Path.of("/crash"), 1000);
            DefaultLog l = DefaultLog.open(s, s.root().resolve("log"), LogOptions.of(clock, Durability.ALWAYS, false)
                    .withMaintenanceIntervalMs(0));
            Map<String, String> model = crashWorkload(l);
            long end = l.endOffset(tp);
            Map<Long, ConsumerRecord> byOffset = new HashMap<>();
            l.read(tp, 0, 100_000).forEach(r -> byOffset.put(r.offset(), r));
            faulty.failDirectoryChange(faulty.directoryChangeCount() + n);
            try {
                l.runMaintenance();
            } catch (RuntimeException expected) {
                // the injected failure; the power goes out now
            }
            memory.crash(null);
            s.close();
            s = Storage.open(faulty, Path.of("/crash"), 1000);
            l = DefaultLog.open(s, s.root().resolve("log"), LogOptions.of(clock, Durability.ALWAYS, false)
                    .withMaintenanceIntervalMs(0));
            try {
                String where = "crash at directory change " + n + " of " + steps;
                List<ConsumerRecord> after = l.read(tp, l.beginningOffset(tp), 100_000);
                assertThat(latestByKey(after)).as(where).isEqualTo(model);
                after.forEach(r -> assertThat(r).as(where).isEqualTo(byOffset.get(r.offset())));
                assertThat(l.endOffset(tp)).as(where).isEqualTo(end);
                List<String> leftovers = new ArrayList<>();
                for (Path f : memory.list(s.root().resolve("log").resolve("c-0"))) {
                    String name = f.getFileName().toString();
                    if (name.endsWith(SegmentFormat.SWAP_SUFFIX) || name.endsWith(SegmentFormat.CLEANED_SUFFIX)) {
                        leftovers.add(name);
                    }
                }
                assertThat(leftovers).as(where).isEmpty();
                l.runMaintenance(); // and compaction goes on from there
                assertThat(readLatest(l, tp)).as(where).isEqualTo(model);
            } finally {
                l.close();
                s.close();
            }
        }
    }
}
