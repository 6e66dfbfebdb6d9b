package dev.cairn;

import java.util.List;

/**
 * One topic's figures in a {@link CairnMetrics} snapshot: its partitions', and their sums.
 *
 * @param topic the topic name
 * @param partitions each partition's figures, by partition number
 */
public record TopicMetrics(String topic, List<PartitionMetrics> partitions) {
    public TopicMetrics {
        partitions = List.copyOf(partitions);
    }

    public long recordsAppended() {
        return partitions.stream().mapToLong(PartitionMetrics::recordsAppended).sum();
    }

    public long bytesAppended() {
        return partitions.stream().mapToLong(PartitionMetrics::bytesAppended).sum();
    }

    public long recordsRead() {
        return partitions.stream().mapToLong(PartitionMetrics::recordsRead).sum();
    }

    public long bytesRead() {
        return partitions.stream().mapToLong(PartitionMetrics::bytesRead).sum();
    }

    public long sizeBytes() {
        return partitions.stream().mapToLong(PartitionMetrics::sizeBytes).sum();
    }
}
