package dev.cairn.log;

/**
 * Where an appended record landed.
 *
 * @param topic the topic
 * @param partition the partition
 * @param offset the record's offset
 * @param timestampMs the record's timestamp as stored: under {@link TimestampType#CREATE_TIME} the caller's, or the
 *                    log clock's at the append if it had none; under {@link TimestampType#LOG_APPEND_TIME} the log
 *                    clock's time the log stamped the append with
 * @param timestampType the topic's timestamp type the append was stored under
 */
public record RecordMetadata(String topic, int partition, long offset, long timestampMs, TimestampType timestampType) {
}
