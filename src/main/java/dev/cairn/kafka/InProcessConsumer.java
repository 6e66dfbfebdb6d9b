package dev.cairn.kafka;

import dev.cairn.log.AutoOffsetReset;
import dev.cairn.log.Log;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.InvalidGroupIdException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kafka-clients' {@link Consumer} over a {@link Log} in this process: a {@link dev.cairn.log.Consumer}
 * of the log behind Kafka's interface, with deserializers, Kafka's configs, Kafka's exceptions
 * and its auto-commit. Members of a group are the log's group members, so in-process consumers
 * split a topic's partitions with each other and with the log's own consumers.
 *
 * <p>Configs honoured: {@code group.id}; {@code auto.offset.reset} ({@code latest} by default, as
 * in Kafka; {@code none} makes a poll without a committed offset throw
 * {@link org.apache.kafka.clients.consumer.NoOffsetForPartitionException}); {@code enable.auto.commit} (on by default with a group id,
 * as in Kafka) with {@code auto.commit.interval.ms}: positions are committed in {@code poll} once the
 * interval has passed, before a rebalance revokes partitions, before {@code assign} replaces an
 * assignment, and in {@code close}; {@code max.poll.records}; {@code max.poll.interval.ms}, the
 * log's session timeout: a member that does not poll for that long leaves the group and its next
 * commit throws {@link org.apache.kafka.clients.consumer.CommitFailedException} (an in-process
 * member has no heartbeat to lose, so {@code session.timeout.ms} is checked but bounds nothing
 * more); {@code check.crcs}; {@code client.id}. A {@code group.instance.id} is taken but members
 * are dynamic: one that closes leaves its group at once. Key and value deserializers come from the
 * constructor (used as given) or {@code key.deserializer} / {@code value.deserializer} (made and
 * configured here); both are closed with the consumer.
 *
 * <p>Records carry their offsets, timestamps with the type their batch was stored under
 * ({@code CREATE_TIME}, or {@code LOG_APPEND_TIME} for a topic with
 * {@code message.timestamp.type=LogAppendTime}), headers, serialized sizes, and no leader epoch. A record that fails to
 * deserialize is a {@link org.apache.kafka.common.errors.RecordDeserializationException} with the
 * position left on it (records before it are returned first), as in Kafka; seek past it to go on.
 * Commits keep offsets, not their metadata strings. {@link #enforceRebalance()} has nothing to do:
 * the log's assignment is a function of the members and their topics, so a rebalance without a
 * change gives every member what it has.
 *
 * <p>Not thread-safe, as {@code KafkaConsumer}: a call made while another thread is inside the
 * consumer throws {@link java.util.ConcurrentModificationException} and changes nothing; only
 * {@link #wakeup()} may be called from any thread, and makes the poll in progress (or the next
 * blocking call) throw {@link WakeupException}.
 */
public final class InProcessConsumer<K, V> extends ConsumerOverloads<K, V> {
    private static final Logger LOG = LoggerFactory.getLogger(InProcessConsumer.class);

    private final Log log;
    private final dev.cairn.log.Consumer consumer;
    private final String clientId;
    private final String groupId;
    private final AutoOffsetReset reset;
    private final AutoCommit autoCommit;
    private final Deserializer<K> keyDeserializer;
    private final Deserializer<V> valueDeserializer;
    private final AtomicBoolean wakeup = new AtomicBoolean();
    /** Kafka's check against a consumer shared between threads. */
    private final OwnerCheck ownerCheck;
    /** The subscribed topics, or null while a pattern (or nothing) is subscribed. */
    private Set<String> topics;
    private Pattern pattern;
    /** True while the consumer leaves its group (unsubscribe, close): revocations get no auto-commit. */
    private boolean leaving;
    private boolean closed;

    /** A consumer whose deserializers are named by {@code key.deserializer} and {@code value.deserializer}. */
    public InProcessConsumer(Log log, Map<String, Object> configs) {
        this(log, configs, null, null);
    }

    /**
     * A consumer with these deserializers (used as given, closed with it); null ones come from the configs.
     *
     * @throws ConfigException if a config is invalid, a deserializer is missing, or interceptors are configured
     * @throws org.apache.kafka.common.errors.InvalidConfigurationException if {@code enable.auto.commit} is true without a {@code group.id}
     */
    public InProcessConsumer(Log log, Map<String, Object> configs, Deserializer<K> keyDeserializer,
            Deserializer<V> valueDeserializer) {
        this.log = Objects.requireNonNull(log, "log");
        ClientConfigs config = new ClientConfigs(configs);
        ConsumerSettings settings = ConsumerSettings.of(config);
        this.clientId = settings.clientId();
        this.groupId = settings.groupId();
        this.autoCommit = new AutoCommit(settings);
        this.reset = settings.log().autoOffsetReset();
        this.ownerCheck = new OwnerCheck("consumer " + clientId);
        List<AutoCloseable> made = new ArrayList<>();
        try {
            this.keyDeserializer = settings.deserializer(keyDeserializer, config, "key.deserializer", true, made);
            this.valueDeserializer = settings.deserializer(valueDeserializer, config, "value.deserializer", false,
                    made);
            this.consumer = log.consumer(settings.log());
        } catch (RuntimeException e) {
            made.forEach(InProcessConsumer::closeQuietly);
            throw Conversions.toKafka(e);
        }
    }

    /** {@link #InProcessConsumer(Log, Map)} from properties. */
    public InProcessConsumer(Log log, Properties properties) {
        this(log, ClientConfigs.fromProperties(properties));
    }

    /** {@link #InProcessConsumer(Log, Map, Deserializer, Deserializer)} from properties. */
    public InProcessConsumer(Log log, Properties properties, Deserializer<K> keyDeserializer,
            Deserializer<V> valueDeserializer) {
        this(log, ClientConfigs.fromProperties(properties), keyDeserializer, valueDeserializer);
    }

    @Override
    public Set<TopicPartition> assignment() {
        return call(() -> Set.copyOf(Conversions.toKafka(consumer.assignment())));
    }

    @Override
    public Set<String> subscription() {
        return call(() -> {
            if (pattern != null) {
                Set<String> matched = new LinkedHashSet<>();
                for (String topic : log.topics()) {
                    if (pattern.matcher(topic).matches()) {
                        matched.add(topic);
                    }
                }
                return Set.copyOf(matched);
            }
            return topics == null ? Set.of() : topics;
        });
    }

    @Override
    public void subscribe(Collection<String> topicNames, ConsumerRebalanceListener listener) {
        if (topicNames == null) {
            throw new IllegalArgumentException("the topic collection to subscribe to must not be null");
        }
        if (listener == null) {
            throw new IllegalArgumentException("the rebalance listener must not be null");
        }
        run(() -> {
            requireGroup();
            if (topicNames.isEmpty()) {
                unsubscribe();
                return;
            }
            for (String t : topicNames) {
                if (t == null || t.isBlank()) {
                    throw new IllegalArgumentException("the topics to subscribe to contain a null or blank name: "
                            + topicNames);
                }
            }
            consumer.subscribe(topicNames, adapt(listener));
            topics = Set.copyOf(topicNames);
            pattern = null;
        });
    }

    @Override
    public void subscribe(Pattern topicPattern, ConsumerRebalanceListener listener) {
        if (topicPattern == null || topicPattern.pattern().isEmpty()) {
            throw new IllegalArgumentException("the topic pattern to subscribe to must not be null or empty");
        }
        if (listener == null) {
            throw new IllegalArgumentException("the rebalance listener must not be null");
        }
        run(() -> {
            requireGroup();
            consumer.subscribe(topicPattern, adapt(listener));
            pattern = topicPattern;
            topics = null;
        });
    }

    private ListenerAdapter adapt(ConsumerRebalanceListener listener) {
        return new ListenerAdapter(listener, () -> {
            if (!leaving) {
                autoCommit.commitNow(consumer); // as KafkaConsumer, before a rebalance revokes partitions
            }
        });
    }

    /** Leaves the group without committing (as {@code KafkaConsumer}'s unsubscribe), or drops the assignment. */
    @Override
    public void unsubscribe() {
        run(() -> {
            leaving = true;
            try {
                consumer.unsubscribe();
            } finally {
                leaving = false;
            }
            topics = null;
            pattern = null;
        });
    }

    @Override
    public void assign(Collection<TopicPartition> partitions) {
        if (partitions == null) {
            throw new IllegalArgumentException("the partitions to assign must not be null");
        }
        run(() -> {
            if (partitions.isEmpty()) {
                unsubscribe();
                return;
            }
            List<dev.cairn.log.TopicPartition> list = Conversions.toLog(partitions);
            if (autoCommit.enabled() && !consumer.assignment().isEmpty() && topics == null && pattern == null) {
                consumer.commitAsync(); // as KafkaConsumer: commit the old assignment's positions first
            }
            consumer.assign(list);
        });
    }

    /**
     * Returns the records available from the positions, deserialized, waiting up to
     * {@code timeout} for some; takes part in the group's rebalances and auto-commits.
     *
     * @throws WakeupException if {@link #wakeup()} was called before or during the call
     * @throws org.apache.kafka.clients.consumer.NoOffsetForPartitionException with {@code auto.offset.reset=none} and no committed offset
     * @throws org.apache.kafka.clients.consumer.OffsetOutOfRangeException with {@code auto.offset.reset=none}
     *     and a position outside the partition
     */
    @Override
    public ConsumerRecords<K, V> poll(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("the poll timeout must not be negative, was " + timeout);
        }
        return call(() -> {
            long start = System.nanoTime();
            long budget = Conversions.saturatedNanos(timeout);
            throwIfWakeup();
            autoCommit.maybeCommit(consumer);
            while (true) {
                long remaining = budget - (System.nanoTime() - start);
                List<dev.cairn.log.ConsumerRecord> got = pollLog(Duration.ofNanos(Math.max(0, remaining)));
                if (!got.isEmpty()) {
                    return RecordConversion.toRecords(got, consumer, keyDeserializer, valueDeserializer);
                }
                throwIfWakeup();
                // The log's poll may return early (a wakeup consumed after it threw here): wait out the rest.
                if (budget - (System.nanoTime() - start) <= 0) {
                    return ConsumerRecords.empty();
                }
            }
        });
    }

    private List<dev.cairn.log.ConsumerRecord> pollLog(Duration timeout) {
        try {
            return consumer.poll(timeout);
        } catch (IllegalStateException e) {
            throw reset == AutoOffsetReset.NONE ? LogLookups.noOffset(consumer, e) : e;
        }
    }

    /** Commits at once (an append in this process); the timeout is only checked. */
    @Override
    public void commitSync(Duration timeout) {
        requireNonNegative(timeout);
        run(() -> {
            requireGroup();
            throwIfWakeup();
            consumer.commitSync();
        });
    }

    @Override
    public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
        requireNonNegative(timeout);
        Objects.requireNonNull(offsets, "offsets");
        run(() -> {
            requireGroup();
            throwIfWakeup();
            consumer.commitSync(Conversions.toLogOffsets(offsets));
        });
    }

    @Override
    public void commitAsync(OffsetCommitCallback callback) {
        run(() -> {
            requireGroup();
            if (callback == null) {
                consumer.commitAsync();
            } else {
                consumer.commitAsync(Conversions.toLog(callback));
            }
        });
    }

    @Override
    public void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {
        Objects.requireNonNull(offsets, "offsets");
        run(() -> {
            requireGroup();
            consumer.commitAsync(Conversions.toLogOffsets(offsets), Conversions.toLog(callback));
        });
    }

    @Override
    public void seek(TopicPartition partition, long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("the seek offset must not be negative, was " + offset);
        }
        run(() -> consumer.seek(Conversions.toLog(partition), offset));
    }

    /** Moves to the beginning of each partition; an empty collection means every assigned one, as in Kafka. */
    @Override
    public void seekToBeginning(Collection<TopicPartition> partitions) {
        seekAll(partitions, true);
    }

    /** Moves to the end of each partition; an empty collection means every assigned one, as in Kafka. */
    @Override
    public void seekToEnd(Collection<TopicPartition> partitions) {
        seekAll(partitions, false);
    }

    private void seekAll(Collection<TopicPartition> partitions, boolean beginning) {
        if (partitions == null) {
            throw new IllegalArgumentException("the partitions to seek must not be null");
        }
        run(() -> {
            Collection<dev.cairn.log.TopicPartition> which = partitions.isEmpty() ? consumer.assignment()
                    : Conversions.toLog(partitions);
            if (beginning) {
                consumer.seekToBeginning(which);
            } else {
                consumer.seekToEnd(which);
            }
        });
    }

    @Override
    public long position(TopicPartition partition, Duration timeout) {
        requireNonNegative(timeout);
        return call(() -> {
            throwIfWakeup();
            dev.cairn.log.TopicPartition tp = Conversions.toLog(partition);
            try {
                return consumer.position(tp);
            } catch (IllegalStateException e) {
                if (reset == AutoOffsetReset.NONE && consumer.assignment().contains(tp)) {
                    throw LogLookups.noOffset(consumer, e);
                }
                throw e;
            }
        });
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions, Duration timeout) {
        requireNonNegative(timeout);
        Objects.requireNonNull(partitions, "partitions");
        return call(() -> {
            requireGroup();
            throwIfWakeup();
            return LogLookups.committed(consumer, partitions);
        });
    }

    @Override
    public Set<TopicPartition> paused() {
        return call(() -> Set.copyOf(Conversions.toKafka(consumer.paused())));
    }

    @Override
    public void pause(Collection<TopicPartition> partitions) {
        Objects.requireNonNull(partitions, "partitions");
        run(() -> consumer.pause(Conversions.toLog(partitions)));
    }

    @Override
    public void resume(Collection<TopicPartition> partitions) {
        Objects.requireNonNull(partitions, "partitions");
        run(() -> consumer.resume(Conversions.toLog(partitions)));
    }

    /** For each partition, the first offset with a timestamp at or after the one given, or null if none. */
    @Override
    public Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(Map<TopicPartition, Long> timestampsToSearch,
            Duration timeout) {
        requireNonNegative(timeout);
        Objects.requireNonNull(timestampsToSearch, "timestampsToSearch");
        return call(() -> {
            throwIfWakeup();
            return LogLookups.offsetsForTimes(log, timestampsToSearch);
        });
    }

    @Override
    public Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions, Duration timeout) {
        return offsets(partitions, timeout, true);
    }

    @Override
    public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions, Duration timeout) {
        return offsets(partitions, timeout, false);
    }

    private Map<TopicPartition, Long> offsets(Collection<TopicPartition> partitions, Duration timeout,
            boolean beginning) {
        requireNonNegative(timeout);
        Objects.requireNonNull(partitions, "partitions");
        return call(() -> {
            throwIfWakeup();
            return LogLookups.offsets(consumer, partitions, beginning);
        });
    }

    @Override
    public OptionalLong currentLag(TopicPartition partition) {
        return call(() -> consumer.currentLag(Conversions.toLog(partition)));
    }

    @Override
    public List<PartitionInfo> partitionsFor(String topic, Duration timeout) {
        requireNonNegative(timeout);
        Objects.requireNonNull(topic, "topic");
        return call(() -> {
            throwIfWakeup();
            return LogLookups.partitionsFor(log, topic);
        });
    }

    @Override
    public Map<String, List<PartitionInfo>> listTopics(Duration timeout) {
        requireNonNegative(timeout);
        return call(() -> {
            throwIfWakeup();
            return LogLookups.listTopics(log);
        });
    }

    /** The group id, with no generation or member id (the log does not expose them). */
    // kafka-clients 4.x deprecates making this object outside its consumers; an implementation of
    // the interface has no other way to return one.
    @SuppressWarnings("removal")
    @Override
    public ConsumerGroupMetadata groupMetadata() {
        return call(() -> {
            requireGroup();
            return new ConsumerGroupMetadata(groupId);
        });
    }

    /** Checks that the consumer is a subscribed member; there is nothing more to do (see the class comment). */
    @Override
    public void enforceRebalance(String reason) {
        run(() -> {
            requireGroup();
            if (topics == null && pattern == null) {
                throw new IllegalStateException("consumer " + clientId
                        + " is not subscribed: there is no group rebalance to force");
            }
        });
    }

    /** Makes the poll in progress, or the next blocking call, throw {@link WakeupException}. Any thread. */
    @Override
    public void wakeup() {
        wakeup.set(true);
        consumer.wakeup();
    }

    /**
     * Commits the positions (with auto-commit on), leaves the group (the listener is told its
     * partitions are revoked), closes the deserializers. Everything is done at once in process, so
     * the timeout is only checked; every member leaves on close, whatever the membership operation
     * asks (members are dynamic). Idempotent.
     */
    @Override
    public void close(CloseOptions options) {
        Objects.requireNonNull(options, "options");
        options.timeout().ifPresent(InProcessConsumer::requireNonNegative);
        acquire();
        try {
            if (closed) {
                return;
            }
            try {
                autoCommit.commitNow(consumer);
                leaving = true;
                consumer.close();
            } catch (RuntimeException e) {
                throw Conversions.toKafka(e);
            } finally {
                closed = true;
                closeQuietly(keyDeserializer);
                closeQuietly(valueDeserializer);
            }
        } finally {
            release();
        }
    }

    private void requireGroup() {
        if (groupId == null) {
            throw new InvalidGroupIdException("consumer " + clientId
                    + " has no group.id: group management and offset commits need one");
        }
    }

    private void throwIfWakeup() {
        if (wakeup.getAndSet(false)) {
            throw new WakeupException();
        }
    }

    private static void requireNonNegative(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("the timeout must not be negative, was " + timeout);
        }
    }

    /** Runs {@code body} as the one thread inside the open consumer, with the log's exceptions as Kafka's. */
    private <T> T call(Supplier<T> body) {
        acquire();
        try {
            if (closed) {
                throw new IllegalStateException("consumer " + clientId + " is closed");
            }
            return body.get();
        } catch (RuntimeException e) {
            throw Conversions.toKafka(e);
        } finally {
            release();
        }
    }

    private void run(Runnable body) {
        call(() -> {
            body.run();
            return null;
        });
    }

    private void acquire() {
        ownerCheck.acquire();
    }

    private void release() {
        ownerCheck.release();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.warn("closing {} failed", closeable.getClass().getName(), e);
        }
    }

    @Override
    public String toString() {
        return "InProcessConsumer[" + clientId + (groupId == null ? "" : ", group " + groupId) + "]";
    }
}
