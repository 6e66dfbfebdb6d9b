package dev.cairn.log.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.common.Durability;
import dev.cairn.log.ProducerRecord;
import dev.cairn.log.TopicConfig;
import dev.cairn.log.TopicPartition;
import dev.cairn.log.internal.replica.EpochEndOffset;
import dev.cairn.storage.Storage;
import dev.cairn.storage.fs.MemoryFileSystem;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Two copies of a partition driven through random histories (leader appends, elections of
 * either copy, partial fetches, divergence repaired by truncation at the epoch boundary the
 * leader reports, high watermark moves, truncations and reopens), against a model: per copy, the
 * list of its records with the epoch each was appended in.
 */
class ReplicaLogModelTest {
    private static final int SEEDS = Integer.getInteger("cairn.fuzz.iterations", 200) / 10;
    private static final int STEPS = 150;
    private static final TopicPartition TP = new TopicPartition("t", 0);

    private record Rec(String value, int epoch) {
    }

    private final InstantSource clock = () -> Instant.ofEpochMilli(1_000);
    private final TopicConfig config = TopicConfig.defaults().withSegmentBytes(1024).withIndexIntervalBytes(128);

    @Test
    void randomHistoriesMatchTheModel() {
        for (int seed = 0; seed < SEEDS; seed++) {
            new Run(seed).run();
        }
    }

    private final class Run {
        private final long seed;
        private final Random random;
        private final MemoryFileSystem memory = new MemoryFileSystem();
        private final Storage storage = Storage.open(memory, Path.of("/data"), 1000);
        private final PartitionReplicaLog[] copies = new PartitionReplicaLog[2];
        private final List<List<Rec>> models = List.of(new ArrayList<>(), new ArrayList<>());
        private final boolean[] mustReconcile = new boolean[2];
        private int leader;
        private int epoch = 1;
        private int step;

        Run(long seed) {
            this.seed = seed;
            this.random = new Random(seed);
        }

        private PartitionReplicaLog open(int i) {
            return PartitionReplicaLog.open(storage, storage.root().resolve("copy-" + i), TP, config,
                    Durability.ALWAYS, clock);
        }

        void run() {
            try {
                copies[0] = open(0);
                copies[1] = open(1);
                copies[0].becomeLeader(epoch);
                copies[1].becomeFollower();
                for (step = 0; step < STEPS; step++) {
                    act(random.nextInt(100));
                    check(0);
                    check(1);
                }
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("seed " + seed + ", step " + step + ": " + e.getMessage(), e);
            } finally {
                for (PartitionReplicaLog c : copies) {
                    if (c != null) {
                        c.close();
                    }
                }
                storage.close();
            }
        }

        private void act(int dice) {
            int follower = 1 - leader;
            if (dice < 40) {
                List<ProducerRecord> batch = new ArrayList<>();
                for (int i = random.nextInt(3); i >= 0; i--) {
                    String value = "s" + step + "-" + i + "-" + "x".repeat(random.nextInt(60));
                    batch.add(ProducerRecord.of("t", value.getBytes()));
                    models.get(leader).add(new Rec(value, epoch));
                }
                copies[leader].appendAsLeader(batch);
            } else if (dice < 65) {
                fetch(follower, 1 + random.nextInt(600));
            } else if (dice < 73) {
                epoch++;
                leader = follower;
                copies[leader].becomeLeader(epoch);
                copies[1 - leader].becomeFollower();
                mustReconcile[1 - leader] = true;
            } else if (dice < 83) {
                long hw = random.nextInt(models.get(leader).size() + 1);
                copies[leader].highWatermark(hw);
                assertThat(copies[leader].highWatermark()).isEqualTo(hw);
            } else if (dice < 90) {
                for (int i = 0; i < 2; i++) {
                    copies[i].close();
                    copies[i] = open(i);
                }
                // A role is not stored: replication gives it again after a restart.
                copies[leader].becomeLeader(epoch);
                copies[follower].becomeFollower();
            } else {
                long to = random.nextInt(models.get(follower).size() + 1);
                copies[follower].truncateTo(to);
                // A cut inside a batch takes the whole batch: the model follows the copy's end.
                long end = copies[follower].logEndOffset();
                assertThat(end).isLessThanOrEqualTo(to);
                models.get(follower).subList((int) end, models.get(follower).size()).clear();
            }
        }

        /**
         * The follower repairs divergence as Kafka's does (once after each election), then fetches
         * one read's worth from the leader.
         */
        private void fetch(int follower, int maxBytes) {
            PartitionReplicaLog f = copies[follower];
            PartitionReplicaLog l = copies[leader];
            if (mustReconcile[follower]) {
                reconcile(f, l);
                models.get(follower).subList((int) f.logEndOffset(), models.get(follower).size()).clear();
                mustReconcile[follower] = false;
                assertThat(models.get(leader).subList(0, models.get(follower).size())).isEqualTo(models.get(follower));
            }
            if (f.logEndOffset() < l.logEndOffset()) {
                ByteBuffer fetched = l.read(f.logEndOffset(), maxBytes, Long.MAX_VALUE);
                long from = f.logEndOffset();
                f.appendAsFollower(fetched);
                models.get(follower).addAll(models.get(leader).subList((int) from, (int) f.logEndOffset()));
                if (f.logEndOffset() == l.logEndOffset()) {
                    assertThat(bytes(f)).isEqualTo(bytes(l));
                    // An epoch is learnt from its batches: one its leader began without a record
                    // is not the follower's, so the two agree on the epoch of the last record.
                    int last = models.get(leader).get(models.get(leader).size() - 1).epoch();
                    assertThat(f.endOffsetFor(last)).isEqualTo(l.endOffsetFor(last));
                }
            }
        }

        /**
         * Cuts the follower where its history leaves the leader's, asking the leader where the
         * follower's latest epoch ends, as Kafka's fetcher does (again after each cut at an epoch
         * of its own that the leader does not have).
         */
        private void reconcile(PartitionReplicaLog f, PartitionReplicaLog l) {
            for (int round = 0; ; round++) {
                assertThat(round).as("rounds to find where the histories part").isLessThan(100);
                EpochEndOffset theirs = l.endOffsetFor(f.latestEpoch());
                EpochEndOffset ours = theirs.isUndefined() ? theirs : f.endOffsetFor(theirs.epoch());
                if (ours.isUndefined()) {
                    // No epoch in common: nothing of the follower's is the leader's.
                    f.truncateTo(0);
                    return;
                }
                if (ours.epoch() == theirs.epoch()) {
                    f.truncateTo(Math.min(ours.endOffset(), theirs.endOffset()));
                    return;
                }
                f.truncateTo(ours.endOffset());
            }
        }

        private byte[] bytes(PartitionReplicaLog copy) {
            ByteBuffer all = copy.read(copy.logStartOffset(), Integer.MAX_VALUE, Long.MAX_VALUE);
            byte[] out = new byte[all.remaining()];
            all.get(out);
            return out;
        }

        private void check(int i) {
            PartitionReplicaLog copy = copies[i];
            List<Rec> model = models.get(i);
            assertThat(copy.logEndOffset()).as("end of copy %d", i).isEqualTo(model.size());
            List<Rec> stored = new ArrayList<>();
            for (ByteBuffer batch : PartitionReplicaLogTest.batches(copy, 0)) {
                int batchEpoch = RecordBatchFormat.leaderEpoch(batch);
                RecordBatchFormat.decode(batch).forEach(e -> stored.add(new Rec(new String(e.value()), batchEpoch)));
            }
            assertThat(stored).as("records of copy %d", i).isEqualTo(model);
            assertThat(copy.highWatermark()).isLessThanOrEqualTo(copy.logEndOffset());
            for (int r = 0; r < model.size(); r++) {
                // Every record's epoch is the epoch whose range holds it.
                if (r == 0 || model.get(r - 1).epoch() != model.get(r).epoch()) {
                    EpochEndOffset before = copy.endOffsetFor(model.get(r).epoch() - 1);
                    assertThat(before.isUndefined() || before.endOffset() <= r).isTrue();
                }
                assertThat(copy.endOffsetFor(model.get(r).epoch()).endOffset()).isGreaterThan(r);
            }
        }
    }
}
