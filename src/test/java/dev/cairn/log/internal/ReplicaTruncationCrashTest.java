package dev.cairn.log.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.common.Durability;
import dev.cairn.common.StorageException;
import dev.cairn.log.ProducerRecord;
import dev.cairn.log.TopicConfig;
import dev.cairn.log.TopicPartition;
import dev.cairn.storage.Storage;
import dev.cairn.storage.fs.FaultInjectingFileSystem;
import dev.cairn.storage.fs.MemoryFileSystem;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Truncations cut short at every step: the k-th delete or rename, or the k-th fsync, fails for
 * every k until one runs through, and power is lost; the copy must reopen holding a prefix of its
 * old records no shorter than the cut keeps, each record as written, with epochs and a high
 * watermark within what it holds, and a truncation retried then must land exactly on the cut.
 */
class ReplicaTruncationCrashTest {
    private static final TopicPartition TP = new TopicPartition("t", 0);
    private static final int RECORDS = 60;
    /** Inside the batch of offsets 22 and 23: the cut keeps 22 records. */
    private static final long CUT = 23;
    private static final long CUT_END = 22;

    private final InstantSource clock = () -> Instant.ofEpochMilli(1_000);
    private final TopicConfig config = TopicConfig.defaults().withSegmentBytes(1024).withIndexIntervalBytes(128);
    private final Path dir = Path.of("/data/copy");

    private enum Fault { DIRECTORY_CHANGE, FSYNC }

    private PartitionReplicaLog open(Storage storage) {
        return PartitionReplicaLog.open(storage, dir, TP, config, Durability.ALWAYS, clock);
    }

    /** Three epochs of ten batches of two records each, the high watermark at 50. */
    private static List<String> fill(PartitionReplicaLog copy) {
        for (int i = 0; i < RECORDS; i += 2) {
            if (i % 20 == 0) {
                copy.becomeLeader(1 + i / 20);
            }
            copy.appendAsLeader(List.of(ProducerRecord.of("t", ("r" + i).getBytes()),
                    ProducerRecord.of("t", ("r" + (i + 1)).getBytes())));
        }
        copy.highWatermark(50);
        return PartitionReplicaLogTest.values(copy, 0);
    }

    @Test
    void aTruncationCutShortAtAnyStepReopensToAPrefix() {
        for (Fault fault : Fault.values()) {
            crashAtEveryStep(fault, copy -> copy.truncateTo(CUT), (reopened, old) -> {
                long end = reopened.logEndOffset();
                assertThat(end).isBetween(CUT_END, (long) RECORDS);
                assertThat(PartitionReplicaLogTest.values(reopened, 0)).isEqualTo(old.subList(0, (int) end));
                return end == CUT_END;
            }, copy -> copy.truncateTo(CUT));
        }
    }

    @Test
    void anEmptyingCutShortAtAnyStepReopensToAPrefixOrEmpty() {
        for (Fault fault : Fault.values()) {
            crashAtEveryStep(fault, copy -> copy.truncateFullyAndStartAt(100), (reopened, old) -> {
                long start = reopened.logStartOffset();
                long end = reopened.logEndOffset();
                List<String> held = PartitionReplicaLogTest.values(reopened, start);
                if (start == 0 && end > 0) {
                    assertThat(held).isEqualTo(old.subList(0, (int) end));
                } else {
                    assertThat(held).isEmpty();
                }
                return start == 100 && end == 100;
            }, copy -> copy.truncateFullyAndStartAt(100));
        }
    }

    /** What the reopened copy must hold; true if it is exactly the state the operation leads to. */
    private interface Check {
        boolean holds(PartitionReplicaLog reopened, List<String> old);
    }

    private void crashAtEveryStep(Fault fault, Consumer<PartitionReplicaLog> operation, Check check,
            Consumer<PartitionReplicaLog> retry) {
        for (int k = 1; ; k++) {
            Random random = new Random(k);
            MemoryFileSystem memory = new MemoryFileSystem();
            FaultInjectingFileSystem fs = new FaultInjectingFileSystem(memory);
            Storage storage = Storage.open(fs, Path.of("/data"), 1000);
            PartitionReplicaLog copy = open(storage);
            List<String> old = fill(copy);
            if (fault == Fault.FSYNC) {
                fs.failForce(fs.forceCount() + k);
            } else {
                fs.failDirectoryChange(fs.directoryChangeCount() + k);
            }
            boolean failed;
            try {
                operation.accept(copy);
                failed = false;
            } catch (StorageException e) {
                failed = true;
            }
            fs.failForce(-1); // a fault past the operation's last step must not hit the reopen
            fs.failDirectoryChange(-1);
            memory.crash(random.nextBoolean() ? random : null);
            storage.close();
            storage = Storage.open(fs, Path.of("/data"), 1000);
            try (PartitionReplicaLog reopened = open(storage)) {
                String where = fault + " " + k;
                boolean done = check.holds(reopened, old);
                assertThat(done || failed).as("%s: a truncation that returned is durable", where).isTrue();
                assertThat(reopened.highWatermark()).as(where).isLessThanOrEqualTo(reopened.logEndOffset());
                if (reopened.latestEpoch() >= 0) {
                    assertThat(reopened.endOffsetFor(reopened.latestEpoch()).endOffset()).as(where)
                            .isEqualTo(reopened.logEndOffset());
                }
                retry.accept(reopened);
                assertThat(check.holds(reopened, old)).as("%s: retried", where).isTrue();
                reopened.becomeLeader(9);
                long base = reopened.appendAsLeader(List.of(ProducerRecord.of("t", "after".getBytes())));
                assertThat(base).isEqualTo(reopened.logEndOffset() - 1);
            } finally {
                storage.close();
            }
            if (!failed) {
                assertThat(k).as("steps cut short by %s", fault).isGreaterThan(2);
                return; // the fault fell after the last step: every step has been cut short
            }
        }
    }
}
