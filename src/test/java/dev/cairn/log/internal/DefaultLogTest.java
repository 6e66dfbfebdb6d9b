package dev.cairn.log.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.common.ClosedException;
import dev.cairn.common.Durability;
import dev.cairn.log.Appender;
import dev.cairn.log.CleanupPolicy;
import dev.cairn.log.Consumer;
import dev.cairn.log.ConsumerConfig;
import dev.cairn.log.ConsumerRecord;
import dev.cairn.log.GroupDescription;
import dev.cairn.log.GroupIdNotFoundException;
import dev.cairn.log.GroupNotEmptyException;
import dev.cairn.log.GroupState;
import dev.cairn.log.GroupSubscribedToTopicException;
import dev.cairn.log.InvalidPartitionsException;
import dev.cairn.log.Header;
import dev.cairn.log.InvalidTopicException;
import dev.cairn.log.OffsetOutOfRangeException;
import dev.cairn.log.PolicyViolationException;
import dev.cairn.log.ProducerRecord;
import dev.cairn.log.RecordMetadata;
import dev.cairn.log.RecordTooLargeException;
import dev.cairn.log.TimestampType;
import dev.cairn.log.TopicConfig;
import dev.cairn.log.TopicExistsException;
import dev.cairn.log.TopicPartition;
import dev.cairn.log.UnknownTopicException;
import dev.cairn.storage.Storage;
import dev.cairn.storage.fs.MemoryFileSystem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DefaultLogTest {
    private final MemoryFileSystem fs = new MemoryFileSystem();
    private final AtomicLong nowMs = new AtomicLong(1_000_000);
    private final InstantSource clock = () -> Instant.ofEpochMilli(nowMs.get());
    private Storage storage = Storage.open(fs, Path.of("/data"), 1000);
    private DefaultLog log = open();

    private DefaultLog open() {
        return DefaultLog.open(storage, storage.root().resolve("log"),
                LogOptions.of(clock, Durability.NONE, false).withMaintenanceIntervalMs(0));
    }

    private void reopen() {
        log.close();
        log = open();
    }

    @AfterEach
    void tearDown() {
        log.close();
        storage.close();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void appendsAndReadsBackInOrderWithOffsetsAndHeaders() {
        log.createTopic("t", TopicConfig.defaults());
        List<Header> headers = List.of(new Header("h", bytes("v")), new Header("n", null));
        RecordMetadata first = log.append(new ProducerRecord("t", null, 42L, bytes("k"), bytes("v0"), headers));
        RecordMetadata second = log.append(ProducerRecord.of("t", null, null));
        assertThat(first.offset()).isZero();
        assertThat(first.timestampMs()).isEqualTo(42);
        assertThat(second.offset()).isEqualTo(1);
        assertThat(second.timestampMs()).isEqualTo(nowMs.get());
        List<ConsumerRecord> read = log.read(new TopicPartition("t", 0), 0, 10);
        assertThat(read).containsExactly(
                new ConsumerRecord("t", 0, 0, 42, TimestampType.CREATE_TIME, bytes("k"), bytes("v0"), headers),
                new ConsumerRecord("t", 0, 1, nowMs.get(), TimestampType.CREATE_TIME, null, null, List.of()));
        assertThat(log.read(new TopicPartition("t", 0), 1, 10)).hasSize(1);
        assertThat(log.read(new TopicPartition("t", 0), 2, 10)).isEmpty();
    }

    @Test
    void topicNamesFollowKafkaRules() {
        for (String bad : List.of("", ".", "..", "a b", "a/b", "x".repeat(250), "é")) {
            assertThatThrownBy(() -> log.createTopic(bad, TopicConfig.defaults()))
                    .isInstanceOf(InvalidTopicException.class);
        }
        log.createTopic("x".repeat(249), TopicConfig.defaults());
        log.createTopic("a-b.c_D9", TopicConfig.defaults());
        assertThat(log.topics()).containsExactlyInAnyOrder("x".repeat(249), "a-b.c_D9");
    }

    @Test
    void unknownTopicBadPartitionAndDuplicateTopicAreClearErrors() {
        assertThatThrownBy(() -> log.append(ProducerRecord.of("nope", bytes("v"))))
                .isInstanceOf(UnknownTopicException.class).hasMessageContaining("nope");
        log.createTopic("t", TopicConfig.defaults().withPartitions(2));
        assertThatThrownBy(() -> log.createTopic("t", TopicConfig.defaults()))
                .isInstanceOf(TopicExistsException.class);
        assertThatThrownBy(() -> log.append(new ProducerRecord("t", 2, null, null, bytes("v"), List.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("partitions 0 to 1");
        assertThatThrownBy(() -> log.endOffset(new TopicPartition("t", 5)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TopicPartition("t", -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void failedBatchWritesNothing() {
        log.createTopic("t", TopicConfig.defaults().withMaxRecordBytes(200));
        log.createTopic("u", TopicConfig.defaults());
        List<ProducerRecord> batch = List.of(ProducerRecord.of("u", bytes("ok")),
                ProducerRecord.of("t", new byte[500]));
        assertThatThrownBy(() -> log.append(batch)).isInstanceOf(RecordTooLargeException.class)
                .hasMessageContaining("200");
        List<ProducerRecord> unknown = List.of(ProducerRecord.of("u", bytes("ok")), ProducerRecord.of("zz", bytes("x")));
        assertThatThrownBy(() -> log.append(unknown)).isInstanceOf(UnknownTopicException.class);
        assertThat(log.endOffset(new TopicPartition("u", 0))).isZero();
        assertThat(log.endOffset(new TopicPartition("t", 0))).isZero();
    }

    @Test
    void offsetOutOfRangeNamesTheRange() {
        log.createTopic("t", TopicConfig.defaults());
        log.append(ProducerRecord.of("t", bytes("a")));
        assertThatThrownBy(() -> log.read(new TopicPartition("t", 0), 5, 1))
                .isInstanceOfSatisfying(OffsetOutOfRangeException.class, e -> {
                    assertThat(e.beginningOffset()).isZero();
                    assertThat(e.endOffset()).isEqualTo(1);
                    assertThat(e.offset()).isEqualTo(5);
                }).hasMessageContaining("valid offsets are 0 to 1");
    }

    @Test
    void topicsAndConfigsSurviveReopenAndDeleteRemovesThem() {
        TopicConfig config = TopicConfig.defaults().withPartitions(3).withSegmentBytes(4096)
                .withCleanupPolicy(CleanupPolicy.COMPACT).withDurability(Durability.ALWAYS).withRetentionBytes(1 << 20);
        log.createTopic("keep", config);
        log.createTopic("drop", TopicConfig.defaults());
        log.append(ProducerRecord.of("keep", bytes("k"), bytes("v")));
        reopen();
        assertThat(log.topics()).containsExactlyInAnyOrder("keep", "drop");
        assertThat(log.describeTopic("keep").config()).isEqualTo(config);
        assertThat(log.describeTopic("keep").partitions()).hasSize(3);
        log.deleteTopic("drop");
        assertThatThrownBy(() -> log.describeTopic("drop")).isInstanceOf(UnknownTopicException.class);
        reopen();
        assertThat(log.topics()).containsExactly("keep");
        log.createTopic("drop", TopicConfig.defaults());
        assertThat(log.endOffset(new TopicPartition("drop", 0))).isZero();
    }

    @Test
    void autoCreateWhenConfigured() {
        log.close();
        log = DefaultLog.open(storage, storage.root().resolve("log"), LogOptions.of(clock, Durability.NONE, false)
                .withMaintenanceIntervalMs(0).withAutoCreateTopics(TopicConfig.defaults().withPartitions(2)));
        log.append(ProducerRecord.of("auto", bytes("v")));
        assertThat(log.describeTopic("auto").partitions()).hasSize(2);
    }

    @Test
    void offsetForTimeFindsEarliestRecordAtOrAfter() {
        log.createTopic("t", TopicConfig.defaults().withSegmentBytes(1024).withIndexIntervalBytes(64));
        TopicPartition tp = new TopicPartition("t", 0);
        for (int i = 0; i < 200; i++) {
            log.append(new ProducerRecord("t", null, 1000L + i * 10, null, new byte[20], List.of()));
        }
        assertThat(log.offsetForTime(tp, 0)).hasValue(0);
        assertThat(log.offsetForTime(tp, 1000 + 55 * 10)).hasValue(55);
        assertThat(log.offsetForTime(tp, 1000 + 55 * 10 - 3)).hasValue(55);
        assertThat(log.offsetForTime(tp, 1000 + 199 * 10)).hasValue(199);
        assertThat(log.offsetForTime(tp, 1000 + 199 * 10 + 1)).isEmpty();
        reopen();
        assertThat(log.offsetForTime(tp, 1000 + 123 * 10)).hasValue(123);
        assertThat(log.describeTopic("t").partitions().get(0).segments()).isGreaterThan(3);
    }

    @Test
    void segmentsRollByAgeOnTheInjectedClock() {
        log.createTopic("t", TopicConfig.defaults().withSegmentMs(1000));
        log.append(ProducerRecord.of("t", bytes("a")));
        nowMs.addAndGet(999);
        log.append(ProducerRecord.of("t", bytes("b")));
        assertThat(log.describeTopic("t").partitions().get(0).segments()).isEqualTo(1);
        nowMs.addAndGet(1);
        log.append(ProducerRecord.of("t", bytes("c")));
        assertThat(log.describeTopic("t").partitions().get(0).segments()).isEqualTo(2);
        assertThat(log.read(new TopicPartition("t", 0), 0, 10)).extracting(ConsumerRecord::offset)
                .containsExactly(0L, 1L, 2L);
    }

    @Test
    void oldRecordTimestampsDoNotRollEveryAppend() {
        log.createTopic("t", TopicConfig.defaults().withSegmentMs(1000));
        for (int i = 0; i < 20; i++) {
            log.append(new ProducerRecord("t", 0, 1L, null, bytes("v"), List.of()));
        }
        assertThat(log.describeTopic("t").partitions().get(0).segments()).isEqualTo(1);
    }

    @Test
    void retentionDeletesWholeOldSegmentsByTimeAndBytes() {
        log.createTopic("t", TopicConfig.defaults().withSegmentBytes(1024).withRetentionMs(10_000));
        TopicPartition tp = new TopicPartition("t", 0);
        for (int i = 0; i < 100; i++) {
            log.append(ProducerRecord.of("t", new byte[50]));
        }
        int segments = log.describeTopic("t").partitions().get(0).segments();
        assertThat(segments).isGreaterThan(5);
        log.runMaintenance();
        assertThat(log.beginningOffset(tp)).isZero();
        nowMs.addAndGet(5_000);
        for (int i = 0; i < 5; i++) {
            log.append(ProducerRecord.of("t", new byte[50])); // a recent active segment
        }
        nowMs.addAndGet(5_001);
        log.runMaintenance();
        assertThat(log.describeTopic("t").partitions().get(0).segments()).isEqualTo(1);
        long start = log.beginningOffset(tp);
        assertThat(start).isGreaterThan(0);
        assertThat(log.read(tp, start, 1000)).extracting(ConsumerRecord::offset).startsWith(start).endsWith(104L);
        assertThatThrownBy(() -> log.read(tp, 0, 1)).isInstanceOf(OffsetOutOfRangeException.class);
        reopen();
        assertThat(log.beginningOffset(tp)).isEqualTo(start);

        log.createTopic("b", TopicConfig.defaults().withSegmentBytes(1024).withRetentionBytes(3000));
        for (int i = 0; i < 100; i++) {
            log.append(ProducerRecord.of("b", new byte[50]));
        }
        log.runMaintenance();
        assertThat(log.describeTopic("b").partitions().get(0).sizeBytes()).isLessThanOrEqualTo(3000);
        assertThat(log.endOffset(new TopicPartition("b", 0))).isEqualTo(100);
    }

    @Test
    void unkeyedRecordsSpreadAndKeyedRecordsStick() {
        log.createTopic("t", TopicConfig.defaults().withPartitions(4));
        List<Integer> partitions = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            partitions.add(log.append(ProducerRecord.of("t", bytes("v"))).partition());
        }
        assertThat(partitions).containsOnly(0, 1, 2, 3);
        int p = log.append(ProducerRecord.of("t", bytes("key"), bytes("v"))).partition();
        for (int i = 0; i < 5; i++) {
            assertThat(log.append(ProducerRecord.of("t", bytes("key"), bytes("v"))).partition()).isEqualTo(p);
        }
    }

    // Scenario: unkeyed appends alternate between two topics of two partitions each, through
    // append(record), append(list) and an Appender; each topic still spreads over both its partitions.
    @Test
    void unkeyedRoundRobinCountsPerTopic() {
        log.createTopic("a", TopicConfig.defaults().withPartitions(2));
        log.createTopic("b", TopicConfig.defaults().withPartitions(2));
        List<Integer> toA = new ArrayList<>();
        List<Integer> toB = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            toA.add(log.append(ProducerRecord.of("a", bytes("v"))).partition());
            toB.add(log.append(ProducerRecord.of("b", bytes("v"))).partition());
        }
        assertThat(toA).containsExactly(0, 1, 0, 1, 0, 1, 0, 1, 0, 1);
        assertThat(toB).containsExactly(0, 1, 0, 1, 0, 1, 0, 1, 0, 1);
        List<RecordMetadata> mixed = log.append(List.of(ProducerRecord.of("a", bytes("v")),
                ProducerRecord.of("b", bytes("v")), ProducerRecord.of("a", bytes("v")), ProducerRecord.of("b", bytes("v"))));
        assertThat(mixed).extracting(RecordMetadata::partition).containsExactly(0, 0, 1, 1);
        Appender a = log.appender("a");
        Appender b = log.appender("b");
        List<Integer> appended = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            a.append(null, bytes("v"));
            appended.add(a.lastPartition());
            b.append(null, bytes("v"));
            appended.add(b.lastPartition());
        }
        assertThat(appended).containsExactly(0, 0, 1, 1, 0, 0, 1, 1);
    }

    @Test
    void nullRecordsAreNamedAndWriteNothing() {
        log.createTopic("t", TopicConfig.defaults());
        assertThatThrownBy(() -> log.append((ProducerRecord) null)).isInstanceOf(NullPointerException.class)
                .hasMessage("record");
        assertThatThrownBy(() -> log.append(Arrays.asList(ProducerRecord.of("t", bytes("v")), null)))
                .isInstanceOf(NullPointerException.class).hasMessage("record 1 of 2 is null");
        assertThat(log.endOffset(new TopicPartition("t", 0))).isZero();
    }

    @Test
    void closedLogRefusesUse() {
        log.createTopic("t", TopicConfig.defaults());
        log.close();
        log.close();
        assertThatThrownBy(() -> log.append(ProducerRecord.of("t", bytes("v")))).isInstanceOf(ClosedException.class);
        log = open();
    }

    @Test
    void createPartitionsGrowsATopicDurablyAndKeysRouteByTheNewCount() {
        log.createTopic("t", TopicConfig.defaults().withPartitions(2));
        TopicPartition t0 = new TopicPartition("t", 0);
        log.append(new ProducerRecord("t", 0, null, bytes("k"), bytes("before"), List.of()));
        assertThatThrownBy(() -> log.createPartitions("t", 2)).isInstanceOf(InvalidPartitionsException.class)
                .hasMessageContaining("has 2 partitions");
        assertThatThrownBy(() -> log.createPartitions("t", 1)).isInstanceOf(InvalidPartitionsException.class);
        assertThatThrownBy(() -> log.createPartitions("nope", 3)).isInstanceOf(UnknownTopicException.class);
        assertThat(log.describeTopic("t").partitions()).hasSize(2);
        try (Consumer c = log.consumer(ConsumerConfig.group("g"))) {
            c.subscribe(List.of("t"));
            c.poll(Duration.ZERO);
            assertThat(c.assignment()).hasSize(2);
            log.createPartitions("t", 5);
            c.poll(Duration.ZERO);
            assertThat(c.assignment()).hasSize(5);
        }
        assertThat(log.describeTopic("t").config().partitions()).isEqualTo(5);
        for (int i = 0; i < 50; i++) {
            byte[] key = bytes("key-" + i);
            int expected = Partitioner.toPositive(Partitioner.murmur2(key)) % 5;
            assertThat(log.append(ProducerRecord.of("t", key, bytes("v"))).partition()).isEqualTo(expected);
        }
        reopen();
        assertThat(log.describeTopic("t").partitions()).hasSize(5);
        assertThat(log.read(t0, 0, 1)).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactly("before");
        assertThat(log.append(ProducerRecord.of("t", bytes("key-1"), bytes("v"))).partition())
                .isEqualTo(Partitioner.toPositive(Partitioner.murmur2(bytes("key-1"))) % 5);
    }

    @Test
    void groupsAreListedAndDescribedWithTheirMembersAndState() {
        log.createTopic("t", TopicConfig.defaults().withPartitions(3));
        TopicPartition t0 = new TopicPartition("t", 0);
        assertThat(log.listGroups()).isEmpty();
        assertThatThrownBy(() -> log.describeGroup("g")).isInstanceOf(GroupIdNotFoundException.class)
                .hasMessageContaining("group g");
        Consumer a = log.consumer(ConsumerConfig.group("g"));
        Consumer b = log.consumer(ConsumerConfig.group("g"));
        try {
            a.subscribe(List.of("t"));
            a.poll(Duration.ZERO);
            GroupDescription one = log.describeGroup("g");
            assertThat(one.state()).isEqualTo(GroupState.STABLE);
            assertThat(one.protocol()).isEqualTo("roundrobin");
            assertThat(one.members()).singleElement().satisfies(m -> {
                assertThat(m.topics()).containsExactly("t");
                assertThat(m.assignment()).hasSize(3);
            });
            b.subscribe(List.of("t"));
            assertThat(log.describeGroup("g").state()).isEqualTo(GroupState.PREPARING_REBALANCE);
            a.poll(Duration.ZERO);
            b.poll(Duration.ZERO);
            GroupDescription two = log.describeGroup("g");
            assertThat(two.state()).isEqualTo(GroupState.STABLE);
            assertThat(two.members()).hasSize(2);
            assertThat(two.members().get(0).assignment().size() + two.members().get(1).assignment().size())
                    .isEqualTo(3);
            assertThat(log.listGroups()).containsExactly("g");
            a.commitSync(Map.of(t0, 1L));
        } finally {
            a.close();
            b.close();
        }
        GroupDescription empty = log.describeGroup("g");
        assertThat(empty.state()).isEqualTo(GroupState.EMPTY);
        assertThat(empty.members()).isEmpty();
        reopen();
        assertThat(log.listGroups()).containsExactly("g"); // by its committed offsets
    }

    @Test
    void committedOffsetsAreAlteredAndDeletedOnlyWhenNoMemberStandsInTheWay() {
        log.createTopic("t", TopicConfig.defaults().withPartitions(2));
        log.createTopic("u", TopicConfig.defaults());
        TopicPartition t0 = new TopicPartition("t", 0);
        TopicPartition t1 = new TopicPartition("t", 1);
        TopicPartition u0 = new TopicPartition("u", 0);
        for (int i = 0; i < 5; i++) {
            log.append(new ProducerRecord("t", 0, null, null, bytes("v" + i), List.of()));
        }
        assertThat(log.committedOffsets("g")).isEmpty();
        log.alterCommittedOffsets("g", Map.of(t0, 3L, u0, 1L));
        assertThat(log.committedOffsets("g")).isEqualTo(Map.of(t0, 3L, u0, 1L));
        assertThatThrownBy(() -> log.alterCommittedOffsets("g", Map.of(t1, 2L, new TopicPartition("x", 0), 1L)))
                .isInstanceOf(UnknownTopicException.class);
        assertThatThrownBy(() -> log.alterCommittedOffsets("g", Map.of(t1, -2L)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(log.committedOffsets("g")).isEqualTo(Map.of(t0, 3L, u0, 1L));
        try (Consumer member = log.consumer(ConsumerConfig.group("g"))) {
            member.subscribe(List.of("t"));
            assertThat(member.poll(Duration.ZERO)).extracting(ConsumerRecord::offset).containsExactly(3L, 4L);
            assertThatThrownBy(() -> log.alterCommittedOffsets("g", Map.of(t0, 0L)))
                    .isInstanceOf(GroupNotEmptyException.class).hasMessageContaining("live members");
            assertThatThrownBy(() -> log.deleteGroup("g")).isInstanceOf(GroupNotEmptyException.class);
            assertThatThrownBy(() -> log.deleteCommittedOffsets("g", List.of(t0)))
                    .isInstanceOf(GroupSubscribedToTopicException.class).hasMessageContaining("topic t");
            log.deleteCommittedOffsets("g", List.of(u0)); // no member reads u
            assertThat(log.committedOffsets("g")).isEqualTo(Map.of(t0, 3L));
        }
        assertThatThrownBy(() -> log.deleteCommittedOffsets("nobody", List.of(t0)))
                .isInstanceOf(GroupIdNotFoundException.class);
        assertThatThrownBy(() -> log.deleteGroup("nobody")).isInstanceOf(GroupIdNotFoundException.class);
        log.alterCommittedOffsets("g", Map.of(t1, 7L));
        reopen();
        assertThat(log.committedOffsets("g")).isEqualTo(Map.of(t0, 3L, t1, 7L));
        log.deleteCommittedOffsets("g", Set.of(t0));
        log.deleteGroup("g");
        assertThat(log.listGroups()).isEmpty();
        reopen();
        assertThat(log.committedOffsets("g")).isEmpty();
        assertThat(log.listGroups()).isEmpty();
    }

    @Test
    void deleteRecordsMovesTheBeginningDurablyAndDeletesSegmentsBelowIt() {
        log.createTopic("t", TopicConfig.defaults().withSegmentBytes(1024).withIndexIntervalBytes(128)
                .withDurability(Durability.ALWAYS));
        TopicPartition tp = new TopicPartition("t", 0);
        for (int i = 0; i < 200; i++) {
            log.append(new ProducerRecord("t", 0, 1_000L + i, null, bytes("value-" + i), List.of()));
        }
        int segmentsBefore = log.describeTopic("t").partitions().get(0).segments();
        assertThatThrownBy(() -> log.deleteRecords(tp, 201)).isInstanceOf(OffsetOutOfRangeException.class)
                .hasMessageContaining("201");
        assertThatThrownBy(() -> log.deleteRecords(tp, -1)).isInstanceOf(OffsetOutOfRangeException.class);
        assertThatThrownBy(() -> log.deleteRecords(new TopicPartition("nope", 0), 1))
                .isInstanceOf(UnknownTopicException.class);
        assertThatThrownBy(() -> log.deleteRecords(new TopicPartition("__consumer_offsets", 0), 0))
                .isInstanceOf(InvalidTopicException.class);
        assertThat(log.beginningOffset(tp)).isZero(); // refused calls changed nothing
        assertThat(log.deleteRecords(tp, 120)).isEqualTo(120);
        assertThat(log.deleteRecords(tp, 30)).isEqualTo(120); // never moves back
        assertThat(log.beginningOffset(tp)).isEqualTo(120);
        assertThat(log.describeTopic("t").partitions().get(0).segments()).isLessThan(segmentsBefore);
        assertThatThrownBy(() -> log.read(tp, 119, 1)).isInstanceOf(OffsetOutOfRangeException.class)
                .hasMessageContaining("120 to 200");
        assertThat(log.read(tp, 120, 1)).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactly("value-120");
        assertThat(log.offsetForTime(tp, 0)).hasValue(120);
        try (Consumer c = log.consumer(ConsumerConfig.group("g"))) {
            c.commitSync(Map.of(tp, 10L));
            c.assign(List.of(tp));
            assertThat(c.poll(Duration.ZERO).get(0).offset()).isEqualTo(120); // reset from 10, as Kafka
        }
        reopen();
        assertThat(log.beginningOffset(tp)).isEqualTo(120);
        assertThatThrownBy(() -> log.read(tp, 100, 1)).isInstanceOf(OffsetOutOfRangeException.class);
        assertThat(log.deleteRecords(tp, 200)).isEqualTo(200); // up to the end: nothing left to read
        assertThat(log.read(tp, 200, 10)).isEmpty();
        log.append(new ProducerRecord("t", 0, null, null, bytes("after"), List.of()));
        assertThat(log.read(tp, 200, 10)).hasSize(1);
        log.createTopic("c", TopicConfig.defaults().withCleanupPolicy(CleanupPolicy.COMPACT));
        log.append(ProducerRecord.of("c", bytes("k"), bytes("v")));
        assertThatThrownBy(() -> log.deleteRecords(new TopicPartition("c", 0), 1))
                .isInstanceOf(PolicyViolationException.class).hasMessageContaining("compact");
    }

    // Scenario: power loss (unsynced writes dropped, some torn) right after each deleteRecords;
    // the beginning offset it returned holds after recovery and every record above it is intact.
    @Test
    void deleteRecordsSurvivesPowerLoss() {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        log.createTopic("t", TopicConfig.defaults().withSegmentBytes(1024).withDurability(Durability.ALWAYS));
        TopicPartition tp = new TopicPartition("t", 0);
        long end = 0;
        long beginning = 0;
        for (int round = 0; round < 10; round++) {
            for (int i = 0; i < 30; i++) {
                log.append(new ProducerRecord("t", 0, null, null, bytes("value-" + end++), List.of()));
            }
            beginning = log.deleteRecords(tp, beginning + random.nextInt((int) (end - beginning) + 1));
            fs.crash(random.nextBoolean() ? random : null);
            storage.close();
            storage = Storage.open(fs, Path.of("/data"), 1000);
            log = open();
            String where = "seed " + seed + " round " + round;
            assertThat(log.beginningOffset(tp)).as(where).isEqualTo(beginning);
            assertThat(log.endOffset(tp)).as(where).isEqualTo(end);
            List<ConsumerRecord> kept = log.read(tp, beginning, 10_000);
            for (int i = 0; i < kept.size(); i++) {
                assertThat(new String(kept.get(i).value(), StandardCharsets.UTF_8)).as(where)
                        .isEqualTo("value-" + (beginning + i));
            }
            assertThat(kept).as(where).hasSize((int) (end - beginning));
        }
    }

    @Test
    void alterTopicConfigChangesALiveTopicDurablyAndRefusesWhatCannotChange() {
        log.createTopic("t", TopicConfig.defaults().withPartitions(2).withMaxRecordBytes(200));
        TopicPartition tp = new TopicPartition("t", 0);
        byte[] big = new byte[400];
        assertThatThrownBy(() -> log.append(new ProducerRecord("t", 0, null, null, big, List.of())))
                .isInstanceOf(RecordTooLargeException.class);
        TopicConfig changed = log.alterTopicConfig("t", c -> c.withMaxRecordBytes(4096).withSegmentBytes(2048)
                .withRetentionBytes(4096).withRetentionMs(60_000).withSegmentMs(1_000));
        assertThat(changed.maxRecordBytes()).isEqualTo(4096);
        assertThat(log.describeTopic("t").config()).isEqualTo(changed);
        log.append(new ProducerRecord("t", 0, null, null, big, List.of())); // fits now
        assertThatThrownBy(() -> log.alterTopicConfig("t", c -> c.withPartitions(3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("createPartitions");
        assertThatThrownBy(() -> log.alterTopicConfig("t", c -> c.withDurability(Durability.ALWAYS)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("durability");
        assertThatThrownBy(() -> log.alterTopicConfig("t", c -> c.withMaxRecordBytes(100)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only grow");
        assertThatThrownBy(() -> log.alterTopicConfig("nope", c -> c)).isInstanceOf(UnknownTopicException.class);
        assertThat(log.describeTopic("t").config()).isEqualTo(changed);
        for (int i = 0; i < 40; i++) {
            log.append(new ProducerRecord("t", 0, null, null, big, List.of()));
        }
        // 41 records of ~400 bytes in 2 KiB segments: rolled by the new size
        assertThat(log.describeTopic("t").partitions().get(0).segments()).isGreaterThan(5);
        log.runMaintenance(); // retention by the new 4 KiB limit
        assertThat(log.describeTopic("t").partitions().get(0).sizeBytes()).isLessThanOrEqualTo(4096 + 2048);
        assertThat(log.beginningOffset(tp)).isPositive();
        reopen();
        assertThat(log.describeTopic("t").config()).isEqualTo(changed);
        TopicConfig compacted = log.alterTopicConfig("t", TopicConfig.defaults().withPartitions(2)
                .withMaxRecordBytes(4096).withCleanupPolicy(CleanupPolicy.COMPACT));
        assertThat(compacted.cleanupPolicy()).isEqualTo(CleanupPolicy.COMPACT);
        assertThatThrownBy(() -> log.deleteRecords(tp, 1)).isInstanceOf(PolicyViolationException.class);
        reopen();
        assertThat(log.describeTopic("t").config()).isEqualTo(compacted);
    }
}
