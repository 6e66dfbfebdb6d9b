package dev.cairn.metrics.micrometer;

import dev.cairn.Cairn;
import dev.cairn.CairnMetrics;
import dev.cairn.ConsumerLag;
import dev.cairn.DatabaseMetrics;
import dev.cairn.PartitionMetrics;
import dev.cairn.TopicMetrics;
import dev.cairn.common.ClosedException;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Exposes a {@link Cairn}'s {@link Cairn#metrics() metrics} to a Micrometer registry, under the
 * names docs/metrics.md lists ({@code cairn.log.records.appended{topic}},
 * {@code cairn.fsync.latency}, {@code cairn.consumer.lag{group,topic,partition}}, ...), each
 * tagged with the binder's common tags.
 *
 * <pre>{@code
 * CairnMeterBinder binder = new CairnMeterBinder(cairn, Tags.of("cairn", "orders"));
 * binder.bindTo(registry);
 * ...
 * binder.close(); // before the Cairn
 * }</pre>
 *
 * <p>The log's counters are per topic only: a registry sums them across the {@code topic} tag
 * (one name keeps one set of tag keys, as Prometheus requires).
 *
 * <p>Meters read a snapshot of the Cairn's metrics, taken at most once per {@code snapshotReuse}
 * (a scrape reads many meters; one snapshot serves them). Meters of topics, partitions, groups
 * and databases that appear after {@link #bindTo} are added by {@link #refresh()}, which a
 * daemon thread of the binder runs every second, and the meters of those that go away are
 * removed. After the Cairn closes, the meters read NaN.
 *
 * <p>Micrometer is an optional dependency of Cairn: this class needs {@code micrometer-core} on
 * the class or module path. Thread-safe.
 */
public final class CairnMeterBinder implements MeterBinder, AutoCloseable {
    /** The key, among a registry's meters, of those every Cairn has. */
    private static final String FIXED = "";

    private final Cairn cairn;
    private final Tags tags;
    private final long snapshotReuseNanos;
    private final Object lock = new Object();
    /** Guarded by {@code lock}. */
    private CairnMetrics cached;
    /** Guarded by {@code lock}. */
    private long cachedAtNanos;
    /** Guarded by {@code lock}: the registries bound to, and their meters of parts that may go away. */
    private final Map<MeterRegistry, Map<String, List<Meter>>> bound = new HashMap<>();
    /** Guarded by {@code lock}; started by the first {@link #bindTo}. */
    private ScheduledExecutorService refresher;
    /** Guarded by {@code lock}. */
    private boolean closed;

    /** A binder with no common tags that reuses a snapshot for up to one second. */
    public CairnMeterBinder(Cairn cairn) {
        this(cairn, Tags.empty(), Duration.ofSeconds(1));
    }

    /** A binder adding {@code tags} to every meter that reuses a snapshot for up to one second. */
    public CairnMeterBinder(Cairn cairn, Iterable<Tag> tags) {
        this(cairn, tags, Duration.ofSeconds(1));
    }

    /**
     * @param snapshotReuse how long a snapshot of the metrics serves the meters' reads; zero
     *     takes a fresh one for every read
     * @throws IllegalArgumentException if {@code snapshotReuse} is negative
     */
    public CairnMeterBinder(Cairn cairn, Iterable<Tag> tags, Duration snapshotReuse) {
        this.cairn = Objects.requireNonNull(cairn, "cairn");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
        if (snapshotReuse.isNegative()) {
            throw new IllegalArgumentException("snapshotReuse must not be negative: " + snapshotReuse);
        }
        this.snapshotReuseNanos = snapshotReuse.toNanos();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("this binder is closed");
            }
            if (!bound.containsKey(registry)) {
                Map<String, List<Meter>> meters = new HashMap<>();
                meters.put(FIXED, bindFixed(registry));
                bound.put(registry, meters);
            }
            if (refresher == null) {
                refresher = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "cairn-meter-binder");
                    t.setDaemon(true);
                    return t;
                });
                refresher.scheduleWithFixedDelay(this::refreshQuietly, 1, 1, TimeUnit.SECONDS);
            }
        }
        refresh();
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            // A failing refresh keeps the meters it has; the next one tries again.
        }
    }

    /** The latest snapshot, or null once the Cairn is closed. */
    private CairnMetrics snapshot() {
        synchronized (lock) {
            long now = System.nanoTime();
            if (cached == null || now - cachedAtNanos >= snapshotReuseNanos) {
                try {
                    cached = cairn.metrics();
                    cachedAtNanos = now;
                } catch (ClosedException e) {
                    return null;
                }
            }
            return cached;
        }
    }

    private <T> ToDoubleFunction<CairnMeterBinder> read(Function<CairnMetrics, Optional<T>> part,
            ToDoubleFunction<T> value) {
        return binder -> {
            CairnMetrics m = binder.snapshot();
            Optional<T> p = m == null ? Optional.empty() : part.apply(m);
            return p.isPresent() ? value.applyAsDouble(p.get()) : Double.NaN;
        };
    }

    private List<Meter> bindFixed(MeterRegistry registry) {
        Function<CairnMetrics, Optional<CairnMetrics>> all = Optional::of;
        List<Meter> meters = new ArrayList<>();
        meters.add(FunctionTimer.builder("cairn.fsync.latency", this,
                        b -> countOr0(b, m -> m.fsyncLatency().count()),
                        b -> countOr0(b, m -> m.fsyncLatency().sumNanos()), TimeUnit.NANOSECONDS)
                .description("fsyncs of the storage layer and their total time").tags(tags).register(registry));
        meters.add(TimeGauge.builder("cairn.fsync.latency.max", this, TimeUnit.NANOSECONDS,
                        read(all, m -> m.fsyncLatency().maxNanos()))
                .description("the longest fsync").tags(tags).register(registry));
        for (double phi : new double[] {0.5, 0.99, 0.999}) {
            meters.add(TimeGauge.builder("cairn.fsync.latency.percentile", this, TimeUnit.NANOSECONDS,
                            read(all, m -> m.fsyncLatency().valueAtPercentile(phi * 100)))
                    .description("fsync latency percentile, from fixed log-linear buckets")
                    .tags(tags).tag("phi", String.valueOf(phi)).register(registry));
        }
        meters.add(FunctionCounter.builder("cairn.storage.fsyncs", this, read(all, m -> m.storage().fsyncs()))
                .description("fsyncs that succeeded").tags(tags).register(registry));
        meters.add(FunctionCounter.builder("cairn.storage.fsync.failures", this, read(all, m -> m.storage().fsyncFailures()))
                .description("fsyncs that failed").tags(tags).register(registry));
        meters.add(Gauge.builder("cairn.log.under.replicated.partitions", this,
                        read(all, CairnMetrics::underReplicatedPartitions))
                .description("partitions with a copy out of sync").tags(tags).register(registry));
        return meters;
    }

    private static long countOr0(CairnMeterBinder binder, java.util.function.ToLongFunction<CairnMetrics> read) {
        CairnMetrics m = binder.snapshot();
        return m == null ? 0 : read.applyAsLong(m);
    }

    /**
     * Adds the meters of topics, partitions, groups and databases that appeared since the last
     * refresh, and removes those of the ones that went away, in every registry bound to.
     */
    public void refresh() {
        CairnMetrics m;
        synchronized (lock) {
            if (closed || bound.isEmpty()) {
                return;
            }
            cached = null; // the structure must be current
            m = snapshot();
            if (m == null) {
                return;
            }
            for (Map.Entry<MeterRegistry, Map<String, List<Meter>>> e : bound.entrySet()) {
                refresh(e.getKey(), e.getValue(), m);
            }
        }
    }

    private void refresh(MeterRegistry registry, Map<String, List<Meter>> meters, CairnMetrics m) {
        Set<String> present = new HashSet<>();
        for (TopicMetrics t : m.topics()) {
            String key = "topic " + t.topic();
            present.add(key);
            meters.computeIfAbsent(key, k -> topicMeters(registry, t.topic()));
            for (PartitionMetrics p : t.partitions()) {
                String pkey = key + " " + p.partition();
                present.add(pkey);
                meters.computeIfAbsent(pkey, k -> partitionMeters(registry, t.topic(), p.partition()));
            }
        }
        for (ConsumerLag lag : m.consumerLag()) {
            String key = "lag " + lag.group() + " " + lag.topic() + " " + lag.partition();
            present.add(key);
            meters.computeIfAbsent(key, k -> lagMeters(registry, lag.group(), lag.topic(), lag.partition()));
        }
        for (DatabaseMetrics d : m.databases()) {
            String key = "db " + d.database();
            present.add(key);
            meters.computeIfAbsent(key, k -> databaseMeters(registry, d.database()));
        }
        for (var it = meters.entrySet().iterator(); it.hasNext();) {
            var e = it.next();
            if (!e.getKey().equals(FIXED) && !present.contains(e.getKey())) {
                e.getValue().forEach(registry::remove);
                it.remove();
            }
        }
    }

    private List<Meter> topicMeters(MeterRegistry registry, String topic) {
        Function<CairnMetrics, Optional<TopicMetrics>> t = m -> m.topic(topic);
        Tags topicTags = tags.and("topic", topic);
        List<Meter> meters = new ArrayList<>();
        meters.add(FunctionCounter.builder("cairn.log.records.appended", this, read(t, TopicMetrics::recordsAppended))
                .description("records appended to the topic").tags(topicTags).register(registry));
        meters.add(FunctionCounter.builder("cairn.log.bytes.appended", this, read(t, TopicMetrics::bytesAppended))
                .baseUnit("bytes").description("record batch bytes appended to the topic").tags(topicTags)
                .register(registry));
        meters.add(FunctionCounter.builder("cairn.log.records.read", this, read(t, TopicMetrics::recordsRead))
                .description("records read from the topic").tags(topicTags).register(registry));
        meters.add(FunctionCounter.builder("cairn.log.bytes.read", this, read(t, TopicMetrics::bytesRead))
                .baseUnit("bytes").description("record batch bytes read from the topic").tags(topicTags)
                .register(registry));
        return meters;
    }

    private List<Meter> partitionMeters(MeterRegistry registry, String topic, int partition) {
        Function<CairnMetrics, Optional<PartitionMetrics>> p = m -> m.topic(topic)
                .flatMap(t -> t.partitions().stream().filter(x -> x.partition() == partition).findFirst());
        Tags partitionTags = tags.and("topic", topic, "partition", String.valueOf(partition));
        return List.of(
                Gauge.builder("cairn.log.size", this, read(p, PartitionMetrics::sizeBytes)).baseUnit("bytes")
                        .description("bytes of the partition's segments").tags(partitionTags).register(registry),
                Gauge.builder("cairn.log.start.offset", this, read(p, PartitionMetrics::beginningOffset))
                        .description("the partition's first offset kept").tags(partitionTags).register(registry),
                Gauge.builder("cairn.log.end.offset", this, read(p, PartitionMetrics::endOffset))
                        .description("the offset of the partition's next record").tags(partitionTags)
                        .register(registry),
                Gauge.builder("cairn.log.replicas", this, read(p, PartitionMetrics::replicas))
                        .description("copies the partition keeps").tags(partitionTags).register(registry),
                Gauge.builder("cairn.log.in.sync.replicas", this, read(p, PartitionMetrics::inSyncReplicas))
                        .description("copies in sync with the leader").tags(partitionTags).register(registry));
    }

    private List<Meter> lagMeters(MeterRegistry registry, String group, String topic, int partition) {
        Function<CairnMetrics, Optional<ConsumerLag>> lag = m -> m.consumerLag().stream()
                .filter(l -> l.group().equals(group) && l.topic().equals(topic) && l.partition() == partition)
                .findFirst();
        return List.of(Gauge.builder("cairn.consumer.lag", this, read(lag, ConsumerLag::lag))
                .description("records past the group's committed offset").baseUnit("records")
                .tags(tags.and("group", group, "topic", topic, "partition", String.valueOf(partition)))
                .register(registry));
    }

    private List<Meter> databaseMeters(MeterRegistry registry, int db) {
        Function<CairnMetrics, Optional<DatabaseMetrics>> d = m -> m.database(db);
        Tags dbTags = tags.and("db", String.valueOf(db));
        return List.of(
                Gauge.builder("cairn.dictionary.keys", this, read(d, DatabaseMetrics::keys))
                        .description("keys stored").tags(dbTags).register(registry),
                FunctionCounter.builder("cairn.dictionary.keyspace.hits", this, read(d, DatabaseMetrics::keyspaceHits))
                        .description("read lookups that found a live key").tags(dbTags).register(registry),
                FunctionCounter.builder("cairn.dictionary.keyspace.misses", this,
                                read(d, DatabaseMetrics::keyspaceMisses))
                        .description("read lookups that found none").tags(dbTags).register(registry),
                FunctionCounter.builder("cairn.dictionary.expired.keys", this, read(d, DatabaseMetrics::expiredKeys))
                        .description("keys removed because their deadline passed").tags(dbTags).register(registry),
                Gauge.builder("cairn.dictionary.aof.size", this, read(d, DatabaseMetrics::appendOnlyBytes))
                        .baseUnit("bytes").description("bytes of the append-only file's live parts").tags(dbTags)
                        .register(registry),
                TimeGauge.builder("cairn.dictionary.snapshot.age", this, TimeUnit.MILLISECONDS,
                                read(d, x -> x.snapshotAgeMs() < 0 ? Double.NaN : x.snapshotAgeMs()))
                        .description("time since the last snapshot started").tags(dbTags).register(registry),
                TimeGauge.builder("cairn.dictionary.snapshot.duration", this, TimeUnit.MILLISECONDS,
                                read(d, x -> x.lastSnapshotDurationMs() < 0 ? Double.NaN : x.lastSnapshotDurationMs()))
                        .description("how long the last snapshot took").tags(dbTags).register(registry));
    }

    /**
     * Stops the refreshing and removes every meter this binder added from every registry it was
     * bound to. Idempotent.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            if (refresher != null) {
                refresher.shutdownNow();
            }
            bound.forEach((registry, meters) -> meters.values().forEach(list -> list.forEach(registry::remove)));
            bound.clear();
        }
    }
}
