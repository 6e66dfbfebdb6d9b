package dev.cairn;

/**
 * One log partition's figures in a {@link CairnMetrics} snapshot. The four counters start at 0
 * when the log opens (recovery counts nothing); a rate is the difference of two snapshots over
 * the time between them.
 *
 * @param partition the partition number
 * @param recordsAppended records appended
 * @param bytesAppended bytes of the record batches (Kafka's v2 layout, header included) written
 *     for those appends
 * @param recordsRead records handed to readers: consumers, {@code Log.read} and
 *     {@code Log.readBatches} (whole batches)
 * @param bytesRead bytes of the record batches those records came from, each batch counted once
 *     per read that starts on it
 * @param beginningOffset the first offset kept
 * @param endOffset one past the last offset appended
 * @param sizeBytes bytes of the partition's segment files
 * @param replicas how many copies the partition keeps (its topic's replication factor)
 * @param inSyncReplicas how many of them are in sync with the leader; fewer than {@code replicas}
 *     makes the partition under-replicated
 */
public record PartitionMetrics(int partition, long recordsAppended, long bytesAppended, long recordsRead,
        long bytesRead, long beginningOffset, long endOffset, long sizeBytes, int replicas, int inSyncReplicas) {
    /** Whether a copy of the partition is out of sync (Kafka's under-replicated partition). */
    public boolean underReplicated() {
        return inSyncReplicas < replicas;
    }
}
