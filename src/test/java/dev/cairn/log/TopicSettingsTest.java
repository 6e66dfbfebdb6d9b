package dev.cairn.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import dev.cairn.ManualClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The topic settings {@code message.timestamp.type} and {@code min.compaction.lag.ms} as users
 * reach them through {@link Log}, with a {@link ManualClock} as the log clock.
 */
class TopicSettingsTest {
    private static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    @TempDir
    Path dir;

    private final ManualClock clock = ManualClock.at(Instant.ofEpochMilli(T0));

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    private Cairn openOnDisk() {
        return Cairn.builder().directory(dir).clock(clock).open();
    }

    // Scenario: under LogAppendTime every way of appending through the Java API stores the log
    // clock's time, whatever timestamp the record came with; what the append returns, what reads
    // and polls return, and the time index (offsetForTime) all agree, also after a reopen.
    @Test
    void logAppendTimeStampsEveryAppendWithTheLogClock() throws Exception {
        TopicPartition tp = new TopicPartition("stamped", 0);
        try (Cairn cairn = openOnDisk()) {
            Log log = cairn.log();
            log.createTopic("stamped", TopicConfig.defaults().withTimestampType(TimestampType.LOG_APPEND_TIME));
            RecordMetadata first = log.append(new ProducerRecord("stamped", 0, 42L, null, b("a"), List.of()));
            assertThat(first.timestampMs()).isEqualTo(T0);
            assertThat(first.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);

            clock.advance(Duration.ofSeconds(5));
            List<RecordMetadata> two = log.append(List.of(
                    new ProducerRecord("stamped", 0, 7L, null, b("b"), List.of()),
                    new ProducerRecord("stamped", 0, null, null, b("c"), List.of())));
            assertThat(two).extracting(RecordMetadata::timestampMs).containsExactly(T0 + 5_000, T0 + 5_000);

            clock.advance(Duration.ofSeconds(5));
            RecordMetadata async = log.appendAsync(new ProducerRecord("stamped", 0, 9L, null, b("d"), List.of()))
                    .get();
            assertThat(async.timestampMs()).isEqualTo(T0 + 10_000);

            clock.advance(Duration.ofSeconds(5));
            log.appender("stamped").append(0, null, b("e")); // stamped when its batch is sealed, by this read
            List<ConsumerRecord> read = log.read(tp, 0, 10);
            assertThat(read).extracting(ConsumerRecord::timestampMs)
                    .containsExactly(T0, T0 + 5_000, T0 + 5_000, T0 + 10_000, T0 + 15_000);
            assertThat(read).extracting(ConsumerRecord::timestampType).containsOnly(TimestampType.LOG_APPEND_TIME);

            assertThat(log.offsetForTime(tp, 43)).as("the time index holds the stamps").isEqualTo(OptionalLong.of(0));
            assertThat(log.offsetForTime(tp, T0 + 1)).isEqualTo(OptionalLong.of(1));
            assertThat(log.offsetForTime(tp, T0 + 10_001)).isEqualTo(OptionalLong.of(4));
            assertThat(log.offsetForTime(tp, T0 + 15_001)).isEmpty();

            try (Consumer consumer = log.consumer(ConsumerConfig.standalone())) {
                consumer.assign(List.of(tp));
                List<TimestampType> viewed = new ArrayList<>();
                List<Long> times = new ArrayList<>();
                consumer.poll(Duration.ZERO, r -> {
                    viewed.add(r.timestampType());
                    times.add(r.timestampMs());
                });
                assertThat(viewed).hasSize(5).containsOnly(TimestampType.LOG_APPEND_TIME);
                assertThat(times).containsExactly(T0, T0 + 5_000, T0 + 5_000, T0 + 10_000, T0 + 15_000);
            }
        }
        try (Cairn cairn = openOnDisk()) {
            Log log = cairn.log();
            assertThat(log.describeTopic("stamped").config().timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
            assertThat(log.read(tp, 0, 10)).extracting(ConsumerRecord::timestampMs)
                    .containsExactly(T0, T0 + 5_000, T0 + 5_000, T0 + 10_000, T0 + 15_000);
            assertThat(log.offsetForTime(tp, T0 + 1)).isEqualTo(OptionalLong.of(1));
        }
    }

    @Test
    void createTimeKeepsTheRecordsOwnTimestamps() {
        try (Cairn cairn = Cairn.builder().inMemory().clock(clock).open()) {
            Log log = cairn.log();
            log.createTopic("t", TopicConfig.defaults());
            TopicPartition tp = new TopicPartition("t", 0);
            RecordMetadata own = log.append(new ProducerRecord("t", 0, 42L, null, b("a"), List.of()));
            assertThat(own.timestampMs()).isEqualTo(42);
            assertThat(own.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
            RecordMetadata none = log.append(new ProducerRecord("t", 0, null, null, b("b"), List.of()));
            assertThat(none.timestampMs()).isEqualTo(T0);
            clock.advance(Duration.ofMillis(3));
            log.appender("t").append(0, null, b("c")); // the time its batch is sealed, a producer's clock
            List<ConsumerRecord> read = log.read(tp, 0, 10);
            assertThat(read).extracting(ConsumerRecord::timestampMs).containsExactly(42L, T0, T0 + 3);
            assertThat(read).extracting(ConsumerRecord::timestampType).containsOnly(TimestampType.CREATE_TIME);
            assertThat(log.offsetForTime(tp, 43)).isEqualTo(OptionalLong.of(1));
        }
    }

    // Scenario: a live topic changes type both ways; records already stored keep the type and time
    // they were stored with, and appends after each change follow the new type.
    @Test
    void changingTheTypeOfALiveTopicAffectsLaterAppendsOnly() {
        try (Cairn cairn = Cairn.builder().inMemory().clock(clock).open()) {
            Log log = cairn.log();
            log.createTopic("t", TopicConfig.defaults());
            TopicPartition tp = new TopicPartition("t", 0);
            log.append(new ProducerRecord("t", 0, 1L, null, b("a"), List.of()));
            log.alterTopicConfig("t", c -> c.withTimestampType(TimestampType.LOG_APPEND_TIME));
            log.append(new ProducerRecord("t", 0, 2L, null, b("b"), List.of()));
            log.alterTopicConfig("t", c -> c.withTimestampType(TimestampType.CREATE_TIME));
            log.append(new ProducerRecord("t", 0, 3L, null, b("c"), List.of()));
            List<ConsumerRecord> read = log.read(tp, 0, 10);
            assertThat(read).extracting(ConsumerRecord::timestampMs).containsExactly(1L, T0, 3L);
            assertThat(read).extracting(ConsumerRecord::timestampType).containsExactly(TimestampType.CREATE_TIME,
                    TimestampType.LOG_APPEND_TIME, TimestampType.CREATE_TIME);
        }
    }

    // Scenario: a key written twice, its two records in different segments (segment.ms 1 rolls on
    // each millisecond). With a minimum compaction lag of a minute the older record stays through
    // maintenance until the clock is a minute past the newer one's segment; with no lag it goes at
    // once.
    @Test
    void compactionLeavesRecordsYoungerThanTheMinimumLag() {
        try (Cairn cairn = Cairn.builder().inMemory().clock(clock).open()) {
            Log log = cairn.log();
            TopicConfig compacted = TopicConfig.defaults().withCleanupPolicy(CleanupPolicy.COMPACT).withSegmentMs(1);
            log.createTopic("lagged", compacted.withMinCompactionLagMs(60_000));
            log.createTopic("eager", compacted);
            for (String topic : List.of("lagged", "eager")) {
                log.append(new ProducerRecord(topic, 0, null, b("k"), b("v1"), List.of()));
            }
            clock.advance(Duration.ofMillis(1));
            for (String topic : List.of("lagged", "eager")) {
                log.append(new ProducerRecord(topic, 0, null, b("k"), b("v2"), List.of()));
                log.append(new ProducerRecord(topic, 0, null, b("j"), b("w"), List.of()));
            }
            clock.advance(Duration.ofMillis(1));
            for (String topic : List.of("lagged", "eager")) {
                log.append(new ProducerRecord(topic, 0, null, b("other"), b("x"), List.of())); // rolls
            }

            cairn.runMaintenance();
            assertThat(values(log, "eager")).containsExactly("v2", "w", "x");
            assertThat(values(log, "lagged")).as("younger than the lag").containsExactly("v1", "v2", "w", "x");

            clock.advance(Duration.ofMillis(59_998)); // T0 + 60 s: the first segment's record is a minute old
            cairn.runMaintenance();
            assertThat(values(log, "lagged")).as("its duplicate still young").containsExactly("v1", "v2", "w", "x");

            clock.advance(Duration.ofMillis(1)); // the second segment, with v2, is a minute old too
            cairn.runMaintenance();
            assertThat(values(log, "lagged")).containsExactly("v2", "w", "x");
        }
    }

    private static List<String> values(Log log, String topic) {
        return log.read(new TopicPartition(topic, 0), log.beginningOffset(new TopicPartition(topic, 0)), 100)
                .stream().map(r -> s(r.value())).toList();
    }
}
