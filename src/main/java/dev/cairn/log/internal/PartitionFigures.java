package dev.cairn.log.internal;

import dev.cairn.log.TopicPartition;

/**
 * One partition's counters and offsets, read for metrics (see {@link DefaultLog#partitionFigures()}).
 *
 * @param partition the partition
 * @param recordsAppended records appended since the log opened
 * @param bytesAppended bytes of the record batches written for those appends
 * @param recordsRead records handed to readers since the log opened
 * @param bytesRead bytes of the record batches those records were read from
 * @param beginningOffset the first offset kept
 * @param endOffset one past the last offset appended
 * @param sizeBytes bytes of the partition's segments
 * @param replicas how many copies the partition keeps
 * @param inSyncReplicas how many of them are in sync, as its leader knows
 */
public record PartitionFigures(TopicPartition partition, long recordsAppended, long bytesAppended, long recordsRead,
        long bytesRead, long beginningOffset, long endOffset, long sizeBytes, int replicas, int inSyncReplicas) {
}
