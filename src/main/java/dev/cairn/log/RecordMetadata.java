package dev.cairn.log;

/**
 * Where an appended record landed.
 *
 * @param topic the topic
 * @param partition the partition
 * @param offset the record's offset
 * @param timestampMs the record's timestamp (the caller's, or the log clock's)
 */
public record RecordMetadata(String topic, int partition, long offset, long timestampMs) {
}
