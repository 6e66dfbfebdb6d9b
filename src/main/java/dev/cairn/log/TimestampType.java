package dev.cairn.log;

/**
 * Which time a record's timestamp is: Kafka's {@code message.timestamp.type}, a topic setting
 * ({@link TopicConfig#timestampType()}) that each stored batch also records in its attributes, so
 * a reader can tell the two apart ({@link ConsumerRecord#timestampType()}).
 */
public enum TimestampType {
    /**
     * The producer's time: a record keeps the timestamp it was appended with, or takes the log
     * clock's time of its append if it had none. Kafka's {@code CreateTime}, the default.
     */
    CREATE_TIME("CreateTime"),
    /**
     * The log's time: every record of an append carries the log clock's time when the log
     * wrote it, whatever timestamp it was sent with. Kafka's {@code LogAppendTime}.
     */
    LOG_APPEND_TIME("LogAppendTime");

    private final String kafkaName;

    TimestampType(String kafkaName) {
        this.kafkaName = kafkaName;
    }

    /** Kafka's name of the type, the value of {@code message.timestamp.type}. */
    public String kafkaName() {
        return kafkaName;
    }

    /**
     * The type Kafka names {@code name} ({@code CreateTime} or {@code LogAppendTime}, exactly).
     *
     * @throws IllegalArgumentException if {@code name} is neither
     */
    public static TimestampType forKafkaName(String name) {
        for (TimestampType t : values()) {
            if (t.kafkaName.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("message.timestamp.type must be CreateTime or LogAppendTime, not " + name);
    }
}
