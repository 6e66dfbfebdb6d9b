package dev.cairn.log.internal;

import dev.cairn.common.ClosedException;
import dev.cairn.common.Durability;
import dev.cairn.common.StorageException;
import dev.cairn.log.Acks;
import dev.cairn.log.Appender;
import dev.cairn.log.CleanupPolicy;
import dev.cairn.log.Consumer;
import dev.cairn.log.ConsumerConfig;
import dev.cairn.log.ConsumerRecord;
import dev.cairn.log.ExternalGroup;
import dev.cairn.log.GroupDescription;
import dev.cairn.log.GroupIdNotFoundException;
import dev.cairn.log.InvalidBatchException;
import dev.cairn.log.InvalidPartitionsException;
import dev.cairn.log.InvalidReplicationFactorException;
import dev.cairn.log.InvalidTopicException;
import dev.cairn.log.Log;
import dev.cairn.log.PolicyViolationException;
import dev.cairn.log.ProducerRecord;
import dev.cairn.log.RecordBatches;
import dev.cairn.log.RecordMetadata;
import dev.cairn.log.TimestampType;
import dev.cairn.log.TopicConfig;
import dev.cairn.log.TopicDescription;
import dev.cairn.log.TopicExistsException;
import dev.cairn.log.TopicPartition;
import dev.cairn.log.UnknownTopicException;
import dev.cairn.log.internal.replica.ReplicaLog;
import dev.cairn.storage.AtomicFile;
import dev.cairn.storage.Storage;
import dev.cairn.storage.fs.StorageFileSystem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Log}: topics in a directory, each a config file ({@link TopicConfigCodec}) and one
 * {@link PartitionLog} directory per partition ({@code <topic>-<partition>}); committed offsets in
 * the internal compacted topic {@value #OFFSETS_TOPIC}; consumer groups in a
 * {@link GroupCoordinator}; retention and compaction in a background task.
 *
 * <p>Thread-safety: thread-safe. Topic creation and deletion are serialized by a lock; appends
 * and reads go straight to the partitions.
 */
public final class DefaultLog implements Log {
    /** The internal topic of committed offsets, as Kafka's. */
    public static final String OFFSETS_TOPIC = "__consumer_offsets";
    static final String TOPIC_FILE_SUFFIX = ".topic";
    private static final Pattern LEGAL_NAME = Pattern.compile("[a-zA-Z0-9._-]+");
    private static final int MAX_NAME_LENGTH = 249;
    private static final Logger LOG = LoggerFactory.getLogger(DefaultLog.class);

    private final Storage storage;
    private final Path directory;
    private final LogOptions options;
    private final Map<String, Topic> topics = new ConcurrentHashMap<>();
    private final Object topicLock = new Object();
    private final AppendSignal signal = new AppendSignal();
    private final AppendWaiters waiters = new AppendWaiters();
    private final GroupCoordinator groups;
    private final OffsetStore offsets;
    private final ScheduledExecutorService maintenance;
    /**
     * Runs the fsyncs that {@link #appendAsync} futures wait for under {@code ALWAYS}: one thread,
     * started on demand and ended after a second idle, whatever the number of appends waiting.
     */
    private final ThreadPoolExecutor syncer;
    private volatile boolean closed;
    /** Counts topic creations, deletions and partition additions; pattern subscriptions re-match when it moves. */
    private volatile long topicsVersion;

    /** Copies of replicated topics' partitions on the other storage roots; null without replica roots. */
    private final LocalReplicas replicas;

    /**
     * A topic, the partitions it serves, and its own partitioner: unkeyed records go round-robin
     * over this topic's partitions alone, so appends to other topics do not skew its spread.
     *
     * @param partitions the copy each partition is served from: the log's own, or, for a
     *                   replicated topic, whichever copy leads (written by {@link LocalReplicas})
     * @param stored the copies in this log's directory, which it opened and closes
     */
    record Topic(String name, TopicConfig config, PartitionLog[] partitions, PartitionLog[] stored,
            Partitioner partitioner) {
        boolean replicated() {
            return partitions != stored;
        }
    }

    private DefaultLog(Storage storage, Path directory, LogOptions options) {
        this.storage = storage;
        this.directory = directory;
        this.options = options;
        this.groups = new GroupCoordinator(this::partitionCount, options.clock(), signal);
        this.syncer = new ThreadPoolExecutor(1, 1, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "cairn-log-sync");
            t.setDaemon(true);
            return t;
        });
        syncer.allowCoreThreadTimeOut(true);
        LocalReplicas opened = null;
        try {
            if (!options.replicaRoots().isEmpty()) {
                List<Storage> roots = new ArrayList<>();
                roots.add(storage);
                roots.addAll(options.replicaRoots());
                opened = new LocalReplicas(roots, directory, options, options.replication(), this::copyAppended);
            }
            this.replicas = opened;
            openTopics();
            if (!topics.containsKey(OFFSETS_TOPIC)) {
                createTopicUnchecked(OFFSETS_TOPIC, TopicConfig.defaults().withCleanupPolicy(CleanupPolicy.COMPACT)
                        .withSegmentBytes(1L << 20).withDeleteRetentionMs(0));
            }
            this.offsets = new OffsetStore(this);
        } catch (RuntimeException e) {
            if (opened != null) {
                opened.close();
            }
            closePartitions();
            throw e;
        }
        if (options.maintenanceIntervalMs() > 0) {
            maintenance = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "cairn-log-maintenance");
                t.setDaemon(true);
                return t;
            });
            maintenance.scheduleWithFixedDelay(this::maintainQuietly, options.maintenanceIntervalMs(),
                    options.maintenanceIntervalMs(), TimeUnit.MILLISECONDS);
        } else {
            maintenance = null;
        }
    }

    /**
     * Opens the log kept in {@code directory} (a subdirectory of the storage root, e.g.
     * {@code root/log}), creating it if needed, and recovers every partition.
     */
    public static DefaultLog open(Storage storage, Path directory, LogOptions options) {
        Objects.requireNonNull(options, "options");
        storage.ensureOpen();
        try {
            storage.fs().createDirectories(directory);
        } catch (IOException e) {
            throw new StorageException("cannot create log directory " + directory + ": " + e.getMessage(), e);
        }
        return new DefaultLog(storage, directory, options);
    }

    private void openTopics() {
        StorageFileSystem fs = storage.fs();
        List<Path> entries;
        try {
            entries = fs.list(directory);
        } catch (IOException e) {
            throw new StorageException("cannot list " + directory + ": " + e.getMessage(), e);
        }
        Set<String> expectedDirs = new TreeSet<>();
        for (Path entry : entries) {
            String name = entry.getFileName().toString();
            if (name.endsWith(TOPIC_FILE_SUFFIX)) {
                String topic = name.substring(0, name.length() - TOPIC_FILE_SUFFIX.length());
                AtomicFile.Versioned stored = AtomicFile.readVersioned(fs, entry, TopicConfigCodec.MAGIC,
                        TopicConfigCodec.VERSION).orElseThrow();
                TopicConfig config = TopicConfigCodec.decode(entry.toString(), stored.version(), stored.payload());
                topics.put(topic, openTopic(topic, config));
                for (int p = 0; p < config.partitions(); p++) {
                    expectedDirs.add(topic + "-" + p);
                }
            }
        }
        for (Path entry : entries) {
            String name = entry.getFileName().toString();
            if (!name.endsWith(TOPIC_FILE_SUFFIX) && !name.endsWith(AtomicFile.TEMP_SUFFIX)
                    && !expectedDirs.contains(name) && !LocalReplicas.FILE_NAMES.contains(name)) {
                // A topic whose creation or deletion was cut short: its config file is the commit point.
                LOG.info("removing {}: no topic owns it", entry);
                deleteRecursively(entry);
            }
        }
    }

    private Topic openTopic(String name, TopicConfig config) {
        PartitionLog[] stored = new PartitionLog[config.partitions()];
        Durability durability = options.durabilityOf(config);
        boolean replicated = config.replicationFactor() > 1 && replicas != null;
        if (config.replicationFactor() > 1 && replicas == null) {
            LOG.warn("topic {} has {} replicas, but this log has no replica roots: it is served from this "
                    + "directory's copies alone, which may lag the others", name, config.replicationFactor());
        }
        try {
            for (int p = 0; p < stored.length; p++) {
                stored[p] = openPartition(new TopicPartition(name, p), config, durability, stored, replicated);
            }
            PartitionLog[] serving = replicated ? stored.clone() : stored;
            if (replicated) {
                replicas.register(name, config, stored, serving);
            }
            return new Topic(name, config, serving, stored, new Partitioner());
        } catch (RuntimeException e) {
            for (PartitionLog partition : stored) {
                if (partition != null) {
                    partition.close();
                }
            }
            throw e;
        }
    }

    /**
     * Opens partition {@code tp} in this log's directory; {@code stored} is the array it goes in,
     * which its append listener reads it from.
     */
    private PartitionLog openPartition(TopicPartition tp, TopicConfig config, Durability durability,
            PartitionLog[] stored, boolean replicated) {
        int index = tp.partition();
        Runnable listener = replicated
                ? () -> replicas.afterAppend(stored[index], 0)
                : () -> wakeWaiters(stored[index]);
        return PartitionLog.open(storage, directory.resolve(tp.topic() + "-" + tp.partition()), tp, config, durability,
                options.truncateOnCorruption(), options.clock(), listener);
    }

    /**
     * After an append to (or a high watermark move of) the copy of a partition the log serves:
     * parked consumers wake, and those waiting for an offset of the partition are told.
     */
    private void wakeWaiters(PartitionLog served) {
        signal.signal();
        if (served != null) {
            waiters.appended(served.topicPartition(), served.visibleAppendedOffset());
        }
    }

    /**
     * After an append to a copy of a replicated partition on storage root {@code root}: as
     * {@link #wakeWaiters}, if the copy is the one the log serves (while the topic opens, the
     * data directory's); parked consumers wake in any case.
     */
    private void copyAppended(PartitionLog copy, int root) {
        Topic topic = copy == null ? null : topics.get(copy.topicPartition().topic());
        int p = copy == null ? 0 : copy.topicPartition().partition();
        boolean served = topic == null ? root == 0 : p < topic.partitions().length && topic.partitions()[p] == copy;
        wakeWaiters(served ? copy : null);
    }

    static void validateName(String name) {
        if (name == null || name.isEmpty()) {
            throw new InvalidTopicException("topic name must not be empty");
        }
        if (name.equals(".") || name.equals("..")) {
            throw new InvalidTopicException("topic name cannot be \".\" or \"..\"");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw new InvalidTopicException("topic name is " + name.length() + " characters, the limit is "
                    + MAX_NAME_LENGTH);
        }
        if (!LEGAL_NAME.matcher(name).matches()) {
            throw new InvalidTopicException("topic name '" + name
                    + "' has characters outside [a-zA-Z0-9._-]");
        }
    }

    @Override
    public void createTopic(String name, TopicConfig config) {
        ensureOpen();
        validateName(name);
        Objects.requireNonNull(config, "config");
        if (name.startsWith("__")) {
            throw new InvalidTopicException("topic names starting with \"__\" are reserved for internal topics: "
                    + name);
        }
        createTopicUnchecked(name, config);
    }

    private Topic createTopicUnchecked(String name, TopicConfig config) {
        synchronized (topicLock) {
            if (topics.containsKey(name)) {
                throw new TopicExistsException("topic " + name + " already exists with "
                        + topics.get(name).config().partitions() + " partitions");
            }
            if (config.replicationFactor() > 1) {
                if (replicas == null) {
                    throw new InvalidReplicationFactorException("topic " + name + " wants " + config.replicationFactor()
                            + " replicas, but the log has no replica roots (Cairn.Builder.replicaRoots)");
                }
                replicas.checkReplicationFactor(name, config);
            }
            Topic topic = openTopic(name, config);
            try {
                AtomicFile.write(storage.fs(), directory.resolve(name + TOPIC_FILE_SUFFIX), TopicConfigCodec.MAGIC,
                        TopicConfigCodec.VERSION, TopicConfigCodec.encode(config));
            } catch (RuntimeException e) {
                dropPartitions(topic);
                throw e;
            }
            topics.put(name, topic);
            topicsVersion++; // under topicLock: one writer
            groups.topicsChanged();
            return topic;
        }
    }

    @Override
    public Set<String> topics() {
        ensureOpen();
        Set<String> names = new TreeSet<>(topics.keySet());
        names.remove(OFFSETS_TOPIC);
        return names;
    }

    @Override
    public TopicDescription describeTopic(String name) {
        Topic topic = topic(name);
        List<TopicDescription.PartitionInfo> infos = new ArrayList<>();
        for (PartitionLog p : topic.partitions()) {
            infos.add(topic.replicated() ? replicas.describe(p)
                    : new TopicDescription.PartitionInfo(p.topicPartition().partition(), p.beginningOffset(),
                            p.visibleEnd(), p.sizeBytes(), p.segmentCount()));
        }
        return new TopicDescription(name, topic.config(), infos);
    }

    @Override
    public void deleteTopic(String name) {
        ensureOpen();
        if (OFFSETS_TOPIC.equals(name)) {
            throw new InvalidTopicException("the internal topic " + OFFSETS_TOPIC + " cannot be deleted");
        }
        synchronized (topicLock) {
            Topic topic = topic(name);
            try {
                storage.fs().delete(directory.resolve(name + TOPIC_FILE_SUFFIX));
                storage.fs().syncDirectory(directory);
            } catch (IOException e) {
                throw new StorageException("cannot delete topic " + name + ": " + e.getMessage(), e);
            }
            topics.remove(name);
            dropPartitions(topic);
            // As Kafka: the groups' offsets go with the topic, so one created again under this name
            // starts from autoOffsetReset. A crash before this line is finished by the next open.
            offsets.deleteTopic(name);
            topicsVersion++;
            groups.topicsChanged();
        }
        waiters.topicDeleted(name);
    }

    /** Closes and deletes a topic's partitions, here and, if it is replicated, on the other roots. */
    private void dropPartitions(Topic topic) {
        if (topic.replicated()) {
            replicas.deleteTopic(topic.name(), topic.stored().length);
        }
        for (PartitionLog p : topic.stored()) {
            p.close();
            deleteRecursively(p.directory());
        }
    }

    private void deleteRecursively(Path path) {
        deleteRecursively(storage.fs(), path);
    }

    /** Deletes a partition's directory: its files, then itself. */
    static void deleteRecursively(StorageFileSystem fs, Path path) {
        try {
            for (Path child : fs.list(path)) {
                fs.delete(child);
            }
            fs.delete(path);
        } catch (IOException e) {
            throw new StorageException("cannot delete " + path + ": " + e.getMessage(), e);
        }
    }

    Topic topic(String name) {
        ensureOpen();
        Topic topic = topics.get(name);
        if (topic == null) {
            throw new UnknownTopicException("topic " + name + " does not exist");
        }
        return topic;
    }

    private Topic topicForAppend(String name) {
        ensureOpen();
        Topic topic = topics.get(name);
        if (topic != null) {
            return topic;
        }
        if (options.autoCreateTopics() == null) {
            throw new UnknownTopicException("topic " + name + " does not exist (topics are not created on use)");
        }
        validateName(name);
        synchronized (topicLock) {
            topic = topics.get(name);
            return topic != null ? topic : createTopicUnchecked(name, options.autoCreateTopics());
        }
    }

    PartitionLog partition(TopicPartition tp) {
        Topic topic = topic(tp.topic());
        if (tp.partition() >= topic.partitions().length) {
            throw new IllegalArgumentException("partition " + tp.partition() + " does not exist: topic " + tp.topic()
                    + " has partitions 0 to " + (topic.partitions().length - 1));
        }
        return topic.partitions()[tp.partition()];
    }

    /** Moves whenever a topic is created or deleted, or gains partitions. */
    long topicsVersion() {
        return topicsVersion;
    }

    int partitionCount(String topic) {
        Topic t = topics.get(topic);
        return t == null ? 0 : t.partitions().length;
    }

    /**
     * One record needs none of the grouping of {@link #append(List)}: it is routed and appended
     * on its own ({@link PartitionLog#append} checks its size before writing).
     */
    @Override
    public RecordMetadata append(ProducerRecord record, Acks acks) {
        ensureOpen();
        Objects.requireNonNull(record, "record");
        if (Objects.requireNonNull(acks, "acks") == Acks.NONE) {
            return appendAsync(record, acks).join();
        }
        long nowMs = options.clock().millis();
        PartitionLog partition = route(record);
        TimestampType type = partition.timestampType();
        checkReplicas(partition, acks);
        long base;
        try {
            base = partition.append(List.of(record), nowMs, type);
        } catch (StorageException e) {
            throw storageFailed(partition, e);
        }
        awaitReplicas(partition, base + 1, acks);
        TopicPartition tp = partition.topicPartition();
        return new RecordMetadata(tp.topic(), tp.partition(), base, PartitionLog.timestampOf(record, nowMs, type),
                type);
    }

    @Override
    public CompletableFuture<RecordMetadata> appendAsync(ProducerRecord record, Acks acks) {
        ensureOpen();
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(acks, "acks");
        long nowMs = options.clock().millis();
        PartitionLog partition = route(record);
        CompletableFuture<Void> durable = new CompletableFuture<>();
        TimestampType type = partition.timestampType();
        checkReplicas(partition, acks);
        long base;
        try {
            base = partition.appendAsync(List.of(record), nowMs, type, syncer, failure -> {
                if (failure == null) {
                    durable.complete(null);
                } else {
                    durable.completeExceptionally(failure);
                }
            });
        } catch (StorageException e) {
            throw storageFailed(partition, e);
        }
        TopicPartition tp = partition.topicPartition();
        RecordMetadata metadata = new RecordMetadata(tp.topic(), tp.partition(), base,
                PartitionLog.timestampOf(record, nowMs, type), type);
        if (acks == Acks.NONE) {
            return CompletableFuture.completedFuture(metadata);
        }
        return durable.thenCompose(done -> replicated(partition, base + 1, acks)).thenApply(done -> metadata);
    }

    /** Whether appends to {@code partition} are replicated, and so wait for their acks beyond the leader. */
    private boolean isReplicated(PartitionLog partition) {
        return replicas != null && partition.config().replicationFactor() > 1;
    }

    /** Before an append to a replicated partition: it must lead, and with acks ALL enough copies must be in sync. */
    private void checkReplicas(PartitionLog partition, Acks acks) {
        if (isReplicated(partition)) {
            replicas.checkAppend(partition, acks);
        }
    }

    /**
     * An append to {@code partition} failed with {@code e}: if the partition is replicated, the
     * copy's root leaves and another copy takes over. Returns {@code e}, for the caller to throw.
     */
    private StorageException storageFailed(PartitionLog partition, StorageException e) {
        if (isReplicated(partition)) {
            replicas.storageFailed(partition);
        }
        return e;
    }

    /** Completes when an append that ended the partition at {@code end} satisfies {@code acks}. */
    private CompletableFuture<Void> replicated(PartitionLog partition, long end, Acks acks) {
        if (!isReplicated(partition)) {
            return CompletableFuture.completedFuture(null);
        }
        return replicas.appended(partition, end, acks);
    }

    /** Waits for {@link #replicated}, throwing what made it fail. */
    private void awaitReplicas(PartitionLog partition, long end, Acks acks) {
        if (isReplicated(partition)) {
            awaitReplicated(replicas.appended(partition, end, acks));
        }
    }

    private static void awaitReplicated(CompletableFuture<Void> replicated) {
        try {
            replicated.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** The partition {@code r} goes to: its own, or its key's by the partitioner. */
    private PartitionLog route(ProducerRecord r) {
        return r.partition() != null ? partitionForAppend(r.topic(), r.partition()) : routeByKey(r.topic(), r.key());
    }

    /** Partition {@code p} of {@code topic}, for an append (which may create the topic). */
    PartitionLog partitionForAppend(String topic, int p) {
        Topic t = topicForAppend(topic);
        if (p < 0 || p >= t.partitions().length) {
            throw new IllegalArgumentException("partition " + p + " does not exist: topic " + topic
                    + " has partitions 0 to " + (t.partitions().length - 1));
        }
        return t.partitions()[p];
    }

    /** The partition of {@code topic} its partitioner picks for {@code key} (the topic's next one round-robin if null). */
    PartitionLog routeByKey(String topic, byte[] key) {
        Topic t = topicForAppend(topic);
        return t.partitions()[t.partitioner().partition(key, t.partitions().length)];
    }

    @Override
    public Appender appender(String topic) {
        topicForAppend(topic);
        return new LogAppender(this, topic);
    }

    @Override
    public List<RecordMetadata> append(List<ProducerRecord> records, Acks acks) {
        ensureOpen();
        Objects.requireNonNull(acks, "acks");
        if (records.isEmpty()) {
            return List.of();
        }
        long nowMs = options.clock().millis();
        // Route and check everything first, so a bad record writes nothing.
        Map<PartitionLog, List<Integer>> byPartition = new LinkedHashMap<>();
        for (int i = 0; i < records.size(); i++) {
            ProducerRecord r = records.get(i);
            if (r == null) {
                throw new NullPointerException("record " + i + " of " + records.size() + " is null");
            }
            byPartition.computeIfAbsent(route(r), k -> new ArrayList<>()).add(i);
        }
        List<List<ProducerRecord>> batches = new ArrayList<>(byPartition.size());
        int[] sizes = new int[byPartition.size()];
        TimestampType[] types = new TimestampType[byPartition.size()];
        for (Map.Entry<PartitionLog, List<Integer>> e : byPartition.entrySet()) {
            List<ProducerRecord> batch = new ArrayList<>(e.getValue().size());
            e.getValue().forEach(i -> batch.add(records.get(i)));
            types[batches.size()] = e.getKey().timestampType();
            sizes[batches.size()] = e.getKey().checkedSize(batch, nowMs, types[batches.size()]);
            batches.add(batch);
            checkReplicas(e.getKey(), acks);
        }
        RecordMetadata[] out = new RecordMetadata[records.size()];
        List<CompletableFuture<Void>> replicated = new ArrayList<>();
        int g = 0;
        for (Map.Entry<PartitionLog, List<Integer>> e : byPartition.entrySet()) {
            PartitionLog partition = e.getKey();
            List<ProducerRecord> batch = batches.get(g);
            TimestampType type = types[g];
            long base;
            try {
                base = partition.append(batch, nowMs, type, sizes[g++]);
            } catch (StorageException failed) {
                throw storageFailed(partition, failed);
            }
            replicated.add(replicated(partition, base + batch.size(), acks));
            TopicPartition tp = partition.topicPartition();
            for (int j = 0; j < batch.size(); j++) {
                out[e.getValue().get(j)] = new RecordMetadata(tp.topic(), tp.partition(), base + j,
                        PartitionLog.timestampOf(batch.get(j), nowMs, type), type);
            }
        }
        for (CompletableFuture<Void> f : replicated) {
            awaitReplicated(f);
        }
        return List.of(out);
    }

    @Override
    public RecordMetadata appendBatch(TopicPartition partition, ByteBuffer batch, Acks acks) {
        ensureOpen();
        Objects.requireNonNull(acks, "acks");
        Objects.requireNonNull(partition, "partition");
        Objects.requireNonNull(batch, "batch");
        PartitionLog target = partitionForAppend(partition.topic(), partition.partition());
        // A copy: the log sets its base offset, and the caller's buffer stays as it was.
        ByteBuffer copy = ByteBuffer.allocate(batch.remaining()).put(batch.duplicate()).flip();
        String problem = RecordBatchFormat.producerBatchProblem(copy);
        if (problem != null) {
            throw new InvalidBatchException("batch for " + partition + " refused: " + problem);
        }
        checkReplicas(target, acks);
        int count = RecordBatchFormat.recordCount(copy); // before the append, which consumes the buffer
        RecordMetadata stored;
        try {
            stored = target.appendBatch(copy);
        } catch (StorageException e) {
            throw storageFailed(target, e);
        }
        awaitReplicas(target, stored.offset() + count, acks);
        return stored;
    }

    @Override
    public RecordBatches readBatches(TopicPartition partition, long offset, int maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be >= 1, was " + maxBytes);
        }
        return partition(partition).reader().readBatches(offset, maxBytes);
    }

    @Override
    public List<ConsumerRecord> read(TopicPartition partition, long offset, int maxRecords) {
        if (maxRecords < 1) {
            throw new IllegalArgumentException("maxRecords must be >= 1, was " + maxRecords);
        }
        return partition(partition).reader().read(offset, maxRecords).records();
    }

    @Override
    public long beginningOffset(TopicPartition partition) {
        return partition(partition).beginningOffset();
    }

    @Override
    public long deleteRecords(TopicPartition partition, long beforeOffset) {
        ensureOpen();
        Objects.requireNonNull(partition, "partition");
        if (OFFSETS_TOPIC.equals(partition.topic())) {
            throw new InvalidTopicException("records of the internal topic " + OFFSETS_TOPIC + " cannot be deleted");
        }
        PartitionLog p = partition(partition);
        if (p.config().cleanupPolicy() == CleanupPolicy.COMPACT) {
            throw new PolicyViolationException("records of " + partition + " cannot be deleted: its topic's cleanup "
                    + "policy is compact");
        }
        return p.deleteRecordsBefore(beforeOffset);
    }

    @Override
    public long endOffset(TopicPartition partition) {
        return partition(partition).visibleEnd();
    }

    @Override
    public OptionalLong offsetForTime(TopicPartition partition, long timestampMs) {
        return partition(partition).reader().offsetForTime(timestampMs);
    }

    @Override
    public void createPartitions(String name, int newCount) {
        ensureOpen();
        if (OFFSETS_TOPIC.equals(name)) {
            throw new InvalidTopicException("the internal topic " + OFFSETS_TOPIC + " cannot gain partitions");
        }
        synchronized (topicLock) {
            Topic topic = topic(name);
            int oldCount = topic.partitions().length;
            if (newCount <= oldCount) {
                throw new InvalidPartitionsException("topic " + name + " has " + oldCount
                        + " partitions; the new count must be larger, was " + newCount);
            }
            TopicConfig config = topic.config().withPartitions(newCount);
            Durability durability = options.durabilityOf(config);
            PartitionLog[] stored = java.util.Arrays.copyOf(topic.stored(), newCount);
            PartitionLog[] serving = topic.replicated() ? java.util.Arrays.copyOf(topic.partitions(), newCount) : stored;
            try {
                for (int p = oldCount; p < newCount; p++) {
                    stored[p] = openPartition(new TopicPartition(name, p), config, durability, stored,
                            topic.replicated());
                    serving[p] = stored[p];
                }
                if (topic.replicated()) {
                    replicas.register(name, config, stored, serving);
                }
                // The commit point: until the config file names them, the next open removes the new directories.
                AtomicFile.write(storage.fs(), directory.resolve(name + TOPIC_FILE_SUFFIX), TopicConfigCodec.MAGIC,
                        TopicConfigCodec.VERSION, TopicConfigCodec.encode(config));
            } catch (RuntimeException e) {
                for (int p = oldCount; p < newCount; p++) {
                    if (stored[p] != null) {
                        stored[p].close();
                        deleteRecursively(stored[p].directory());
                    }
                }
                throw e;
            }
            // The partitioner goes on, so unkeyed records keep their round-robin; keyed ones use the new count.
            topics.put(name, new Topic(name, config, serving, stored, topic.partitioner()));
            topicsVersion++;
            groups.topicsChanged();
        }
    }

    @Override
    public TopicConfig alterTopicConfig(String name, java.util.function.UnaryOperator<TopicConfig> change) {
        ensureOpen();
        Objects.requireNonNull(change, "change");
        if (OFFSETS_TOPIC.equals(name)) {
            throw new InvalidTopicException("the settings of the internal topic " + OFFSETS_TOPIC + " cannot change");
        }
        synchronized (topicLock) {
            Topic topic = topic(name);
            TopicConfig old = topic.config();
            TopicConfig next = Objects.requireNonNull(change.apply(old), "the changed config");
            if (next.partitions() != old.partitions()) {
                throw new IllegalArgumentException("topic " + name + " has " + old.partitions() + " partitions; a "
                        + "config change cannot make it " + next.partitions() + " (use createPartitions to add some)");
            }
            if (!Objects.equals(next.durability(), old.durability())) {
                throw new IllegalArgumentException("the durability of topic " + name + " cannot change while it exists"
                        + " (it is " + old.durability() + ", asked for " + next.durability() + ")");
            }
            if (next.replicationFactor() != old.replicationFactor()) {
                throw new IllegalArgumentException("topic " + name + " has " + old.replicationFactor() + " replicas; a "
                        + "config change cannot make it " + next.replicationFactor());
            }
            if (next.maxRecordBytes() < old.maxRecordBytes()) {
                throw new IllegalArgumentException("maxRecordBytes of topic " + name + " can only grow (it is "
                        + old.maxRecordBytes() + ", asked for " + next.maxRecordBytes() + "): recovery must still "
                        + "accept the batches stored under the old limit");
            }
            AtomicFile.write(storage.fs(), directory.resolve(name + TOPIC_FILE_SUFFIX), TopicConfigCodec.MAGIC,
                    TopicConfigCodec.VERSION, TopicConfigCodec.encode(next));
            for (PartitionLog p : topic.stored()) {
                p.reconfigure(next);
            }
            if (topic.replicated()) {
                replicas.reconfigure(name, next);
            }
            topics.put(name, new Topic(name, next, topic.partitions(), topic.stored(), topic.partitioner()));
            return next;
        }
    }

    @Override
    public Set<String> listGroups() {
        ensureOpen();
        Set<String> names = new TreeSet<>(groups.liveGroups());
        names.addAll(offsets.groups());
        return names;
    }

    @Override
    public GroupDescription describeGroup(String groupId) {
        ensureOpen();
        Objects.requireNonNull(groupId, "groupId");
        GroupDescription description = groups.describe(groupId);
        if (description.members().isEmpty() && offsets.committed(groupId).isEmpty()) {
            throw groupNotFound(groupId);
        }
        return description;
    }

    private static GroupIdNotFoundException groupNotFound(String groupId) {
        return new GroupIdNotFoundException("group " + groupId + " does not exist: it has no live members and no "
                + "committed offsets");
    }

    @Override
    public Map<TopicPartition, Long> committedOffsets(String groupId) {
        ensureOpen();
        Objects.requireNonNull(groupId, "groupId");
        return offsets.committed(groupId);
    }

    @Override
    public void alterCommittedOffsets(String groupId, Map<TopicPartition, Long> newOffsets) {
        ensureOpen();
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(newOffsets, "offsets");
        groups.whileEmpty(groupId, "alter the committed offsets", () -> offsets.commit(groupId, newOffsets));
    }

    @Override
    public void deleteCommittedOffsets(String groupId, Collection<TopicPartition> partitions) {
        ensureOpen();
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(partitions, "partitions");
        Set<String> topicNames = new TreeSet<>();
        for (TopicPartition tp : partitions) {
            topicNames.add(Objects.requireNonNull(tp, "partitions has a null").topic());
        }
        if (groups.describe(groupId).members().isEmpty() && offsets.committed(groupId).isEmpty()) {
            throw groupNotFound(groupId);
        }
        groups.whileUnsubscribed(groupId, topicNames, () -> offsets.delete(groupId, partitions));
    }

    @Override
    public void deleteGroup(String groupId) {
        ensureOpen();
        Objects.requireNonNull(groupId, "groupId");
        groups.whileEmpty(groupId, "delete the group", () -> {
            if (offsets.committed(groupId).isEmpty()) {
                throw groupNotFound(groupId);
            }
            offsets.deleteGroup(groupId);
        });
    }

    @Override
    public ExternalGroup holdGroup(String groupId) {
        ensureOpen();
        Objects.requireNonNull(groupId, "groupId");
        return groups.hold(groupId, offsets::commit);
    }

    @Override
    public CompletableFuture<Void> awaitAppend(TopicPartition partition, long offset) {
        PartitionLog p = partition(partition);
        return waiters.register(partition, offset, p::visibleAppendedOffset);
    }

    /**
     * The copy of {@code partition} this log serves, as replication drives it. Once it becomes a
     * leader or follower, this log's consumers read it only up to its high watermark. The
     * partition stays this log's: closing the result does nothing.
     *
     * @throws UnknownTopicException if the topic does not exist
     * @throws IllegalArgumentException if the topic has no such partition
     */
    public ReplicaLog replicaLog(TopicPartition partition) {
        ensureOpen();
        return new PartitionReplicaLog(partition(partition), false);
    }

    /** Waiters of {@link #awaitAppend} not yet completed or cancelled (for tests). */
    int appendWaiters() {
        return waiters.size();
    }

    @Override
    public Consumer consumer(ConsumerConfig config) {
        ensureOpen();
        return new LogConsumer(this, Objects.requireNonNull(config, "config"));
    }

    /**
     * The counters and offsets of every partition of every user topic (not the internal offsets
     * topic), by topic name and partition. Reads counters only: no batch is sealed, nothing waits.
     */
    public List<PartitionFigures> partitionFigures() {
        ensureOpen();
        List<PartitionFigures> figures = new ArrayList<>();
        for (String name : new TreeSet<>(topics.keySet())) {
            Topic topic = topics.get(name);
            if (topic == null || name.equals(OFFSETS_TOPIC)) {
                continue; // deleted meanwhile, or internal
            }
            for (PartitionLog p : topic.partitions()) {
                PartitionCounters c = p.counters();
                int[] copies = topic.replicated() ? replicas.replicaCounts(p.topicPartition()) : new int[] {1, 1};
                figures.add(new PartitionFigures(p.topicPartition(), c.recordsAppended(), c.bytesAppended(),
                        c.recordsRead(), c.bytesRead(), p.beginningOffset(), p.appendedOffset(), p.sizeBytes(),
                        copies[0], copies[1]));
            }
        }
        return figures;
    }

    /** The groups that have committed offsets, each with its committed offsets; for metrics. */
    public Map<String, Map<TopicPartition, Long>> committedOffsetsByGroup() {
        ensureOpen();
        Map<String, Map<TopicPartition, Long>> all = new java.util.TreeMap<>();
        for (String group : offsets.groups()) {
            Map<TopicPartition, Long> committed = offsets.committed(group);
            if (!committed.isEmpty()) {
                all.put(group, committed);
            }
        }
        return all;
    }

    GroupCoordinator groups() {
        return groups;
    }

    OffsetStore offsets() {
        return offsets;
    }

    AppendSignal signal() {
        return signal;
    }

    /**
     * Runs what the log clock makes due, once, now: retention and compaction on every partition,
     * and the removal of group members whose session ended (otherwise noticed only when their
     * group is next used).
     */
    public void runMaintenance() {
        groups.expireSessions();
        long nowMs = options.clock().millis();
        for (Topic topic : topics.values()) {
            for (PartitionLog p : topic.partitions()) {
                if (closed) {
                    return;
                }
                p.startMaintenanceRound();
                if (topic.config().cleanupPolicy() == CleanupPolicy.DELETE) {
                    p.applyRetention(nowMs);
                } else {
                    LogCleaner.compact(p, topic.config(), nowMs);
                }
            }
        }
    }

    private void maintainQuietly() {
        try {
            runMaintenance();
        } catch (RuntimeException e) {
            if (!closed) {
                LOG.warn("log maintenance failed: {}", e.toString());
            }
        }
    }

    void ensureOpen() {
        if (closed) {
            throw new ClosedException("log at " + directory);
        }
    }

    @Override
    public void close() {
        synchronized (topicLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (maintenance != null) {
            maintenance.shutdownNow();
            try {
                maintenance.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        groups.close();
        signal.signal();
        waiters.close();
        if (replicas != null) {
            replicas.close(); // first: replication stops using this log's copies before they close
        }
        try {
            closePartitions(); // their final fsyncs complete the futures of appendAsync still waiting
        } finally {
            syncer.shutdown();
        }
    }

    private void closePartitions() {
        RuntimeException first = null;
        for (Topic topic : topics.values()) {
            for (PartitionLog p : topic.stored()) {
                if (topic.replicated()) {
                    LocalReplicas.closeCopy(p);
                    continue;
                }
                try {
                    p.close();
                } catch (RuntimeException e) {
                    if (first == null) {
                        first = e;
                    } else {
                        first.addSuppressed(e);
                    }
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    boolean isClosed() {
        return closed;
    }
}
