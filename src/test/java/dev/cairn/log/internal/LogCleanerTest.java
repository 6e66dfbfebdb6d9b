package dev.cairn.log.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.common.Durability;
import dev.cairn.log.CleanupPolicy;
import dev.cairn.log.Consumer;
import dev.cairn.log.ConsumerConfig;
import dev.cairn.log.ConsumerRecord;
import dev.cairn.log.ProducerRecord;
import dev.cairn.log.TopicConfig;
import dev.cairn.log.TopicPartition;
import dev.cairn.storage.Storage;
import dev.cairn.storage.fs.MemoryFileSystem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
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
    }
}
