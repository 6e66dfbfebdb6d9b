package dev.cairn;

import dev.cairn.common.HistogramSnapshot;
import dev.cairn.common.StorageStats;
import java.util.List;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * The figures of one {@link Cairn} at one moment ({@link Cairn#metrics()}): counters since open
 * (rates come from the difference of two snapshots), gauges of now, and the fsync latency
 * histogram. Parts not opened yet (the log, a database) are absent: taking a snapshot opens
 * nothing.
 *
 * <p>Immutable. The figures are read one after another, not atomically: a snapshot taken while
 * records are appended may count an append in one figure and not in another.
 *
 * @param takenAtMs when the snapshot was taken, by the Cairn's clock
 * @param topics every user topic's figures, by name; empty while the log is not open
 * @param consumerLag the lag of every committed offset of every group, by group, topic and partition
 * @param fsyncLatency the latency of every fsync of the storage layer, in nanoseconds
 * @param storage the storage layer's counters (fsyncs, failed fsyncs, recovery truncations)
 * @param databases every open dictionary database's figures, by index
 */
public record CairnMetrics(long takenAtMs, List<TopicMetrics> topics, List<ConsumerLag> consumerLag,
        HistogramSnapshot fsyncLatency, StorageStats storage, List<DatabaseMetrics> databases) {
    public CairnMetrics {
        topics = List.copyOf(topics);
        consumerLag = List.copyOf(consumerLag);
        databases = List.copyOf(databases);
    }

    /** The figures of {@code topic}, if it exists and the log is open. */
    public Optional<TopicMetrics> topic(String topic) {
        return topics.stream().filter(t -> t.topic().equals(topic)).findFirst();
    }

    /** The figures of database {@code index}, if it is open. */
    public Optional<DatabaseMetrics> database(int index) {
        return databases.stream().filter(d -> d.database() == index).findFirst();
    }

    /**
     * The rate of a counter between {@code earlier} and this snapshot, per second of the Cairn's
     * clock: {@code later.perSecondSince(earlier, CairnMetrics::recordsAppended)}, or, for one
     * topic, {@code m -> m.topic("orders").map(TopicMetrics::recordsAppended).orElse(0L)}.
     *
     * @return NaN when no time passed between the two (as under a {@link ManualClock} not moved)
     * @throws IllegalArgumentException if {@code earlier} was taken after this snapshot
     */
    public double perSecondSince(CairnMetrics earlier, ToLongFunction<CairnMetrics> counter) {
        long elapsedMs = takenAtMs - earlier.takenAtMs;
        if (elapsedMs < 0) {
            throw new IllegalArgumentException("the earlier snapshot was taken at " + earlier.takenAtMs
                    + ", after this one (" + takenAtMs + ")");
        }
        double delta = counter.applyAsLong(this) - counter.applyAsLong(earlier);
        return elapsedMs == 0 ? Double.NaN : delta * 1000.0 / elapsedMs;
    }

    /** Records appended to every topic. */
    public long recordsAppended() {
        return topics.stream().mapToLong(TopicMetrics::recordsAppended).sum();
    }

    /** Partitions with a copy out of sync (Kafka's UnderReplicatedPartitions). */
    public long underReplicatedPartitions() {
        return topics.stream().flatMap(t -> t.partitions().stream()).filter(PartitionMetrics::underReplicated).count();
    }

    /** Bytes of the record batches written for every topic. */
    public long bytesAppended() {
        return topics.stream().mapToLong(TopicMetrics::bytesAppended).sum();
    }

    /** Records read from every topic. */
    public long recordsRead() {
        return topics.stream().mapToLong(TopicMetrics::recordsRead).sum();
    }

    /** Bytes of the record batches read from every topic. */
    public long bytesRead() {
        return topics.stream().mapToLong(TopicMetrics::bytesRead).sum();
    }
}
