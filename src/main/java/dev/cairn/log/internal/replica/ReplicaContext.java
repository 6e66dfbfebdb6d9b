package dev.cairn.log.internal.replica;

import dev.cairn.cluster.Endpoint;
import dev.cairn.cluster.Scheduler;
import java.util.function.Consumer;

/**
 * What every partition replica of one node shares: the node's id and incarnation (which start of
 * its process this is), its way to send, its clock and
 * timers, the replication settings, where the controller is, whom to tell when a copy's storage
 * fails, and whom to tell when a copy starts leading.
 */
record ReplicaContext(int nodeId, long incarnation, Endpoint endpoint, Scheduler scheduler, ReplicationConfig config,
        int controllerId, Runnable storageFailed, Consumer<ReplicaLog> becameLeader) {
}
