/**
 * Replicas of a partition: the fetch-based protocol Kafka's brokers use, over a
 * {@link dev.cairn.cluster.Transport}. A leader takes appends and tracks its followers'
 * positions, the in-sync set and the high watermark; followers fetch from it with their log end
 * offset and the epoch of their last record, and truncate where their history diverges from the
 * leader's; a controller elects leaders from the in-sync set and fences stale ones with epochs.
 *
 * <p>The logic reaches a partition's storage only through {@link dev.cairn.log.internal.replica.ReplicaLog}
 * and time only through a {@link dev.cairn.cluster.Scheduler}, so the same code runs on threads
 * over real files and, in a simulation, on one thread over memory files.
 */
package dev.cairn.log.internal.replica;
