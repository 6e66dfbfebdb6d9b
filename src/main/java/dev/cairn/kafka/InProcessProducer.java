package dev.cairn.kafka;

import dev.cairn.log.Log;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kafka-clients' {@link Producer} over a {@link Log} in this process: {@code send} serializes the
 * record as {@code KafkaProducer} does and appends it with {@link Log#appendAsync}, with no socket
 * and no broker in between. For code written against the {@code Producer} interface (as tests use
 * {@code MockProducer}) that should write to real, durable topics read by real consumer groups.
 *
 * <p>What {@code send} does, in {@code KafkaProducer}'s order: serializes key and value (with the
 * record's headers, which become read-only), picks the partition (the record's own; else a
 * configured {@code partitioner.class}; else the log's, which is Kafka's default for keyed records:
 * {@code murmur2(key) % partitions}), appends. The returned future, and the callback, complete when
 * the record is as durable as its topic's policy promises: under {@code ALWAYS} after the fsync
 * that covers it, on the log's sync thread; otherwise at once, on the sending thread, before
 * {@code send} returns. Callbacks of one partition run in the order of the sends, as in Kafka;
 * one that throws is logged. Errors Kafka reports through the future (its {@link ApiException}s:
 * an unknown topic, a record over the topic's {@code max.message.bytes}, a storage failure) go to
 * the future and callback; the others ({@link SerializationException}, an invalid partition, a
 * closed producer) are thrown by {@code send}, as {@code KafkaProducer} throws them. Topics are not
 * created on first use: a send to a missing topic fails at once with
 * {@link org.apache.kafka.common.errors.UnknownTopicOrPartitionException}.
 *
 * <p>Transactions are not supported yet: a {@code transactional.id} is refused at construction
 * with a {@link ConfigException}, and the transactional methods throw
 * {@link IllegalStateException}, as {@code KafkaProducer}'s do without a transactional id.
 * Interceptors ({@code interceptor.classes}) are refused the same way. {@code acks} ({@code all}
 * or -1, the default; 1; 0) is the log's {@link dev.cairn.log.Acks} for every send: with a replicated
 * topic, all waits for the in-sync replicas (docs/replication.md). Configs about batching, retries
 * and the network ({@code linger.ms}, {@code batch.size}, {@code compression.type},
 * {@code bootstrap.servers}, ...) have nothing to act on and are ignored: a send is one append.
 *
 * <p>Thread-safe, as {@code KafkaProducer}: any number of threads may send through one producer.
 */
public final class InProcessProducer<K, V> implements Producer<K, V> {
    private static final Logger LOG = LoggerFactory.getLogger(InProcessProducer.class);
    private static final AtomicLong IDS = new AtomicLong();
    /** Set while this thread runs a send's callback, so a close from there does not wait on itself. */
    private static final ThreadLocal<Boolean> IN_CALLBACK = ThreadLocal.withInitial(() -> false);

    private final Log log;
    private final String clientId;
    private final Serializer<K> keySerializer;
    private final Serializer<V> valueSerializer;
    /** A configured {@code partitioner.class}, or null for the log's own partitioning. */
    private final Partitioner partitioner;
    /** {@code partitioner.ignore.keys}: keyed records are spread as unkeyed ones are. */
    private final boolean ignoreKeys;
    private final Map<String, AtomicInteger> roundRobin = new ConcurrentHashMap<>();
    private final dev.cairn.log.Acks acks;
    /** Sends whose future (with its callback) has not completed yet; what flush and close wait for. */
    private final Set<CompletableFuture<RecordMetadata>> inFlight = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** A producer whose serializers are named by {@code key.serializer} and {@code value.serializer}. */
    public InProcessProducer(Log log, Map<String, Object> configs) {
        this(log, configs, null, null);
    }

    /**
     * A producer with these serializers (not configured here, as {@code KafkaProducer} leaves
     * given instances alone, but closed with it); null ones come from the configs.
     *
     * @throws ConfigException if a config is invalid, a serializer is missing, or
     *     {@code transactional.id} or {@code interceptor.classes} is set
     */
    public InProcessProducer(Log log, Map<String, Object> configs, Serializer<K> keySerializer,
            Serializer<V> valueSerializer) {
        this.log = Objects.requireNonNull(log, "log");
        ClientConfigs config = new ClientConfigs(configs);
        if (config.has("transactional.id")) {
            throw new ConfigException("transactional.id", configs.get("transactional.id"),
                    "transactions are not supported by the in-process producer yet; leave transactional.id unset");
        }
        config.refuseInterceptors("producer");
        this.clientId = config.string("client.id", "producer-" + IDS.incrementAndGet());
        this.ignoreKeys = config.bool("partitioner.ignore.keys", false);
        this.acks = acksOf(config.string("acks", "all"));
        List<AutoCloseable> made = new ArrayList<>();
        try {
            this.keySerializer = keySerializer != null ? keySerializer
                    : configured(config, "key.serializer", true, made);
            this.valueSerializer = valueSerializer != null ? valueSerializer
                    : configured(config, "value.serializer", false, made);
            this.partitioner = config.instance("partitioner.class", Partitioner.class);
            if (partitioner != null) {
                made.add(partitioner);
                partitioner.configure(config.originalsWith("client.id", clientId));
            }
        } catch (RuntimeException e) {
            made.forEach(InProcessProducer::closeQuietly);
            throw e;
        }
    }

    /** The log's acks for a producer's {@code acks} config, as KafkaProducer reads it. */
    private static dev.cairn.log.Acks acksOf(String acks) {
        return switch (acks.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "all", "-1" -> dev.cairn.log.Acks.ALL;
            case "1" -> dev.cairn.log.Acks.LEADER;
            case "0" -> dev.cairn.log.Acks.NONE;
            default -> throw new ConfigException("acks", acks, "String must be one of: all, -1, 0, 1");
        };
    }

    /** {@link #InProcessProducer(Log, Map)} from properties. */
    public InProcessProducer(Log log, Properties properties) {
        this(log, ClientConfigs.fromProperties(properties));
    }

    /** {@link #InProcessProducer(Log, Map, Serializer, Serializer)} from properties. */
    public InProcessProducer(Log log, Properties properties, Serializer<K> keySerializer,
            Serializer<V> valueSerializer) {
        this(log, ClientConfigs.fromProperties(properties), keySerializer, valueSerializer);
    }

    @SuppressWarnings("unchecked")
    private <T> Serializer<T> configured(ClientConfigs config, String name, boolean isKey, List<AutoCloseable> made) {
        Serializer<T> serializer = config.instance(name, Serializer.class);
        if (serializer == null) {
            throw new ConfigException("Missing required configuration \"" + name
                    + "\" which has no default value (and no serializer was given to the constructor)");
        }
        made.add(serializer);
        serializer.configure(config.originalsWith("client.id", clientId), isKey);
        return serializer;
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<K, V> record) {
        return send(record, null);
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<K, V> record, Callback callback) {
        Objects.requireNonNull(record, "record");
        ensureOpen();
        String topic = record.topic();
        Headers headers = record.headers();
        byte[] key = serialize(keySerializer, topic, headers, record.key(), "key");
        byte[] value = serialize(valueSerializer, topic, headers, record.value(), "value");
        if (headers instanceof RecordHeaders recordHeaders) {
            recordHeaders.setReadOnly(); // as KafkaProducer: the record is the producer's now
        }
        Integer partition = record.partition();
        CompletableFuture<dev.cairn.log.RecordMetadata> appended;
        try {
            if (partition == null) {
                partition = choosePartition(record, key, value);
            }
            appended = log.appendAsync(new dev.cairn.log.ProducerRecord(topic, partition, record.timestamp(), key,
                    value, Conversions.toLog(headers)), acks);
        } catch (IllegalArgumentException e) {
            // The one IllegalArgumentException appendAsync throws for a record kafka-clients built.
            throw new KafkaException("invalid partition given with record: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            RuntimeException error = Conversions.toKafka(e);
            if (error instanceof ApiException) {
                int p = partition == null ? RecordMetadata.UNKNOWN_PARTITION : partition;
                return track(CompletableFuture.failedFuture(error), new TopicPartition(topic, p), key, value,
                        callback);
            }
            throw error;
        }
        TopicPartition unknown = new TopicPartition(topic, partition == null ? RecordMetadata.UNKNOWN_PARTITION
                : partition);
        return track(appended, unknown, key, value, callback);
    }

    /**
     * Turns the log's future into the Kafka one that {@code send} returns: Kafka's metadata or
     * exception, the callback run first (so a flush that sees the future done sees the callback
     * done), kept in {@link #inFlight} until then.
     */
    private Future<RecordMetadata> track(CompletableFuture<dev.cairn.log.RecordMetadata> appended,
            TopicPartition tp, byte[] key, byte[] value, Callback callback) {
        int keySize = key == null ? -1 : key.length;
        int valueSize = value == null ? -1 : value.length;
        CompletableFuture<RecordMetadata> done = appended.handle((md, failure) -> {
            RecordMetadata metadata = null;
            Exception error = null;
            if (failure == null) {
                metadata = new RecordMetadata(new TopicPartition(md.topic(), md.partition()), md.offset(), 0,
                        md.timestampMs(), keySize, valueSize);
            } else {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                error = cause instanceof RuntimeException r ? Conversions.toKafka(r) : new KafkaException(cause);
            }
            if (callback != null) {
                // As KafkaProducer: on failure the callback gets metadata of -1s naming the partition.
                RecordMetadata given = metadata != null ? metadata : new RecordMetadata(tp, -1, -1, -1, -1, -1);
                runCallback(callback, given, error);
            }
            if (error != null) {
                throw new CompletionException(error);
            }
            return metadata;
        });
        if (!done.isDone()) {
            inFlight.add(done);
            done.whenComplete((md, e) -> inFlight.remove(done));
        }
        return new SendFuture(done);
    }

    private void runCallback(Callback callback, RecordMetadata metadata, Exception error) {
        IN_CALLBACK.set(true);
        try {
            callback.onCompletion(metadata, error);
        } catch (RuntimeException e) {
            LOG.error("callback of producer {} for {}-{} threw", clientId, metadata.topic(), metadata.partition(), e);
        } finally {
            IN_CALLBACK.set(false);
        }
    }

    private static <T> byte[] serialize(Serializer<T> serializer, String topic, Headers headers, T data, String what) {
        try {
            return serializer.serialize(topic, headers, data);
        } catch (ClassCastException e) {
            throw new SerializationException("cannot convert " + what + " of " + data.getClass().getName()
                    + " with " + serializer.getClass().getName() + " (" + what + ".serializer)", e);
        }
    }

    /**
     * The partition the configured partitioner or {@code partitioner.ignore.keys} picks; null to
     * let the log pick (Kafka's default: {@code murmur2(key) % partitions}, spread when unkeyed).
     */
    private Integer choosePartition(ProducerRecord<K, V> record, byte[] key, byte[] value) {
        String topic = record.topic();
        if (partitioner != null) {
            List<PartitionInfo> partitions = Conversions.partitionsOf(log, topic);
            Cluster cluster = new Cluster("cairn-in-process", List.of(Conversions.LOCAL_NODE), partitions,
                    Set.of(), Set.of());
            return partitioner.partition(topic, record.key(), key, record.value(), value, cluster);
        }
        if (ignoreKeys && key != null) {
            int count = log.describeTopic(topic).config().partitions();
            int next = roundRobin.computeIfAbsent(topic, t -> new AtomicInteger()).getAndIncrement();
            return Math.floorMod(next, count);
        }
        return null;
    }

    /** Waits until every record sent before the call is acknowledged and its callback has run. */
    @Override
    public void flush() {
        for (CompletableFuture<RecordMetadata> f : List.copyOf(inFlight)) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptException("flush interrupted", e);
            } catch (ExecutionException e) {
                // That send's failure went to its future and callback.
            }
        }
    }

    /**
     * The topic's partitions, led by one in-process node.
     *
     * @throws org.apache.kafka.common.errors.UnknownTopicOrPartitionException if the topic does not
     *     exist (topics are not created on use)
     */
    @Override
    public List<PartitionInfo> partitionsFor(String topic) {
        Objects.requireNonNull(topic, "topic");
        try {
            return Conversions.partitionsOf(log, topic);
        } catch (RuntimeException e) {
            throw Conversions.toKafka(e);
        }
    }

    /** None: the in-process producer keeps no client metrics (the log keeps its own counters). */
    @Override
    public Map<MetricName, ? extends Metric> metrics() {
        return Map.of();
    }

    /** Nothing to push the metric to: no telemetry reporter runs in process (as with telemetry off). */
    @Override
    public void registerMetricForSubscription(KafkaMetric metric) {
        Objects.requireNonNull(metric, "metric");
    }

    @Override
    public void unregisterMetricFromSubscription(KafkaMetric metric) {
        Objects.requireNonNull(metric, "metric");
    }

    /** As {@code KafkaProducer} with {@code enable.metrics.push=false}: there is no client telemetry. */
    @Override
    public Uuid clientInstanceId(Duration timeout) {
        throw new IllegalStateException("client telemetry is not enabled: the in-process producer "
                + clientId + " has no broker to push metrics to");
    }

    @Override
    public void initTransactions() {
        throw noTransactions();
    }

    @Override
    public void beginTransaction() {
        throw noTransactions();
    }

    @Override
    public void sendOffsetsToTransaction(Map<TopicPartition, OffsetAndMetadata> offsets,
            ConsumerGroupMetadata groupMetadata) {
        throw noTransactions();
    }

    @Override
    public void commitTransaction() {
        throw noTransactions();
    }

    @Override
    public void abortTransaction() {
        throw noTransactions();
    }

    private IllegalStateException noTransactions() {
        return new IllegalStateException("producer " + clientId
                + " has no transactional.id: transactional methods need one (and the in-process producer"
                + " does not support transactions yet)");
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("producer " + clientId + " is closed: cannot send after close");
        }
    }

    @Override
    public void close() {
        close(Duration.ofMillis(Long.MAX_VALUE));
    }

    /**
     * Stops taking sends, waits up to {@code timeout} for the sends in flight (records waiting for
     * their fsync) and their callbacks, then closes the serializers and partitioner. Called from
     * a callback, it does not wait (as Kafka's). Idempotent.
     */
    @Override
    public void close(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("the close timeout must not be negative, was " + timeout);
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (!IN_CALLBACK.get()) {
            awaitInFlight(timeout);
        }
        closeQuietly(keySerializer);
        closeQuietly(valueSerializer);
        if (partitioner != null) {
            closeQuietly(partitioner);
        }
    }

    private void awaitInFlight(Duration timeout) {
        long deadline = System.nanoTime() + Conversions.saturatedNanos(timeout);
        for (CompletableFuture<RecordMetadata> f : List.copyOf(inFlight)) {
            try {
                f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException e) {
                // Reported to that send's future and callback.
            } catch (TimeoutException e) {
                LOG.warn("producer {} closed with sends still waiting for their fsync", clientId);
                return;
            }
        }
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
        return "InProcessProducer[" + clientId + "]";
    }

    /** The future {@code send} returns: completed only by the append, never by its holder. */
    private static final class SendFuture implements Future<RecordMetadata> {
        private final CompletableFuture<RecordMetadata> done;

        SendFuture(CompletableFuture<RecordMetadata> done) {
            this.done = done;
        }

        /** As Kafka's: a record handed to the producer cannot be called back. */
        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            return false;
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public boolean isDone() {
            return done.isDone();
        }

        @Override
        public RecordMetadata get() throws InterruptedException, ExecutionException {
            return done.get();
        }

        @Override
        public RecordMetadata get(long timeout, TimeUnit unit)
                throws InterruptedException, ExecutionException, TimeoutException {
            return done.get(timeout, unit);
        }
    }
}
