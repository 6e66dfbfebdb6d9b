package dev.cairn.log.internal.replica;

import dev.cairn.log.ProducerRecord;
import dev.cairn.log.TopicPartition;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * What replication needs of one copy of a partition, leader or follower. Offsets are the
 * partition's; record batches are stored v2 batches ({@code RecordBatchFormat}) whose partition
 * leader epoch field (bytes 12 to 15, outside the CRC) names the epoch of the leader that
 * appended them.
 *
 * <p>A copy's role ({@link #becomeLeader}, {@link #becomeFollower}) is not stored: a reopened
 * copy is neither until told again, though its epochs and high watermark are kept.
 *
 * <p>Thread-safety: every method may be called from any thread; appends and truncation are
 * serialized by the copy itself.
 */
public interface ReplicaLog {
    TopicPartition topicPartition();

    /** The first offset still stored (Kafka's log start offset). */
    long logStartOffset();

    /** One past the last offset appended and written (readable by {@link #read}). */
    long logEndOffset();

    /**
     * The offset below which records are committed: consumers of this copy read only below it.
     * At most {@link #logEndOffset()}. A copy that is not replicated keeps it at the log end.
     */
    long highWatermark();

    /**
     * Moves the high watermark to {@code offset}, clamped to {@code [logStartOffset, logEndOffset]};
     * consumers parked on the partition wake when it advances. Persisted to a checkpoint from time
     * to time and on close, never above what the log holds: after a crash it may come back lower,
     * never higher.
     *
     * @throws IllegalStateException if the copy is not replicated yet (neither leader nor follower)
     */
    void highWatermark(long offset);

    /**
     * Makes this copy the leader of {@code epoch}: appends from now on are stamped with it, and the
     * epoch, starting at the log end offset, is recorded in the leader-epoch file (durably, before
     * this returns) if it is newer than the latest recorded.
     *
     * @throws IllegalArgumentException if {@code epoch} is older than the latest recorded
     */
    void becomeLeader(int epoch);

    /**
     * Makes this copy a follower: {@link #appendAsLeader} fails from now on, until
     * {@link #becomeLeader} again. The first call to this or {@link #becomeLeader} makes the copy
     * replicated, its high watermark starting at its log end offset.
     */
    void becomeFollower();

    /**
     * Appends {@code records} as one batch stamped with the current leader epoch; returns once it
     * is durable per the partition's policy.
     *
     * @return the batch's base offset
     * @throws dev.cairn.log.NotLeaderException if this copy is not the leader
     */
    long appendAsLeader(List<ProducerRecord> records);

    /**
     * Appends batches fetched from the leader exactly as they are (their offsets, epochs and
     * CRCs), after checking each batch's CRC and that the first starts at {@link #logEndOffset()}
     * and the rest follow on; each batch whose epoch is newer than the latest recorded starts that
     * epoch in the leader-epoch file. Durable per the partition's policy on return.
     *
     * @param batches whole batches, from index {@code position()} to {@code limit()}
     * @return the new log end offset
     * @throws dev.cairn.log.InvalidBatchException if a batch is corrupt or out of sequence; nothing after it is written
     */
    long appendAsFollower(ByteBuffer batches);

    /**
     * Whole batches starting with the one that holds {@code offset}, up to about {@code maxBytes}
     * (at least one batch when any is there), none at or past {@code maxOffset}.
     *
     * @return the batches (possibly empty), for the caller to keep
     * @throws dev.cairn.log.OffsetOutOfRangeException if {@code offset} is below the log start or past the log end
     */
    ByteBuffer read(long offset, int maxBytes, long maxOffset);

    /**
     * Moves this copy's log start offset up to {@code offset}, or to its log end if that is lower,
     * deleting the segments wholly below it: a follower follows its leader's retention and
     * {@code deleteRecords}. An offset at or below the log start changes nothing.
     */
    void advanceLogStartOffset(long offset);

    /** The latest epoch in the leader-epoch file, -1 if none. */
    int latestEpoch();

    /** Where {@code epoch} ends in this copy: see {@link EpochEndOffset}. */
    EpochEndOffset endOffsetFor(int epoch);

    /**
     * Removes every record at or after {@code offset} and every leader-epoch entry that starts at
     * or after it, durably before returning; the high watermark is clamped to the new end. Logs
     * are cut at batch boundaries, as Kafka's: if {@code offset} falls inside a batch, the whole
     * batch goes and the log end afterwards is below {@code offset} (read {@link #logEndOffset()}).
     * At or past the log end no record is removed, but an epoch entry starting at the end (an
     * epoch begun with no record yet) still goes. An offset below the log start empties the copy
     * as {@link #truncateFullyAndStartAt} does.
     *
     * @throws IllegalArgumentException if {@code offset} is negative
     */
    void truncateTo(long offset);

    /**
     * Removes every record and epoch entry and restarts the copy empty at {@code offset} (a
     * follower whose log ends below the leader's log start). Durable before returning.
     */
    void truncateFullyAndStartAt(long offset);
}
