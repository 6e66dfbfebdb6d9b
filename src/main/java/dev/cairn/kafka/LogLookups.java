package dev.cairn.kafka;

import dev.cairn.log.Log;
import dev.cairn.log.UnknownTopicException;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.NoOffsetForPartitionException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * The consumer's questions about the log that change nothing (topics, offsets by time, a group's
 * committed offsets, which partitions lack a position), answered in Kafka's shapes: null for a partition without an answer, an
 * empty list for a missing topic, as {@code KafkaConsumer} answers.
 *
 * <p>Stateless; thread-safe (a log consumer passed in is used on the caller's thread).
 */
final class LogLookups {
    private LogLookups() {
    }

    /** The topic's partitions, or an empty list if it does not exist. */
    static List<PartitionInfo> partitionsFor(Log log, String topic) {
        try {
            return Conversions.partitionsOf(log, topic);
        } catch (UnknownTopicException e) {
            return List.of();
        }
    }

    /** Every user topic with its partitions; one deleted meanwhile is left out. */
    static Map<String, List<PartitionInfo>> listTopics(Log log) {
        Map<String, List<PartitionInfo>> out = new TreeMap<>();
        for (String topic : log.topics()) {
            List<PartitionInfo> partitions = partitionsFor(log, topic);
            if (!partitions.isEmpty()) {
                out.put(topic, partitions);
            }
        }
        return out;
    }

    /** The group's committed offset of each partition, or null where there is none. */
    static Map<TopicPartition, OffsetAndMetadata> committed(dev.cairn.log.Consumer consumer,
            Set<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        for (TopicPartition tp : partitions) {
            OptionalLong at = consumer.committed(Conversions.toLog(tp));
            out.put(tp, at.isPresent() ? new OffsetAndMetadata(at.getAsLong()) : null);
        }
        return out;
    }

    /** The beginning or end offset of each partition. */
    static Map<TopicPartition, Long> offsets(dev.cairn.log.Consumer consumer, Collection<TopicPartition> partitions,
            boolean beginning) {
        List<dev.cairn.log.TopicPartition> list = Conversions.toLog(partitions);
        Map<dev.cairn.log.TopicPartition, Long> found = beginning ? consumer.beginningOffsets(list)
                : consumer.endOffsets(list);
        Map<TopicPartition, Long> out = new HashMap<>();
        found.forEach((tp, offset) -> out.put(Conversions.toKafka(tp), offset));
        return out;
    }

    /**
     * For each partition, the first record with a timestamp at or after the one given (its offset
     * and timestamp), or null if there is none.
     *
     * @throws IllegalArgumentException if a timestamp is null or negative (nothing is looked up)
     */
    static Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(Log log, Map<TopicPartition, Long> timestamps) {
        timestamps.forEach((tp, ts) -> {
            if (ts == null || ts < 0) {
                throw new IllegalArgumentException("the target time for " + tp + " is " + ts
                        + "; it must not be null or negative");
            }
        });
        Map<TopicPartition, OffsetAndTimestamp> out = new HashMap<>();
        timestamps.forEach((tp, ts) -> out.put(tp, offsetForTime(log, Conversions.toLog(tp), ts)));
        return out;
    }

    private static OffsetAndTimestamp offsetForTime(Log log, dev.cairn.log.TopicPartition tp, long timestampMs) {
        OptionalLong offset = log.offsetForTime(tp, timestampMs);
        if (offset.isEmpty()) {
            return null;
        }
        List<dev.cairn.log.ConsumerRecord> first;
        try {
            first = log.read(tp, offset.getAsLong(), 1);
        } catch (dev.cairn.log.OffsetOutOfRangeException deleted) {
            return null; // removed by retention since it was found
        }
        if (first.isEmpty()) {
            return null;
        }
        dev.cairn.log.ConsumerRecord r = first.get(0);
        return new OffsetAndTimestamp(r.offset(), r.timestampMs(), Optional.empty());
    }

    /**
     * With {@code auto.offset.reset=none}, the log's consumer reports a partition without a
     * committed offset as an {@link IllegalStateException} ({@code e}); Kafka's consumer names the
     * partitions in a {@link NoOffsetForPartitionException}. Returns that, or {@code e} if no
     * assigned partition lacks a position (the error was another).
     */
    static RuntimeException noOffset(dev.cairn.log.Consumer consumer, IllegalStateException e) {
        Set<TopicPartition> missing = new LinkedHashSet<>();
        for (dev.cairn.log.TopicPartition tp : consumer.assignment()) {
            try {
                consumer.position(tp);
            } catch (IllegalStateException none) {
                missing.add(Conversions.toKafka(tp));
            } catch (RuntimeException other) {
                // Not a missing offset (a topic deleted under the consumer, say): not ours to report.
            }
        }
        if (missing.isEmpty()) {
            return e;
        }
        NoOffsetForPartitionException none = new NoOffsetForPartitionException(missing);
        none.initCause(e);
        return none;
    }
}
