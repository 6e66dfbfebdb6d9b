package dev.cairn.log.internal.replica;

import dev.cairn.cluster.Scheduler;
import dev.cairn.log.TopicPartition;
import dev.cairn.log.internal.replica.ReplicationProtocol.AlterPartition;
import dev.cairn.log.internal.replica.ReplicationProtocol.AlterPartitionResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller: the one authority on every replicated partition's {@link PartitionState}. It
 * learns which nodes are alive from their heartbeats, elects a leader from the in-sync set when a
 * leader's node dies (or, only if unclean election is on, from any live replica), takes leaders'
 * requests to change their in-sync sets when they are made from the current state, and publishes
 * every change to the partition's replicas.
 *
 * <p>A node that restarts comes back with a new incarnation; the controller treats it as having
 * died first (Kafka's broker epochs), so a copy that may have lost unsynced records in the crash
 * is out of the in-sync sets until it has caught up again.
 *
 * <p>The states are saved ({@link ControllerStore}) before any change is published, so a restarted
 * controller elects from the in-sync sets it last published. While the controller's node is down
 * no leader is elected and no in-sync set changes, but the partitions' leaders keep serving and
 * committing with the sets they have. After a restart it takes every node named in its states
 * for alive until that node misses a session's worth of heartbeats, and accepts each node's first
 * heartbeat as it comes (it cannot tell whether the node restarted while it was down).
 *
 * <p>Thread-safety: every method is synchronized; {@code publish} is called outside the monitor.
 */
final class Controller {
    private static final Logger LOG = LoggerFactory.getLogger(Controller.class);

    private final Scheduler scheduler;
    private final ReplicationConfig config;
    private final Consumer<PartitionState> publish;
    private final ControllerStore store;
    private Map<TopicPartition, PartitionState> partitions = new TreeMap<>();
    private final Map<Integer, NodeSession> nodes = new TreeMap<>();
    private boolean closed;

    /** The incarnation of a node this controller has not heard from since it started. */
    private static final long UNKNOWN_INCARNATION = Long.MIN_VALUE;

    private static final class NodeSession {
        long incarnation = UNKNOWN_INCARNATION;
        /** Requests from this incarnation or an older one are ignored: the node restarted, or lost its copies, since. */
        long fencedIncarnation = UNKNOWN_INCARNATION;
        long lastHeartbeatMs;
        boolean alive;
    }

    /**
     * @param store where the states are saved, and loaded from now
     * @param publish told every new state, to send to its replicas; called outside the controller's monitor
     */
    Controller(Scheduler scheduler, ReplicationConfig config, ControllerStore store, Consumer<PartitionState> publish) {
        this.scheduler = scheduler;
        this.config = config;
        this.store = store;
        this.publish = publish;
        long now = scheduler.nowMs();
        for (PartitionState s : store.load()) {
            partitions.put(s.partition(), s);
            for (int id : s.replicas()) {
                NodeSession session = nodes.computeIfAbsent(id, k -> new NodeSession());
                session.alive = true;
                session.lastHeartbeatMs = now;
            }
        }
        scheduleSessionCheck();
    }

    /**
     * Creates a partition on {@code replicas}, led by the first of them that is alive, with every
     * live replica in sync (a new partition is empty everywhere).
     *
     * @throws IllegalStateException if the partition exists or no replica is alive
     */
    PartitionState createPartition(TopicPartition partition, List<Integer> replicas) {
        PartitionState created;
        synchronized (this) {
            if (partitions.containsKey(partition)) {
                throw new IllegalStateException("partition " + partition + " already exists");
            }
            List<Integer> live = replicas.stream().filter(this::isAlive).toList();
            if (live.isEmpty()) {
                throw new IllegalStateException("no replica of " + partition + " among " + replicas + " is alive");
            }
            created = new PartitionState(partition, live.get(0), 0, 0, replicas, live);
            Map<TopicPartition, PartitionState> next = new TreeMap<>(partitions);
            next.put(partition, created);
            store.save(new ArrayList<>(next.values()));
            partitions = next;
        }
        publish.accept(created);
        return created;
    }

    /** Forgets {@code partition} (its topic was deleted); its replicas drop their copies themselves. */
    synchronized void deletePartition(TopicPartition partition) {
        if (!partitions.containsKey(partition)) {
            return;
        }
        Map<TopicPartition, PartitionState> next = new TreeMap<>(partitions);
        next.remove(partition);
        store.save(new ArrayList<>(next.values()));
        partitions = next;
    }

    synchronized PartitionState state(TopicPartition partition) {
        return partitions.get(partition);
    }

    synchronized List<PartitionState> states() {
        return new ArrayList<>(partitions.values());
    }

    /** Whether {@code nodeId} is alive in incarnation {@code incarnation}. Monitor held. */
    private boolean isAliveAs(int nodeId, long incarnation) {
        NodeSession s = nodes.get(nodeId);
        return s != null && s.alive && s.incarnation == incarnation && incarnation > s.fencedIncarnation;
    }

    synchronized boolean isAlive(int nodeId) {
        NodeSession s = nodes.get(nodeId);
        return s != null && s.alive;
    }

    /**
     * A heartbeat from {@code nodeId}: keeps it alive, or, if it is {@code leaving}, takes it for
     * dead at once; returns the states of the partitions it holds.
     */
    List<PartitionState> onHeartbeat(int nodeId, long incarnation, boolean leaving) {
        List<PartitionState> changed = new ArrayList<>();
        List<PartitionState> hosted = new ArrayList<>();
        synchronized (this) {
            Map<TopicPartition, PartitionState> before = new TreeMap<>(partitions);
            NodeSession session = nodes.computeIfAbsent(nodeId, id -> new NodeSession());
            if (incarnation <= session.fencedIncarnation
                    || session.incarnation != UNKNOWN_INCARNATION && incarnation < session.incarnation) {
                return List.of(); // a late message of a process that has restarted since
            }
            if (leaving) {
                if (session.alive) {
                    LOG.info("node {} is leaving", nodeId);
                    markDead(nodeId, changed);
                    saveOrUndo(before, changed);
                }
                changed.forEach(publish);
                return List.of();
            }
            if (session.alive && session.incarnation != UNKNOWN_INCARNATION && session.incarnation != incarnation) {
                LOG.info("node {} restarted (incarnation {} after {})", nodeId, incarnation, session.incarnation);
                markDead(nodeId, changed);
                session.fencedIncarnation = session.incarnation;
            }
            session.incarnation = incarnation;
            session.lastHeartbeatMs = scheduler.nowMs();
            if (!session.alive) {
                session.alive = true;
                electWhereLeaderless(changed);
            }
            saveOrUndo(before, changed);
            for (PartitionState s : partitions.values()) {
                if (s.replicas().contains(nodeId)) {
                    hosted.add(s);
                }
            }
        }
        changed.forEach(publish);
        return hosted;
    }

    /**
     * Node {@code nodeId} lost its copies (its storage was replaced by an empty one): it leaves
     * every in-sync set now, and new leaders are elected where it led, saved before this returns;
     * it comes back through its heartbeats, and rejoins the sets once it has caught up.
     *
     * @throws dev.cairn.common.StorageException if the change cannot be saved
     */
    void nodeLost(int nodeId) {
        List<PartitionState> changed = new ArrayList<>();
        synchronized (this) {
            NodeSession session = nodes.computeIfAbsent(nodeId, id -> new NodeSession());
            session.alive = true; // so markDead below takes it out of the sets
            markDead(nodeId, changed);
            // Whatever its current process still sends (a heartbeat, a fetch a leader counts) is
            // of the copies it lost: only a new incarnation may come back.
            session.fencedIncarnation = Math.max(session.fencedIncarnation, session.incarnation);
            if (!changed.isEmpty()) {
                store.save(new ArrayList<>(partitions.values()));
            }
        }
        changed.forEach(publish);
    }

    /** A leader's request to change its partition's in-sync set; accepted only if made from the current state. */
    AlterPartitionResponse onAlterPartition(AlterPartition request) {
        PartitionState accepted;
        synchronized (this) {
            PartitionState current = partitions.get(request.base().partition());
            if (current == null) {
                return new AlterPartitionResponse(ReplicaError.STALE_STATE, request.base());
            }
            boolean fromCurrent = current.leader() == request.leaderId()
                    && current.leaderEpoch() == request.base().leaderEpoch()
                    && current.partitionEpoch() == request.base().partitionEpoch();
            // A member that joins must be alive in the incarnation whose fetches the leader counted:
            // a dead node's last fetch may still be in flight, and a restarted one may have lost
            // what its former process had (Kafka's KIP-903).
            boolean eligible = request.newIsr().contains(request.leaderId())
                    && current.replicas().containsAll(request.newIsr())
                    && request.incarnations().size() == request.newIsr().size();
            for (int i = 0; eligible && i < request.newIsr().size(); i++) {
                int id = request.newIsr().get(i);
                eligible = current.isr().contains(id) || isAliveAs(id, request.incarnations().get(i));
            }
            if (closed || !fromCurrent || !eligible) {
                return new AlterPartitionResponse(ReplicaError.STALE_STATE, current);
            }
            accepted = current.withIsr(request.newIsr());
            Map<TopicPartition, PartitionState> next = new TreeMap<>(partitions);
            next.put(accepted.partition(), accepted);
            try {
                store.save(new ArrayList<>(next.values()));
            } catch (RuntimeException e) {
                LOG.error("{}: the in-sync set change to {} could not be saved; refused", current.partition(),
                        request.newIsr(), e);
                return new AlterPartitionResponse(ReplicaError.STALE_STATE, current);
            }
            partitions = next;
        }
        LOG.info("{}: in-sync set now {} (epoch {}.{})", accepted.partition(), accepted.isr(), accepted.leaderEpoch(),
                accepted.partitionEpoch());
        publish.accept(accepted);
        return new AlterPartitionResponse(ReplicaError.NONE, accepted);
    }

    private void scheduleSessionCheck() {
        scheduler.schedule(config.heartbeatIntervalMs(), this::checkSessions);
    }

    /** Takes nodes silent for longer than the session timeout for dead; reschedules itself. */
    private void checkSessions() {
        List<PartitionState> changed = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                return;
            }
            long now = scheduler.nowMs();
            Map<TopicPartition, PartitionState> before = new TreeMap<>(partitions);
            for (Map.Entry<Integer, NodeSession> e : nodes.entrySet()) {
                NodeSession s = e.getValue();
                if (s.alive && now - s.lastHeartbeatMs > config.sessionTimeoutMs()) {
                    LOG.info("node {} missed its heartbeats for {} ms: taken for dead", e.getKey(), now - s.lastHeartbeatMs);
                    markDead(e.getKey(), changed);
                }
            }
            saveOrUndo(before, changed);
            scheduleSessionCheck();
        }
        changed.forEach(publish);
    }

    /**
     * Saves the states after {@code changed} were made; if that fails, puts back the states of
     * {@code before} and forgets the changes (nodes stay marked as they are: the next heartbeat or
     * session check tries again). Monitor held.
     */
    private void saveOrUndo(Map<TopicPartition, PartitionState> before, List<PartitionState> changed) {
        if (changed.isEmpty()) {
            return;
        }
        try {
            store.save(new ArrayList<>(partitions.values()));
        } catch (RuntimeException e) {
            LOG.error("partition state changes could not be saved; not made: {}", changed, e);
            partitions = before;
            changed.clear();
        }
    }

    /**
     * Takes {@code nodeId} out of every in-sync set (never leaving one empty: the last member stays,
     * as the only copy known to be complete) and elects new leaders where it led. Monitor held.
     */
    private void markDead(int nodeId, List<PartitionState> changed) {
        nodes.get(nodeId).alive = false;
        for (PartitionState s : new ArrayList<>(partitions.values())) {
            if (!s.replicas().contains(nodeId)) {
                continue;
            }
            List<Integer> isr = s.isr().stream().filter(id -> id != nodeId).toList();
            PartitionState next;
            if (s.leader() == nodeId) {
                next = elect(s, isr.isEmpty() ? s.isr() : isr);
            } else if (s.isr().contains(nodeId) && !isr.isEmpty()) {
                next = s.withIsr(isr);
            } else {
                continue;
            }
            partitions.put(next.partition(), next);
            changed.add(next);
        }
    }

    /** Elects a leader for every partition without one, now that a node came back. Monitor held. */
    private void electWhereLeaderless(List<PartitionState> changed) {
        for (PartitionState s : new ArrayList<>(partitions.values())) {
            if (s.leader() == PartitionState.NO_LEADER) {
                PartitionState next = elect(s, s.isr());
                if (next.leader() != PartitionState.NO_LEADER) {
                    partitions.put(next.partition(), next);
                    changed.add(next);
                }
            }
        }
    }

    /**
     * A new epoch led by the first live member of {@code isr}; with none alive, by the first live
     * replica if unclean election is on (its in-sync set then only itself), else by no one.
     */
    private PartitionState elect(PartitionState s, List<Integer> isr) {
        for (int id : isr) {
            if (isAlive(id)) {
                return s.withLeader(id, isr);
            }
        }
        if (config.uncleanLeaderElection()) {
            for (int id : s.replicas()) {
                if (isAlive(id)) {
                    LOG.warn("{}: unclean election of node {}; records only the in-sync set {} had are lost",
                            s.partition(), id, s.isr());
                    return s.withLeader(id, List.of(id));
                }
            }
        }
        if (s.leader() == PartitionState.NO_LEADER) {
            return s;
        }
        LOG.warn("{}: no in-sync replica of {} is alive; the partition is offline until one returns", s.partition(),
                s.isr());
        return s.withLeader(PartitionState.NO_LEADER, isr);
    }

    synchronized void close() {
        closed = true;
    }
}
