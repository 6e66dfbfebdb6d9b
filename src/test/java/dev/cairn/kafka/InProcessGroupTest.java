package dev.cairn.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.Cairn;
import dev.cairn.log.ConsumerConfig;
import dev.cairn.log.Log;
import dev.cairn.log.TopicConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** In-process consumers as group members: splitting partitions, committing, auto-commit, fencing, reopening. */
class InProcessGroupTest {
    private final AtomicLong nowMs = new AtomicLong(1_000_000);
    private final Cairn cairn = Cairn.builder().inMemory().clock(() -> Instant.ofEpochMilli(nowMs.get())).open();
    private final Log log = cairn.log();

    @AfterEach
    void tearDown() {
        cairn.close();
    }

    private static void produce(Log log, String topic, int count) {
        try (Producer<String, String> p = new InProcessProducer<>(log, Map.of(), new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < count; i++) {
                p.send(new ProducerRecord<>(topic, "key-" + i, "value-" + i));
            }
            p.flush();
        }
    }

    private static InProcessConsumer<String, String> member(Log log, String group, Map<String, Object> extra) {
        Map<String, Object> configs = new HashMap<>(Map.of("group.id", group, "auto.offset.reset", "earliest"));
        configs.putAll(extra);
        return new InProcessConsumer<>(log, configs, new StringDeserializer(), new StringDeserializer());
    }

    /** Records which partitions a member was given and had taken away. */
    private static final class Recording implements ConsumerRebalanceListener {
        final List<TopicPartition> assigned = new ArrayList<>();
        final List<TopicPartition> revoked = new ArrayList<>();

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            revoked.addAll(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assigned.addAll(partitions);
        }
    }

    @Test
    void twoMembersSplitThePartitionsWithNoRecordTwiceAndNoneLost() {
        // One member reads and commits part of the topic; a second joins; both poll and commit in
        // turn until every record is read: the committed hand-over leaves no duplicate and no gap.
        log.createTopic("t", TopicConfig.defaults().withPartitions(4));
        produce(log, "t", 400);
        Map<String, Object> manual = Map.of("enable.auto.commit", false, "max.poll.records", 30);
        Recording firstListener = new Recording();
        Recording secondListener = new Recording();
        List<String> seen = new ArrayList<>();
        try (Consumer<String, String> first = member(log, "g", manual);
                Consumer<String, String> second = member(log, "g", manual)) {
            first.subscribe(List.of("t"), firstListener);
            first.poll(Duration.ofSeconds(5)).forEach(r -> seen.add(r.value()));
            first.commitSync();
            second.subscribe(List.of("t"), secondListener);
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (seen.size() < 400 && System.nanoTime() < deadline) {
                for (Consumer<String, String> c : List.of(first, second)) {
                    c.poll(Duration.ofMillis(10)).forEach(r -> seen.add(r.value()));
                    c.commitSync();
                }
            }
            assertThat(first.assignment()).hasSize(2).doesNotContainAnyElementsOf(second.assignment());
            assertThat(second.assignment()).hasSize(2);
            assertThat(firstListener.revoked).containsExactlyInAnyOrderElementsOf(second.assignment());
            assertThat(secondListener.assigned).containsExactlyInAnyOrderElementsOf(second.assignment());
        }
        assertThat(seen).hasSize(400).doesNotHaveDuplicates();
    }

    @Test
    void autoCommitCommitsInPollAtTheIntervalAndOnClose() {
        log.createTopic("t", TopicConfig.defaults());
        produce(log, "t", 10);
        dev.cairn.log.TopicPartition t0 = new dev.cairn.log.TopicPartition("t", 0);
        try (Consumer<String, String> c = member(log, "every-poll", Map.of("auto.commit.interval.ms", 0,
                "max.poll.records", 4))) {
            c.subscribe(List.of("t"));
            assertThat(c.poll(Duration.ofSeconds(5)).count()).isEqualTo(4);
            assertThat(log.committedOffsets("every-poll")).isEmpty();
            c.poll(Duration.ofSeconds(5)); // commits what the first poll returned, as KafkaConsumer does
            assertThat(log.committedOffsets("every-poll")).containsEntry(t0, 4L);
        }
        try (Consumer<String, String> c = member(log, "on-close", Map.of())) { // Kafka's default: on, every 5 s
            c.subscribe(List.of("t"));
            assertThat(c.poll(Duration.ofSeconds(5)).count()).isEqualTo(10);
            assertThat(log.committedOffsets("on-close")).isEmpty();
        }
        assertThat(log.committedOffsets("on-close")).containsEntry(t0, 10L);
        try (Consumer<String, String> off = member(log, "off", Map.of("enable.auto.commit", "false"))) {
            off.subscribe(List.of("t"));
            off.poll(Duration.ofSeconds(5));
        }
        assertThat(log.committedOffsets("off")).isEmpty();
    }

    @Test
    void autoCommitHandsOverPositionsWhenARebalanceRevokes() {
        log.createTopic("t", TopicConfig.defaults().withPartitions(2));
        produce(log, "t", 100);
        Set<String> seen = new HashSet<>();
        int total = 0;
        try (Consumer<String, String> first = member(log, "g", Map.of());
                Consumer<String, String> second = member(log, "g", Map.of())) {
            first.subscribe(List.of("t"));
            for (ConsumerRecord<String, String> r : first.poll(Duration.ofSeconds(5))) {
                seen.add(r.value());
                total++;
            }
            second.subscribe(List.of("t"));
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (second.assignment().isEmpty() && System.nanoTime() < deadline) {
                first.poll(Duration.ZERO).forEach(r -> seen.add(r.value()));
                for (ConsumerRecord<String, String> r : second.poll(Duration.ofMillis(10))) {
                    seen.add(r.value());
                    total++;
                }
            }
            assertThat(second.assignment()).hasSize(1);
        }
        assertThat(total).isEqualTo(100);
        assertThat(seen).hasSize(100);
    }

    @Test
    void aMemberThatStoppedPollingGetsKafkasCommitFailedException() {
        log.createTopic("t", TopicConfig.defaults());
        produce(log, "t", 10);
        Map<String, Object> slow = Map.of("max.poll.interval.ms", 10_000, "enable.auto.commit", false,
                "max.poll.records", 4);
        try (Consumer<String, String> zombie = member(log, "g", slow);
                Consumer<String, String> other = member(log, "g", slow)) {
            zombie.subscribe(List.of("t"));
            other.subscribe(List.of("t"));
            assertThat(zombie.poll(Duration.ZERO).count() + other.poll(Duration.ZERO).count()).isEqualTo(4);
            Consumer<String, String> owner = zombie.assignment().isEmpty() ? other : zombie;
            Consumer<String, String> idle = owner == zombie ? other : zombie;
            nowMs.addAndGet(10_001); // the log clock: no waiting
            idle.poll(Duration.ZERO);
            assertThatThrownBy(owner::commitSync).isInstanceOf(CommitFailedException.class);
        }
    }

    @Test
    void inProcessAndJavaApiMembersShareOneGroup() {
        log.createTopic("t", TopicConfig.defaults().withPartitions(2));
        produce(log, "t", 50);
        List<String> seen = new ArrayList<>();
        try (Consumer<String, String> kafka = member(log, "g", Map.of("enable.auto.commit", false));
                dev.cairn.log.Consumer java = log.consumer(ConsumerConfig.group("g"))) {
            kafka.subscribe(List.of("t"));
            java.subscribe(List.of("t"));
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (seen.size() < 50 && System.nanoTime() < deadline) {
                kafka.poll(Duration.ofMillis(10)).forEach(r -> seen.add(r.value()));
                kafka.commitSync();
                java.poll(Duration.ofMillis(10)).forEach(r -> seen.add(new String(r.value())));
                java.commitSync();
            }
            assertThat(kafka.assignment()).hasSize(1);
            assertThat(java.assignment()).hasSize(1);
        }
        assertThat(seen).hasSize(50).doesNotHaveDuplicates();
    }

    @Test
    void recordsAndCommitsSurviveReopeningADirectory(@TempDir Path dir) {
        try (Cairn first = Cairn.open(dir)) {
            first.log().createTopic("t", TopicConfig.defaults().withPartitions(2));
            produce(first.log(), "t", 100);
            try (Consumer<String, String> c = member(first.log(), "g", Map.of("enable.auto.commit", false,
                    "max.poll.records", 30))) {
                c.subscribe(List.of("t"));
                assertThat(c.poll(Duration.ofSeconds(5)).count()).isEqualTo(30);
                c.commitSync();
            }
        }
        try (Cairn reopened = Cairn.open(dir)) {
            List<String> rest = new ArrayList<>();
            try (Consumer<String, String> c = member(reopened.log(), "g", Map.of("enable.auto.commit", false))) {
                c.subscribe(List.of("t"));
                long deadline = System.nanoTime() + 30_000_000_000L;
                while (rest.size() < 70 && System.nanoTime() < deadline) {
                    c.poll(Duration.ofMillis(100)).forEach(r -> {
                        assertThat(r.value()).isEqualTo("value-" + r.key().substring(4));
                        rest.add(r.value());
                    });
                }
                assertThat(c.poll(Duration.ZERO).isEmpty()).isTrue();
            }
            assertThat(rest).hasSize(70).doesNotHaveDuplicates();
        }
    }
}
