package dev.cairn.log.internal.replica;

import dev.cairn.log.TopicPartition;
import java.util.Map;

/** The copies of partitions that simulated nodes keep across their crashes and restarts. */
interface Disks {
    /** Node {@code node}'s copy of {@code partition}, as the node finds it on (re)start; created empty if new. */
    ReplicaLog open(int node, TopicPartition partition);

    /** The node crashed: its open copies are dropped, keeping what a crash keeps. */
    void crash(int node);

    /** The node's disk is replaced by an empty one (the node is down): its copies are gone. */
    void wipe(int node);

    /** A copy's records, value by offset. */
    Map<Long, byte[]> values(ReplicaLog copy);

    /** In-memory model copies ({@link ModelReplicaLog}), which a crash leaves whole. */
    static Disks model() {
        return new Disks() {
            private final Map<String, ModelReplicaLog> copies = new java.util.TreeMap<>();

            @Override
            public ReplicaLog open(int node, TopicPartition partition) {
                return copies.compute(node + "/" + partition,
                        (k, old) -> old == null ? new ModelReplicaLog(partition) : old.reopen());
            }

            @Override
            public void crash(int node) {
                // Model copies lose nothing in a crash: reopen() on the next start.
            }

            @Override
            public void wipe(int node) {
                copies.keySet().removeIf(k -> k.startsWith(node + "/"));
            }

            @Override
            public Map<Long, byte[]> values(ReplicaLog copy) {
                return ((ModelReplicaLog) copy).values();
            }
        };
    }
}
