package dev.cairn.log;

import java.util.List;

/**
 * A topic's name, config and partitions' offsets at the moment it was described.
 *
 * @param name the topic name
 * @param config the topic's config
 * @param partitions one entry per partition, by partition number
 */
public record TopicDescription(String name, TopicConfig config, List<PartitionInfo> partitions) {
    public TopicDescription {
        partitions = List.copyOf(partitions);
    }

    /**
     * One partition's offsets and size.
     *
     * @param partition the partition number
     * @param beginningOffset the first offset still kept
     * @param endOffset the offset the next record will get
     * @param sizeBytes bytes on disk of its segments
     * @param segments number of segments
     */
    public record PartitionInfo(int partition, long beginningOffset, long endOffset, long sizeBytes, int segments) {
    }
}
