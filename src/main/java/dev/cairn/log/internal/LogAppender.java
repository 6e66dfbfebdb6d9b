package dev.cairn.log.internal;

import dev.cairn.log.Appender;

/**
 * An {@link Appender} of a {@link DefaultLog}: looks the partition up on every append (so a
 * deleted topic is an error, not a write to a stale partition) and appends one record at a time
 * through {@link PartitionLog#append(byte[], byte[])}.
 *
 * <p>Not thread-safe: {@link #lastPartition} is this appender's own.
 */
final class LogAppender implements Appender {
    private final DefaultLog log;
    private final String topic;
    private int lastPartition = -1;

    LogAppender(DefaultLog log, String topic) {
        this.log = log;
        this.topic = topic;
    }

    @Override
    public String topic() {
        return topic;
    }

    @Override
    public long append(int partition, byte[] key, byte[] value) {
        return append(log.partitionForAppend(topic, partition), key, value);
    }

    @Override
    public long append(byte[] key, byte[] value) {
        return append(log.routeByKey(topic, key), key, value);
    }

    private long append(PartitionLog partition, byte[] key, byte[] value) {
        long offset = partition.append(key, value);
        lastPartition = partition.topicPartition().partition();
        return offset;
    }

    @Override
    public int lastPartition() {
        return lastPartition;
    }
}
