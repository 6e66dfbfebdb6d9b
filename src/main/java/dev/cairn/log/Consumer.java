package dev.cairn.log;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads records, like Kafka's {@code KafkaConsumer}: either {@link #assign}ed partitions, or the
 * partitions its group gives it for {@link #subscribe}d topics.
 *
 * <p>Group semantics: each partition of a subscribed topic is owned by exactly one live member
 * of the group (queue); every group reads every record (pub/sub). A member is live from
 * {@link #subscribe} until {@link #close} (or, with a session timeout, until it stops polling for
 * that long). When membership changes the group rebalances: a member's partitions are revoked
 * (its listener told, inside its {@code poll}) before any other member receives them, and the new
 * owner starts from the committed offset.
 *
 * <p>Not thread-safe, as in Kafka: one thread uses a consumer (except {@link #wakeup()}). As
 * Kafka's consumer does, a method called while another thread is inside one (a poll, say) throws
 * {@link java.util.ConcurrentModificationException} at once and changes nothing.
 */
public interface Consumer extends AutoCloseable {

    /** Reads exactly these partitions, outside any group rebalancing; replaces an earlier assignment. */
    void assign(Collection<TopicPartition> partitions);

    /**
     * Joins the group to read these topics; requires a group id.
     *
     * @throws InconsistentGroupProtocolException if the group's live members joined over Kafka's
     *     protocol (see {@link Log#holdGroup}); the consumer is left as it was
     */
    void subscribe(Collection<String> topics, RebalanceListener listener);

    /** Joins the group to read these topics, with no listener. */
    default void subscribe(Collection<String> topics) {
        subscribe(topics, RebalanceListener.none());
    }

    /**
     * Joins the group to read every topic whose whole name matches {@code pattern}, as Kafka's
     * {@code subscribe(Pattern, ConsumerRebalanceListener)}: the set is evaluated again in each poll
     * after topics are created or deleted, and a change rebalances the group. Internal topics
     * ({@code __consumer_offsets}) never match. Replaces an earlier subscription; requires a group id.
     */
    void subscribe(Pattern pattern, RebalanceListener listener);

    /** {@link #subscribe(Pattern, RebalanceListener)} with no listener. */
    default void subscribe(Pattern pattern) {
        subscribe(pattern, RebalanceListener.none());
    }

    /** Leaves the group (or drops the assignment). */
    void unsubscribe();

    /** The partitions this consumer owns now. */
    Set<TopicPartition> assignment();

    /**
     * Returns the available records of the owned partitions from their positions, up to
     * {@code maxPollRecords}; if there are none, parks until some are appended or the timeout
     * passes (then returns an empty list). Takes part in group rebalancing.
     */
    List<ConsumerRecord> poll(Duration timeout);

    /**
     * Like {@link #poll(Duration)}, but hands the records to {@code handler} one by one, as views
     * read in place from the stored batches ({@link RecordView}): nothing is allocated per record,
     * which suits a reader that handles each record at once (a Chronicle-style tailer). The
     * position of a partition moves past each record the handler returns from; if the handler
     * throws, the poll rethrows and the next poll starts at the record it failed on. The handler
     * must not call this consumer (an {@link IllegalStateException} says so); it may call
     * {@link RecordView#toRecord()} to keep a record.
     *
     * @return the number of records handed over (0 if the timeout passed or {@link #wakeup()} was called)
     */
    int poll(Duration timeout, RecordHandler handler);

    /** Sets the next offset to read in an owned partition. */
    void seek(TopicPartition partition, long offset);

    void seekToBeginning(Collection<TopicPartition> partitions);

    void seekToEnd(Collection<TopicPartition> partitions);

    /** The next offset to read in an owned partition. */
    long position(TopicPartition partition);

    /**
     * Commits the positions of every owned partition for the group; durable on return. Partitions
     * of topics deleted since they were assigned are left out.
     *
     * @throws CommitFailedException if this subscribed consumer's group membership expired (no poll
     *     within the session timeout); the committed offsets are unchanged
     */
    void commitSync();

    /**
     * Commits the given next-offsets-to-read for the group; durable on return.
     *
     * @throws CommitFailedException if this subscribed consumer's group membership expired (no poll
     *     within the session timeout); the committed offsets are unchanged
     * @throws UnknownTopicException if a partition's topic does not exist (nothing is committed)
     * @throws IllegalArgumentException if a partition is outside its topic, or an offset is negative
     */
    void commitSync(java.util.Map<TopicPartition, Long> offsets);

    /**
     * Commits the positions of every owned partition, as {@link #commitSync()}, and hands the
     * outcome to no callback: a failure is logged. See {@link #commitAsync(Map, OffsetCommitCallback)}.
     */
    void commitAsync();

    /** Commits the positions of every owned partition; the outcome goes to {@code callback} later. */
    void commitAsync(OffsetCommitCallback callback);

    /**
     * Commits {@code offsets} without waiting for the outcome, as Kafka's {@code commitAsync}: the
     * outcome (the offsets, and null or the exception {@link #commitSync(Map)} would have thrown)
     * goes to {@code callback} on this consumer's thread, inside a later {@link #poll},
     * {@link #commitSync()}/{@link #commitSync(Map)} or {@link #close()}, in the order the commits
     * were made. A commit that fails changes no committed offset.
     *
     * <p>Unlike Kafka's, whose request travels to a broker, the commit itself is done before this
     * returns (it is an append to the log in this process, durable per the log's default policy);
     * only the callback waits, so that it runs where Kafka runs it.
     *
     * @throws IllegalStateException if the consumer has no group id (nothing to commit to)
     */
    void commitAsync(Map<TopicPartition, Long> offsets, OffsetCommitCallback callback);

    /** The group's committed offset of a partition, if any. */
    OptionalLong committed(TopicPartition partition);

    /**
     * Stops returning records of these owned partitions from {@link #poll} until they are
     * {@link #resume}d, as Kafka's {@code pause}: their positions stay where they are. Pausing
     * does not leave the group; a partition revoked or lost in a rebalance (or dropped by
     * {@link #assign}, {@link #unsubscribe}) is no longer paused, and one assigned again starts
     * unpaused.
     *
     * @throws IllegalStateException if a partition is not owned by this consumer (none is paused)
     */
    void pause(Collection<TopicPartition> partitions);

    /**
     * Lets {@link #poll} return records of these paused partitions again; resuming one that is
     * not paused does nothing.
     *
     * @throws IllegalStateException if a partition is not owned by this consumer (none is resumed)
     */
    void resume(Collection<TopicPartition> partitions);

    /** The owned partitions paused now. */
    Set<TopicPartition> paused();

    /**
     * The first offset kept in each partition (owned or not), as Kafka's {@code beginningOffsets}.
     *
     * @throws UnknownTopicException if a partition's topic does not exist
     * @throws IllegalArgumentException if a partition is outside its topic
     */
    Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions);

    /**
     * The offset the next record appended to each partition (owned or not) will get, as Kafka's
     * {@code endOffsets} (with no transactions here, this is also its last stable offset).
     *
     * @throws UnknownTopicException if a partition's topic does not exist
     * @throws IllegalArgumentException if a partition is outside its topic
     */
    Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions);

    /**
     * How far this consumer's position in an owned partition is behind its end offset, as Kafka
     * 3.x's {@code currentLag}; empty while the consumer has no position there yet (before the
     * first {@link #poll} or {@link #position} call after it was assigned).
     *
     * @throws IllegalStateException if the partition is not owned by this consumer
     */
    OptionalLong currentLag(TopicPartition partition);

    /** Makes a parked {@link #poll} return at once (empty). The one method other threads may call. */
    void wakeup();

    /**
     * Leaves the group and releases the consumer. Idempotent. A subscribed consumer first tells its
     * listener its partitions are revoked, and may still commit from there.
     */
    @Override
    void close();
}
