package dev.cairn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.common.ClosedException;
import dev.cairn.dictionary.Dictionary;
import dev.cairn.dictionary.KeyEventClass;
import dev.cairn.log.ConsumerConfig;
import dev.cairn.log.GroupIdNotFoundException;
import dev.cairn.log.Log;
import dev.cairn.log.OffsetOutOfRangeException;
import dev.cairn.log.ProducerRecord;
import dev.cairn.log.TopicConfig;
import dev.cairn.log.TopicPartition;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManualClockTest {
    private final ManualClock clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void movesOnlyForwardAndOnlyWhenTold() {
        assertThat(clock.millis()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());
        assertThat(clock.advance(Duration.ofSeconds(5))).isEqualTo(Instant.parse("2026-01-01T00:00:05Z"));
        clock.set(Instant.parse("2026-01-01T01:00:00Z"));
        assertThat(clock.instant()).isEqualTo(Instant.parse("2026-01-01T01:00:00Z"));
        assertThatThrownBy(() -> clock.advance(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("forward");
        assertThatThrownBy(() -> clock.set(Instant.parse("2026-01-01T00:59:59Z")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("move back");
        assertThat(clock.instant()).isEqualTo(Instant.parse("2026-01-01T01:00:00Z"));
    }

    @Test
    void retentionRemovesEveryExpiredRecordAsSoonAsTheClockMoves(@TempDir Path dir) {
        TopicPartition tp = new TopicPartition("events", 0);
        try (Cairn cairn = Cairn.builder().directory(dir).clock(clock).open()) {
            Log log = cairn.log();
            log.createTopic("events", TopicConfig.defaults().withRetentionMs(60_000));
            for (int i = 0; i < 3; i++) {
                log.append(ProducerRecord.of("events", bytes("v" + i)));
            }
            clock.advance(Duration.ofSeconds(60));
            assertThat(log.beginningOffset(tp)).as("not yet past retention.ms").isZero();

            clock.advance(Duration.ofMillis(1));
            // Kafka's rule: the active segment too, once all its records are past retention.
            assertThat(log.beginningOffset(tp)).isEqualTo(3);
            assertThat(log.endOffset(tp)).isEqualTo(3);
            assertThatThrownBy(() -> log.read(tp, 0, 10)).isInstanceOf(OffsetOutOfRangeException.class);
            assertThat(log.append(ProducerRecord.of("events", bytes("after"))).offset()).isEqualTo(3);
        }
        try (Cairn cairn = Cairn.builder().directory(dir).clock(clock).open()) {
            assertThat(cairn.log().beginningOffset(tp)).isEqualTo(3);
            assertThat(cairn.log().endOffset(tp)).isEqualTo(4);
        }
    }

    @Test
    void expiredKeysAreRemovedWhenTheClockMovesNotOnNextAccess() {
        try (Cairn cairn = Cairn.builder().inMemory().clock(clock).open()) {
            Dictionary d = cairn.dictionary();
            List<String> expired = new CopyOnWriteArrayList<>();
            d.addKeyEventListener((eventClass, event, key) -> {
                if (eventClass == KeyEventClass.EXPIRED) {
                    expired.add(key);
                }
            });
            d.strings().set("session", "s");
            d.keys().expire("session", 10);
            d.strings().set("kept", "k");

            clock.advance(Duration.ofSeconds(10));
            assertThat(expired).isEmpty();
            clock.advance(Duration.ofMillis(1));
            assertThat(expired).containsExactly("session");
        }
    }

    @Test
    void aGroupMemberWhoseSessionEndedIsRemovedWhenTheClockMoves() {
        try (Cairn cairn = Cairn.builder().inMemory().clock(clock).open()) {
            Log log = cairn.log();
            log.createTopic("jobs", TopicConfig.defaults());
            try (var consumer = log.consumer(ConsumerConfig.group("workers").withSessionTimeoutMs(10_000))) {
                consumer.subscribe(List.of("jobs"));
                consumer.poll(Duration.ZERO);
                assertThat(log.describeGroup("workers").members()).hasSize(1);

                clock.advance(Duration.ofSeconds(11));
                // Gone with no other use of the group: no member left and nothing committed.
                assertThatThrownBy(() -> log.describeGroup("workers")).isInstanceOf(GroupIdNotFoundException.class);
            }
        }
    }

    @Test
    void aClosedCairnStopsListeningToItsClock() {
        Cairn cairn = Cairn.builder().inMemory().clock(clock).open();
        cairn.log().createTopic("t", TopicConfig.defaults());
        cairn.close();
        clock.advance(Duration.ofDays(1));
        assertThatThrownBy(cairn::runMaintenance).isInstanceOf(ClosedException.class);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
