package dev.cairn.log;

import java.util.Objects;

/**
 * One partition of a topic, as Kafka names it: the topic name and the partition number.
 *
 * @param topic the topic name
 * @param partition the partition number, {@code 0 <= partition < partitions}
 */
public record TopicPartition(String topic, int partition) implements Comparable<TopicPartition> {
    public TopicPartition {
        Objects.requireNonNull(topic, "topic");
        if (partition < 0) {
            throw new IllegalArgumentException("partition must be >= 0, was " + partition + " (topic " + topic + ")");
        }
    }

    @Override
    public int compareTo(TopicPartition other) {
        int byTopic = topic.compareTo(other.topic);
        return byTopic != 0 ? byTopic : Integer.compare(partition, other.partition);
    }

    @Override
    public String toString() {
        return topic + "-" + partition;
    }
}
