package dev.cairn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.common.CairnException;
import dev.cairn.common.Durability;
import dev.cairn.log.Acks;
import dev.cairn.log.ConsumerRecord;
import dev.cairn.log.Log;
import dev.cairn.log.ProducerRecord;
import dev.cairn.log.RecordMetadata;
import dev.cairn.log.TopicConfig;
import dev.cairn.log.TopicDescription;
import dev.cairn.log.TopicExistsException;
import dev.cairn.log.TopicPartition;
import dev.cairn.storage.Storage;
import dev.cairn.storage.fs.FaultInjectingFileSystem;
import dev.cairn.storage.fs.MemoryFileSystem;
import dev.cairn.storage.fs.PowerCutFileSystem;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Scenario: a Cairn with three storage roots, each its own {@link MemoryFileSystem}, and a topic
 * with three replicas (two must be in sync) takes appends with {@code Acks.ALL} from several
 * threads; at a seeded random moment the process dies (its disks cut off, then crashed to what they
 * had synced, with a random part of the rest written back), and a new Cairn opens on the same disks.
 * Every record acknowledged with ALL must be read back at its offset, offsets must be contiguous,
 * the copies must converge, and the next generation must append where the last one left off. The
 * second test fails only one root's fsync while the others go on, so another copy must lead, then
 * restarts with only that root's files crashed.
 */
class ReplicaRootsCrashTest {
    private static final int KILLS = Integer.getInteger("cairn.crash.kills", 50);
    private static final String TOPIC = "orders";
    private static final int PARTITIONS = 2;
    private static final int ROOTS = 3;
    private static final int PRODUCERS = 3;

    /** Picks the kill points and torn write-backs; the producers' interleaving is the threads' own. */
    private final long seed = Long.getLong("cairn.crash.seed", new Random().nextLong());
    private final Random random = new Random(seed);
    /** The disks, kept across every generation of the process. */
    private final List<MemoryFileSystem> disks = List.of(new MemoryFileSystem(), new MemoryFileSystem(),
            new MemoryFileSystem());
    /** What was acknowledged with ALL: per partition, the id of the record at each offset. */
    private final List<Map<Long, Long>> acknowledged = List.of(new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
    /** Ids of records whose append was tried; never reused, so a record read back names its one append. */
    private final AtomicLong nextId = new AtomicLong();

    @Test
    void everyRecordAcknowledgedWithAllSurvivesAPowerLossOfEveryRoot() throws Exception {
        for (int kill = 0; kill < KILLS; kill++) {
            String where = "seed " + seed + " kill " + kill;
            try (Generation generation = new Generation()) {
                generation.verify(where);
                generation.produce(() -> generation.awaitAcks(1 + random.nextInt(30), where));
                generation.powerLoss(Set.of(0, 1, 2));
            }
        }
        try (Generation last = new Generation()) {
            last.verify("seed " + seed + " after the last kill");
        }
        assertThat(acknowledged.get(0).size() + acknowledged.get(1).size()).isGreaterThan(KILLS);
    }

    @Test
    void whenOneRootFailsAnotherCopyLeadsAndNothingAcknowledgedIsLost() throws Exception {
        for (int kill = 0; kill < Math.max(1, KILLS / 5); kill++) {
            String where = "seed " + seed + " kill " + kill;
            int failing = random.nextInt(ROOTS);
            try (Generation generation = new Generation()) {
                generation.verify(where);
                generation.produce(() -> {
                    generation.awaitAcks(1 + random.nextInt(10), where);
                    ReplicaAwait.failForcesUntil(generation.faults.get(failing), () -> generation.log()
                            .describeTopic(TOPIC).partitions().stream()
                            .noneMatch(p -> p.leader() == failing || p.inSyncReplicas().contains(failing)),
                            () -> where + ": root " + failing + " out of every in-sync set and leading nothing: "
                                    + generation.log().describeTopic(TOPIC));
                    generation.awaitAcks(1 + random.nextInt(10), where);
                });
                // The process restarts: the failed root's disk keeps only what it had synced.
                generation.powerLoss(Set.of(failing));
            }
        }
        try (Generation last = new Generation()) {
            last.verify("seed " + seed + " after the last restart");
        }
    }

    /** Body of record {@code id}: recognisable, so a record read back can be checked whole. */
    private static byte[] value(long id) {
        return ("record-" + id + "-" + Long.toHexString(id * 0x9E3779B97F4A7C15L)).getBytes(StandardCharsets.UTF_8);
    }

    /** A part of the test that may throw, run while the producers append. */
    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }

    /** One life of the process: a Cairn on the three disks, each seen through a power switch and a fault injector. */
    private final class Generation implements AutoCloseable {
        final List<PowerCutFileSystem> power = new ArrayList<>();
        final List<FaultInjectingFileSystem> faults = new ArrayList<>();
        final Cairn cairn;
        final AtomicLong acks = new AtomicLong();

        Generation() {
            List<Storage> roots = new ArrayList<>();
            for (int i = 0; i < ROOTS; i++) {
                PowerCutFileSystem switched = new PowerCutFileSystem(disks.get(i));
                FaultInjectingFileSystem faulty = new FaultInjectingFileSystem(switched);
                power.add(switched);
                faults.add(faulty);
                roots.add(Storage.open(faulty, Path.of("/disk" + i), 1000));
            }
            cairn = Cairn.builder().durability(Durability.ALWAYS).jmx(false).open(roots.get(0), roots.subList(1, ROOTS));
            try {
                cairn.log().createTopic(TOPIC, TopicConfig.defaults().withPartitions(PARTITIONS).withSegmentBytes(2048)
                        .withReplicationFactor(3).withMinInsyncReplicas(2));
            } catch (TopicExistsException earlierGeneration) {
                // Created by an earlier generation.
            }
        }

        Log log() {
            return cairn.log();
        }

        /** Waits until {@code count} more appends than now have been acknowledged. */
        void awaitAcks(int count, String where) {
            long target = acks.get() + count;
            ReplicaAwait.until(() -> acks.get() >= target, () -> where + ": " + count + " acknowledgements");
        }

        /**
         * Runs {@value #PRODUCERS} producers appending with ALL, each record to partition id % partitions,
         * while {@code step} runs; they stop once it has returned and the power is cut, as the dead process's
         * threads would. A producer's failed append is not acknowledged and it goes on with the next.
         */
        void produce(Step step) throws Exception {
            AtomicBoolean dead = new AtomicBoolean();
            ExecutorService producers = Executors.newFixedThreadPool(PRODUCERS);
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < PRODUCERS; t++) {
                running.add(producers.submit(() -> {
                    while (!dead.get()) {
                        long id = nextId.getAndIncrement();
                        int partition = (int) (id % PARTITIONS);
                        try {
                            RecordMetadata at = log().append(new ProducerRecord(TOPIC, partition, null,
                                    ByteBuffer.allocate(8).putLong(id).array(), value(id), List.of()), Acks.ALL);
                            acknowledged.get(partition).put(at.offset(), id);
                            acks.incrementAndGet();
                        } catch (CairnException failed) {
                            // Not acknowledged: a copy's disk failed, a leader moved, or the process died.
                        }
                    }
                }));
            }
            try {
                step.run();
            } finally {
                for (PowerCutFileSystem p : power) {
                    p.cut();
                }
                dead.set(true);
                closeQuietly();
                producers.shutdown();
            }
            for (Future<?> producer : running) {
                producer.get(30, TimeUnit.SECONDS); // an append still waiting after the close never returns
            }
            assertThat(producers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }

        /** The dead process's disks: those in {@code crashed} lose what they had not synced. */
        void powerLoss(Set<Integer> crashed) {
            for (int i : crashed) {
                disks.get(i).crash(random.nextBoolean() ? random : null);
            }
        }

        /** Closes the Cairn; after a power cut its every file operation fails, which is no error here. */
        private void closeQuietly() {
            try {
                cairn.close();
            } catch (RuntimeException cutOff) {
                // The disks are gone; threads are stopped and handles released all the same.
            }
        }

        /**
         * Once the copies converge: every partition reads from 0 to its end without a gap, each record
         * whole and under one id, every acknowledged record at its offset; then one more append per
         * partition gets the next offset.
         */
        void verify(String where) {
            TopicDescription converged = ReplicaAwait.converged(log(), TOPIC);
            for (int p = 0; p < PARTITIONS; p++) {
                TopicPartition tp = new TopicPartition(TOPIC, p);
                TopicDescription.PartitionInfo info = converged.partitions().get(p);
                assertThat(info.endOffset()).as("%s: %s high watermark at the log end", where, tp)
                        .isEqualTo(info.logEndOffset());
                Map<Long, Long> idAtOffset = new HashMap<>();
                Map<Long, Long> offsetOfId = new HashMap<>();
                long expected = log().beginningOffset(tp);
                assertThat(expected).as("%s: %s starts at 0", where, tp).isZero();
                while (expected < info.endOffset()) {
                    List<ConsumerRecord> records = log().read(tp, expected, 1000);
                    assertThat(records).as("%s: %s has records at %d", where, tp, expected).isNotEmpty();
                    for (ConsumerRecord r : records) {
                        assertThat(r.offset()).as("%s: %s contiguous offsets", where, tp).isEqualTo(expected++);
                        long id = ByteBuffer.wrap(r.key()).getLong();
                        assertThat(r.value()).as("%s: record %d whole", where, id).isEqualTo(value(id));
                        assertThat(offsetOfId.put(id, r.offset())).as("%s: record %d at one offset", where, id)
                                .isNull();
                        idAtOffset.put(r.offset(), id);
                    }
                }
                for (Map.Entry<Long, Long> ack : acknowledged.get(p).entrySet()) {
                    assertThat(idAtOffset.get(ack.getKey())).as("%s: acknowledged record %d at %s offset %d", where,
                            ack.getValue(), tp, ack.getKey()).isEqualTo(ack.getValue());
                }
                long id = nextId.getAndIncrement();
                RecordMetadata next = log().append(new ProducerRecord(TOPIC, p, null,
                        ByteBuffer.allocate(8).putLong(id).array(), value(id), List.of()), Acks.ALL);
                assertThat(next.offset()).as("%s: %s takes appends after the restart", where, tp)
                        .isEqualTo(info.endOffset());
                acknowledged.get(p).put(next.offset(), id);
            }
        }

        @Override
        public void close() {
            closeQuietly();
        }
    }
}
