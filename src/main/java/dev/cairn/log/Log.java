package dev.cairn.log;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

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
     * Appends one record; returns when it is as durable as the topic's policy promises.
     *
     * @throws UnknownTopicException if the topic does not exist and topics are not created on use
     * @throws IllegalArgumentException if the record names a partition the topic does not have
     * @throws RecordTooLargeException if the record is larger than the topic's maxRecordBytes
     */
    RecordMetadata append(ProducerRecord record);

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
    List<RecordMetadata> append(List<ProducerRecord> records);

    /**
     * Reads up to {@code maxRecords} records of a partition from {@code offset} on.
     *
     * @return the records, empty if {@code offset} is the end offset
     * @throws OffsetOutOfRangeException if {@code offset} is outside {@code [beginning, end]}
     */
    List<ConsumerRecord> read(TopicPartition partition, long offset, int maxRecords);

    /**
     * Appends a record batch a Kafka producer built (Kafka's v2 record batch, uncompressed, see
     * docs/formats.md) to one partition as it is: its records keep their timestamps, keys, values,
     * headers and the batch's producer id, epoch and sequence; the log sets the base offset.
     * The open batch of earlier appends is written first, so offsets stay in append order.
     * Returns once durable per the topic's policy, as {@link #append(ProducerRecord)}.
     *
     * @param batch the batch's bytes from position to limit (not modified; copied)
     * @return the offset of the batch's first record
     * @throws InvalidBatchException if the batch is not one the log takes; nothing is appended
     * @throws RecordTooLargeException if the batch exceeds the topic's maxRecordBytes
     * @throws UnknownTopicException if the topic does not exist
     */
    long appendBatch(TopicPartition partition, ByteBuffer batch);

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

    /** The offset the next appended record will get. */
    long endOffset(TopicPartition partition);

    /**
     * The earliest offset whose record has a timestamp {@code >= timestampMs}, as Kafka's
     * {@code offsetsForTimes}; empty if there is none.
     */
    OptionalLong offsetForTime(TopicPartition partition, long timestampMs);

    /** A new consumer. Close it when done: a group member stays in its group until then. */
    Consumer consumer(ConsumerConfig config);

    /** Flushes and closes every partition. Idempotent. */
    @Override
    void close();
}
