package dev.cairn.kafka;

import dev.cairn.common.CairnException;
import dev.cairn.common.CorruptFileException;
import dev.cairn.common.StorageException;
import dev.cairn.log.CommitFailedException;
import dev.cairn.log.Header;
import dev.cairn.log.InvalidTopicException;
import dev.cairn.log.Log;
import dev.cairn.log.OffsetOutOfRangeException;
import dev.cairn.log.RecordTooLargeException;
import dev.cairn.log.UnknownTopicException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Translations between kafka-clients' types and the log's: partitions, headers, partition
 * metadata, and the log's exceptions into the ones a Kafka client's caller catches.
 *
 * <p>Stateless; thread-safe.
 */
final class Conversions {
    private static final Logger LOG = LoggerFactory.getLogger(Conversions.class);
    /**
     * The one "broker" the in-process clients report as leader and only replica of every
     * partition: there is no network address, so none is made up beyond a name.
     */
    static final Node LOCAL_NODE = new Node(0, "in-process", 0);

    private Conversions() {
    }

    /** {@code timeout} in nanoseconds, saturated (Kafka's callers pass {@code Long.MAX_VALUE} milliseconds for "forever"). */
    static long saturatedNanos(java.time.Duration timeout) {
        try {
            return timeout.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 2;
        }
    }

    static dev.cairn.log.TopicPartition toLog(TopicPartition tp) {
        if (tp == null) {
            throw new IllegalArgumentException("a topic partition is null");
        }
        if (tp.topic() == null || tp.topic().isBlank()) {
            throw new IllegalArgumentException("topic partition " + tp + " has a null or blank topic");
        }
        return new dev.cairn.log.TopicPartition(tp.topic(), tp.partition());
    }

    static TopicPartition toKafka(dev.cairn.log.TopicPartition tp) {
        return new TopicPartition(tp.topic(), tp.partition());
    }

    static List<dev.cairn.log.TopicPartition> toLog(Collection<TopicPartition> partitions) {
        List<dev.cairn.log.TopicPartition> list = new ArrayList<>(partitions.size());
        for (TopicPartition tp : partitions) {
            list.add(toLog(tp));
        }
        return list;
    }

    static Set<TopicPartition> toKafka(Collection<dev.cairn.log.TopicPartition> partitions) {
        Set<TopicPartition> set = new LinkedHashSet<>();
        for (dev.cairn.log.TopicPartition tp : partitions) {
            set.add(toKafka(tp));
        }
        return set;
    }

    static List<Header> toLog(Headers headers) {
        List<Header> list = new ArrayList<>();
        for (org.apache.kafka.common.header.Header h : headers) {
            list.add(new Header(h.key(), h.value()));
        }
        return list;
    }

    static Headers toKafka(List<Header> headers) {
        RecordHeaders kafka = new RecordHeaders();
        for (Header h : headers) {
            kafka.add(h.key(), h.value());
        }
        return kafka;
    }

    /** Kafka's offsets to commit as the log's (their metadata strings are not kept). */
    static Map<dev.cairn.log.TopicPartition, Long> toLogOffsets(Map<TopicPartition, OffsetAndMetadata> offsets) {
        Map<dev.cairn.log.TopicPartition, Long> out = new LinkedHashMap<>();
        offsets.forEach((tp, at) -> {
            if (at == null) {
                throw new IllegalArgumentException("the offset to commit for " + tp + " is null");
            }
            out.put(toLog(tp), at.offset());
        });
        return out;
    }

    /**
     * A Kafka commit callback as the log's, given Kafka's offsets and exceptions; null (Kafka's
     * default callback) logs failures.
     */
    static dev.cairn.log.OffsetCommitCallback toLog(OffsetCommitCallback callback) {
        return (offsets, exception) -> {
            Map<TopicPartition, OffsetAndMetadata> kafka = new HashMap<>();
            offsets.forEach((tp, offset) -> kafka.put(toKafka(tp), new OffsetAndMetadata(offset)));
            Exception error = exception instanceof RuntimeException r ? toKafka(r) : exception;
            if (callback != null) {
                callback.onComplete(kafka, error);
            } else if (error != null) {
                LOG.warn("async commit of {} failed: {}", kafka, error.toString());
            }
        };
    }

    /**
     * The partitions of {@code topic} as a Kafka client's metadata shows them: each led by
     * {@link #LOCAL_NODE}, its only (and in-sync) replica.
     *
     * @throws UnknownTopicException if the topic does not exist
     */
    static List<PartitionInfo> partitionsOf(Log log, String topic) {
        int count = log.describeTopic(topic).config().partitions();
        Node[] replicas = {LOCAL_NODE};
        List<PartitionInfo> infos = new ArrayList<>(count);
        for (int p = 0; p < count; p++) {
            infos.add(new PartitionInfo(topic, p, LOCAL_NODE, replicas, replicas));
        }
        return infos;
    }

    /**
     * The exception a Kafka client's caller expects for one the log threw: the log's own kinds by
     * their Kafka namesakes, JDK exceptions (caller mistakes) as they are, and any other Cairn
     * exception as a {@link KafkaException} with it as the cause.
     */
    static RuntimeException toKafka(RuntimeException e) {
        if (e instanceof KafkaException || !(e instanceof CairnException)) {
            return e;
        }
        if (e instanceof UnknownTopicException) {
            return new UnknownTopicOrPartitionException(e.getMessage(), e);
        }
        if (e instanceof CommitFailedException) {
            var failed = new org.apache.kafka.clients.consumer.CommitFailedException(e.getMessage());
            failed.initCause(e);
            return failed;
        }
        if (e instanceof OffsetOutOfRangeException o) {
            var out = new org.apache.kafka.clients.consumer.OffsetOutOfRangeException(o.getMessage(),
                    Map.of(new TopicPartition(o.topic(), o.partition()), o.offset()));
            out.initCause(e);
            return out;
        }
        if (e instanceof RecordTooLargeException) {
            return new org.apache.kafka.common.errors.RecordTooLargeException(e.getMessage(), e);
        }
        if (e instanceof InvalidTopicException) {
            return new org.apache.kafka.common.errors.InvalidTopicException(e.getMessage(), e);
        }
        if (e instanceof CorruptFileException) {
            return new CorruptRecordException(e.getMessage(), e);
        }
        if (e instanceof StorageException) {
            return new KafkaStorageException(e.getMessage(), e);
        }
        if (e instanceof dev.cairn.log.NotEnoughReplicasAfterAppendException) {
            var afterAppend = new org.apache.kafka.common.errors.NotEnoughReplicasAfterAppendException(e.getMessage());
            afterAppend.initCause(e);
            return afterAppend;
        }
        if (e instanceof dev.cairn.log.NotEnoughReplicasException) {
            return new org.apache.kafka.common.errors.NotEnoughReplicasException(e.getMessage(), e);
        }
        if (e instanceof dev.cairn.log.NotLeaderException) {
            return new org.apache.kafka.common.errors.NotLeaderOrFollowerException(e.getMessage(), e);
        }
        if (e instanceof dev.cairn.log.InvalidReplicationFactorException) {
            return new org.apache.kafka.common.errors.InvalidReplicationFactorException(e.getMessage(), e);
        }
        return new KafkaException(e.getMessage(), e);
    }
}
