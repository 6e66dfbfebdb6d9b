package dev.cairn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.common.CairnException;
import dev.cairn.common.Durability;
import dev.cairn.common.StorageException;
import dev.cairn.log.Acks;
import dev.cairn.log.Consumer;
import dev.cairn.log.ConsumerConfig;
import dev.cairn.log.ConsumerRecord;
import dev.cairn.log.Log;
import dev.cairn.log.ProducerRecord;
import dev.cairn.log.RecordMetadata;
import dev.cairn.log.TopicConfig;
import dev.cairn.log.TopicDescription;
import dev.cairn.log.TopicPartition;
import dev.cairn.storage.Storage;
import dev.cairn.storage.fs.FaultInjectingFileSystem;
import dev.cairn.storage.fs.MemoryFileSystem;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Scenario: producers append to a replicated topic of three partitions with {@code Acks.ALL} and
 * {@code Acks.LEADER} while two consumers of one group read it; midway a follower root fails an
 * fsync and leaves, then the leading root (the data directory) does, so every partition moves to
 * the one copy left in sync. Afterwards: each consumed record is what a later read of its offset
 * shows, the group consumed every partition in offset order without a gap or a repeat, every
 * record acknowledged with ALL is among them at its offset, and no record sits at two offsets.
 * The topic needs one copy in sync, so ALL appends go on on the last copy.
 */
class ReplicaRootsConcurrencyTest {
    private static final String TOPIC = "events";
    private static final int PARTITIONS = 3;
    private static final int ACKS_PER_PHASE = 30;

    private final Map<TopicPartition, Map<Long, Long>> acknowledgedAll = new ConcurrentHashMap<>();
    private final Map<TopicPartition, List<long[]>> consumed = new ConcurrentHashMap<>();
    private final AtomicLong allAcks = new AtomicLong();
    private final AtomicLong nextId = new AtomicLong();
    private final CountDownLatch stoppedPolling = new CountDownLatch(2);

    @Test
    void acknowledgedRecordsAreConsumedOnceInOrderThroughAFollowerAndALeaderFailing() throws Exception {
        List<FaultInjectingFileSystem> disks = List.of(new FaultInjectingFileSystem(new MemoryFileSystem()),
                new FaultInjectingFileSystem(new MemoryFileSystem()), new FaultInjectingFileSystem(new MemoryFileSystem()));
        List<Storage> roots = new ArrayList<>();
        for (int i = 0; i < disks.size(); i++) {
            roots.add(Storage.open(disks.get(i), Path.of("/disk" + i), 1000));
        }
        ExecutorService threads = Executors.newCachedThreadPool();
        Cairn cairn = Cairn.builder().durability(Durability.ALWAYS).jmx(false).open(roots.get(0), roots.subList(1, 3));
        try {
            Log log = cairn.log();
            log.createTopic(TOPIC, TopicConfig.defaults().withPartitions(PARTITIONS).withReplicationFactor(3)
                    .withMinInsyncReplicas(1));
            for (int p = 0; p < PARTITIONS; p++) {
                acknowledgedAll.put(new TopicPartition(TOPIC, p), new ConcurrentHashMap<>());
                consumed.put(new TopicPartition(TOPIC, p), new ArrayList<>());
            }
            AtomicBoolean producing = new AtomicBoolean(true);
            AtomicBoolean consuming = new AtomicBoolean(true);
            AtomicIntegerArray assigned = new AtomicIntegerArray(2);
            List<Future<?>> consumers = List.of(threads.submit(() -> consume(log, consuming, assigned, 0)),
                    threads.submit(() -> consume(log, consuming, assigned, 1)));
            // The group settles before anything is produced, so no partition changes hands with records
            // read (there are no commits to resume from: the group's offsets live on root 0, which fails).
            ReplicaAwait.until(() -> assigned.get(0) > 0 && assigned.get(1) > 0
                    && assigned.get(0) + assigned.get(1) == PARTITIONS, () -> "the group's two members split the topic");
            List<Future<?>> producers = List.of(threads.submit(() -> produce(log, Acks.ALL, producing)),
                    threads.submit(() -> produce(log, Acks.ALL, producing)),
                    threads.submit(() -> produce(log, Acks.LEADER, producing)));

            awaitAllAcks(ACKS_PER_PHASE);
            // A follower's disk, then the leaders' disk.
            ReplicaAwait.failForcesUntil(disks.get(2),
                    () -> partitions(log).stream().noneMatch(p -> p.inSyncReplicas().contains(2)),
                    () -> "root 2 out of every in-sync set: " + log.describeTopic(TOPIC));
            awaitAllAcks(ACKS_PER_PHASE);
            ReplicaAwait.failForcesUntil(disks.get(0), () -> partitions(log).stream().allMatch(p -> p.leader() == 1),
                    () -> "root 1 leading every partition: " + log.describeTopic(TOPIC));
            awaitAllAcks(ACKS_PER_PHASE);
            producing.set(false);
            for (Future<?> producer : producers) {
                producer.get(30, TimeUnit.SECONDS);
            }

            Map<TopicPartition, Long> ends = new HashMap<>();
            partitions(log).forEach(p -> ends.put(new TopicPartition(TOPIC, p.partition()), p.endOffset()));
            ReplicaAwait.until(() -> ends.entrySet().stream().allMatch(e -> consumedEnd(e.getKey()) >= e.getValue()),
                    () -> "the group consumed up to " + ends);
            consuming.set(false);
            for (Future<?> consumer : consumers) {
                consumer.get(30, TimeUnit.SECONDS);
            }
            for (TopicPartition tp : ends.keySet()) {
                check(log, tp);
            }
        } finally {
            threads.shutdownNow();
            try {
                cairn.close();
            } catch (StorageException dataDiskFailed) {
                // Root 0 failed an fsync: its unreplicated partitions (the group offsets) fail to close, as they should.
            }
        }
    }

    private static List<TopicDescription.PartitionInfo> partitions(Log log) {
        return log.describeTopic(TOPIC).partitions();
    }

    private void awaitAllAcks(int count) {
        long target = allAcks.get() + count;
        ReplicaAwait.until(() -> allAcks.get() >= target, () -> count + " more appends acknowledged with ALL");
    }

    /** Appends records of new ids round the partitions until told to stop; a failed append is not acknowledged. */
    private Void produce(Log log, Acks acks, AtomicBoolean producing) {
        while (producing.get()) {
            long id = nextId.getAndIncrement();
            try {
                RecordMetadata at = log.append(new ProducerRecord(TOPIC, (int) (id % PARTITIONS), null,
                        ByteBuffer.allocate(8).putLong(id).array(), new byte[] {(byte) id}, List.of()), acks);
                if (acks == Acks.ALL) {
                    acknowledgedAll.get(new TopicPartition(TOPIC, at.partition())).put(at.offset(), id);
                    allAcks.incrementAndGet();
                }
            } catch (CairnException notAcknowledged) {
                // A leader's disk failed under it, or leadership moved: the producer goes on, as a retrying client would.
            }
        }
        return null;
    }

    /**
     * Member {@code member} of the group: polls until told to stop, publishing how many partitions it
     * owns and recording (offset, id) per partition in the order seen.
     */
    private Void consume(Log log, AtomicBoolean consuming, AtomicIntegerArray assigned, int member)
            throws InterruptedException {
        try (Consumer consumer = log.consumer(ConsumerConfig.group("readers").withMaxPollRecords(7))) {
            consumer.subscribe(List.of(TOPIC));
            while (consuming.get()) {
                List<ConsumerRecord> records = consumer.poll(Duration.ofMillis(20));
                assigned.set(member, consumer.assignment().size());
                for (ConsumerRecord r : records) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    List<long[]> seen = consumed.get(tp);
                    synchronized (seen) {
                        seen.add(new long[] {r.offset(), ByteBuffer.wrap(r.key()).getLong()});
                    }
                }
            }
            // Leave only once every member stopped polling: a member that left hands its partitions to
            // the others, which, without commits, would read them again from the start.
            stoppedPolling.countDown();
            assertThat(stoppedPolling.await(30, TimeUnit.SECONDS)).isTrue();
        }
        return null;
    }

    /** The offset after the last record the group consumed from {@code tp}. */
    private long consumedEnd(TopicPartition tp) {
        List<long[]> seen = consumed.get(tp);
        synchronized (seen) {
            return seen.isEmpty() ? 0 : seen.get(seen.size() - 1)[0] + 1;
        }
    }

    private void check(Log log, TopicPartition tp) {
        Map<Long, Long> idAtOffset = new HashMap<>();
        for (long offset = 0; offset < log.endOffset(tp); ) {
            List<ConsumerRecord> records = log.read(tp, offset, 1000);
            for (ConsumerRecord r : records) {
                idAtOffset.put(r.offset(), ByteBuffer.wrap(r.key()).getLong());
            }
            offset += records.size();
        }
        assertThat(Set.copyOf(idAtOffset.values())).as("%s: no record at two offsets", tp).hasSize(idAtOffset.size());
        List<long[]> seen = consumed.get(tp);
        for (int i = 0; i < seen.size(); i++) {
            long offset = seen.get(i)[0];
            assertThat(offset).as("%s: the group consumed offset %d in order, once, without a gap", tp, i)
                    .isEqualTo(i);
            assertThat(idAtOffset.get(offset)).as("%s offset %d reads later as it was consumed", tp, offset)
                    .isEqualTo(seen.get(i)[1]);
        }
        for (Map.Entry<Long, Long> ack : acknowledgedAll.get(tp).entrySet()) {
            assertThat(ack.getKey()).as("%s: record %d acknowledged with ALL was consumed", tp, ack.getValue())
                    .isLessThan(seen.size());
            assertThat(seen.get(ack.getKey().intValue())[1]).as("%s: record %d acknowledged at offset %d", tp,
                    ack.getValue(), ack.getKey()).isEqualTo(ack.getValue());
        }
    }
}
