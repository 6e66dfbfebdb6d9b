package dev.cairn.server.kafka;

import dev.cairn.common.CairnException;
import dev.cairn.log.InconsistentGroupProtocolException;
import dev.cairn.log.Log;
import dev.cairn.server.kafka.ClassicGroup.Member;
import dev.cairn.server.kafka.ClassicGroup.State;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * The group coordinator of Kafka's classic consumer group protocol, as a Kafka broker runs it:
 * members join (JoinGroup), the coordinator waits until every known member has rejoined or the
 * rebalance timeout passes (dropping those that did not), starts a generation, picks the protocol
 * (assignor) all members support, makes one member the leader and gives it everyone's metadata;
 * the leader computes the assignment on its side and sends it with its SyncGroup, which the
 * coordinator hands to each member. Heartbeats keep a member's session; a member whose session
 * times out, or that leaves, starts a rebalance.
 *
 * <p>JoinGroup and SyncGroup responses are parked futures, completed when the phase ends; no
 * thread waits. Timers (session timeouts, rebalance and sync deadlines, the initial rebalance
 * delay) are tasks on the server's one timer; a timer that fires late or for an earlier rebalance
 * finds the state moved on and does nothing.
 *
 * <p>While a group has members it holds the log's group ({@link Log#holdGroup}): the log then
 * refuses Java-API members and admin changes, describes the group as published here, and stores
 * its members' commits. A JoinGroup for a group with live Java-API members gets
 * {@code INCONSISTENT_GROUP_PROTOCOL}. A group whose last member leaves is dropped (its committed
 * offsets stay in the log), and its hold closed.
 *
 * <p>Thread-safe: every operation is synchronized on the coordinator. It calls into the log (holds,
 * commits) under its lock; the log never calls back, so there is no lock cycle.
 */
final class ClassicGroupCoordinator {
    private final Log log;
    private final ScheduledExecutorService timer;
    private final KafkaServerOptions options;
    private final Map<String, ClassicGroup> groups = new LinkedHashMap<>();
    private boolean closed;

    /** A JoinGroup's fields, version differences settled by the caller. */
    record JoinRequest(String groupId, String memberId, String instanceId, String clientId, int sessionTimeoutMs,
            int rebalanceTimeoutMs, String protocolType, LinkedHashMap<String, byte[]> protocols,
            boolean requireKnownMemberId) {
    }

    ClassicGroupCoordinator(Log log, ScheduledExecutorService timer, KafkaServerOptions options) {
        this.log = log;
        this.timer = timer;
        this.options = options;
    }

    synchronized CompletableFuture<JoinGroupResponseData> join(JoinRequest r) {
        if (r.groupId() == null || r.groupId().isEmpty()) {
            return joinError(Errors.INVALID_GROUP_ID, r.memberId());
        }
        if (r.sessionTimeoutMs() < options.groupMinSessionTimeoutMs()
                || r.sessionTimeoutMs() > options.groupMaxSessionTimeoutMs()) {
            return joinError(Errors.INVALID_SESSION_TIMEOUT, r.memberId());
        }
        if (closed) {
            return joinError(Errors.COORDINATOR_NOT_AVAILABLE, r.memberId());
        }
        ClassicGroup existingGroup = groups.get(r.groupId());
        if (existingGroup == null && !r.memberId().isEmpty()) {
            return joinError(Errors.UNKNOWN_MEMBER_ID, r.memberId());
        }
        ClassicGroup g = existingGroup != null ? existingGroup : new ClassicGroup(r.groupId());
        if (!g.supportsProtocols(r.protocolType(), r.protocols().keySet())) {
            return joinError(Errors.INCONSISTENT_GROUP_PROTOCOL, r.memberId());
        }
        if (g.hold == null) {
            try {
                g.hold = log.holdGroup(g.groupId);
            } catch (InconsistentGroupProtocolException e) {
                return joinError(Errors.INCONSISTENT_GROUP_PROTOCOL, r.memberId());
            } catch (CairnException e) {
                return joinError(Errors.COORDINATOR_NOT_AVAILABLE, r.memberId());
            }
            groups.put(g.groupId, g);
        }
        CompletableFuture<JoinGroupResponseData> future = new CompletableFuture<>();
        if (r.memberId().isEmpty()) {
            String newId = (r.clientId() == null ? "" : r.clientId()) + "-" + UUID.randomUUID();
            String existing = r.instanceId() == null ? null : g.staticMembers.get(r.instanceId());
            if (existing != null) {
                // A static member restarted: it takes over its old membership under a new id, and
                // whatever the old id had parked is fenced.
                Member old = g.members.remove(existing);
                ClassicGroup.fail(old, Errors.FENCED_INSTANCE_ID);
                g.pendingSync.remove(existing);
                if (g.isIn(State.STABLE) && !existing.equals(g.leaderId) && old.matches(r.protocols())) {
                    // As Kafka: a follower that comes back with the same protocols keeps its
                    // assignment, without a rebalance; it syncs to get it.
                    Member m = new Member(g, newId, r.instanceId());
                    update(m, r, future);
                    m.awaitingJoin = null;
                    m.assignment = old.assignment;
                    g.members.put(newId, m);
                    g.staticMembers.put(r.instanceId(), newId);
                    heartbeat(m);
                    future.complete(g.joinResponse(m));
                    publish(g);
                    return future;
                }
                if (existing.equals(g.leaderId)) {
                    g.leaderId = newId;
                }
                addMember(g, newId, r, future);
            } else if (r.instanceId() == null && r.requireKnownMemberId()) {
                g.pendingMembers.add(newId);
                schedule(() -> expirePending(g, newId), r.sessionTimeoutMs());
                return joinError(Errors.MEMBER_ID_REQUIRED, newId);
            } else {
                addMember(g, newId, r, future);
            }
            return future;
        }
        if (g.pendingMembers.remove(r.memberId())) {
            addMember(g, r.memberId(), r, future);
            return future;
        }
        Errors invalid = g.validateMember(r.memberId(), r.instanceId());
        if (invalid != Errors.NONE) {
            dropIfUnused(g);
            return joinError(invalid, r.memberId());
        }
        Member m = g.members.get(r.memberId());
        switch (g.state) {
            case PREPARING_REBALANCE -> {
                update(m, r, future);
                maybeCompleteJoin(g);
            }
            case COMPLETING_REBALANCE -> {
                if (m.matches(r.protocols())) {
                    // A resent JoinGroup (the response was lost): the same answer again.
                    future.complete(g.joinResponse(m));
                } else {
                    update(m, r, future);
                    prepareRebalance(g);
                }
            }
            case STABLE -> {
                if (m.memberId.equals(g.leaderId) || !m.matches(r.protocols())) {
                    // The leader rejoins to rebalance (its subscription may have changed what to assign).
                    update(m, r, future);
                    prepareRebalance(g);
                } else {
                    future.complete(g.joinResponse(m));
                }
            }
            default -> future.complete(ClassicGroup.errorJoin(Errors.UNKNOWN_MEMBER_ID, r.memberId()));
        }
        return future;
    }

    private void addMember(ClassicGroup g, String memberId, JoinRequest r, CompletableFuture<JoinGroupResponseData> future) {
        Member m = new Member(g, memberId, r.instanceId());
        update(m, r, future);
        g.members.put(memberId, m);
        if (r.instanceId() != null) {
            g.staticMembers.put(r.instanceId(), memberId);
        }
        if (g.members.size() == 1) {
            g.protocolType = r.protocolType();
        }
        if (g.leaderId == null) {
            g.leaderId = memberId;
        }
        g.newMemberAdded = true;
        if (g.isIn(State.PREPARING_REBALANCE)) {
            maybeCompleteJoin(g);
        } else {
            prepareRebalance(g);
        }
    }

    private void update(Member m, JoinRequest r, CompletableFuture<JoinGroupResponseData> future) {
        if (m.awaitingJoin != null && m.awaitingJoin != future) {
            // The member sent another JoinGroup (on a new connection, say): the old one is over.
            m.awaitingJoin.complete(ClassicGroup.errorJoin(Errors.REBALANCE_IN_PROGRESS, m.memberId));
        }
        m.clientId = r.clientId();
        m.sessionTimeoutMs = r.sessionTimeoutMs();
        m.rebalanceTimeoutMs = r.rebalanceTimeoutMs();
        m.protocols = r.protocols();
        m.awaitingJoin = future;
        future.whenComplete((response, error) -> {
            if (error instanceof CancellationException) {
                unparked(m, future);
            }
        });
    }

    /** A parked request's connection closed: the member stays, and its session runs from now. */
    private synchronized void unparked(Member m, CompletableFuture<?> future) {
        if (m.awaitingJoin == future) {
            m.awaitingJoin = null;
        }
        if (m.awaitingSync == future) {
            m.awaitingSync = null;
        }
        heartbeat(m);
    }

    /** Enters PreparingRebalance: parked SyncGroups are told to rejoin, and the join phase starts. */
    private void prepareRebalance(ClassicGroup g) {
        if (g.isIn(State.COMPLETING_REBALANCE)) {
            for (Member m : g.members.values()) {
                m.assignment = new byte[0];
                if (m.awaitingSync != null) {
                    CompletableFuture<SyncGroupResponseData> sync = m.awaitingSync;
                    m.awaitingSync = null;
                    sync.complete(new SyncGroupResponseData().setErrorCode(Errors.REBALANCE_IN_PROGRESS.code()));
                }
            }
        }
        boolean fromEmpty = g.isIn(State.EMPTY);
        g.state = State.PREPARING_REBALANCE;
        g.pendingSync.clear();
        long seq = ++g.rebalanceSeq;
        int timeoutMs = g.rebalanceTimeoutMs();
        g.rebalanceDeadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        publish(g);
        if (fromEmpty && options.groupInitialRebalanceDelayMs() > 0) {
            // Kafka's group.initial.rebalance.delay.ms: wait for more members before the first
            // generation, extended while they keep coming, up to the rebalance timeout.
            g.initialDelay = true;
            g.newMemberAdded = false;
            schedule(() -> initialDelayOver(g, seq), Math.min(options.groupInitialRebalanceDelayMs(), timeoutMs));
            return;
        }
        g.initialDelay = false;
        schedule(() -> rebalanceTimedOut(g, seq), timeoutMs);
        maybeCompleteJoin(g);
    }

    private synchronized void initialDelayOver(ClassicGroup g, long seq) {
        if (g.rebalanceSeq != seq || !g.isIn(State.PREPARING_REBALANCE) || !g.initialDelay) {
            return;
        }
        long remainingMs = TimeUnit.NANOSECONDS.toMillis(g.rebalanceDeadlineNanos - System.nanoTime());
        if (g.newMemberAdded && remainingMs > 0) {
            g.newMemberAdded = false;
            schedule(() -> initialDelayOver(g, seq), Math.min(options.groupInitialRebalanceDelayMs(), remainingMs));
            return;
        }
        g.initialDelay = false;
        completeJoin(g);
    }

    private synchronized void rebalanceTimedOut(ClassicGroup g, long seq) {
        if (g.rebalanceSeq == seq && g.isIn(State.PREPARING_REBALANCE) && !g.initialDelay) {
            completeJoin(g);
        }
    }

    private void maybeCompleteJoin(ClassicGroup g) {
        if (g.isIn(State.PREPARING_REBALANCE) && !g.initialDelay && g.allJoined()) {
            completeJoin(g);
        }
    }

    /**
     * Ends the join phase: members that did not rejoin are dropped; the rest get the new
     * generation, the leader with everyone's metadata. A group left without members is dropped.
     */
    private void completeJoin(ClassicGroup g) {
        g.rebalanceSeq++;
        for (Member m : List.copyOf(g.members.values())) {
            if (m.awaitingJoin == null) {
                g.forget(m);
            }
        }
        g.generation++;
        if (g.members.isEmpty()) {
            g.state = State.EMPTY;
            g.protocolName = null;
            if (g.pendingMembers.isEmpty()) {
                drop(g);
            }
            return;
        }
        if (!g.members.containsKey(g.leaderId)) {
            g.leaderId = g.members.keySet().iterator().next();
        }
        g.protocolName = g.selectProtocol();
        g.state = State.COMPLETING_REBALANCE;
        g.pendingSync.clear();
        g.pendingSync.addAll(g.members.keySet());
        long seq = g.rebalanceSeq;
        int generation = g.generation;
        schedule(() -> syncTimedOut(g, seq, generation), g.rebalanceTimeoutMs());
        for (Member m : g.members.values()) {
            CompletableFuture<JoinGroupResponseData> join = m.awaitingJoin;
            m.awaitingJoin = null;
            heartbeat(m);
            join.complete(g.joinResponse(m));
        }
        publish(g);
    }

    /** Members that did not send their SyncGroup within the rebalance timeout are dropped. */
    private synchronized void syncTimedOut(ClassicGroup g, long seq, int generation) {
        if (g.rebalanceSeq != seq || g.generation != generation || g.pendingSync.isEmpty()
                || !(g.isIn(State.COMPLETING_REBALANCE) || g.isIn(State.STABLE))) {
            return;
        }
        for (String id : List.copyOf(g.pendingSync)) {
            Member m = g.members.get(id);
            if (m != null) {
                g.forget(m);
            }
        }
        prepareRebalance(g);
    }

    synchronized CompletableFuture<SyncGroupResponseData> sync(String groupId, int generation, String memberId,
            String instanceId, String protocolType, String protocolName, Map<String, byte[]> assignments) {
        ClassicGroup g = groups.get(groupId);
        Errors error = g == null ? Errors.UNKNOWN_MEMBER_ID : g.validateMember(memberId, instanceId);
        if (error == Errors.NONE && generation != g.generation) {
            error = Errors.ILLEGAL_GENERATION;
        }
        if (error == Errors.NONE && ((protocolType != null && !protocolType.equals(g.protocolType))
                || (protocolName != null && !protocolName.equals(g.protocolName)))) {
            error = Errors.INCONSISTENT_GROUP_PROTOCOL;
        }
        if (error == Errors.NONE && g.isIn(State.PREPARING_REBALANCE)) {
            error = Errors.REBALANCE_IN_PROGRESS;
        }
        if (error != Errors.NONE) {
            return CompletableFuture.completedFuture(new SyncGroupResponseData().setErrorCode(error.code()));
        }
        Member m = g.members.get(memberId);
        g.pendingSync.remove(memberId);
        heartbeat(m);
        if (g.isIn(State.STABLE)) {
            return CompletableFuture.completedFuture(g.syncResponse(m));
        }
        CompletableFuture<SyncGroupResponseData> future = new CompletableFuture<>();
        m.awaitingSync = future;
        future.whenComplete((response, e) -> {
            if (e instanceof CancellationException) {
                unparked(m, future);
            }
        });
        if (memberId.equals(g.leaderId)) {
            for (Member each : g.members.values()) {
                byte[] assignment = assignments.get(each.memberId);
                each.assignment = assignment == null ? new byte[0] : assignment;
            }
            g.state = State.STABLE;
            for (Member each : g.members.values()) {
                if (each.awaitingSync != null) {
                    CompletableFuture<SyncGroupResponseData> parked = each.awaitingSync;
                    each.awaitingSync = null;
                    parked.complete(g.syncResponse(each));
                }
            }
            publish(g);
        }
        return future;
    }

    synchronized Errors heartbeat(String groupId, int generation, String memberId, String instanceId) {
        ClassicGroup g = groups.get(groupId);
        if (g == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        Errors error = g.validateMember(memberId, instanceId);
        if (error != Errors.NONE) {
            return error;
        }
        if (generation != g.generation) {
            return Errors.ILLEGAL_GENERATION;
        }
        heartbeat(g.members.get(memberId));
        return g.isIn(State.PREPARING_REBALANCE) ? Errors.REBALANCE_IN_PROGRESS : Errors.NONE;
    }

    /**
     * Removes the member (by id, or by instance id for a static one); null if the group does not
     * exist, else the member's error.
     */
    synchronized Errors leave(String groupId, String memberId, String instanceId) {
        ClassicGroup g = groups.get(groupId);
        if (g == null) {
            return null;
        }
        Member m;
        if (instanceId != null) {
            String id = g.staticMembers.get(instanceId);
            if (id == null) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
            if (!memberId.isEmpty() && !memberId.equals(id)) {
                return Errors.FENCED_INSTANCE_ID;
            }
            m = g.members.get(id);
        } else if (g.pendingMembers.remove(memberId)) {
            maybeCompleteJoin(g);
            dropIfUnused(g);
            return Errors.NONE;
        } else {
            m = g.members.get(memberId);
            if (m == null) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
        }
        remove(g, m);
        return Errors.NONE;
    }

    /**
     * Runs {@code action} on the group named (null if there is none) under the coordinator's lock,
     * so no member joins or leaves meanwhile: offset commits, admin calls.
     */
    synchronized <T> T withGroup(String groupId, Function<ClassicGroup, T> action) {
        return action.apply(groups.get(groupId));
    }

    /** Removes a member (it left, or its session expired) and rebalances the others. */
    private void remove(ClassicGroup g, Member m) {
        g.forget(m);
        switch (g.state) {
            case STABLE, COMPLETING_REBALANCE -> prepareRebalance(g);
            case PREPARING_REBALANCE -> maybeCompleteJoin(g);
            default -> {
            }
        }
        publish(g);
    }

    /** Refreshes the member's session and makes sure a timer will look at it. */
    private void heartbeat(Member m) {
        m.lastHeartbeatNanos = System.nanoTime();
        if (!m.expiryScheduled) {
            m.expiryScheduled = true;
            schedule(() -> checkSession(m.group, m), m.sessionTimeoutMs);
        }
    }

    /**
     * The session timer of a member: removes it if it has not been heard from within its session
     * timeout and has no request parked; else looks again when its session would next end.
     */
    private synchronized void checkSession(ClassicGroup g, Member m) {
        m.expiryScheduled = false;
        if (groups.get(g.groupId) != g || g.members.get(m.memberId) != m) {
            return;
        }
        long idleNanos = System.nanoTime() - m.lastHeartbeatNanos;
        long sessionNanos = TimeUnit.MILLISECONDS.toNanos(m.sessionTimeoutMs);
        if (m.awaitingJoin == null && m.awaitingSync == null && idleNanos >= sessionNanos) {
            remove(g, m);
            return;
        }
        m.expiryScheduled = true;
        long waitMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(sessionNanos - Math.min(idleNanos, sessionNanos)));
        schedule(() -> checkSession(g, m), m.awaitingJoin != null || m.awaitingSync != null ? m.sessionTimeoutMs : waitMs);
    }

    private synchronized void expirePending(ClassicGroup g, String memberId) {
        if (groups.get(g.groupId) == g && g.pendingMembers.remove(memberId)) {
            maybeCompleteJoin(g);
            dropIfUnused(g);
        }
    }

    /** Drops a group with neither members nor member ids handed out: the log's group is free again. */
    private void dropIfUnused(ClassicGroup g) {
        if (g.members.isEmpty() && g.pendingMembers.isEmpty() && g.isIn(State.EMPTY)) {
            drop(g);
        }
    }

    private void drop(ClassicGroup g) {
        g.state = State.DEAD;
        groups.remove(g.groupId, g);
        if (g.hold != null) {
            g.hold.close();
            g.hold = null;
        }
    }

    /** Tells the log how the group looks now, for Log.describeGroup. */
    private void publish(ClassicGroup g) {
        if (g.hold != null && !g.members.isEmpty()) {
            try {
                g.hold.describeAs(ConsumerMetadata.describe(g));
            } catch (IllegalStateException e) {
                // The log closed under the server: the hold is gone with it.
            }
        }
    }

    private void schedule(Runnable task, long delayMs) {
        try {
            timer.schedule(task, Math.max(0, delayMs), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // The server is closing: no timers, and no connections left to answer.
        }
    }

    private static CompletableFuture<JoinGroupResponseData> joinError(Errors error, String memberId) {
        return CompletableFuture.completedFuture(ClassicGroup.errorJoin(error, memberId));
    }

    /**
     * Ends every group as the server closes: parked requests are answered (their connections are
     * closing anyway) and the log's groups are given back, so Java-API consumers may join them
     * while the log stays open. Later JoinGroups get {@code COORDINATOR_NOT_AVAILABLE}. Idempotent.
     */
    synchronized void close() {
        closed = true;
        for (ClassicGroup g : List.copyOf(groups.values())) {
            for (Member m : g.members.values()) {
                ClassicGroup.fail(m, Errors.COORDINATOR_NOT_AVAILABLE);
            }
            drop(g);
        }
    }

    /** The groups with members now, for ListGroups. */
    synchronized List<String> groupIds() {
        return new ArrayList<>(groups.keySet());
    }
}
