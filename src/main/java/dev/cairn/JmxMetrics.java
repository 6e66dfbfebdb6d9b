package dev.cairn;

import dev.cairn.common.HistogramSnapshot;
import dev.cairn.common.StorageStats;
import dev.cairn.log.TopicPartition;
import dev.cairn.log.internal.DefaultLog;
import dev.cairn.log.internal.PartitionFigures;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import java.util.regex.Pattern;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MBeans of one open {@link Cairn} in the platform MBean server, named as Kafka names its
 * own: one MBean per metric, {@code Count} for a counter and {@code Value} for a gauge, keyed by
 * {@code cairn} (this Cairn's {@link #name()}, distinct among the open Cairns of the JVM) and by
 * topic, partition, group or database where the metric has them; docs/metrics.md lists them all.
 *
 * <p>Per-topic, per-partition, per-group and per-database MBeans follow what exists: the set is
 * brought up to date at open, when the log or a database opens, and once a second by one daemon
 * thread shared by every Cairn of the JVM. {@link #close()} unregisters everything and frees
 * the name.
 *
 * <p>A failure of JMX itself (a security manager refusing, a name taken by someone else) is
 * logged and costs only the MBean concerned. Thread-safe: {@link #refresh()} and
 * {@link #close()} are synchronized.
 */
final class JmxMetrics implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JmxMetrics.class);
    private static final Pattern SAFE_VALUE = Pattern.compile("[A-Za-z0-9._-]+");
    /** The names of the open Cairns' MBeans, JVM-wide, so that each gets a distinct one. */
    private static final Set<String> NAMES_IN_USE = ConcurrentHashMap.newKeySet();
    private static final ScheduledExecutorService REFRESHER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cairn-jmx-refresh");
        t.setDaemon(true);
        return t;
    });
    static final long REFRESH_INTERVAL_MS = 1000;

    private final Cairn cairn;
    private final String name;
    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    /** Guarded by {@code this}. */
    private final Map<ObjectName, MetricMBean> registered = new HashMap<>();
    /** Guarded by {@code this}. */
    private boolean closed;
    /** When the counters' rates were last sampled; guarded by {@code this}. */
    private long sampledAtNanos = Long.MIN_VALUE;
    private final ScheduledFuture<?> refreshing;

    private JmxMetrics(Cairn cairn, String name) {
        this.cairn = cairn;
        this.name = name;
        refresh();
        refreshing = REFRESHER.scheduleWithFixedDelay(this::refreshQuietly, REFRESH_INTERVAL_MS, REFRESH_INTERVAL_MS,
                TimeUnit.MILLISECONDS);
    }

    /**
     * Registers the MBeans of {@code cairn} under {@code requestedName} made safe for an
     * ObjectName, with {@code -2}, {@code -3}, ... appended if an open Cairn already has it.
     */
    static JmxMetrics register(Cairn cairn, String requestedName) {
        String base = SAFE_VALUE.matcher(requestedName).matches() ? requestedName
                : requestedName.replaceAll("[^A-Za-z0-9._-]", "_");
        String unique = base;
        for (int n = 2; !NAMES_IN_USE.add(unique); n++) {
            unique = base + "-" + n;
        }
        try {
            return new JmxMetrics(cairn, unique);
        } catch (RuntimeException e) {
            NAMES_IN_USE.remove(unique);
            throw e;
        }
    }

    /** The value of the {@code cairn} key of this Cairn's MBeans. */
    String name() {
        return name;
    }

    private void refreshQuietly() {
        try {
            refresh();
            sampleRates(System.nanoTime());
        } catch (RuntimeException e) {
            LOG.warn("refreshing the MBeans of Cairn {} failed", name, e);
        }
    }

    /** Registers the MBeans of what exists now and unregisters those of what has gone. */
    synchronized void refresh() {
        if (closed || cairn.isClosed()) {
            return;
        }
        Map<ObjectName, MetricMBean> wanted;
        try {
            wanted = wanted();
        } catch (dev.cairn.common.ClosedException closedMeanwhile) {
            return;
        }
        for (var it = registered.entrySet().iterator(); it.hasNext();) {
            ObjectName objectName = it.next().getKey();
            if (!wanted.containsKey(objectName)) {
                unregister(objectName);
                it.remove();
            }
        }
        wanted.forEach((objectName, bean) -> {
            if (!registered.containsKey(objectName)) {
                try {
                    server.registerMBean(bean, objectName);
                    registered.put(objectName, bean);
                } catch (JMException | RuntimeException e) {
                    LOG.warn("cannot register MBean {}: {}", objectName, e.toString());
                }
            }
        });
    }

    /**
     * Gives every counter's rates a new reading, once per {@link MovingRate#TICK_NANOS}: one
     * snapshot for all of them, taken on the refresh thread.
     */
    synchronized void sampleRates(long nowNanos) {
        if (closed || cairn.isClosed() || (sampledAtNanos != Long.MIN_VALUE
                && nowNanos - sampledAtNanos < MovingRate.TICK_NANOS)) {
            return;
        }
        CairnMetrics metrics;
        try {
            metrics = cairn.metrics();
        } catch (dev.cairn.common.ClosedException closedMeanwhile) {
            return;
        }
        sampledAtNanos = nowNanos;
        registered.values().forEach(bean -> bean.sample(metrics, nowNanos));
    }

    /** The names of the MBeans registered now; for tests. */
    synchronized Set<ObjectName> registeredNames() {
        return Set.copyOf(registered.keySet());
    }

    private Map<ObjectName, MetricMBean> wanted() {
        Map<ObjectName, MetricMBean> beans = new LinkedHashMap<>();
        storageBeans(beans);
        DefaultLog log = cairn.openLog();
        if (log != null) {
            counter(beans, "dev.cairn.log", "TopicMetrics", "RecordsAppended", "", CairnMetrics::recordsAppended);
            counter(beans, "dev.cairn.log", "TopicMetrics", "BytesAppended", "", CairnMetrics::bytesAppended);
            counter(beans, "dev.cairn.log", "TopicMetrics", "RecordsRead", "", CairnMetrics::recordsRead);
            counter(beans, "dev.cairn.log", "TopicMetrics", "BytesRead", "", CairnMetrics::bytesRead);
            gaugeOf(beans, "dev.cairn.log", "ReplicaManager", "UnderReplicatedPartitions", "", Optional::of,
                    CairnMetrics::underReplicatedPartitions);
            Set<String> topicsSeen = new java.util.HashSet<>();
            for (PartitionFigures f : log.partitionFigures()) {
                if (topicsSeen.add(f.partition().topic())) {
                    topicBeans(beans, f.partition().topic());
                }
                partitionBeans(beans, f.partition());
            }
            log.committedOffsetsByGroup().forEach((group, committed) -> committed.keySet()
                    .forEach(tp -> lagBeans(beans, group, tp)));
        }
        for (int db = 0; db < Cairn.DATABASES; db++) {
            if (cairn.isOpen(db)) {
                databaseBeans(beans, db);
            }
        }
        return beans;
    }

    private void storageBeans(Map<ObjectName, MetricMBean> beans) {
        Function<CairnMetrics, HistogramSnapshot> h = CairnMetrics::fsyncLatency;
        beans.put(objectName("dev.cairn.storage", "Fsync", "Latency", ""),
                new MetricMBean.Builder("fsync latency of the storage layer, in nanoseconds", cairn::metrics)
                        .longAttribute("Count", m -> Optional.of(h.apply(m).count()))
                        .longAttribute("SumNanos", m -> Optional.of(h.apply(m).sumNanos()))
                        .longAttribute("MaxNanos", m -> Optional.of(h.apply(m).maxNanos()))
                        .doubleAttribute("MeanNanos", m -> Optional.of(h.apply(m).meanNanos()))
                        .longAttribute("50thPercentileNanos", m -> Optional.of(h.apply(m).p50Nanos()))
                        .longAttribute("99thPercentileNanos", m -> Optional.of(h.apply(m).p99Nanos()))
                        .longAttribute("999thPercentileNanos", m -> Optional.of(h.apply(m).p999Nanos()))
                        .build());
        Function<CairnMetrics, StorageStats> s = CairnMetrics::storage;
        counter(beans, "dev.cairn.storage", "Storage", "Fsyncs", "", m -> s.apply(m).fsyncs());
        counter(beans, "dev.cairn.storage", "Storage", "FsyncFailures", "", m -> s.apply(m).fsyncFailures());
        counter(beans, "dev.cairn.storage", "Storage", "TornTailsTruncated", "", m -> s.apply(m).tornTailsTruncated());
        counter(beans, "dev.cairn.storage", "Storage", "CorruptionsTruncated", "",
                m -> s.apply(m).corruptionsTruncated());
        counter(beans, "dev.cairn.storage", "Storage", "BytesTruncated", "", m -> s.apply(m).bytesTruncated());
    }

    private void topicBeans(Map<ObjectName, MetricMBean> beans, String topic) {
        String keys = ",topic=" + topic;
        Function<CairnMetrics, Optional<TopicMetrics>> t = m -> m.topic(topic);
        counterOf(beans, "dev.cairn.log", "TopicMetrics", "RecordsAppended", keys, t, TopicMetrics::recordsAppended);
        counterOf(beans, "dev.cairn.log", "TopicMetrics", "BytesAppended", keys, t, TopicMetrics::bytesAppended);
        counterOf(beans, "dev.cairn.log", "TopicMetrics", "RecordsRead", keys, t, TopicMetrics::recordsRead);
        counterOf(beans, "dev.cairn.log", "TopicMetrics", "BytesRead", keys, t, TopicMetrics::bytesRead);
    }

    private void partitionBeans(Map<ObjectName, MetricMBean> beans, TopicPartition tp) {
        String keys = ",topic=" + tp.topic() + ",partition=" + tp.partition();
        Function<CairnMetrics, Optional<PartitionMetrics>> p = m -> m.topic(tp.topic())
                .flatMap(t -> t.partitions().stream().filter(x -> x.partition() == tp.partition()).findFirst());
        String type = "LogMetrics";
        counterOf(beans, "dev.cairn.log", type, "RecordsAppended", keys, p, PartitionMetrics::recordsAppended);
        counterOf(beans, "dev.cairn.log", type, "BytesAppended", keys, p, PartitionMetrics::bytesAppended);
        counterOf(beans, "dev.cairn.log", type, "RecordsRead", keys, p, PartitionMetrics::recordsRead);
        counterOf(beans, "dev.cairn.log", type, "BytesRead", keys, p, PartitionMetrics::bytesRead);
        gaugeOf(beans, "dev.cairn.log", type, "Size", keys, p, PartitionMetrics::sizeBytes);
        gaugeOf(beans, "dev.cairn.log", type, "LogStartOffset", keys, p, PartitionMetrics::beginningOffset);
        gaugeOf(beans, "dev.cairn.log", type, "LogEndOffset", keys, p, PartitionMetrics::endOffset);
        gaugeOf(beans, "dev.cairn.log", "Partition", "ReplicasCount", keys, p, PartitionMetrics::replicas);
        gaugeOf(beans, "dev.cairn.log", "Partition", "InSyncReplicasCount", keys, p, PartitionMetrics::inSyncReplicas);
    }

    private void lagBeans(Map<ObjectName, MetricMBean> beans, String group, TopicPartition tp) {
        String groupValue = SAFE_VALUE.matcher(group).matches() ? group : ObjectName.quote(group);
        String keys = ",group=" + groupValue + ",topic=" + tp.topic() + ",partition=" + tp.partition();
        Function<CairnMetrics, Optional<ConsumerLag>> lag = m -> m.consumerLag().stream()
                .filter(l -> l.group().equals(group) && l.topic().equals(tp.topic()) && l.partition() == tp.partition())
                .findFirst();
        gaugeOf(beans, "dev.cairn.log", "ConsumerLag", "Lag", keys, lag, ConsumerLag::lag);
        gaugeOf(beans, "dev.cairn.log", "ConsumerLag", "CommittedOffset", keys, lag, ConsumerLag::committedOffset);
    }

    private void databaseBeans(Map<ObjectName, MetricMBean> beans, int db) {
        String keys = ",db=" + db;
        Function<CairnMetrics, Optional<DatabaseMetrics>> d = m -> m.database(db);
        gaugeOf(beans, "dev.cairn.dictionary", "Keyspace", "Keys", keys, d, DatabaseMetrics::keys);
        counterOf(beans, "dev.cairn.dictionary", "Keyspace", "KeyspaceHits", keys, d, DatabaseMetrics::keyspaceHits);
        counterOf(beans, "dev.cairn.dictionary", "Keyspace", "KeyspaceMisses", keys, d,
                DatabaseMetrics::keyspaceMisses);
        counterOf(beans, "dev.cairn.dictionary", "Keyspace", "ExpiredKeys", keys, d, DatabaseMetrics::expiredKeys);
        gaugeOf(beans, "dev.cairn.dictionary", "Persistence", "AppendOnlyBytes", keys, d,
                DatabaseMetrics::appendOnlyBytes);
        gaugeOf(beans, "dev.cairn.dictionary", "Persistence", "SnapshotAgeMs", keys, d, DatabaseMetrics::snapshotAgeMs);
        gaugeOf(beans, "dev.cairn.dictionary", "Persistence", "LastSnapshotDurationMs", keys, d,
                DatabaseMetrics::lastSnapshotDurationMs);
    }

    private void counter(Map<ObjectName, MetricMBean> beans, String domain, String type, String metric, String keys,
            ToLongFunction<CairnMetrics> read) {
        counterOf(beans, domain, type, metric, keys, Optional::of, read);
    }

    private <T> void counterOf(Map<ObjectName, MetricMBean> beans, String domain, String type, String metric,
            String keys, Function<CairnMetrics, Optional<T>> part, ToLongFunction<T> read) {
        Function<CairnMetrics, Optional<Long>> count = m -> part.apply(m).map(read::applyAsLong);
        beans.put(objectName(domain, type, metric, keys), new MetricMBean.Builder(metric + ", a count", cairn::metrics)
                .longAttribute("Count", count).rates(count, System.nanoTime()).build());
    }

    private <T> void gaugeOf(Map<ObjectName, MetricMBean> beans, String domain, String type, String metric,
            String keys, Function<CairnMetrics, Optional<T>> part, ToLongFunction<T> read) {
        beans.put(objectName(domain, type, metric, keys), new MetricMBean.Builder(metric + ", a gauge", cairn::metrics)
                .longAttribute("Value", m -> part.apply(m).map(read::applyAsLong)).build());
    }

    private ObjectName objectName(String domain, String type, String metric, String keys) {
        try {
            return new ObjectName(domain + ":type=" + type + ",cairn=" + name + ",name=" + metric + keys);
        } catch (JMException e) {
            throw new IllegalStateException("MBean name of " + metric + keys + " is not valid: " + e.getMessage(), e);
        }
    }

    private void unregister(ObjectName objectName) {
        try {
            server.unregisterMBean(objectName);
        } catch (JMException | RuntimeException e) {
            LOG.debug("MBean {} was already gone: {}", objectName, e.toString());
        }
    }

    /** Unregisters every MBean of this Cairn and frees its name. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        refreshing.cancel(false);
        registered.keySet().forEach(this::unregister);
        registered.clear();
        NAMES_IN_USE.remove(name);
    }
}
