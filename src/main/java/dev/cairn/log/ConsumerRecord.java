package dev.cairn.log;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A record read from a partition, with its offset.
 *
 * @param topic the topic
 * @param partition the partition
 * @param offset the record's offset in the partition
 * @param timestampMs the record's timestamp in milliseconds
 * @param timestampType which time the timestamp is: the producer's ({@link TimestampType#CREATE_TIME}) or the time
 *                      the log wrote it ({@link TimestampType#LOG_APPEND_TIME}), as its batch records it
 * @param key the key, or null
 * @param value the value, or null for a tombstone
 * @param headers the headers, never null
 */
public record ConsumerRecord(String topic, int partition, long offset, long timestampMs, TimestampType timestampType,
        byte[] key, byte[] value, List<Header> headers) {
    public ConsumerRecord {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(timestampType, "timestampType");
        headers = List.copyOf(headers);
    }

    public TopicPartition topicPartition() {
        return new TopicPartition(topic, partition);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConsumerRecord r && topic.equals(r.topic) && partition == r.partition
                && offset == r.offset && timestampMs == r.timestampMs && timestampType == r.timestampType
                && Arrays.equals(key, r.key)
                && Arrays.equals(value, r.value) && headers.equals(r.headers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, partition, offset, timestampMs, timestampType, Arrays.hashCode(key),
                Arrays.hashCode(value));
    }

    @Override
    public String toString() {
        return "ConsumerRecord[" + topic + "-" + partition + "@" + offset + ", ts " + timestampMs + " " + timestampType.kafkaName()
                + "]";
    }
}
