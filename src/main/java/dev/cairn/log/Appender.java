package dev.cairn.log;

/**
 * Appends records to one topic with nothing allocated per record: for a producer that appends in
 * a loop and wants no garbage on that path (a Chronicle-style appender). Records carry a key and
 * a value, no headers, and the time their batch is written (Kafka's {@code LogAppendTime}): the
 * log clock is read once for a batch of appends, not once per append, and the time it gives is no
 * earlier than the append's start and no later than the first read that could see the record.
 * Each append returns the record's offset, once it is as durable as the topic's policy promises,
 * like {@link Log#append(ProducerRecord)}.
 * Errors are those of {@link Log#append(ProducerRecord)}, raised before anything is written.
 *
 * <p>Get one per producing thread from {@link Log#appender(String)}. Not thread-safe (it remembers
 * the partition of its last append); appends of several appenders to one partition are safe.
 */
public interface Appender {
    /** The topic appended to. */
    String topic();

    /**
     * Appends to {@code partition}.
     *
     * @return the record's offset
     * @throws IllegalArgumentException if the topic has no such partition
     */
    long append(int partition, byte[] key, byte[] value);

    /**
     * Appends to the partition {@link Log#append(ProducerRecord)} would choose: the key's
     * ({@code murmur2(key) % partitions}), or the next one round-robin for a null key.
     *
     * @return the record's offset; {@link #lastPartition()} tells in which partition
     */
    long append(byte[] key, byte[] value);

    /** The partition of this appender's last successful append, or -1 before the first. */
    int lastPartition();
}
