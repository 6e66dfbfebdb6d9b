package dev.cairn.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.Cairn;
import dev.cairn.log.Header;
import dev.cairn.log.Log;
import dev.cairn.log.TopicConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.NoOffsetForPartitionException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.clients.consumer.SubscriptionPattern;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidGroupIdException;
import org.apache.kafka.common.errors.InvalidRegularExpression;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link InProcessConsumer} on its own: Kafka's consumer contract over records the log's Java API wrote. */
class InProcessConsumerTest {
    private final Cairn cairn = Cairn.inMemory();
    private final Log log = cairn.log();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private static final TopicPartition T0 = new TopicPartition("t", 0);

    @AfterEach
    void tearDown() throws InterruptedException {
        threads.shutdownNow();
        threads.awaitTermination(10, TimeUnit.SECONDS);
        cairn.close();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private void append(String topic, int count) {
        for (int i = 0; i < count; i++) {
            log.append(new dev.cairn.log.ProducerRecord(topic, 0, 1_000L + i, utf8("k" + i), utf8("v" + i),
                    List.of(new Header("n", utf8(Integer.toString(i))))));
        }
    }

    private InProcessConsumer<String, String> consumer(Map<String, Object> extra) {
        Map<String, Object> configs = new HashMap<>(Map.of("auto.offset.reset", "earliest"));
        configs.putAll(extra);
        return new InProcessConsumer<>(log, configs, new StringDeserializer(), new StringDeserializer());
    }

    private InProcessConsumer<String, String> standalone() {
        return consumer(Map.of());
    }

    @Test
    void recordsAppendedThroughTheLogArePolledWithEveryField() {
        log.createTopic("t", TopicConfig.defaults());
        append("t", 3);
        log.append(dev.cairn.log.ProducerRecord.of("t", null));
        try (Consumer<String, String> c = standalone()) {
            c.assign(List.of(T0));
            ConsumerRecords<String, String> records = c.poll(Duration.ofSeconds(5));
            assertThat(records.count()).isEqualTo(4);
            List<ConsumerRecord<String, String>> list = records.records(T0);
            for (int i = 0; i < 3; i++) {
                ConsumerRecord<String, String> r = list.get(i);
                assertThat(r.offset()).isEqualTo(i);
                assertThat(r.key()).isEqualTo("k" + i);
                assertThat(r.value()).isEqualTo("v" + i);
                assertThat(r.timestamp()).isEqualTo(1_000L + i);
                assertThat(r.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
                assertThat(r.serializedKeySize()).isEqualTo(2);
                assertThat(r.serializedValueSize()).isEqualTo(2);
                assertThat(r.leaderEpoch()).isEmpty();
                assertThat(r.headers().lastHeader("n").value()).isEqualTo(utf8(Integer.toString(i)));
            }
            assertThat(list.get(3).key()).isNull();
            assertThat(list.get(3).value()).isNull();
            assertThat(list.get(3).serializedValueSize()).isEqualTo(-1);
            assertThat(records.nextOffsets()).containsEntry(T0, new OffsetAndMetadata(4));
            assertThat(c.position(T0)).isEqualTo(4);
        }
    }

    // A LogAppendTime topic's records are polled with the log's stamp, typed LOG_APPEND_TIME, as a
    // KafkaConsumer reads them from a broker; the record's own timestamp is not what was stored.
    @Test
    void recordsOfALogAppendTimeTopicArePolledWithTheStampAndItsType() {
        log.createTopic("t", TopicConfig.defaults().withTimestampType(dev.cairn.log.TimestampType.LOG_APPEND_TIME));
        long before = System.currentTimeMillis();
        append("t", 2);
        long after = System.currentTimeMillis();
        try (Consumer<String, String> c = standalone()) {
            c.assign(List.of(T0));
            List<ConsumerRecord<String, String>> list = c.poll(Duration.ofSeconds(5)).records(T0);
            assertThat(list).hasSize(2).allSatisfy(r -> {
                assertThat(r.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
                assertThat(r.timestamp()).isBetween(before, after);
            });
        }
    }

    @Test
    void deserializersNamedByConfigsAreConfiguredAndClosed() {
        log.createTopic("t", TopicConfig.defaults());
        append("t", 1);
        RecordingSerde.MADE.clear();
        Consumer<String, String> c = new InProcessConsumer<>(log, Map.of("key.deserializer", RecordingSerde.class,
                "value.deserializer", RecordingSerde.class.getName(), "auto.offset.reset", "earliest"));
        assertThat(RecordingSerde.MADE).hasSize(2);
        assertThat(RecordingSerde.MADE.get(0).isKey).isTrue();
        assertThat(RecordingSerde.MADE.get(1).isKey).isFalse();
        assertThat(RecordingSerde.MADE.get(0).configs).containsEntry("auto.offset.reset", "earliest");
        c.assign(List.of(T0));
        assertThat(c.poll(Duration.ofSeconds(5)).iterator().next().value()).isEqualTo("v0");
        c.close();
        assertThat(RecordingSerde.MADE).allSatisfy(s -> assertThat(s.closed).isTrue());
        assertThatThrownBy(() -> c.poll(Duration.ZERO)).isInstanceOf(IllegalStateException.class);
        c.close();
    }

    @Test
    void kafkasDefaultResetIsLatest() {
        log.createTopic("t", TopicConfig.defaults());
        append("t", 5);
        try (Consumer<String, String> c = new InProcessConsumer<>(log, Map.of(), new StringDeserializer(),
                new StringDeserializer())) {
            c.assign(List.of(T0));
            assertThat(c.poll(Duration.ZERO).isEmpty()).isTrue();
            assertThat(c.position(T0)).isEqualTo(5);
        }
    }

    @Test
    void seekPositionAndSeekToEitherEnd() {
        log.createTopic("t", TopicConfig.defaults());
        append("t", 10);
        try (Consumer<String, String> c = standalone()) {
            c.assign(List.of(T0));
            c.seek(T0, 7);
            assertThat(c.poll(Duration.ofSeconds(5)).iterator().next().offset()).isEqualTo(7);
            c.seekToBeginning(List.of());
            assertThat(c.position(T0)).isZero();
            c.seekToEnd(List.of(T0));
            assertThat(c.position(T0)).isEqualTo(10);
            c.seek(T0, new OffsetAndMetadata(3));
            assertThat(c.position(T0)).isEqualTo(3);
            assertThat(c.currentLag(T0)).hasValue(7);
            assertThatThrownBy(() -> c.seek(T0, -1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> c.seek(new TopicPartition("t", 9), 0)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void commitsSyncAndAsyncAndCommittedOffsets() {
        log.createTopic("t", TopicConfig.defaults().withPartitions(2));
        append("t", 10);
        TopicPartition t1 = new TopicPartition("t", 1);
        try (Consumer<String, String> c = consumer(Map.of("group.id", "g", "enable.auto.commit", false))) {
            c.assign(List.of(T0, t1));
            assertThat(c.poll(Duration.ofSeconds(5)).count()).isEqualTo(10);
            assertThat(c.committed(Set.of(T0, t1))).containsEntry(T0, null).containsEntry(t1, null);
            c.commitSync(Map.of(T0, new OffsetAndMetadata(4, "metadata is not kept")));
            assertThat(c.committed(Set.of(T0)).get(T0).offset()).isEqualTo(4);
            AtomicReference<Map<TopicPartition, OffsetAndMetadata>> seen = new AtomicReference<>();
            c.commitAsync((offsets, e) -> seen.set(offsets));
            assertThat(seen.get()).isNull(); // the callback waits for the next poll, as in Kafka
            c.poll(Duration.ZERO);
            assertThat(seen.get()).containsEntry(T0, new OffsetAndMetadata(10));
            assertThat(c.committed(Set.of(T0)).get(T0).offset()).isEqualTo(10);
            c.commitAsync(Map.of(T0, new OffsetAndMetadata(2)), null);
            c.commitSync();
            assertThat(log.committedOffsets("g")).containsEntry(new dev.cairn.log.TopicPartition("t", 0), 10L);
        }
    }

    @Test
    void groupCallsWithoutAGroupIdAreInvalidGroupId() {
        log.createTopic("t", TopicConfig.defaults());
        assertThatThrownBy(() -> consumer(Map.of("enable.auto.commit", "true")))
                .isInstanceOf(InvalidConfigurationException.class);
        assertThatThrownBy(() -> consumer(Map.of("auto.offset.reset", "by_duration:P1D")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("auto.offset.reset");
        assertThatThrownBy(() -> consumer(Map.of("interceptor.classes", List.of("com.example.Tracing"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("interceptor.classes");
        assertThatThrownBy(() -> consumer(Map.of("max.poll.records", "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("max.poll.records");
        try (Consumer<String, String> c = standalone()) {
            assertThatThrownBy(() -> c.subscribe(List.of("t"))).isInstanceOf(InvalidGroupIdException.class);
            assertThatThrownBy(c::commitSync).isInstanceOf(InvalidGroupIdException.class);
            assertThatThrownBy(() -> c.committed(Set.of(T0))).isInstanceOf(InvalidGroupIdException.class);
            assertThatThrownBy(c::groupMetadata).isInstanceOf(InvalidGroupIdException.class);
            assertThatThrownBy(c::enforceRebalance).isInstanceOf(InvalidGroupIdException.class);
        }
    }

    @Test
    void resetNoneNamesThePartitionsWithoutOffsetsAndOutOfRangePositions() {
        log.createTopic("t", TopicConfig.defaults());
        append("t", 10);
        try (Consumer<String, String> c = consumer(Map.of("group.id", "g", "auto.offset.reset", "none"))) {
            c.assign(List.of(T0));
            assertThatThrownBy(() -> c.poll(Duration.ZERO)).isInstanceOfSatisfying(NoOffsetForPartitionException.class,
                    e -> assertThat(e.partitions()).containsExactly(T0));
            assertThatThrownBy(() -> c.position(T0)).isInstanceOf(NoOffsetForPartitionException.class);
            c.seek(T0, 2);
            assertThat(c.poll(Duration.ofSeconds(5)).count()).isEqualTo(8);
            log.deleteRecords(new dev.cairn.log.TopicPartition("t", 0), 5);
            c.seek(T0, 1);
            assertThatThrownBy(() -> c.poll(Duration.ZERO)).isInstanceOfSatisfying(OffsetOutOfRangeException.class,
                    e -> assertThat(e.offsetOutOfRangePartitions()).containsEntry(T0, 1L));
        }
    }

    @Test
    void pausedPartitionsReturnNothingUntilResumed() {
        log.createTopic("t", TopicConfig.defaults().withPartitions(2));
        append("t", 5);
        TopicPartition t1 = new TopicPartition("t", 1);
        log.append(new dev.cairn.log.ProducerRecord("t", 1, null, null, utf8("p1"), null));
        try (Consumer<String, String> c = standalone()) {
            c.assign(List.of(T0, t1));
            c.pause(List.of(T0));
            assertThat(c.paused()).containsExactly(T0);
            ConsumerRecords<String, String> got = c.poll(Duration.ofSeconds(5));
            assertThat(got.partitions()).containsExactly(t1);
            assertThat(c.poll(Duration.ZERO).isEmpty()).isTrue();
            c.resume(List.of(T0));
            assertThat(c.paused()).isEmpty();
            assertThat(c.poll(Duration.ofSeconds(5)).records(T0)).hasSize(5);
        }
    }

    @Test
    void offsetsLagTimesAndMetadata() {
        log.createTopic("t", TopicConfig.defaults().withPartitions(2));
        append("t", 10);
        log.deleteRecords(new dev.cairn.log.TopicPartition("t", 0), 2);
        try (Consumer<String, String> c = standalone()) {
            assertThat(c.beginningOffsets(List.of(T0))).containsEntry(T0, 2L);
            assertThat(c.endOffsets(List.of(T0, new TopicPartition("t", 1))))
                    .containsEntry(T0, 10L).containsEntry(new TopicPartition("t", 1), 0L);
            Map<TopicPartition, OffsetAndTimestamp> times = c.offsetsForTimes(Map.of(T0, 1_004L,
                    new TopicPartition("t", 1), 0L));
            assertThat(times.get(T0)).isEqualTo(new OffsetAndTimestamp(4, 1_004L));
            assertThat(times).containsEntry(new TopicPartition("t", 1), null);
            assertThatThrownBy(() -> c.offsetsForTimes(Map.of(T0, -1L))).isInstanceOf(IllegalArgumentException.class);
            assertThat(c.partitionsFor("t")).hasSize(2);
            assertThat(c.partitionsFor("missing")).isEmpty();
            assertThat(c.listTopics()).containsOnlyKeys("t");
            c.assign(List.of(T0));
            assertThat(c.currentLag(T0)).isEmpty();
            c.position(T0);
            assertThat(c.currentLag(T0)).hasValue(8);
        }
    }

    @Test
    void wakeupMakesABlockedPollThrowAndAPendingOneTheNextCall() throws Exception {
        log.createTopic("t", TopicConfig.defaults());
        Consumer<String, String> c = standalone();
        c.assign(List.of(T0));
        AtomicReference<Thread> poller = new AtomicReference<>();
        Future<ConsumerRecords<String, String>> blocked = threads.submit(() -> {
            poller.set(Thread.currentThread());
            return c.poll(Duration.ofSeconds(60));
        });
        awaitParked(poller);
        c.wakeup();
        assertThatThrownBy(() -> blocked.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(WakeupException.class);
        c.wakeup();
        assertThatThrownBy(() -> c.poll(Duration.ZERO)).isInstanceOf(WakeupException.class);
        assertThat(c.poll(Duration.ZERO).isEmpty()).isTrue();
        c.close();
    }

    @Test
    void aSecondThreadGetsConcurrentModificationException() throws Exception {
        log.createTopic("t", TopicConfig.defaults());
        Consumer<String, String> c = standalone();
        c.assign(List.of(T0));
        AtomicReference<Thread> poller = new AtomicReference<>();
        Future<ConsumerRecords<String, String>> blocked = threads.submit(() -> {
            poller.set(Thread.currentThread());
            return c.poll(Duration.ofSeconds(60));
        });
        awaitParked(poller);
        assertThatThrownBy(() -> c.position(T0)).isInstanceOf(ConcurrentModificationException.class);
        assertThatThrownBy(c::close).isInstanceOf(ConcurrentModificationException.class);
        c.wakeup();
        assertThatThrownBy(() -> blocked.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(WakeupException.class);
        assertThat(c.assignment()).containsExactly(T0);
        c.close();
    }

    /** Waits (up to 30 s) until the thread that set {@code ref} parks, inside the poll it was submitted to run. */
    private static void awaitParked(AtomicReference<Thread> ref) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Thread t = ref.get();
            if (t != null && (t.getState() == Thread.State.TIMED_WAITING || t.getState() == Thread.State.WAITING)) {
                return;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("the polling thread never parked");
    }

    /** Fails on values equal to "bad". */
    private static final class Picky implements Deserializer<String> {
        @Override
        public String deserialize(String topic, byte[] data) {
            String s = new String(data, StandardCharsets.UTF_8);
            if (s.equals("bad")) {
                throw new IllegalArgumentException("bad value");
            }
            return s;
        }
    }

    @Test
    void aRecordThatFailsToDeserializeStopsThePollAtItUntilSkipped() {
        log.createTopic("t", TopicConfig.defaults());
        for (String v : List.of("a", "b", "bad", "c")) {
            log.append(new dev.cairn.log.ProducerRecord("t", 0, null, null, utf8(v), null));
        }
        try (Consumer<String, String> c = new InProcessConsumer<>(log, Map.of("auto.offset.reset", "earliest"),
                new StringDeserializer(), new Picky())) {
            c.assign(List.of(T0));
            List<String> got = new ArrayList<>();
            c.poll(Duration.ofSeconds(5)).forEach(r -> got.add(r.value()));
            assertThat(got).containsExactly("a", "b");
            assertThatThrownBy(() -> c.poll(Duration.ZERO)).isInstanceOfSatisfying(
                    RecordDeserializationException.class, e -> {
                        assertThat(e.offset()).isEqualTo(2);
                        assertThat(e.topicPartition()).isEqualTo(T0);
                        assertThat(e.origin()).isEqualTo(RecordDeserializationException.DeserializationExceptionOrigin.VALUE);
                    });
            assertThat(c.position(T0)).isEqualTo(2);
            c.seek(T0, 3);
            assertThat(c.poll(Duration.ofSeconds(5)).iterator().next().value()).isEqualTo("c");
        }
    }

    @Test
    void subscriptionPatternsAreMatchedAndBadOnesRefused() {
        log.createTopic("orders-eu", TopicConfig.defaults());
        log.createTopic("orders-us", TopicConfig.defaults());
        log.createTopic("audit", TopicConfig.defaults());
        try (Consumer<String, String> c = consumer(Map.of("group.id", "g"))) {
            assertThatThrownBy(() -> c.subscribe(new SubscriptionPattern("orders-(")))
                    .isInstanceOf(InvalidRegularExpression.class);
            c.subscribe(new SubscriptionPattern("orders-.*"));
            assertThat(c.subscription()).containsExactlyInAnyOrder("orders-eu", "orders-us");
            c.poll(Duration.ZERO);
            assertThat(c.assignment()).extracting(TopicPartition::topic).containsExactlyInAnyOrder("orders-eu",
                    "orders-us");
            c.enforceRebalance("nothing changed");
            c.unsubscribe();
            assertThat(c.subscription()).isEmpty();
            assertThat(c.assignment()).isEmpty();
        }
    }
}
