package dev.cairn.kafka;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.RecordDeserializationException.DeserializationExceptionOrigin;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The log's records as kafka-clients' {@link ConsumerRecords}: deserialized with the consumer's
 * deserializers and the record's headers, grouped by partition in poll order.
 *
 * <p>Stateless; thread-safe (the consumer it is given is used on the caller's thread).
 */
final class RecordConversion {
    private RecordConversion() {
    }

    /**
     * Deserializes {@code polled}. If a record fails, the consumer's partitions are moved back to
     * their first record not returned (the failing one, in its partition), so the next poll meets
     * it again, as Kafka's consumer does; the records before it are returned, or, if there are
     * none, the failure is thrown as a {@link RecordDeserializationException} naming the partition
     * and offset.
     */
    static <K, V> ConsumerRecords<K, V> toRecords(List<dev.cairn.log.ConsumerRecord> polled,
            dev.cairn.log.Consumer consumer, Deserializer<K> keys, Deserializer<V> values) {
        Map<TopicPartition, List<ConsumerRecord<K, V>>> byPartition = new LinkedHashMap<>();
        for (int i = 0; i < polled.size(); i++) {
            dev.cairn.log.ConsumerRecord r = polled.get(i);
            Headers headers = Conversions.toKafka(r.headers());
            DeserializationExceptionOrigin origin = DeserializationExceptionOrigin.KEY;
            K key;
            V value;
            try {
                key = keys.deserialize(r.topic(), headers, r.key());
                origin = DeserializationExceptionOrigin.VALUE;
                value = values.deserialize(r.topic(), headers, r.value());
            } catch (RuntimeException e) {
                rewind(polled, i, consumer);
                if (!byPartition.isEmpty()) {
                    break;
                }
                throw new RecordDeserializationException(origin, new TopicPartition(r.topic(), r.partition()),
                        r.offset(), r.timestampMs(), kafkaType(r.timestampType()), wrap(r.key()), wrap(r.value()),
                        headers, "could not deserialize the " + origin.name().toLowerCase(java.util.Locale.ROOT)
                        + " of the record at offset " + r.offset() + " of " + r.topic() + "-" + r.partition()
                        + "; seek past it to go on", e);
            }
            byPartition.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), tp -> new ArrayList<>())
                    .add(new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.timestampMs(),
                            kafkaType(r.timestampType()), r.key() == null ? -1 : r.key().length,
                            r.value() == null ? -1 : r.value().length, key, value, headers, Optional.empty()));
        }
        Map<TopicPartition, OffsetAndMetadata> next = new LinkedHashMap<>();
        for (TopicPartition tp : byPartition.keySet()) {
            next.put(tp, new OffsetAndMetadata(consumer.position(Conversions.toLog(tp))));
        }
        return new ConsumerRecords<>(byPartition, next);
    }

    /** Kafka's name for a record's timestamp type. */
    static TimestampType kafkaType(dev.cairn.log.TimestampType type) {
        return type == dev.cairn.log.TimestampType.LOG_APPEND_TIME ? TimestampType.LOG_APPEND_TIME
                : TimestampType.CREATE_TIME;
    }

    /** Moves each partition with records at index {@code from} or later back to the first of them. */
    private static void rewind(List<dev.cairn.log.ConsumerRecord> polled, int from, dev.cairn.log.Consumer consumer) {
        Set<dev.cairn.log.TopicPartition> done = new HashSet<>();
        for (int j = from; j < polled.size(); j++) {
            dev.cairn.log.ConsumerRecord r = polled.get(j);
            if (done.add(r.topicPartition())) {
                consumer.seek(r.topicPartition(), r.offset());
            }
        }
    }

    private static ByteBuffer wrap(byte[] bytes) {
        return bytes == null ? null : ByteBuffer.wrap(bytes).asReadOnlyBuffer();
    }
}
