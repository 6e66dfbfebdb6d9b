package dev.cairn.log.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.common.ClosedException;
import dev.cairn.common.Durability;
import dev.cairn.log.AutoOffsetReset;
import dev.cairn.log.CommitFailedException;
import dev.cairn.log.Consumer;
import dev.cairn.log.ConsumerConfig;
import dev.cairn.log.ConsumerRecord;
import dev.cairn.log.Header;
import dev.cairn.log.OffsetCommitCallback;
import dev.cairn.log.ProducerRecord;
import dev.cairn.log.RebalanceListener;
import dev.cairn.log.RecordHandler;
import dev.cairn.log.TopicConfig;
import dev.cairn.log.TopicPartition;
import dev.cairn.log.UnknownTopicException;
import dev.cairn.storage.Storage;
import dev.cairn.storage.fs.MemoryFileSystem;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LogConsumerTest {
    private final MemoryFileSystem fs = new MemoryFileSystem();
    private final AtomicLong nowMs = new AtomicLong(5_000);
    private final InstantSource clock = () -> Instant.ofEpochMilli(nowMs.get());
    private final Storage storage = Storage.open(fs, Path.of("/data"), 1000);
    private DefaultLog log = open();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    private DefaultLog open() {
        return DefaultLog.open(storage, storage.root().resolve("log"),
                LogOptions.of(clock, Durability.NONE, false).withMaintenanceIntervalMs(0));
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        threads.shutdownNow();
        threads.awaitTermination(10, TimeUnit.SECONDS);
        log.close();
        storage.close();
    }

    private static byte[] id(long n) {
        return ByteBuffer.allocate(8).putLong(n).array();
    }

    private static long id(ConsumerRecord r) {
        return ByteBuffer.wrap(r.value()).getLong();
    }

    @Test
    void batchesLargerThanAPollAreReturnedWholeAcrossPollsAndForgottenOnSeek() {
        log.createTopic("t", TopicConfig.defaults().withPartitions(2));
        // Batches of 7 records on partition 0, single records on partition 1; polls of 5.
        long id = 0;
        for (int b = 0; b < 10; b++) {
            List<ProducerRecord> batch = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                batch.add(new ProducerRecord("t", 0, null, null, id(id++), List.of()));
            }
            log.append(batch);
            log.append(new ProducerRecord("t", 1, null, null, id(1000 + b), List.of()));
        }
        TopicPartition p0 = new TopicPartition("t", 0);
        TopicPartition p1 = new TopicPartition("t", 1);
        try (Consumer c = log.consumer(ConsumerConfig.group("g").withMaxPollRecords(5))) {
            c.assign(List.of(p0, p1));
            List<Long> p0Ids = new ArrayList<>();
            List<Long> p1Ids = new ArrayList<>();
            for (int poll = 0; poll < 100 && p0Ids.size() + p1Ids.size() < 80; poll++) {
                List<ConsumerRecord> records = c.poll(Duration.ZERO);
                assertThat(records.size()).isBetween(1, 5);
                for (ConsumerRecord r : records) {
                    (r.partition() == 0 ? p0Ids : p1Ids).add(id(r));
                    assertThat(c.position(r.topicPartition())).as("position after a returned record")
                            .isGreaterThan(r.offset());
                }
                if (poll == 3) {
                    // A commit in the middle of a kept batch commits what was returned, not what was read.
                    c.commitSync();
                    assertThat(c.committed(p0)).hasValue(c.position(p0));
                    assertThat(c.position(p0)).isEqualTo(p0Ids.size());
                }
            }
            assertThat(p0Ids).containsExactlyElementsOf(LongStream.range(0, 70).boxed().toList());
            assertThat(p1Ids).containsExactlyElementsOf(LongStream.range(1000, 1010).boxed().toList());
            assertThat(c.poll(Duration.ZERO)).isEmpty();

            // A seek into the middle of a batch, after a poll that kept the rest of another one.
            c.seek(p0, 0);
            c.seek(p1, 10);
            assertThat(c.poll(Duration.ZERO)).extracting(LogConsumerTest::id).containsExactly(0L, 1L, 2L, 3L, 4L);
            c.seek(p0, 10);
            assertThat(c.poll(Duration.ZERO)).extracting(LogConsumerTest::id).containsExactly(10L, 11L, 12L, 13L, 14L);
            assertThat(c.position(p0)).isEqualTo(15);
            assertThat(c.poll(Duration.ZERO)).extracting(LogConsumerTest::id).containsExactly(15L, 16L, 17L, 18L, 19L);
        }
    }

    @Test
    void handlerPollsHandOverWhatListPollsReturnAndShareTheKeptBatch() {
        log.createTopic("t", TopicConfig.defaults().withPartitions(2));
        long n = 0;
        for (int b = 0; b < 12; b++) {
            List<ProducerRecord> batch = new ArrayList<>();
            for (int i = 0; i < 7; i++, n++) {
                byte[] key = n % 3 == 0 ? null : ("k" + n).getBytes(StandardCharsets.UTF_8);
                byte[] value = n % 5 == 4 ? null : id(n);
                List<Header> headers = n % 4 == 0 ? List.of()
                        : List.of(new Header("h" + n, id(-n)), new Header("empty", null));
                batch.add(new ProducerRecord("t", 0, 1_000 + n, key, value, headers));
            }
            log.append(batch);
            log.append(new ProducerRecord("t", 1, null, null, id(1000 + b), List.of()));
        }
        TopicPartition p0 = new TopicPartition("t", 0);
        TopicPartition p1 = new TopicPartition("t", 1);
        List<ConsumerRecord> expected;
        try (Consumer all = log.consumer(ConsumerConfig.standalone())) {
            all.assign(List.of(p0, p1));
            expected = all.poll(Duration.ZERO);
        }
        try (Consumer c = log.consumer(ConsumerConfig.standalone().withMaxPollRecords(5))) {
            c.assign(List.of(p0, p1));
            List<ConsumerRecord> got = new ArrayList<>();
            RecordHandler handler = view -> {
                ConsumerRecord copy = view.toRecord();
                assertThat(view.keySize()).isEqualTo(copy.key() == null ? -1 : copy.key().length);
                assertThat(view.valueSize()).isEqualTo(copy.value() == null ? -1 : copy.value().length);
                assertThat(bytes(view.key())).isEqualTo(copy.key());
                assertThat(bytes(view.value())).isEqualTo(copy.value());
                if (view.value() != null) {
                    assertThat(view.value().isReadOnly()).isTrue();
                }
                assertThat(view.headers()).isEqualTo(copy.headers());
                got.add(copy);
            };
            for (int poll = 0; poll < 100 && got.size() < expected.size(); poll++) {
                int before = got.size();
                if (poll % 3 == 0) {
                    got.addAll(c.poll(Duration.ZERO));
                } else {
                    assertThat(c.poll(Duration.ZERO, handler)).isEqualTo(got.size() - before);
                }
                assertThat(got.size() - before).isBetween(1, 5);
                ConsumerRecord last = got.get(got.size() - 1);
                assertThat(c.position(last.topicPartition())).isEqualTo(last.offset() + 1);
            }
            assertThat(c.poll(Duration.ZERO, handler)).isZero();
            for (TopicPartition tp : List.of(p0, p1)) {
                assertThat(got.stream().filter(r -> r.topicPartition().equals(tp)).toList())
                        .as("records of %s", tp)
                        .containsExactlyElementsOf(expected.stream().filter(r -> r.topicPartition().equals(tp)).toList());
            }
            assertThat(expected).hasSize(12 * 8);
        }
    }

    @Test
    void aFailingHandlerLeavesThePositionAtTheRecordItFailedOn() {
        log.createTopic("t", TopicConfig.defaults());
        List<ProducerRecord> batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            batch.add(new ProducerRecord("t", 0, null, null, id(i), List.of()));
        }
        log.append(batch);
        TopicPartition p0 = new TopicPartition("t", 0);
        try (Consumer c = log.consumer(ConsumerConfig.standalone().withMaxPollRecords(3))) {
            c.assign(List.of(p0));
            List<Long> handled = new ArrayList<>();
            RuntimeException failure = new IllegalArgumentException("cannot handle 4");
            AtomicBoolean failOnce = new AtomicBoolean(true);
            RecordHandler handler = view -> {
                if (view.offset() == 4 && failOnce.getAndSet(false)) {
                    throw failure;
                }
                handled.add(view.offset());
            };
            assertThat(c.poll(Duration.ZERO, handler)).isEqualTo(3);
            assertThatThrownBy(() -> c.poll(Duration.ZERO, handler)).isSameAs(failure);
            assertThat(c.position(p0)).isEqualTo(4);
            assertThat(c.poll(Duration.ZERO, handler)).isEqualTo(3);
            assertThat(c.poll(Duration.ZERO)).extracting(ConsumerRecord::offset).containsExactly(7L, 8L, 9L);
            assertThat(handled).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);

            // A handler that calls back into the consumer gets a clear error, and nothing is lost.
            c.seek(p0, 8);
            assertThatThrownBy(() -> c.poll(Duration.ZERO, view -> c.position(p0)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("inside its RecordHandler");
            assertThat(c.position(p0)).isEqualTo(8);
            assertThat(c.poll(Duration.ZERO)).extracting(ConsumerRecord::offset).containsExactly(8L, 9L);
        }
    }

    private static byte[] bytes(ByteBuffer view) {
        if (view == null) {
            return null;
        }
        byte[] bytes = new byte[view.remaining()];
        view.duplicate().get(bytes);
        return bytes;
    }

    @Test
    void assignedConsumerReadsSeeksAndResets() {
        log.createTopic("t", TopicConfig.defaults().withPartitions(2));
        for (int i = 0; i < 10; i++) {
            log.append(new ProducerRecord("t", i % 2, null, null, id(i), List.of()));
        }
        try (Consumer c = log.consumer(ConsumerConfig.standalone())) {
            TopicPartition p0 = new TopicPartition("t", 0);
            c.assign(List.of(p0));
            assertThat(c.poll(Duration.ZERO)).extracting(LogConsumerTest::id).containsExactly(0L, 2L, 4L, 6L, 8L);
            assertThat(c.position(p0)).isEqualTo(5);
            c.seek(p0, 3);
            assertThat(c.poll(Duration.ZERO)).extracting(ConsumerRecord::offset).containsExactly(3L, 4L);
            c.seek(p0, 99);
            assertThat(c.poll(Duration.ZERO)).extracting(ConsumerRecord::offset).containsExactly(0L, 1L, 2L, 3L, 4L);
            c.seekToEnd(List.of(p0));
            assertThat(c.poll(Duration.ZERO)).isEmpty();
            assertThatThrownBy(() -> c.seek(new TopicPartition("t", 1), 0)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(c::commitSync).isInstanceOf(IllegalStateException.class);
        }
        try (Consumer latest = log.consumer(ConsumerConfig.standalone().withAutoOffsetReset(AutoOffsetReset.LATEST))) {
            latest.assign(List.of(new TopicPartition("t", 1)));
            assertThat(latest.poll(Duration.ZERO)).isEmpty();
            log.append(new ProducerRecord("t", 1, null, null, id(100), List.of()));
            assertThat(latest.poll(Duration.ZERO)).extracting(LogConsumerTest::id).containsExactly(100L);
        }
    }

    @Test
    void pollParksUntilARecordArrivesAndWakeupReturnsEarly() throws Exception {
        log.createTopic("t", TopicConfig.defaults());
        Consumer c = log.consumer(ConsumerConfig.standalone());
        c.assign(List.of(new TopicPartition("t", 0)));
        CountDownLatch parked = new CountDownLatch(1);
        Future<List<ConsumerRecord>> polled = threads.submit(() -> {
            parked.countDown();
            return c.poll(Duration.ofSeconds(30));
        });
        parked.await();
        log.append(ProducerRecord.of("t", id(7)));
        assertThat(polled.get(30, TimeUnit.SECONDS)).extracting(LogConsumerTest::id).containsExactly(7L);
        Future<List<ConsumerRecord>> woken = threads.submit(() -> c.poll(Duration.ofSeconds(30)));
        c.wakeup();
        assertThat(woken.get(30, TimeUnit.SECONDS)).isEmpty();
        c.close();
    }

    // Scenario: one thread is inside poll (held in its record handler); another thread's calls fail
    // fast, as Kafka's KafkaConsumer does, and leave the consumer as it was.
    @Test
    void aSecondThreadInsideTheConsumerGetsConcurrentModificationException() throws Exception {
        log.createTopic("t", TopicConfig.defaults());
        log.append(ProducerRecord.of("t", id(1)));
        TopicPartition tp = new TopicPartition("t", 0);
        Consumer c = log.consumer(ConsumerConfig.group("g"));
        c.assign(List.of(tp));
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        Future<Integer> holder = threads.submit(() -> c.poll(Duration.ofSeconds(60), view -> {
            inside.countDown();
            try {
                assertThat(proceed.await(60, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }));
        assertThat(inside.await(60, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> c.poll(Duration.ZERO)).isInstanceOf(ConcurrentModificationException.class)
                .hasMessageContaining("not safe for multi-threaded access");
        assertThatThrownBy(() -> c.seek(tp, 0)).isInstanceOf(ConcurrentModificationException.class);
        assertThatThrownBy(c::commitSync).isInstanceOf(ConcurrentModificationException.class);
        assertThatThrownBy(() -> c.position(tp)).isInstanceOf(ConcurrentModificationException.class);
        assertThatThrownBy(c::assignment).isInstanceOf(ConcurrentModificationException.class);
        assertThatThrownBy(c::close).isInstanceOf(ConcurrentModificationException.class);
        c.wakeup(); // the one method any thread may call
        proceed.countDown();
        assertThat(holder.get(60, TimeUnit.SECONDS)).isEqualTo(1);
        // Released: this thread may use it now, and the refused calls changed nothing.
        assertThat(c.position(tp)).isEqualTo(1);
        assertThat(c.committed(tp)).isEmpty();
        c.close();
    }

    @Test
    void nullArgumentsAreNamedAndChangeNothing() {
        log.createTopic("t", TopicConfig.defaults());
        TopicPartition tp = new TopicPartition("t", 0);
        try (Consumer c = log.consumer(ConsumerConfig.group("g"))) {
            assertThatThrownBy(() -> c.assign(Arrays.asList(tp, null)))
                    .isInstanceOf(NullPointerException.class).hasMessage("partitions has a null at position 1");
            assertThatThrownBy(() -> c.subscribe((Collection<String>) null)).isInstanceOf(NullPointerException.class).hasMessage("topics");
            c.assign(List.of(tp));
            assertThatThrownBy(() -> c.poll(null)).isInstanceOf(NullPointerException.class).hasMessage("timeout");
            assertThatThrownBy(() -> c.seek(null, 0)).isInstanceOf(NullPointerException.class).hasMessage("partition");
            assertThatThrownBy(() -> c.commitSync(null)).isInstanceOf(NullPointerException.class).hasMessage("offsets");
            Map<TopicPartition, Long> nullOffset = new HashMap<>();
            nullOffset.put(tp, null);
            assertThatThrownBy(() -> c.commitSync(nullOffset)).isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("null partition or offset");
            assertThat(c.committed(tp)).isEmpty();
            assertThat(c.assignment()).containsExactly(tp);
        }
    }

    @Test
    void subscribeNamesANullListener() {
        log.createTopic("t", TopicConfig.defaults());
        try (Consumer c = log.consumer(ConsumerConfig.group("g"))) {
            assertThatThrownBy(() -> c.subscribe(List.of("t"), null)).isInstanceOf(NullPointerException.class)
                    .hasMessage("listener");
            c.subscribe(List.of("t"));
            assertThat(c.poll(Duration.ZERO)).isEmpty();
        }
    }

    // Scenario: two threads poll one consumer as fast as they can. Each poll either fails with
    // ConcurrentModificationException, reading nothing, or returns records no other poll returned.
    @Test
    void twoThreadsPollingOneConsumerNeverGetDuplicates() throws Exception {
        int total = 20_000;
        log.createTopic("t", TopicConfig.defaults().withPartitions(2));
        List<ProducerRecord> records = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            records.add(ProducerRecord.of("t", id(i)));
        }
        log.append(records);
        Consumer c = log.consumer(ConsumerConfig.standalone().withMaxPollRecords(50));
        c.assign(List.of(new TopicPartition("t", 0), new TopicPartition("t", 1)));
        Map<Long, Boolean> delivered = new ConcurrentHashMap<>();
        List<Long> duplicates = new CopyOnWriteArrayList<>();
        AtomicLong refusals = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> pollers = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            pollers.add(threads.submit(() -> {
                start.await();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (delivered.size() < total && System.nanoTime() < deadline) {
                    try {
                        for (ConsumerRecord r : c.poll(Duration.ZERO)) {
                            if (delivered.putIfAbsent(id(r), Boolean.TRUE) != null) {
                                duplicates.add(id(r));
                            }
                        }
                    } catch (ConcurrentModificationException e) {
                        refusals.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : pollers) {
            f.get(90, TimeUnit.SECONDS);
        }
        assertThat(duplicates).as("records returned twice (%d polls refused)", refusals.get()).isEmpty();
        assertThat(delivered).hasSize(total);
        c.close();
    }

    @Test
    void committedOffsetsSurviveReopen() {
        log.createTopic("t", TopicConfig.defaults());
        for (int i = 0; i < 5; i++) {
            log.append(ProducerRecord.of("t", id(i)));
        }
        try (Consumer c = log.consumer(ConsumerConfig.group("g").withMaxPollRecords(3))) {
            c.subscribe(List.of("t"));
            assertThat(c.poll(Duration.ZERO)).hasSize(3);
            c.commitSync();
        }
        log.close();
        log = open();
        try (Consumer c = log.consumer(ConsumerConfig.group("g"))) {
            assertThat(c.committed(new TopicPartition("t", 0))).hasValue(3);
            c.subscribe(List.of("t"));
            assertThat(c.poll(Duration.ZERO)).extracting(LogConsumerTest::id).containsExactly(3L, 4L);
        }
        assertThat(log.topics()).containsExactly("t");
    }

    // Scenario: the listener commits in onPartitionsRevoked, as documented; close() calls it and the commit lands.
    @Test
    void closeRunsTheRevocationListenerWhileCommitsStillWork() {
        log.createTopic("t", TopicConfig.defaults().withPartitions(2));
        for (int i = 0; i < 10; i++) {
            log.append(ProducerRecord.of("t", id(i)));
        }
        List<Collection<TopicPartition>> revoked = new ArrayList<>();
        Consumer c = log.consumer(ConsumerConfig.group("g"));
        c.subscribe(List.of("t"), new RebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                revoked.add(List.copyOf(partitions));
                c.commitSync();
                c.close(); // re-entering close from its own listener is a no-op
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            }
        });
        assertThat(c.poll(Duration.ZERO)).hasSize(10);
        c.close();
        c.close();
        assertThat(revoked).singleElement().satisfies(p -> assertThat(p).hasSize(2));
        assertThatThrownBy(c::commitSync).isInstanceOf(ClosedException.class);
        try (Consumer next = log.consumer(ConsumerConfig.group("g"))) {
            assertThat(next.committed(new TopicPartition("t", 0))).hasValue(5);
            assertThat(next.committed(new TopicPartition("t", 1))).hasValue(5);
            next.subscribe(List.of("t"));
            assertThat(next.poll(Duration.ZERO)).isEmpty();
        }
    }

    // Scenario: two groups committed offsets in topic t (and one in u); t is deleted and created
    // again. As in Kafka, t's offsets are gone, in memory and after a reopen; u's are kept.
    @Test
    void deletingATopicDeletesItsCommittedOffsetsDurably() {
        log.createTopic("t", TopicConfig.defaults().withPartitions(2));
        log.createTopic("u", TopicConfig.defaults());
        for (int i = 0; i < 10; i++) {
            log.append(ProducerRecord.of("t", id(i)));
        }
        TopicPartition t0 = new TopicPartition("t", 0);
        TopicPartition t1 = new TopicPartition("t", 1);
        TopicPartition u0 = new TopicPartition("u", 0);
        try (Consumer g1 = log.consumer(ConsumerConfig.group("g1"));
                Consumer g2 = log.consumer(ConsumerConfig.group("g2"))) {
            g1.commitSync(Map.of(t0, 5L, t1, 5L, u0, 0L));
            g2.commitSync(Map.of(t1, 3L));
        }
        log.deleteTopic("t");
        assertThat(log.offsets().committed("g1", t0)).isEmpty();
        assertThat(log.offsets().committed("g1", t1)).isEmpty();
        assertThat(log.offsets().committed("g2", t1)).isEmpty();
        assertThat(log.offsets().committed("g1", u0)).hasValue(0);
        log.createTopic("t", TopicConfig.defaults().withPartitions(2));
        for (int i = 100; i < 110; i++) {
            log.append(ProducerRecord.of("t", id(i)));
        }
        try (Consumer g1 = log.consumer(ConsumerConfig.group("g1"))) {
            g1.subscribe(List.of("t"));
            assertThat(g1.poll(Duration.ZERO)).extracting(LogConsumerTest::id)
                    .containsExactlyInAnyOrderElementsOf(LongStream.range(100, 110).boxed().toList());
        }
        log.close();
        log = open();
        assertThat(log.offsets().committed("g1", t0)).isEmpty();
        assertThat(log.offsets().committed("g2", t1)).isEmpty();
        assertThat(log.offsets().committed("g1", u0)).hasValue(0);
        try (Consumer g2 = log.consumer(ConsumerConfig.group("g2"))) {
            g2.subscribe(List.of("t"));
            assertThat(g2.poll(Duration.ZERO)).hasSize(10);
        }
    }

    // Scenario: a crash after the topic's config file was deleted but before its offsets' tombstones;
    // the next open finishes the deletion.
    @Test
    void offsetsOfATopicWhoseDeletionWasCutShortAreDeletedOnOpen() throws Exception {
        log.createTopic("t", TopicConfig.defaults());
        log.createTopic("u", TopicConfig.defaults());
        try (Consumer c = log.consumer(ConsumerConfig.group("g"))) {
            c.commitSync(Map.of(new TopicPartition("t", 0), 4L, new TopicPartition("u", 0), 0L));
        }
        log.close();
        fs.delete(storage.root().resolve("log").resolve("t" + DefaultLog.TOPIC_FILE_SUFFIX));
        log = open();
        assertThat(log.topics()).containsExactly("u");
        assertThat(log.offsets().committed("g", new TopicPartition("t", 0))).isEmpty();
        assertThat(log.offsets().committed("g", new TopicPartition("u", 0))).hasValue(0);
        log.close();
        log = open();
        assertThat(log.offsets().committed("g", new TopicPartition("t", 0))).isEmpty();
    }

    // Scenario: a thread commits in a loop while the topic is deleted; no commit outlives the deletion.
    @Test
    void aCommitRacingTheTopicsDeletionIsDeletedOrRefused() throws Exception {
        for (int round = 0; round < 20; round++) {
            log.createTopic("t", TopicConfig.defaults());
            TopicPartition tp = new TopicPartition("t", 0);
            CountDownLatch committing = new CountDownLatch(1);
            Future<Long> committer = threads.submit(() -> {
                try (Consumer c = log.consumer(ConsumerConfig.group("g"))) {
                    for (long i = 0; ; i++) {
                        try {
                            c.commitSync(Map.of(tp, i));
                        } catch (UnknownTopicException gone) {
                            return i;
                        }
                        committing.countDown();
                    }
                }
            });
            committing.await();
            log.deleteTopic("t");
            assertThat(committer.get(30, TimeUnit.SECONDS)).isPositive();
            assertThat(log.offsets().committed("g", tp)).as("round %d", round).isEmpty();
        }
    }

    @Test
    void commitsForTopicsThatDoNotExistAreRefused() {
        log.createTopic("t", TopicConfig.defaults());
        TopicPartition tp = new TopicPartition("t", 0);
        try (Consumer c = log.consumer(ConsumerConfig.group("g"))) {
            c.assign(List.of(tp));
            c.poll(Duration.ZERO);
            assertThatThrownBy(() -> c.commitSync(Map.of(tp, 0L, new TopicPartition("gone", 0), 1L)))
                    .isInstanceOf(UnknownTopicException.class).hasMessageContaining("gone");
            assertThatThrownBy(() -> c.commitSync(Map.of(new TopicPartition("t", 1), 1L)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("partitions 0 to 0");
            assertThat(c.committed(tp)).isEmpty();
            log.deleteTopic("t");
            c.commitSync(); // the deleted topic's position is left out, not an error
            assertThat(c.committed(tp)).isEmpty();
        }
    }

    @Test
    void everyGroupSeesEveryRecordAndPartitionsSplitWithinAGroup() {
        log.createTopic("t", TopicConfig.defaults().withPartitions(4));
        for (int i = 0; i < 40; i++) {
            log.append(ProducerRecord.of("t", id(i)));
        }
        Consumer a1 = log.consumer(ConsumerConfig.group("a"));
        Consumer a2 = log.consumer(ConsumerConfig.group("a"));
        Consumer b = log.consumer(ConsumerConfig.group("b"));
        a1.subscribe(List.of("t"));
        a2.subscribe(List.of("t"));
        b.subscribe(List.of("t"));
        List<Long> groupA = new ArrayList<>();
        List<Long> groupB = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            a1.poll(Duration.ZERO).forEach(r -> groupA.add(id(r)));
            a2.poll(Duration.ZERO).forEach(r -> groupA.add(id(r)));
            b.poll(Duration.ZERO).forEach(r -> groupB.add(id(r)));
        }
        assertThat(a1.assignment()).hasSize(2).doesNotContainAnyElementsOf(a2.assignment());
        assertThat(b.assignment()).hasSize(4);
        assertThat(groupA).hasSize(40).doesNotHaveDuplicates();
        assertThat(groupB).hasSize(40).doesNotHaveDuplicates();
        a1.close();
        a2.close();
        b.close();
    }

    @Test
    void memberThatStopsPollingLosesItsPartitionsAfterTheSessionTimeout() {
        log.createTopic("t", TopicConfig.defaults().withPartitions(2));
        Consumer a = log.consumer(ConsumerConfig.group("g").withSessionTimeoutMs(1000));
        Consumer b = log.consumer(ConsumerConfig.group("g").withSessionTimeoutMs(1000));
        a.subscribe(List.of("t"));
        b.subscribe(List.of("t"));
        a.poll(Duration.ZERO);
        b.poll(Duration.ZERO);
        assertThat(a.assignment()).hasSize(1);
        assertThat(b.assignment()).hasSize(1);
        nowMs.addAndGet(1001);
        b.poll(Duration.ZERO);
        b.poll(Duration.ZERO);
        assertThat(b.assignment()).hasSize(2);
        a.poll(Duration.ZERO);
        assertThat(a.assignment()).isEmpty();
        a.close();
        b.close();
    }

    // Scenario: member a stops polling past its session timeout (log clock) and b takes its partition.
    // a's commits, of its positions or of explicit offsets, are refused and change nothing; a's next
    // poll tells its listener the partition is lost and rejoins under a new generation.
    @Test
    void aMemberExpiredByTheSessionTimeoutCannotCommit() {
        log.createTopic("t", TopicConfig.defaults().withPartitions(2));
        for (int i = 0; i < 10; i++) {
            log.append(ProducerRecord.of("t", id(i)));
        }
        TopicPartition p0 = new TopicPartition("t", 0);
        TopicPartition p1 = new TopicPartition("t", 1);
        List<String> events = new ArrayList<>();
        Consumer a = log.consumer(ConsumerConfig.group("g").withSessionTimeoutMs(1000).withMaxPollRecords(2));
        Consumer b = log.consumer(ConsumerConfig.group("g").withSessionTimeoutMs(1000));
        a.subscribe(List.of("t"), new RebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                events.add("revoked " + partitions);
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                events.add("lost " + partitions);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                events.add("assigned " + partitions);
            }
        });
        b.subscribe(List.of("t"));
        assertThat(a.poll(Duration.ZERO)).hasSize(2);
        a.commitSync();
        b.poll(Duration.ZERO);
        TopicPartition aOwned = a.assignment().iterator().next();
        assertThat(log.offsets().committed("g", aOwned)).hasValue(2);
        a.poll(Duration.ZERO); // a reads on to 4, not committed
        nowMs.addAndGet(1001);
        List<ConsumerRecord> takenOver = new ArrayList<>(b.poll(Duration.ZERO));
        takenOver.addAll(b.poll(Duration.ZERO));
        assertThat(b.assignment()).containsExactlyInAnyOrder(p0, p1);
        // b starts at what a committed, not where a had read to.
        assertThat(takenOver).filteredOn(r -> r.partition() == aOwned.partition())
                .extracting(ConsumerRecord::offset).containsExactly(2L, 3L, 4L);
        assertThatThrownBy(a::commitSync).isInstanceOf(CommitFailedException.class)
                .hasMessageContaining("no longer in the group");
        assertThatThrownBy(() -> a.commitSync(Map.of(aOwned, 5L))).isInstanceOf(CommitFailedException.class);
        assertThat(log.offsets().committed("g", aOwned)).hasValue(2);
        a.poll(Duration.ZERO);
        assertThat(events).containsExactly("assigned [" + aOwned + "]", "lost [" + aOwned + "]");
        assertThat(a.assignment()).isEmpty();
        a.commitSync(); // owns nothing: an empty commit, as in Kafka
        assertThat(log.offsets().committed("g", aOwned)).hasValue(2);
        b.commitSync();
        assertThat(log.offsets().committed("g", aOwned)).hasValue(5);
        a.close();
        b.close();
    }

    // Scenario: the only member of a group outlives its session; nobody else synced, but its commit
    // is still refused (the coordinator expires it on the commit), and a listener that commits on
    // revocation, by default also called for lost partitions, fails that poll without wedging the consumer.
    @Test
    void anExpiredMembersListenerCommitFailsOnceAndThePollAfterRejoins() {
        log.createTopic("t", TopicConfig.defaults());
        for (int i = 0; i < 5; i++) {
            log.append(ProducerRecord.of("t", id(i)));
        }
        TopicPartition tp = new TopicPartition("t", 0);
        Consumer c = log.consumer(ConsumerConfig.group("g").withSessionTimeoutMs(1000).withMaxPollRecords(3));
        c.subscribe(List.of("t"), new RebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                c.commitSync();
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            }
        });
        assertThat(c.poll(Duration.ZERO)).extracting(LogConsumerTest::id).containsExactly(0L, 1L, 2L);
        nowMs.addAndGet(1001);
        assertThatThrownBy(c::commitSync).isInstanceOf(CommitFailedException.class);
        assertThatThrownBy(() -> c.poll(Duration.ZERO)).isInstanceOf(CommitFailedException.class);
        assertThat(c.assignment()).isEmpty();
        assertThat(c.committed(tp)).isEmpty();
        // Rejoined: it owns the partition again and starts where the group committed (nothing: the beginning).
        assertThat(c.poll(Duration.ZERO)).extracting(LogConsumerTest::id).containsExactly(0L, 1L, 2L);
        c.commitSync();
        assertThat(c.committed(tp)).hasValue(3);
        c.close(); // live again: its listener's commit on close lands
        assertThat(log.offsets().committed("g", tp)).hasValue(3);
    }

    // Scenario: members join and leave while a producer appends; each member commits after every poll.
    // Every record is delivered exactly once in the group, and no partition ever has two owners.
    @Test
    void membersJoiningAndLeavingUnderLoadLoseNothingAndDuplicateNothing() throws Exception {
        int total = 6000;
        log.createTopic("t", TopicConfig.defaults().withPartitions(6).withSegmentBytes(8192));
        Map<Long, String> deliveredTo = new ConcurrentHashMap<>();
        Semaphore deliveries = new Semaphore(0); // one permit per record delivered for the first time
        List<String> violations = new CopyOnWriteArrayList<>();
        Map<TopicPartition, String> owners = new ConcurrentHashMap<>();
        AtomicBoolean produced = new AtomicBoolean();
        Future<?> producer = threads.submit(() -> {
            for (int i = 0; i < total; i++) {
                log.append(ProducerRecord.of("t", id(i)));
            }
            produced.set(true);
        });
        List<AtomicBoolean> stops = new ArrayList<>();
        List<Future<?>> members = new ArrayList<>();
        for (int m = 0; m < 6; m++) {
            AtomicBoolean stop = new AtomicBoolean();
            stops.add(stop);
            String name = "m" + m;
            members.add(threads.submit(() -> runMember(name, stop, deliveredTo, deliveries, violations, owners)));
            if (m == 2 || m == 4) {
                // Let the first members take everything, then join more and stop one.
                awaitDeliveries(deliveries, total / 6 + 1);
                stops.get(m - 2).set(true);
            }
        }
        producer.get(60, TimeUnit.SECONDS);
        awaitDeliveries(deliveries, total);
        stops.forEach(s -> s.set(true));
        for (Future<?> f : members) {
            f.get(60, TimeUnit.SECONDS);
        }
        assertThat(violations).isEmpty();
        assertThat(deliveredTo).hasSize(total);
        assertThat(produced).isTrue();
        assertThat(Set.copyOf(deliveredTo.values()).size()).isGreaterThan(1);
    }

    private void runMember(String name, AtomicBoolean stop, Map<Long, String> deliveredTo, Semaphore deliveries,
            List<String> violations, Map<TopicPartition, String> owners) {
        try (Consumer c = log.consumer(ConsumerConfig.group("g").withMaxPollRecords(50))) {
            c.subscribe(List.of("t"), new RebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    for (TopicPartition tp : partitions) {
                        if (!owners.remove(tp, name)) {
                            violations.add(name + " revoked " + tp + " it did not own");
                        }
                    }
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    for (TopicPartition tp : partitions) {
                        String previous = owners.putIfAbsent(tp, name);
                        if (previous != null) {
                            violations.add(name + " assigned " + tp + " still owned by " + previous);
                        }
                    }
                }
            });
            while (!stop.get()) {
                for (ConsumerRecord r : c.poll(Duration.ofMillis(20))) {
                    String before = deliveredTo.putIfAbsent(id(r), name);
                    if (before != null) {
                        violations.add("record " + id(r) + " delivered to " + before + " and " + name);
                    } else {
                        deliveries.release();
                    }
                }
                c.commitSync();
            }
        }
    }

    /** Blocks until at least {@code count} records have been delivered (60 s at most). */
    private static void awaitDeliveries(Semaphore deliveries, int count) throws InterruptedException {
        assertThat(deliveries.tryAcquire(count, 60, TimeUnit.SECONDS)).as("%d records delivered in 60 s", count).isTrue();
        deliveries.release(count);
    }

    @Test
    void aPausedPartitionReturnsNothingAndKeepsItsPositionUntilResumed() {
        log.createTopic("t", TopicConfig.defaults().withPartitions(2));
        TopicPartition t0 = new TopicPartition("t", 0);
        TopicPartition t1 = new TopicPartition("t", 1);
        for (int i = 0; i < 4; i++) {
            log.append(new ProducerRecord("t", i % 2, null, null, id(i), List.of()));
        }
        try (Consumer c = log.consumer(ConsumerConfig.standalone())) {
            c.assign(List.of(t0, t1));
            c.pause(List.of(t0));
            assertThat(c.paused()).containsExactly(t0);
            assertThat(c.poll(Duration.ZERO)).allSatisfy(r -> assertThat(r.partition()).isEqualTo(1)).hasSize(2);
            assertThat(c.poll(Duration.ZERO)).isEmpty();
            assertThat(c.position(t0)).isZero();
            assertThatThrownBy(() -> c.pause(List.of(t0, new TopicPartition("t", 7))))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("t-7");
            assertThatThrownBy(() -> c.resume(List.of(t0, new TopicPartition("u", 0))))
                    .isInstanceOf(IllegalStateException.class);
            assertThat(c.paused()).containsExactly(t0); // a refused call changed nothing
            c.resume(List.of(t0, t1));
            assertThat(c.paused()).isEmpty();
            assertThat(c.poll(Duration.ZERO)).extracting(LogConsumerTest::id).containsExactly(0L, 2L);
            c.pause(List.of(t0));
            c.assign(List.of(t0)); // kept partitions keep their pause, as Kafka's assign
            assertThat(c.paused()).containsExactly(t0);
            c.assign(List.of(t1));
            c.assign(List.of(t0, t1));
            assertThat(c.paused()).isEmpty();
        }
    }

    // Scenario: random appends, pauses, resumes and polls, checked against a model of positions
    // and paused partitions after each step.
    @Test
    void pauseAndResumeMatchAModel() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        int partitions = 4;
        log.createTopic("t", TopicConfig.defaults().withPartitions(partitions));
        List<TopicPartition> all = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            all.add(new TopicPartition("t", p));
        }
        long[] end = new long[partitions];
        long[] position = new long[partitions];
        Set<TopicPartition> pausedModel = new TreeSet<>();
        try (Consumer c = log.consumer(ConsumerConfig.standalone().withMaxPollRecords(7))) {
            c.assign(all);
            for (int step = 0; step < 400; step++) {
                String where = "seed " + seed + " step " + step;
                switch (random.nextInt(4)) {
                    case 0 -> {
                        int p = random.nextInt(partitions);
                        log.append(new ProducerRecord("t", p, null, null, id(end[p]++), List.of()));
                    }
                    case 1 -> {
                        TopicPartition tp = all.get(random.nextInt(partitions));
                        c.pause(List.of(tp));
                        pausedModel.add(tp);
                    }
                    case 2 -> {
                        TopicPartition tp = all.get(random.nextInt(partitions));
                        c.resume(List.of(tp));
                        pausedModel.remove(tp);
                    }
                    default -> {
                        for (ConsumerRecord r : c.poll(Duration.ZERO)) {
                            TopicPartition tp = new TopicPartition("t", r.partition());
                            assertThat(pausedModel).as(where).doesNotContain(tp);
                            assertThat(r.offset()).as(where).isEqualTo(position[r.partition()]);
                            assertThat(id(r)).as(where).isEqualTo(position[r.partition()]);
                            position[r.partition()]++;
                        }
                    }
                }
                assertThat(c.paused()).as(where).containsExactlyInAnyOrderElementsOf(pausedModel);
                for (TopicPartition tp : pausedModel) {
                    assertThat(c.position(tp)).as(where).isEqualTo(position[tp.partition()]);
                }
            }
        }
    }

    @Test
    void aPausedPartitionRevokedInARebalanceIsNotPausedAtItsNextOwner() {
        log.createTopic("t", TopicConfig.defaults().withPartitions(2));
        TopicPartition t0 = new TopicPartition("t", 0);
        TopicPartition t1 = new TopicPartition("t", 1);
        log.append(new ProducerRecord("t", 1, null, null, id(1), List.of()));
        Consumer a = log.consumer(ConsumerConfig.group("g"));
        Consumer b = log.consumer(ConsumerConfig.group("g"));
        try {
            a.subscribe(List.of("t"));
            a.poll(Duration.ZERO);
            assertThat(a.assignment()).containsExactlyInAnyOrder(t0, t1);
            a.pause(List.of(t0, t1));
            b.subscribe(List.of("t"));
            a.poll(Duration.ZERO); // gives up one partition
            b.poll(Duration.ZERO);
            assertThat(a.paused()).isEqualTo(a.assignment()).hasSize(1);
            assertThat(b.paused()).isEmpty();
            b.close();
            a.poll(Duration.ZERO); // takes it back, unpaused
            assertThat(a.assignment()).containsExactlyInAnyOrder(t0, t1);
            assertThat(a.paused()).hasSize(1);
        } finally {
            a.close();
            b.close();
        }
    }

    @Test
    void beginningAndEndOffsetsAndTheCurrentLag() {
        log.createTopic("t", TopicConfig.defaults().withPartitions(2));
        TopicPartition t0 = new TopicPartition("t", 0);
        TopicPartition t1 = new TopicPartition("t", 1);
        for (int i = 0; i < 5; i++) {
            log.append(new ProducerRecord("t", 0, null, null, id(i), List.of()));
        }
        try (Consumer c = log.consumer(ConsumerConfig.standalone().withMaxPollRecords(2))) {
            assertThat(c.beginningOffsets(List.of(t0, t1))).isEqualTo(Map.of(t0, 0L, t1, 0L));
            assertThat(c.endOffsets(List.of(t0, t1))).isEqualTo(Map.of(t0, 5L, t1, 0L));
            assertThatThrownBy(() -> c.endOffsets(List.of(new TopicPartition("nope", 0))))
                    .isInstanceOf(UnknownTopicException.class);
            assertThatThrownBy(() -> c.beginningOffsets(List.of(new TopicPartition("t", 2))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("partitions 0 to 1");
            assertThatThrownBy(() -> c.currentLag(t0)).isInstanceOf(IllegalStateException.class);
            c.assign(List.of(t0));
            assertThat(c.currentLag(t0)).isEmpty(); // no position yet, as Kafka
            assertThat(c.poll(Duration.ZERO)).hasSize(2);
            assertThat(c.currentLag(t0)).isEqualTo(OptionalLong.of(3));
            log.append(new ProducerRecord("t", 0, null, null, id(5), List.of()));
            assertThat(c.currentLag(t0)).isEqualTo(OptionalLong.of(4));
        }
    }

    @Test
    void asyncCommitCallbacksRunInOrderInALaterPollCommitSyncOrClose() {
        log.createTopic("t", TopicConfig.defaults());
        TopicPartition tp = new TopicPartition("t", 0);
        TopicPartition gone = new TopicPartition("gone", 0);
        List<String> outcomes = new ArrayList<>();
        OffsetCommitCallback record = (offsets, e) -> outcomes.add(offsets + " " + (e == null ? "ok"
                : e.getClass().getSimpleName()));
        Consumer c = log.consumer(ConsumerConfig.group("g"));
        c.assign(List.of(tp));
        c.commitAsync(Map.of(tp, 1L), record);
        c.commitAsync(Map.of(gone, 2L), record);
        c.commitAsync(Map.of(tp, 3L), record);
        assertThat(outcomes).isEmpty(); // not inside commitAsync
        assertThat(c.committed(tp)).hasValue(3);
        c.poll(Duration.ZERO);
        assertThat(outcomes).containsExactly("{t-0=1} ok", "{gone-0=2} UnknownTopicException", "{t-0=3} ok");
        c.commitAsync(Map.of(tp, 4L), record);
        c.commitSync(Map.of(tp, 5L));
        assertThat(outcomes).hasSize(4).last().isEqualTo("{t-0=4} ok");
        c.commitAsync(Map.of(tp, -1L), record);
        assertThat(c.committed(tp)).hasValue(5); // a failed commit changes nothing
        c.close();
        assertThat(outcomes).hasSize(5).last().isEqualTo("{t-0=-1} IllegalArgumentException");
        try (Consumer standalone = log.consumer(ConsumerConfig.standalone())) {
            assertThatThrownBy(() -> standalone.commitAsync(Map.of(tp, 1L), record))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("group id");
        }
    }

    @Test
    void anAsyncCommitOfAFencedMemberReportsCommitFailed() {
        log.createTopic("t", TopicConfig.defaults());
        TopicPartition tp = new TopicPartition("t", 0);
        List<Exception> errors = new ArrayList<>();
        try (Consumer c = log.consumer(ConsumerConfig.group("g").withSessionTimeoutMs(100))) {
            c.subscribe(List.of("t"), new RebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                }
            });
            c.poll(Duration.ZERO);
            nowMs.addAndGet(1_000);
            c.commitAsync((offsets, e) -> errors.add(e));
            c.poll(Duration.ZERO);
            assertThat(errors).singleElement().isInstanceOf(CommitFailedException.class);
            assertThat(c.committed(tp)).isEmpty();
        }
    }

    // Scenario: a pattern subscription follows topics created and deleted between polls; a
    // deleted topic's partitions are lost (not revoked), as Kafka reports them.
    @Test
    void aPatternSubscriptionFollowsTopicsCreatedAndDeleted() {
        List<String> events = new ArrayList<>();
        RebalanceListener listener = new RebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                events.add("revoked " + new TreeSet<>(partitions));
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                events.add("lost " + new TreeSet<>(partitions));
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                events.add("assigned " + new TreeSet<>(partitions));
            }
        };
        log.createTopic("in-a", TopicConfig.defaults());
        log.createTopic("out", TopicConfig.defaults());
        log.append(ProducerRecord.of("out", id(0)));
        try (Consumer c = log.consumer(ConsumerConfig.group("g"))) {
            c.subscribe(Pattern.compile("in-.*"), listener);
            assertThat(c.poll(Duration.ZERO)).isEmpty();
            assertThat(c.assignment()).containsExactly(new TopicPartition("in-a", 0));
            log.createTopic("in-b", TopicConfig.defaults().withPartitions(2));
            log.createTopic("xin-c", TopicConfig.defaults()); // the whole name must match
            log.append(ProducerRecord.of("in-b", id(1)));
            assertThat(c.poll(Duration.ZERO)).extracting(LogConsumerTest::id).containsExactly(1L);
            log.deleteTopic("in-a");
            c.poll(Duration.ZERO);
            assertThat(c.assignment()).containsExactlyInAnyOrder(new TopicPartition("in-b", 0),
                    new TopicPartition("in-b", 1));
            c.subscribe(List.of("out"), listener); // a topic list replaces the pattern
            assertThat(c.poll(Duration.ZERO)).extracting(LogConsumerTest::id).containsExactly(0L);
        }
        assertThat(events).containsExactly("assigned [in-a-0]", "assigned [in-b-0, in-b-1]", "lost [in-a-0]",
                "revoked [in-b-0, in-b-1]", "assigned [out-0]", "revoked [out-0]");
    }

    // Scenario: one thread creates and deletes topics at random while two members of a group poll
    // with a pattern; once it stops, the members split exactly the matching topics' partitions.
    @Test
    void patternMembersConvergeWhileTopicsComeAndGo() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        AtomicBoolean stop = new AtomicBoolean();
        Future<?> churn = threads.submit(() -> {
            while (!stop.get()) {
                String name = (random.nextBoolean() ? "p-" : "q-") + random.nextInt(6);
                if (log.topics().contains(name)) {
                    log.deleteTopic(name);
                } else {
                    log.createTopic(name, TopicConfig.defaults().withPartitions(1 + random.nextInt(3)));
                }
            }
            return null;
        });
        Consumer a = log.consumer(ConsumerConfig.group("g"));
        Consumer b = log.consumer(ConsumerConfig.group("g"));
        try {
            a.subscribe(Pattern.compile("p-\\d"));
            b.subscribe(Pattern.compile("p-\\d"));
            for (int i = 0; i < 300; i++) {
                for (Consumer c : List.of(a, b)) {
                    c.poll(Duration.ZERO);
                    assertThat(c.assignment()).as("seed %d", seed)
                            .allSatisfy(tp -> assertThat(tp.topic()).startsWith("p-"));
                }
            }
            stop.set(true);
            churn.get(30, TimeUnit.SECONDS);
            Set<TopicPartition> expected = new TreeSet<>();
            for (String topic : log.topics()) {
                if (topic.startsWith("p-")) {
                    for (int p = 0; p < log.describeTopic(topic).partitions().size(); p++) {
                        expected.add(new TopicPartition(topic, p));
                    }
                }
            }
            for (int round = 0; round < 3; round++) {
                a.poll(Duration.ZERO);
                b.poll(Duration.ZERO);
            }
            Set<TopicPartition> union = new TreeSet<>(a.assignment());
            union.addAll(b.assignment());
            assertThat(union).as("seed %d", seed).isEqualTo(expected);
            // Disjoint (either may own nothing: the churn may leave one matching partition, or none).
            assertThat(java.util.Collections.disjoint(a.assignment(), b.assignment())).as("seed %d", seed).isTrue();
        } finally {
            stop.set(true);
            a.close();
            b.close();
        }
    }
}
