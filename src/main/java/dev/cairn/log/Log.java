package dev.cairn.log;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The commit log, embedded: Kafka's topics, partitions, producers and consumer groups without a
 * broker. Reached through {@code cairn.log()}.
 *
 * <pre>{@code
 * Log log = cairn.log();
 * log.createTopic("orders", TopicConfig.defaults().withPartitions(3));
 * RecordMetadata at = log.append(ProducerRecord.of("orders", key, value));
 * try (Consumer consumer = log.consumer(ConsumerConfig.group("billing"))) {
 *     consumer.subscribe(List.of("orders"));
 *     for (ConsumerRecord r : consumer.poll(Duration.ofSeconds(1))) { ... }
 *     consumer.commitSync();
 * }
 * }</pre>
 *
 * <p>Guarantees: records of one partition keep their append order and offsets; an append
 * acknowledged under {@link dev.cairn.common.Durability#ALWAYS} survives a crash of the process
 * or machine; offsets are never reused. Thread-safe: any number of producer and consumer threads.
 */
public interface Log extends AutoCloseable {

    /**
     * Creates a topic.
     *
     * @throws InvalidTopicException if the name breaks Kafka's rules
     * @throws TopicExistsException if it exists
     */
    void createTopic(String name, TopicConfig config);

    /** The user topics' names (internal topics such as {@code __consumer_offsets} are left out). */
    Set<String> topics();

    /**
     * Describes a topic.
     *
     * @throws UnknownTopicException if it does not exist
     */
    TopicDescription describeTopic(String name);

    /**
     * Deletes a topic, all its records, and every group's committed offsets for it (as Kafka
     * does), durably: a topic created again under the name starts without committed offsets.
     *
     * @throws UnknownTopicException if it does not exist
     */
    void deleteTopic(String name);

    /**
     * Appends one record with {@link Acks#ALL}: returns when it is as durable as the topic's
     * policy promises and, for a topic with several replicas, every in-sync replica has it.
     *
     * @throws UnknownTopicException if the topic does not exist and topics are not created on use
     * @throws IllegalArgumentException if the record names a partition the topic does not have
     * @throws RecordTooLargeException if the record is larger than the topic's maxRecordBytes
     * @throws NotEnoughReplicasException if too few replicas are in sync (see {@link Acks#ALL})
     */
    default RecordMetadata append(ProducerRecord record) {
        return append(record, Acks.ALL);
    }

    /**
     * Appends one record; returns when {@code acks} is satisfied (see {@link Acks}).
     *
     * @throws UnknownTopicException if the topic does not exist and topics are not created on use
     * @throws IllegalArgumentException if the record names a partition the topic does not have
     * @throws RecordTooLargeException if the record is larger than the topic's maxRecordBytes
     * @throws NotEnoughReplicasException with {@link Acks#ALL}, if too few replicas are in sync;
     *     nothing is written when that is known before the append
     * @throws NotLeaderException if the partition has no leader now (its replicas are being elected)
     */
    RecordMetadata append(ProducerRecord record, Acks acks);

    /**
     * Appends one record without waiting for it to be durable, as Kafka's {@code send}: the record
     * is written (and readable) when this returns; the future completes with its metadata once it
     * is as durable as the topic's policy promises. Under {@link dev.cairn.common.Durability#ALWAYS}
     * that is after the fsync covering it, shared with every append waiting then and run by one
     * log-wide thread (no thread per call); under the other policies, at once. If that fsync fails,
     * the future completes with the {@link dev.cairn.common.StorageException}. Actions chained to the future without an executor run on
     * the thread that completes it, as Kafka's callbacks run on its I/O thread: keep them short.
     *
     * <p>Unlike Kafka's {@code send}, which reports them through the future, bad input is thrown
     * at once, as by {@link #append(ProducerRecord)}, and nothing is written.
     *
     * @throws UnknownTopicException if the topic does not exist and topics are not created on use
     * @throws IllegalArgumentException if the record names a partition the topic does not have
     * @throws RecordTooLargeException if the record is larger than the topic's maxRecordBytes
     */
    default java.util.concurrent.CompletableFuture<RecordMetadata> appendAsync(ProducerRecord record) {
        return appendAsync(record, Acks.ALL);
    }

    /**
     * {@link #appendAsync(ProducerRecord)} with {@code acks}: the future completes when they are
     * satisfied (see {@link Acks}), or with {@link NotEnoughReplicasException} or
     * {@link NotLeaderException} when they cannot be.
     */
    java.util.concurrent.CompletableFuture<RecordMetadata> appendAsync(ProducerRecord record, Acks acks);

    /**
     * An appender for {@code topic} that allocates nothing per record (see {@link Appender}).
     *
     * @throws UnknownTopicException if the topic does not exist and topics are not created on use
     */
    Appender appender(String topic);

    /**
     * Appends records; records for one partition are written as one batch, contiguous and in
     * the order given. All records are checked before any is written.
     *
     * @return one metadata per record, in the order given
     */
    default List<RecordMetadata> append(List<ProducerRecord> records) {
        return append(records, Acks.ALL);
    }

    /** {@link #append(List)}, returning when {@code acks} is satisfied for every partition written. */
    List<RecordMetadata> append(List<ProducerRecord> records, Acks acks);

    /**
     * Reads up to {@code maxRecords} records of a partition from {@code offset} on.
     *
     * @return the records, empty if {@code offset} is the end offset
     * @throws OffsetOutOfRangeException if {@code offset} is outside {@code [beginning, end]}
     */
    List<ConsumerRecord> read(TopicPartition partition, long offset, int maxRecords);

    /**
     * Appends a record batch a Kafka producer built (Kafka's v2 record batch, uncompressed, see
     * docs/formats.md) to one partition as it is: its records keep their keys, values, headers
     * and the batch's producer id, epoch and sequence; the log sets the base offset. Timestamps
     * follow the topic's {@link TopicConfig#timestampType()}, as on a Kafka broker: under
     * CreateTime the records keep theirs; under LogAppendTime the batch is stamped with the log
     * clock's time, which every record of it then reads as.
     * The open batch of earlier appends is written first, so offsets stay in append order.
     * Returns once durable per the topic's policy, as {@link #append(ProducerRecord)}.
     *
     * @param batch the batch's bytes from position to limit (not modified; copied)
     * @return where the batch went: the offset of its first record, and its timestamp (the stamp
     *     under LogAppendTime, Kafka's produce response's log append time; else the batch's max
     *     timestamp) with the type it was stored under
     * @throws InvalidBatchException if the batch is not one the log takes; nothing is appended
     * @throws RecordTooLargeException if the batch exceeds the topic's maxRecordBytes
     * @throws UnknownTopicException if the topic does not exist
     */
    default RecordMetadata appendBatch(TopicPartition partition, ByteBuffer batch) {
        return appendBatch(partition, batch, Acks.ALL);
    }

    /** {@link #appendBatch(TopicPartition, ByteBuffer)}, returning when {@code acks} is satisfied. */
    RecordMetadata appendBatch(TopicPartition partition, ByteBuffer batch, Acks acks);

    /**
     * Reads whole stored batches from {@code offset} on, up to {@code maxBytes} (but at least one
     * batch, whatever its size, if there is one), as Kafka's fetch does: the bytes a Kafka
     * consumer reads. Batches written by earlier releases in record format 1 are converted.
     * Reads what every append that returned before the call wrote.
     *
     * @throws OffsetOutOfRangeException if {@code offset} is outside {@code [beginning, end]}
     * @throws dev.cairn.common.CorruptFileException if a batch to return fails its checks
     */
    RecordBatches readBatches(TopicPartition partition, long offset, int maxBytes);

    /** The first offset still kept in the partition. */
    long beginningOffset(TopicPartition partition);

    /**
     * Deletes the partition's records below {@code beforeOffset}, as Kafka's {@code deleteRecords}:
     * the partition's beginning offset (Kafka's log start offset) moves up to it, durably (it
     * survives a crash and a reopen); reads, seeks and polls below it get
     * {@link OffsetOutOfRangeException} (a consumer resets by its {@code autoOffsetReset}); segments
     * wholly below it are deleted (the active segment stays, as in Kafka). An offset at or below
     * the beginning changes nothing.
     *
     * @return the beginning offset afterwards (Kafka's low watermark)
     * @throws UnknownTopicException if the topic does not exist
     * @throws IllegalArgumentException if the partition is outside its topic
     * @throws OffsetOutOfRangeException if {@code beforeOffset} is negative or past the end offset
     * @throws PolicyViolationException if the topic's cleanup policy is compact (as Kafka refuses it)
     * @throws InvalidTopicException for the internal topic {@code __consumer_offsets}
     */
    long deleteRecords(TopicPartition partition, long beforeOffset);

    /** The offset the next appended record will get. */
    long endOffset(TopicPartition partition);

    /**
     * The earliest offset whose record has a timestamp {@code >= timestampMs}, as Kafka's
     * {@code offsetsForTimes}; empty if there is none.
     */
    OptionalLong offsetForTime(TopicPartition partition, long timestampMs);

    /**
     * Adds partitions to a topic, as Kafka's {@code createPartitions}: partitions
     * {@code old..newCount-1} start empty, the topic's config file records the new count (durably,
     * before any append can reach them), and from then on keyed records are routed by
     * {@code murmur2(key) % newCount}, so a key may land in another partition than before (as in
     * Kafka). Groups subscribed to the topic rebalance to take the new partitions.
     *
     * @throws UnknownTopicException if the topic does not exist
     * @throws InvalidPartitionsException if {@code newCount} is not larger than the current count
     */
    void createPartitions(String topic, int newCount);

    /**
     * Changes a live topic's settings, as Kafka's {@code incrementalAlterConfigs}: {@code change}
     * is given the current config and returns the new one, under the log's topic lock (so
     * concurrent changes do not lose each other's). The config file is replaced (durably) before
     * the partitions take the new settings; appends from then on follow them (segment size and
     * age, max record bytes, index interval, timestamp type) and so does the next retention or
     * compaction round (retention, cleanup policy, delete retention, minimum compaction lag).
     * Segments already written stay as they are, their records' timestamps and types included.
     *
     * @return the new config
     * @throws UnknownTopicException if the topic does not exist
     * @throws IllegalArgumentException if the new config changes the partition count (see
     *     {@link #createPartitions}), the durability policy, or lowers maxRecordBytes (stored batches
     *     up to the old limit must stay readable after a crash); nothing is changed
     * @throws InvalidTopicException for the internal topic {@code __consumer_offsets}
     */
    TopicConfig alterTopicConfig(String topic, java.util.function.UnaryOperator<TopicConfig> change);

    /** {@link #alterTopicConfig(String, java.util.function.UnaryOperator)} to {@code config}. */
    default TopicConfig alterTopicConfig(String topic, TopicConfig config) {
        java.util.Objects.requireNonNull(config, "config");
        return alterTopicConfig(topic, current -> config);
    }

    /**
     * The consumer groups known to the log: those with live members or committed offsets, sorted,
     * as Kafka's {@code listConsumerGroups}.
     */
    java.util.Set<String> listGroups();

    /**
     * Describes a group: its state, its live members with the topics they subscribe to and the
     * partitions they own, and its assignor, as Kafka's {@code describeConsumerGroups}.
     *
     * @throws GroupIdNotFoundException if the group has neither live members nor committed offsets
     */
    GroupDescription describeGroup(String groupId);

    /**
     * The group's committed offsets (next offsets to read), as Kafka's
     * {@code listConsumerGroupOffsets}: empty for a group with none.
     */
    Map<TopicPartition, Long> committedOffsets(String groupId);

    /**
     * Sets the group's committed offsets of the given partitions (others are kept), as Kafka's
     * {@code alterConsumerGroupOffsets}: only while the group has no live member, since a member
     * would overwrite them with its positions. Durable on return; all offsets are checked before
     * any is written.
     *
     * @throws GroupNotEmptyException if the group has live members (nothing is written)
     * @throws UnknownTopicException if a partition's topic does not exist (nothing is written)
     * @throws IllegalArgumentException if a partition is outside its topic or an offset is negative
     */
    void alterCommittedOffsets(String groupId, Map<TopicPartition, Long> offsets);

    /**
     * Deletes the group's committed offsets of the given partitions, durably, as Kafka's
     * {@code deleteConsumerGroupOffsets}; partitions without one are skipped.
     *
     * @throws GroupIdNotFoundException if the group has neither live members nor committed offsets
     * @throws GroupSubscribedToTopicException if a live member subscribes to one of the partitions'
     *     topics (nothing is deleted)
     */
    void deleteCommittedOffsets(String groupId, Collection<TopicPartition> partitions);

    /**
     * Deletes a group and all its committed offsets, durably, as Kafka's {@code deleteConsumerGroups}.
     *
     * @throws GroupIdNotFoundException if the group has neither live members nor committed offsets
     * @throws GroupNotEmptyException if the group has live members (nothing is deleted)
     */
    void deleteGroup(String groupId);

    /**
     * Hands the membership of a group to a front end that manages it (the Kafka server's group
     * coordinator, for consumers that join over Kafka's protocol): until the returned hold is
     * closed, the group is the holder's, as {@link ExternalGroup} describes. One group is made of
     * one kind of member at a time: Java-API consumers or the holder's.
     *
     * @throws InconsistentGroupProtocolException if the group has live Java-API members, or is
     *     held already
     */
    ExternalGroup holdGroup(String groupId);

    /**
     * A future completed once {@code partition}'s end offset is past {@code offset}, that is once a
     * record at {@code offset} or later can be read: at once if one already can. It completes
     * exceptionally with {@link UnknownTopicException} if the topic is deleted, and with
     * {@link dev.cairn.common.ClosedException} when the log closes. For a reader that must not
     * hold a thread while it waits (a server's long poll): cancel the future to stop waiting,
     * which forgets it. It completes on the appending thread, so dependent work that may block
     * belongs on the caller's own executor.
     *
     * @throws UnknownTopicException if the topic does not exist
     * @throws IllegalArgumentException if the topic has no such partition
     */
    CompletableFuture<Void> awaitAppend(TopicPartition partition, long offset);

    /** A new consumer. Close it when done: a group member stays in its group until then. */
    Consumer consumer(ConsumerConfig config);

    /** Flushes and closes every partition. Idempotent. */
    @Override
    void close();
}
