package dev.cairn;

import dev.cairn.common.HistogramSnapshot;
import dev.cairn.common.StorageStats;
import dev.cairn.dictionary.DictionaryStats;
import dev.cairn.dictionary.internal.LocalDictionary;
import dev.cairn.log.TopicPartition;
import dev.cairn.log.internal.DefaultLog;
import dev.cairn.log.internal.PartitionFigures;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds a {@link CairnMetrics} snapshot from the counters the parts keep. Stateless; each call
 * reads what the parts hold at that moment.
 */
final class MetricsCollector {
    private MetricsCollector() {
    }

    /**
     * @param log the open log, or null if not opened
     * @param databases the open databases by index (null where not opened)
     */
    static CairnMetrics collect(long nowMs, DefaultLog log, LocalDictionary[] databases,
            HistogramSnapshot fsyncLatency, StorageStats storage) {
        List<TopicMetrics> topics = new ArrayList<>();
        List<ConsumerLag> lags = new ArrayList<>();
        if (log != null) {
            Map<String, List<PartitionMetrics>> byTopic = new LinkedHashMap<>();
            Map<TopicPartition, Long> ends = new TreeMap<>(MetricsCollector::compare);
            for (PartitionFigures f : log.partitionFigures()) {
                byTopic.computeIfAbsent(f.partition().topic(), t -> new ArrayList<>())
                        .add(new PartitionMetrics(f.partition().partition(), f.recordsAppended(), f.bytesAppended(),
                                f.recordsRead(), f.bytesRead(), f.beginningOffset(), f.endOffset(), f.sizeBytes(),
                                f.replicas(), f.inSyncReplicas()));
                ends.put(f.partition(), f.endOffset());
            }
            byTopic.forEach((name, partitions) -> topics.add(new TopicMetrics(name, partitions)));
            log.committedOffsetsByGroup().forEach((group, committed) -> {
                Map<TopicPartition, Long> sorted = new TreeMap<>(MetricsCollector::compare);
                sorted.putAll(committed);
                sorted.forEach((tp, offset) -> {
                    Long end = ends.get(tp);
                    if (end != null) { // a topic deleted meanwhile has no lag
                        lags.add(new ConsumerLag(group, tp.topic(), tp.partition(), offset, end));
                    }
                });
            });
        }
        List<DatabaseMetrics> dbs = new ArrayList<>();
        for (int i = 0; i < databases.length; i++) {
            if (databases[i] != null) {
                DictionaryStats s = databases[i].stats();
                long ageMs = s.lastSnapshotAtMs() < 0 ? -1 : Math.max(0, nowMs - s.lastSnapshotAtMs());
                dbs.add(new DatabaseMetrics(i, s.keys(), s.keyspaceHits(), s.keyspaceMisses(), s.expiredKeys(),
                        s.appendOnlyBytes(), ageMs, s.lastSnapshotDurationMs()));
            }
        }
        return new CairnMetrics(nowMs, topics, lags, fsyncLatency, storage, dbs);
    }

    private static int compare(TopicPartition a, TopicPartition b) {
        int byTopic = a.topic().compareTo(b.topic());
        return byTopic != 0 ? byTopic : Integer.compare(a.partition(), b.partition());
    }
}
