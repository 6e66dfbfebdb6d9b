package dev.cairn.log;

import java.util.List;
import java.util.Map;

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
     * One partition's offsets, size and replicas. Replicas are named by their place: the index of
     * the storage root that holds the copy (0 is the data directory).
     *
     * @param partition the partition number
     * @param beginningOffset the first offset still kept
     * @param endOffset the end of what consumers may read: the high watermark (the offset the next
     *                  record will get, for a partition with one replica)
     * @param sizeBytes bytes on disk of the serving copy's segments
     * @param segments number of the serving copy's segments
     * @param leader the replica that takes appends and serves reads
     * @param leaderEpoch the leader's epoch, -1 for a partition with one replica
     * @param replicas every replica, in preference order
     * @param inSyncReplicas the replicas in sync with the leader
     * @param logEndOffset the leader's log end offset: the offset the next record will get
     * @param followerLag per follower, how many offsets its copy is behind the leader's log end, as
     *                    the leader last saw it (-1 before its first fetch)
     */
    public record PartitionInfo(int partition, long beginningOffset, long endOffset, long sizeBytes, int segments,
            int leader, int leaderEpoch, List<Integer> replicas, List<Integer> inSyncReplicas, long logEndOffset,
            Map<Integer, Long> followerLag) {
        public PartitionInfo {
            replicas = List.copyOf(replicas);
            inSyncReplicas = List.copyOf(inSyncReplicas);
            followerLag = Map.copyOf(followerLag);
        }

        /** A partition with one replica, in the data directory, whose end is its high watermark. */
        public PartitionInfo(int partition, long beginningOffset, long endOffset, long sizeBytes, int segments) {
            this(partition, beginningOffset, endOffset, sizeBytes, segments, 0, -1, List.of(0), List.of(0), endOffset,
                    Map.of());
        }
    }
}
