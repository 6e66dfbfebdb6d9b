package dev.cairn.log;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A record to append, as Kafka's producer takes it.
 *
 * @param topic the topic to append to
 * @param partition the partition, or null to let the partitioner choose: {@code murmur2(key)}
 *     for keyed records (Kafka's default partitioner), round-robin for unkeyed ones
 * @param timestampMs the record's timestamp in milliseconds (>= 0, as Kafka requires), or null for the log's clock
 * @param key the key, or null
 * @param value the value, or null (a tombstone under compaction)
 * @param headers the headers (none of them null), or null for none as in Kafka; the record keeps a copy
 */
public record ProducerRecord(String topic, Integer partition, Long timestampMs, byte[] key, byte[] value,
        List<Header> headers) {
    public ProducerRecord {
        Objects.requireNonNull(topic, "topic");
        if (partition != null && partition < 0) {
            throw new IllegalArgumentException("partition must be >= 0, was " + partition);
        }
        if (timestampMs != null && timestampMs < 0) {
            throw new IllegalArgumentException("timestampMs must be >= 0 or null, was " + timestampMs);
        }
        headers = copyOf(headers);
    }

    /** Null means no headers, as in Kafka's {@code ProducerRecord}; a null header is refused by position. */
    private static List<Header> copyOf(List<Header> headers) {
        if (headers == null) {
            return List.of();
        }
        for (int i = 0; i < headers.size(); i++) {
            if (headers.get(i) == null) {
                throw new NullPointerException("header " + i + " of " + headers.size() + " is null");
            }
        }
        return List.copyOf(headers);
    }

    /** A keyed record with no headers, partitioned by key, timestamped by the log. */
    public static ProducerRecord of(String topic, byte[] key, byte[] value) {
        return new ProducerRecord(topic, null, null, key, value, List.of());
    }

    /** An unkeyed record with no headers. */
    public static ProducerRecord of(String topic, byte[] value) {
        return new ProducerRecord(topic, null, null, null, value, List.of());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProducerRecord r && topic.equals(r.topic) && Objects.equals(partition, r.partition)
                && Objects.equals(timestampMs, r.timestampMs) && Arrays.equals(key, r.key)
                && Arrays.equals(value, r.value) && headers.equals(r.headers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, partition, timestampMs, Arrays.hashCode(key), Arrays.hashCode(value), headers);
    }

    @Override
    public String toString() {
        return "ProducerRecord[" + topic + ", partition " + partition + ", key "
                + (key == null ? "null" : key.length + " bytes") + ", value "
                + (value == null ? "null" : value.length + " bytes") + "]";
    }
}
