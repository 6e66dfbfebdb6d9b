package dev.cairn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.common.ClosedException;
import dev.cairn.common.Durability;
import dev.cairn.common.HistogramSnapshot;
import dev.cairn.dictionary.Dictionary;
import dev.cairn.dictionary.SnapshotRules;
import dev.cairn.log.Appender;
import dev.cairn.log.Consumer;
import dev.cairn.log.ConsumerConfig;
import dev.cairn.log.Log;
import dev.cairn.log.TopicConfig;
import dev.cairn.log.TopicPartition;
import dev.cairn.storage.segment.SegmentFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CairnMetricsTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aFreshCairnReportsNothingAndOpensNothing(@TempDir Path dir) {
        Cairn cairn = Cairn.open(dir);
        try {
            CairnMetrics metrics = cairn.metrics();
            assertThat(metrics.topics()).isEmpty();
            assertThat(metrics.databases()).isEmpty();
            assertThat(metrics.consumerLag()).isEmpty();
            assertThat(metrics.fsyncLatency().count()).isZero();
            assertThat(cairn.isOpen(0)).isFalse();
        } finally {
            cairn.close();
        }
        assertThatThrownBy(cairn::metrics).isInstanceOf(ClosedException.class);
    }

    @Test
    void appendsAreCountedPerPartitionPerTopicAndInTotal(@TempDir Path dir) {
        // Under ALWAYS each append is written as a batch of its own, so the segment holds exactly
        // the appended batches: the bytes counted are the segment's bytes less its header and framing.
        try (Cairn cairn = Cairn.builder().directory(dir).durability(Durability.ALWAYS).open()) {
            Log log = cairn.log();
            log.createTopic("orders", TopicConfig.defaults().withPartitions(2));
            log.createTopic("audit", TopicConfig.defaults());
            Appender orders = log.appender("orders");
            for (int i = 0; i < 10; i++) {
                orders.append(0, bytes("k" + i), bytes("value-" + i));
            }
            for (int i = 0; i < 5; i++) {
                orders.append(1, null, bytes("v" + i));
            }
            Appender audit = log.appender("audit");
            for (int i = 0; i < 3; i++) {
                audit.append(0, null, new byte[100]);
            }

            CairnMetrics metrics = cairn.metrics();
            TopicMetrics ordersMetrics = metrics.topic("orders").orElseThrow();
            assertThat(ordersMetrics.partitions()).extracting(PartitionMetrics::recordsAppended).containsExactly(10L, 5L);
            assertThat(ordersMetrics.recordsAppended()).isEqualTo(15);
            assertThat(metrics.topic("audit").orElseThrow().recordsAppended()).isEqualTo(3);
            assertThat(metrics.recordsAppended()).isEqualTo(18);
            assertThat(metrics.topics()).extracting(TopicMetrics::topic).containsExactly("audit", "orders");
            long batches = 0;
            long expectedBytes = 0;
            for (TopicMetrics t : metrics.topics()) {
                for (PartitionMetrics p : t.partitions()) {
                    assertThat(p.bytesAppended())
                            .isEqualTo(p.sizeBytes() - SegmentFormat.HEADER_SIZE - p.recordsAppended() * SegmentFormat.FRAME_OVERHEAD);
                    assertThat(p.endOffset()).isEqualTo(p.recordsAppended());
                    batches += p.recordsAppended();
                    expectedBytes += p.bytesAppended();
                }
            }
            assertThat(batches).isEqualTo(18);
            assertThat(metrics.bytesAppended()).isEqualTo(expectedBytes).isPositive();
            assertThat(metrics.recordsRead()).isZero();
        }
    }

    @Test
    void readsAndConsumedRecordsAreCounted() {
        try (Cairn cairn = Cairn.inMemory()) {
            Log log = cairn.log();
            log.createTopic("orders", TopicConfig.defaults().withPartitions(1));
            Appender orders = log.appender("orders");
            for (int i = 0; i < 20; i++) {
                orders.append(0, null, bytes("v" + i));
            }
            TopicPartition tp = new TopicPartition("orders", 0);
            assertThat(log.read(tp, 5, 10)).hasSize(10);
            PartitionMetrics afterRead = cairn.metrics().topic("orders").orElseThrow().partitions().get(0);
            assertThat(afterRead.recordsRead()).isEqualTo(10);
            assertThat(afterRead.bytesRead()).isPositive().isLessThanOrEqualTo(afterRead.bytesAppended());

            try (Consumer consumer = log.consumer(ConsumerConfig.standalone())) {
                consumer.assign(List.of(tp));
                int polled = 0;
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (polled < 20 && System.nanoTime() < deadline) {
                    polled += consumer.poll(Duration.ofMillis(100)).size();
                }
                assertThat(polled).isEqualTo(20);
            }
            PartitionMetrics afterPoll = cairn.metrics().topic("orders").orElseThrow().partitions().get(0);
            assertThat(afterPoll.recordsRead()).isEqualTo(30);
            // The consumer read every batch from the start once: all the appended bytes again.
            assertThat(afterPoll.bytesRead() - afterRead.bytesRead()).isEqualTo(afterPoll.bytesAppended());

            log.readBatches(tp, 0, Integer.MAX_VALUE);
            PartitionMetrics afterBatches = cairn.metrics().topic("orders").orElseThrow().partitions().get(0);
            assertThat(afterBatches.recordsRead()).isEqualTo(50);
            assertThat(afterBatches.bytesRead() - afterPoll.bytesRead()).isEqualTo(afterPoll.bytesAppended());
        }
    }

    @Test
    void fsyncsUnderAlwaysFillTheLatencyHistogram(@TempDir Path dir) {
        try (Cairn cairn = Cairn.builder().directory(dir).durability(Durability.ALWAYS).open()) {
            Log log = cairn.log();
            log.createTopic("orders", TopicConfig.defaults());
            Appender appender = log.appender("orders");
            long before = cairn.metrics().fsyncLatency().count();
            for (int i = 0; i < 20; i++) {
                appender.append(0, null, bytes("v" + i));
            }
            CairnMetrics metrics = cairn.metrics();
            HistogramSnapshot fsync = metrics.fsyncLatency();
            // One thread appending under ALWAYS: each append waits for an fsync of its own.
            assertThat(fsync.count() - before).isGreaterThanOrEqualTo(20);
            assertThat(fsync.count()).isEqualTo(metrics.storage().fsyncs() + metrics.storage().fsyncFailures());
            assertThat(fsync.sumNanos()).isPositive();
            assertThat(fsync.p50Nanos()).isPositive().isLessThanOrEqualTo(fsync.p99Nanos());
            assertThat(fsync.p99Nanos()).isLessThanOrEqualTo(fsync.p999Nanos());
            assertThat(fsync.p999Nanos()).isLessThanOrEqualTo(fsync.maxNanos());
        }
    }

    @Test
    void consumerLagIsTheEndOffsetLessTheCommittedOffset() {
        try (Cairn cairn = Cairn.inMemory()) {
            Log log = cairn.log();
            log.createTopic("orders", TopicConfig.defaults().withPartitions(2));
            Appender appender = log.appender("orders");
            for (int i = 0; i < 10; i++) {
                appender.append(i % 2, null, bytes("v" + i));
            }
            TopicPartition p0 = new TopicPartition("orders", 0);
            TopicPartition p1 = new TopicPartition("orders", 1);
            log.alterCommittedOffsets("billing", Map.of(p0, 2L, p1, 5L));
            log.alterCommittedOffsets("audit", Map.of(p0, 1L));

            assertThat(cairn.metrics().consumerLag()).containsExactly(
                    new ConsumerLag("audit", "orders", 0, 1, 5),
                    new ConsumerLag("billing", "orders", 0, 2, 5),
                    new ConsumerLag("billing", "orders", 1, 5, 5));
            appender.append(1, null, bytes("more"));
            List<ConsumerLag> lags = cairn.metrics().consumerLag();
            assertThat(lags).extracting(ConsumerLag::lag).containsExactly(4L, 3L, 1L);
        }
    }

    @Test
    void aRateIsTheDifferenceOfTwoSnapshotsOverTheClocksTimeBetweenThem() {
        ManualClock clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
        try (Cairn cairn = Cairn.builder().inMemory().clock(clock).open()) {
            cairn.log().createTopic("orders", TopicConfig.defaults());
            Appender orders = cairn.log().appender("orders");
            orders.append(0, null, bytes("before"));
            CairnMetrics earlier = cairn.metrics();
            for (int i = 0; i < 40; i++) {
                orders.append(0, null, bytes("v" + i));
            }
            assertThat(cairn.metrics().perSecondSince(earlier, CairnMetrics::recordsAppended))
                    .as("no time passed on the manual clock").isNaN();
            clock.advance(Duration.ofSeconds(4));
            CairnMetrics later = cairn.metrics();
            assertThat(later.perSecondSince(earlier, CairnMetrics::recordsAppended)).isEqualTo(10.0);
            assertThat(later.perSecondSince(earlier,
                    m -> m.topic("orders").map(TopicMetrics::recordsAppended).orElse(0L))).isEqualTo(10.0);
            assertThatThrownBy(() -> earlier.perSecondSince(later, CairnMetrics::recordsAppended))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("after this one");
        }
    }

    @Test
    void keyspaceHitsMissesExpiredKeysAndKeyCountsPerDatabase() {
        ManualClock clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
        try (Cairn cairn = Cairn.builder().inMemory().clock(clock).open()) {
            Dictionary db0 = cairn.dictionary();
            Dictionary db3 = cairn.dictionary(3);
            for (int i = 0; i < 3; i++) {
                db0.strings().set("k" + i, "v");
            }
            db3.strings().set("only", "v");
            for (int i = 0; i < 5; i++) {
                db0.strings().get("k" + i); // k3 and k4 miss
            }
            db0.keys().expire("k0", 10);
            clock.advance(Duration.ofSeconds(11));

            CairnMetrics metrics = cairn.metrics();
            assertThat(metrics.databases()).extracting(DatabaseMetrics::database).containsExactly(0, 3);
            DatabaseMetrics zero = metrics.database(0).orElseThrow();
            assertThat(zero.keys()).isEqualTo(2);
            assertThat(zero.keyspaceHits()).isEqualTo(3);
            assertThat(zero.keyspaceMisses()).isEqualTo(2);
            assertThat(zero.expiredKeys()).isEqualTo(1);
            assertThat(zero.appendOnlyBytes()).isZero();
            assertThat(zero.snapshotAgeMs()).isEqualTo(-1);
            assertThat(metrics.database(3).orElseThrow().keys()).isEqualTo(1);
        }
    }

    @Test
    void snapshotAgeRunsOnTheCairnClockAndTheAppendOnlyFileHasASize(@TempDir Path dir) {
        ManualClock clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
        try (Cairn cairn = Cairn.builder().directory(dir).clock(clock).snapshotRules(SnapshotRules.ON_DEMAND).open()) {
            Dictionary db = cairn.dictionary();
            db.strings().set("a", "1");
            db.snapshot();
            db.strings().set("b", "2");
            clock.advance(Duration.ofSeconds(5));
            DatabaseMetrics metrics = cairn.metrics().database(0).orElseThrow();
            assertThat(metrics.snapshotAgeMs()).isEqualTo(5000);
            assertThat(metrics.lastSnapshotDurationMs()).isGreaterThanOrEqualTo(0);
            assertThat(metrics.appendOnlyBytes()).isPositive();
        }
    }
}
