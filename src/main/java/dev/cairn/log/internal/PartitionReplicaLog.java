package dev.cairn.log.internal;

import dev.cairn.common.Durability;
import dev.cairn.log.ProducerRecord;
import dev.cairn.log.TopicConfig;
import dev.cairn.log.TopicPartition;
import dev.cairn.log.internal.replica.EpochEndOffset;
import dev.cairn.log.internal.replica.ReplicaLog;
import dev.cairn.storage.Storage;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;

/**
 * One copy of a partition as replication sees it: {@link ReplicaLog} over a {@link PartitionLog}.
 * Either the copy of a partition a {@link DefaultLog} serves ({@link DefaultLog#replicaLog}),
 * whose consumers then read up to its high watermark, or a copy opened on its own by
 * {@link #open}, which this object owns and closes.
 *
 * <p>Thread-safe: every operation is the partition's, serialized by its lock.
 */
public final class PartitionReplicaLog implements ReplicaLog, AutoCloseable {
    private final PartitionLog partition;
    private final boolean owned;

    PartitionReplicaLog(PartitionLog partition, boolean owned) {
        this.partition = partition;
        this.owned = owned;
    }

    /**
     * Opens (creating if needed) one copy of {@code tp} in {@code directory}, without a
     * {@link DefaultLog}: for replication's own tests and tools. Recovery is strict (corruption
     * before a segment's tail fails the open). Close it when done.
     */
    public static PartitionReplicaLog open(Storage storage, Path directory, TopicPartition tp, TopicConfig config,
            Durability durability, InstantSource clock) {
        Objects.requireNonNull(tp, "tp");
        return new PartitionReplicaLog(PartitionLog.open(storage, directory, tp, config, durability, false, clock,
                () -> { }), true);
    }

    @Override
    public TopicPartition topicPartition() {
        return partition.topicPartition();
    }

    @Override
    public long logStartOffset() {
        return partition.beginningOffset();
    }

    @Override
    public long logEndOffset() {
        return partition.endOffset();
    }

    @Override
    public long highWatermark() {
        return partition.highWatermark();
    }

    @Override
    public void highWatermark(long offset) {
        partition.highWatermark(offset);
    }

    @Override
    public void becomeLeader(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("leader epoch must be >= 0, was " + epoch);
        }
        partition.becomeReplica(epoch);
    }

    @Override
    public void becomeFollower() {
        partition.becomeReplica(RecordBatchFormat.NO_LEADER_EPOCH);
    }

    @Override
    public long appendAsLeader(List<ProducerRecord> records) {
        Objects.requireNonNull(records, "records");
        if (records.isEmpty()) {
            throw new IllegalArgumentException("no records to append to " + partition.topicPartition());
        }
        return partition.appendAsLeader(records, partition.clock().millis(), partition.timestampType());
    }

    @Override
    public long appendAsFollower(ByteBuffer batches) {
        return partition.appendAsFollower(Objects.requireNonNull(batches, "batches"));
    }

    @Override
    public ByteBuffer read(long offset, int maxBytes, long maxOffset) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be >= 1, was " + maxBytes);
        }
        return partition.reader().readBatchesBelow(offset, maxBytes, maxOffset).bytes();
    }

    @Override
    public void advanceLogStartOffset(long offset) {
        partition.deleteRecordsBefore(Math.min(offset, partition.endOffset()));
    }

    @Override
    public int latestEpoch() {
        return partition.latestEpoch();
    }

    @Override
    public EpochEndOffset endOffsetFor(int epoch) {
        return partition.endOffsetFor(epoch);
    }

    @Override
    public void truncateTo(long offset) {
        partition.truncateTo(offset);
    }

    @Override
    public void truncateFullyAndStartAt(long offset) {
        partition.truncateFullyAndStartAt(offset);
    }

    /** Closes the partition if this object opened it ({@link #open}); otherwise its log closes it. Idempotent. */
    @Override
    public void close() {
        if (owned) {
            partition.close();
        }
    }

    @Override
    public String toString() {
        return "PartitionReplicaLog[" + partition.topicPartition() + "]";
    }
}
