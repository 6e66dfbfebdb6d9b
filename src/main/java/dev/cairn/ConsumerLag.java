package dev.cairn;

/**
 * How far a consumer group's committed offset of one partition is behind the partition's end, as
 * Kafka's {@code kafka-consumer-groups --describe} reports it.
 *
 * @param group the group id
 * @param topic the topic
 * @param partition the partition number
 * @param committedOffset the group's committed offset (the next record it will read)
 * @param endOffset the partition's end offset when the snapshot was taken
 */
public record ConsumerLag(String group, String topic, int partition, long committedOffset, long endOffset) {
    /** Records appended that the group has not committed past; never negative. */
    public long lag() {
        return Math.max(0, endOffset - committedOffset);
    }
}
