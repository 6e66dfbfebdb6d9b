package dev.cairn.log.internal.replica;

import dev.cairn.cluster.Endpoint;
import dev.cairn.cluster.Responder;
import dev.cairn.cluster.Scheduler;
import dev.cairn.cluster.Transport;
import dev.cairn.cluster.TransportException;
import dev.cairn.log.Acks;
import dev.cairn.log.NotLeaderException;
import dev.cairn.log.ProducerRecord;
import dev.cairn.log.TopicPartition;
import dev.cairn.log.internal.replica.ReplicationProtocol.Heartbeat;
import dev.cairn.log.internal.replica.ReplicationProtocol.HeartbeatResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node of a replicated log: the copies of partitions it holds ({@link PartitionReplica}), its
 * heartbeats to the controller, and, on the controller's node, the {@link Controller} itself. It
 * answers the replication protocol's requests ({@link ReplicationProtocol}) that reach it through
 * its {@link Transport}.
 *
 * <p>A node learns the states of its partitions from the controller's answers to its heartbeats,
 * and sooner from the states the controller sends on every change; it opens a partition's copy
 * (through {@code openCopy}) the first time a state names it a replica.
 */
public final class ReplicaNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaNode.class);

    private final ReplicaContext ctx;
    private final long incarnation;
    private final Function<TopicPartition, ReplicaLog> openCopy;
    private final Controller controller;
    private final Map<TopicPartition, PartitionReplica> replicas = new TreeMap<>();
    private final Map<TopicPartition, Integer> minInsync = new TreeMap<>();
    private Scheduler.Cancellable heartbeat;
    private boolean closed;
    private boolean left;
    private volatile Consumer<ReplicaLog> leadershipListener = copy -> { };

    /**
     * Attaches node {@code nodeId} to {@code transport} and starts its heartbeats.
     *
     * @param incarnation a number that grows every time this node starts (e.g. the start time in
     *                    milliseconds): the controller fences requests of an older one
     * @param controllerId the node that runs the controller: this one, if equal to {@code nodeId}
     * @param controllerStore where the controller keeps its states, if this node runs it
     * @param openCopy opens (creating if needed) this node's copy of a partition, or answers null if
     *                 it cannot be opened yet (the node then skips that partition's state until it is sent again)
     */
    public ReplicaNode(int nodeId, long incarnation, Transport transport, Scheduler scheduler,
            ReplicationConfig config, int controllerId, ControllerStore controllerStore,
            Function<TopicPartition, ReplicaLog> openCopy) {
        this.incarnation = incarnation;
        this.openCopy = openCopy;
        Endpoint endpoint = transport.attach(nodeId, this::onRequest);
        this.ctx = new ReplicaContext(nodeId, incarnation, endpoint, scheduler, config, controllerId, this::leave,
                copy -> leadershipListener.accept(copy));
        this.controller = nodeId == controllerId ? new Controller(scheduler, config, controllerStore, this::publish) : null;
        sendHeartbeat();
    }

    public int nodeId() {
        return ctx.nodeId();
    }

    /**
     * Creates a replicated partition; only on the controller's node.
     *
     * @throws IllegalStateException if this node is not the controller, the partition exists, or no replica is alive
     */
    public PartitionState createPartition(TopicPartition partition, List<Integer> replicas) {
        if (controller == null) {
            throw new IllegalStateException("node " + ctx.nodeId() + " is not the controller (node "
                    + ctx.controllerId() + " is)");
        }
        return controller.createPartition(partition, replicas);
    }

    /**
     * Sends the controller's state of {@code partition} to its replicas again, for a node that
     * could not take it before (its copy was not ready); only on the controller's node.
     */
    public void republish(TopicPartition partition) {
        controllerState(partition).ifPresent(this::publish);
    }

    /**
     * Tells the controller, on this node, that node {@code nodeId} lost its copies (see
     * {@link Controller#nodeLost}); only on the controller's node.
     */
    public void nodeLost(int nodeId) {
        if (controller == null) {
            throw new IllegalStateException("node " + ctx.nodeId() + " is not the controller (node "
                    + ctx.controllerId() + " is)");
        }
        controller.nodeLost(nodeId);
    }

    /** Whether the controller, on this node, takes node {@code nodeId} for alive; false on other nodes. */
    public boolean seesAlive(int nodeId) {
        return controller != null && controller.isAlive(nodeId);
    }

    /** Forgets a partition whose topic was deleted; only on the controller's node. */
    public void deletePartition(TopicPartition partition) {
        if (controller == null) {
            throw new IllegalStateException("node " + ctx.nodeId() + " is not the controller (node "
                    + ctx.controllerId() + " is)");
        }
        controller.deletePartition(partition);
    }

    /**
     * Stops replicating this node's copy of {@code partition} and returns it, for the caller to
     * close and delete (its topic was deleted).
     */
    public Optional<ReplicaLog> dropCopy(TopicPartition partition) {
        PartitionReplica r;
        synchronized (this) {
            r = replicas.remove(partition);
            minInsync.remove(partition);
        }
        if (r == null) {
            return Optional.empty();
        }
        r.close();
        return Optional.of(r.log());
    }

    /** Sets the in-sync set's minimum for acks ALL appends to {@code partition} through this node. */
    public synchronized void minInsyncReplicas(TopicPartition partition, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("minInsyncReplicas must be >= 1, was " + count);
        }
        minInsync.put(partition, count);
        PartitionReplica r = replicas.get(partition);
        if (r != null) {
            r.minInsyncReplicas(count);
        }
    }

    /**
     * Appends to a partition this node leads; the future completes with the base offset once
     * {@code acks} is satisfied.
     *
     * @throws NotLeaderException if this node holds no copy or does not lead the partition
     * @throws dev.cairn.log.NotEnoughReplicasException with acks ALL and too small an in-sync set; nothing written
     */
    public CompletableFuture<Long> append(TopicPartition partition, List<ProducerRecord> records, Acks acks) {
        return leaderReplica(partition).append(records, acks);
    }

    /**
     * Tells {@code listener} of every copy on this node that starts leading, after it leads (on
     * the thread that applied the controller's state). Replaces any listener set before.
     */
    public void onLeadership(Consumer<ReplicaLog> listener) {
        this.leadershipListener = java.util.Objects.requireNonNull(listener, "listener");
    }

    /**
     * Checks that an append with {@code acks} may be written to this node's copy of
     * {@code partition} now, before it is written some other way than {@link #append} (the log's
     * own append paths).
     *
     * @throws NotLeaderException if this node does not lead the partition
     * @throws dev.cairn.log.NotEnoughReplicasException with acks ALL and too small an in-sync set
     */
    public void checkAppend(TopicPartition partition, Acks acks) {
        leaderReplica(partition).checkAppend(acks);
    }

    /**
     * After an append that {@link #checkAppend} allowed wrote up to {@code end}: tells the leader
     * its log grew, and completes when {@code acks} is satisfied.
     */
    public CompletableFuture<Void> appended(TopicPartition partition, long end, Acks acks) {
        PartitionReplica r = leaderReplica(partition);
        r.onLeaderAppend();
        return r.appended(end, acks);
    }

    /** Tells the leader of {@code partition} on this node that its log grew, if it leads it (any append path). */
    public void onLeaderAppend(TopicPartition partition) {
        replica(partition).ifPresent(PartitionReplica::onLeaderAppend);
    }

    private PartitionReplica leaderReplica(TopicPartition partition) {
        return replica(partition)
                .orElseThrow(() -> new NotLeaderException("node " + ctx.nodeId() + " holds no copy of " + partition));
    }

    /** This node's copy of {@code partition}, if it holds one. */
    public synchronized Optional<ReplicaLog> copy(TopicPartition partition) {
        return Optional.ofNullable(replicas.get(partition)).map(PartitionReplica::log);
    }

    /** The state of {@code partition} as this node last learned it, if it holds a copy. */
    public Optional<PartitionState> state(TopicPartition partition) {
        return replica(partition).map(PartitionReplica::state);
    }

    /** Each follower's log end offset as this node, leading {@code partition}, knows it; empty if not leading. */
    public Map<Integer, Long> followerEndOffsets(TopicPartition partition) {
        return replica(partition).map(PartitionReplica::followerEndOffsets).orElse(Map.of());
    }

    /** The controller's state of {@code partition}, on the controller's node; empty elsewhere. */
    public Optional<PartitionState> controllerState(TopicPartition partition) {
        return controller == null ? Optional.empty() : Optional.ofNullable(controller.state(partition));
    }

    private synchronized Optional<PartitionReplica> replica(TopicPartition partition) {
        return Optional.ofNullable(replicas.get(partition));
    }

    // ---- requests -------------------------------------------------------------------------------

    private void onRequest(int from, ByteBuffer request, Responder responder) {
        byte kind = ReplicationProtocol.readKind(request);
        switch (kind) {
            case ReplicationProtocol.FETCH -> {
                ReplicationProtocol.Fetch fetch = ReplicationProtocol.decodeFetch(request);
                Optional<PartitionReplica> r = replica(fetch.partition());
                if (r.isPresent()) {
                    r.get().handleFetch(from, fetch, responder);
                } else {
                    responder.respond(ReplicationProtocol.encode(
                            ReplicationProtocol.FetchResponse.error(ReplicaError.NOT_LEADER, -1)));
                }
            }
            case ReplicationProtocol.PARTITION_STATE -> {
                ReplicationProtocol.decodePartitionStates(request).forEach(this::applyState);
                responder.respond(ReplicationProtocol.ack());
            }
            case ReplicationProtocol.HEARTBEAT -> {
                Heartbeat h = ReplicationProtocol.decodeHeartbeat(request);
                responder.respond(ReplicationProtocol.encode(controller == null
                        ? new HeartbeatResponse(ReplicaError.NOT_CONTROLLER, List.of())
                        : new HeartbeatResponse(ReplicaError.NONE,
                                controller.onHeartbeat(h.nodeId(), h.incarnation(), h.leaving()))));
            }
            case ReplicationProtocol.ALTER_PARTITION -> {
                ReplicationProtocol.AlterPartition a = ReplicationProtocol.decodeAlterPartition(request);
                responder.respond(ReplicationProtocol.encode(controller == null
                        ? new ReplicationProtocol.AlterPartitionResponse(ReplicaError.NOT_CONTROLLER, a.base())
                        : controller.onAlterPartition(a)));
            }
            default -> LOG.warn("node {}: unknown replication request kind {} from node {}", ctx.nodeId(), kind, from);
        }
    }

    /** Takes a partition state from the controller: opens the copy if this node is newly a replica. */
    private void applyState(PartitionState state) {
        if (!state.replicas().contains(ctx.nodeId())) {
            return;
        }
        PartitionReplica r;
        synchronized (this) {
            if (closed || left) {
                return;
            }
            r = replicas.get(state.partition());
            if (r == null) {
                ReplicaLog copy = openCopy.apply(state.partition());
                if (copy == null) {
                    return; // not ready here yet: the state comes again with a heartbeat, or when republished
                }
                r = new PartitionReplica(ctx, copy);
                r.minInsyncReplicas(minInsync.getOrDefault(state.partition(), 1));
                replicas.put(state.partition(), r);
            }
        }
        r.apply(state);
    }

    /** Sends a changed state to its replicas (the controller's own node applies it directly). */
    private void publish(PartitionState state) {
        ByteBuffer message = ReplicationProtocol.encodePartitionStates(List.of(state));
        for (int id : state.replicas()) {
            if (id == ctx.nodeId()) {
                applyState(state);
            } else {
                // Fire and forget: a lost message is made good by the node's next heartbeat.
                ctx.endpoint().send(id, message, ctx.config().requestTimeoutMs(), (response, failure) -> { });
            }
        }
    }

    private void sendHeartbeat() {
        synchronized (this) {
            if (closed || left) {
                return;
            }
            heartbeat = ctx.scheduler().schedule(ctx.config().heartbeatIntervalMs(), this::sendHeartbeat);
        }
        if (controller != null) {
            controller.onHeartbeat(ctx.nodeId(), incarnation, false).forEach(this::applyState);
            return;
        }
        synchronized (this) {
            if (!closed) { // as in leave(): never send on an endpoint that close() detached meanwhile
                ctx.endpoint().send(ctx.controllerId(),
                        ReplicationProtocol.encode(new Heartbeat(ctx.nodeId(), incarnation, false)),
                        ctx.config().requestTimeoutMs(), this::onHeartbeatResponse);
            }
        }
    }

    /**
     * Takes this node out of replication because its storage failed: its copies stop leading and
     * fetching, its heartbeats stop, and the controller is asked to take it for dead now (it also
     * would once the session times out, if the request is lost). The node stays attached, so
     * fetches sent to it are answered that it leads nothing.
     */
    public void leave() {
        List<PartitionReplica> leaving;
        synchronized (this) {
            if (closed || left) {
                return;
            }
            left = true;
            if (heartbeat != null) {
                heartbeat.cancel();
            }
            leaving = new ArrayList<>(replicas.values());
        }
        LOG.error("node {} leaves replication: a copy's storage failed", ctx.nodeId());
        leaving.forEach(PartitionReplica::close);
        if (controller != null) {
            controller.onHeartbeat(ctx.nodeId(), incarnation, true);
            return;
        }
        synchronized (this) {
            // A close() since the check above detaches the endpoint, and a send then throws: the
            // node is going anyway, and the append whose failed write called leave() must get its
            // own error, not the endpoint's. close() marks the node closed under this monitor
            // before it detaches the endpoint, so the send runs only while the endpoint is open.
            if (!closed) {
                ctx.endpoint().send(ctx.controllerId(),
                        ReplicationProtocol.encode(new Heartbeat(ctx.nodeId(), incarnation, true)),
                        ctx.config().requestTimeoutMs(), (response, failure) -> { });
            }
        }
    }

    /** Whether this node left replication ({@link #leave}). */
    public synchronized boolean hasLeft() {
        return left;
    }

    private void onHeartbeatResponse(ByteBuffer response, TransportException failure) {
        if (failure != null) {
            return; // the next heartbeat tries again
        }
        HeartbeatResponse answer = ReplicationProtocol.decodeHeartbeatResponse(response);
        if (answer.error() == ReplicaError.NOT_CONTROLLER) {
            LOG.warn("node {}: node {} says it is not the controller", ctx.nodeId(), ctx.controllerId());
            return;
        }
        answer.states().forEach(this::applyState);
    }

    /** Stops heartbeats and fetches and closes this node's copies; the node drops off the transport. */
    @Override
    public void close() {
        List<PartitionReplica> closing;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (heartbeat != null) {
                heartbeat.cancel();
            }
            closing = new ArrayList<>(replicas.values());
        }
        if (controller != null) {
            controller.close();
        }
        closing.forEach(PartitionReplica::close);
        ctx.endpoint().close();
    }
}
