package dev.cairn.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.consumer.SubscriptionPattern;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidRegularExpression;
import org.apache.kafka.common.metrics.KafkaMetric;

/**
 * The overloads of kafka-clients' {@link Consumer} that only fill in Kafka's default arguments (no
 * listener, no timeout, no callback), each passed to the one method that does the work, and the
 * methods that have nothing to do in process (client metrics and telemetry). Keeps
 * {@link InProcessConsumer} to its state and behaviour.
 *
 * <p>No state; thread-safety is the subclass's.
 */
abstract class ConsumerOverloads<K, V> implements Consumer<K, V> {
    /** What Kafka's overloads without a timeout wait for: as good as forever. */
    static final Duration FOREVER = Duration.ofMillis(Long.MAX_VALUE);

    @Override
    public void subscribe(Collection<String> topics) {
        subscribe(topics, ListenerAdapter.NONE);
    }

    @Override
    public void subscribe(Pattern pattern) {
        subscribe(pattern, ListenerAdapter.NONE);
    }

    /**
     * Subscribes to the topics matching the pattern, matched here with {@link Pattern}: the RE2J
     * syntax that Kafka's broker evaluates is, for what it accepts, read the same way.
     *
     * @throws InvalidRegularExpression if the pattern does not compile
     */
    @Override
    public void subscribe(SubscriptionPattern pattern, ConsumerRebalanceListener listener) {
        if (pattern == null || pattern.pattern() == null) {
            throw new IllegalArgumentException("the subscription pattern must not be null");
        }
        Pattern compiled;
        try {
            compiled = Pattern.compile(pattern.pattern());
        } catch (PatternSyntaxException e) {
            throw new InvalidRegularExpression("invalid subscription pattern " + pattern.pattern() + ": "
                    + e.getDescription());
        }
        subscribe(compiled, listener);
    }

    @Override
    public void subscribe(SubscriptionPattern pattern) {
        subscribe(pattern, ListenerAdapter.NONE);
    }

    @Override
    public void commitSync() {
        commitSync(FOREVER);
    }

    @Override
    public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
        commitSync(offsets, FOREVER);
    }

    @Override
    public void commitAsync() {
        commitAsync(null);
    }

    @Override
    public void seek(TopicPartition partition, OffsetAndMetadata offsetAndMetadata) {
        if (offsetAndMetadata == null) {
            throw new IllegalArgumentException("the offset to seek to must not be null");
        }
        seek(partition, offsetAndMetadata.offset());
    }

    @Override
    public long position(TopicPartition partition) {
        return position(partition, FOREVER);
    }

    /** The committed offsets; a partition without one maps to null, as in Kafka. */
    @Override
    public Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions) {
        return committed(partitions, FOREVER);
    }

    @Override
    public Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(Map<TopicPartition, Long> timestampsToSearch) {
        return offsetsForTimes(timestampsToSearch, FOREVER);
    }

    @Override
    public Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions) {
        return beginningOffsets(partitions, FOREVER);
    }

    @Override
    public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) {
        return endOffsets(partitions, FOREVER);
    }

    /** The topic's partitions, or an empty list if it does not exist (as {@code KafkaConsumer}). */
    @Override
    public List<PartitionInfo> partitionsFor(String topic) {
        return partitionsFor(topic, FOREVER);
    }

    @Override
    public Map<String, List<PartitionInfo>> listTopics() {
        return listTopics(FOREVER);
    }

    @Override
    public void enforceRebalance() {
        enforceRebalance(null);
    }

    /** Closes with Kafka's default close timeout, 30 seconds. */
    @Override
    public void close() {
        close(CloseOptions.timeout(Duration.ofSeconds(30)));
    }

    /** {@link #close(CloseOptions)} with this timeout. */
    @Deprecated
    @Override
    public void close(Duration timeout) {
        close(CloseOptions.timeout(timeout));
    }

    /** None: the in-process consumer keeps no client metrics. */
    @Override
    public Map<MetricName, ? extends Metric> metrics() {
        return Map.of();
    }

    /** Nothing to push the metric to: no telemetry reporter runs in process. */
    @Override
    public void registerMetricForSubscription(KafkaMetric metric) {
        Objects.requireNonNull(metric, "metric");
    }

    @Override
    public void unregisterMetricFromSubscription(KafkaMetric metric) {
        Objects.requireNonNull(metric, "metric");
    }

    /** As {@code KafkaConsumer} with {@code enable.metrics.push=false}: there is no client telemetry. */
    @Override
    public Uuid clientInstanceId(Duration timeout) {
        throw new IllegalStateException("client telemetry is not enabled: an in-process consumer has no broker "
                + "to push metrics to");
    }
}
