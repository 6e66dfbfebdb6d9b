package dev.cairn.server.kafka;

import dev.cairn.log.ExternalGroup;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.JoinGroupResponseData.JoinGroupResponseMember;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;

/**
 * One consumer group of Kafka's classic protocol (JoinGroup, SyncGroup, Heartbeat, LeaveGroup):
 * its state, generation, chosen protocol, leader and members, as the {@link ClassicGroupCoordinator}
 * moves them. Kafka's states: {@code Empty -> PreparingRebalance -> CompletingRebalance -> Stable},
 * back to PreparingRebalance when a member joins, leaves, changes its protocols or times out.
 *
 * <p>Invariants: while the group has members (or members that were given an id and have not
 * joined with it yet) it holds the log's group ({@link #hold}); a group that empties is dropped
 * by the coordinator, so no group here is Empty for long. The leader, when set, is a member. Every
 * member supports the chosen protocol.
 *
 * <p>Not thread-safe: guarded by the coordinator's lock.
 */
final class ClassicGroup {
    /** Kafka's names of the states, as ListGroups and DescribeGroups report them. */
    enum State {
        EMPTY("Empty"), PREPARING_REBALANCE("PreparingRebalance"), COMPLETING_REBALANCE("CompletingRebalance"),
        STABLE("Stable"), DEAD("Dead");

        final String kafkaName;

        State(String kafkaName) {
            this.kafkaName = kafkaName;
        }
    }

    /** A member, between its JoinGroup and its leave or expiry. */
    static final class Member {
        final ClassicGroup group;
        final String memberId;
        final String instanceId;
        String clientId;
        int sessionTimeoutMs;
        int rebalanceTimeoutMs;
        /** The protocols it supports, by name, in its order of preference, with their metadata. */
        LinkedHashMap<String, byte[]> protocols;
        byte[] assignment = new byte[0];
        /** Its JoinGroup, parked until the join phase completes; null when none waits. */
        CompletableFuture<JoinGroupResponseData> awaitingJoin;
        /** Its SyncGroup, parked until the leader's assignment; null when none waits. */
        CompletableFuture<SyncGroupResponseData> awaitingSync;
        long lastHeartbeatNanos;
        boolean expiryScheduled;

        Member(ClassicGroup group, String memberId, String instanceId) {
            this.group = group;
            this.memberId = memberId;
            this.instanceId = instanceId;
        }

        boolean matches(LinkedHashMap<String, byte[]> others) {
            if (!protocols.keySet().equals(others.keySet()) || !List.copyOf(protocols.keySet())
                    .equals(List.copyOf(others.keySet()))) {
                return false;
            }
            for (Map.Entry<String, byte[]> e : protocols.entrySet()) {
                if (!java.util.Arrays.equals(e.getValue(), others.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
    }

    final String groupId;
    State state = State.EMPTY;
    int generation;
    String protocolType;
    String protocolName;
    String leaderId;
    final LinkedHashMap<String, Member> members = new LinkedHashMap<>();
    /** Static members: group.instance.id to the member id it has now. */
    final Map<String, String> staticMembers = new HashMap<>();
    /** Member ids handed out with MEMBER_ID_REQUIRED whose JoinGroup with them has not come yet. */
    final Set<String> pendingMembers = new HashSet<>();
    /** Members of this generation that have not sent their SyncGroup yet. */
    final Set<String> pendingSync = new HashSet<>();
    /** The log's hold of the group, while it has members. */
    ExternalGroup hold;
    /** Counts rebalances, so a timer set for an earlier one does nothing. */
    long rebalanceSeq;
    /** While the first join phase after Empty waits group.initial.rebalance.delay.ms for more members. */
    boolean initialDelay;
    /** Whether a member joined during the current initial delay (which is then extended). */
    boolean newMemberAdded;
    long rebalanceDeadlineNanos;

    ClassicGroup(String groupId) {
        this.groupId = groupId;
    }

    boolean isIn(State s) {
        return state == s;
    }

    /** Kafka's check of a joining member's protocols: of the group's type, one supported by all. */
    boolean supportsProtocols(String type, Set<String> names) {
        if (members.isEmpty()) {
            return !type.isEmpty() && !names.isEmpty();
        }
        if (!type.equals(protocolType)) {
            return false;
        }
        for (String name : names) {
            if (members.values().stream().allMatch(m -> m.protocols.containsKey(name))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Kafka's choice of protocol: among those every member supports, each member votes for the
     * first of its own list; the most votes win (ties: the leader's preference).
     */
    String selectProtocol() {
        Set<String> candidates = null;
        for (Member m : members.values()) {
            if (candidates == null) {
                candidates = new java.util.LinkedHashSet<>(m.protocols.keySet());
            } else {
                candidates.retainAll(m.protocols.keySet());
            }
        }
        Map<String, Integer> votes = new LinkedHashMap<>();
        Member leader = members.get(leaderId);
        if (leader != null) {
            for (String name : leader.protocols.keySet()) {
                if (candidates.contains(name)) {
                    votes.put(name, 0);
                }
            }
        }
        for (Member m : members.values()) {
            for (String name : m.protocols.keySet()) {
                if (candidates.contains(name)) {
                    votes.merge(name, 1, Integer::sum);
                    break;
                }
            }
        }
        String best = null;
        int most = -1;
        for (Map.Entry<String, Integer> e : votes.entrySet()) {
            if (e.getValue() > most) {
                best = e.getKey();
                most = e.getValue();
            }
        }
        return best;
    }

    /** Every member has sent its JoinGroup for this rebalance, and every member id handed out has joined. */
    boolean allJoined() {
        return pendingMembers.isEmpty() && members.values().stream().allMatch(m -> m.awaitingJoin != null);
    }

    /** The largest rebalance timeout of the members: how long a join phase waits for them all. */
    int rebalanceTimeoutMs() {
        int max = 0;
        for (Member m : members.values()) {
            max = Math.max(max, m.rebalanceTimeoutMs);
        }
        return max;
    }

    /** The member a request names, or null if the member id (or the instance id's member) is unknown. */
    Member member(String memberId) {
        return members.get(memberId);
    }

    /** The JoinGroup answer of the current generation for {@code m}: the leader's carries every member's metadata. */
    JoinGroupResponseData joinResponse(Member m) {
        JoinGroupResponseData response = new JoinGroupResponseData().setGenerationId(generation)
                .setProtocolType(protocolType).setProtocolName(protocolName).setLeader(leaderId)
                .setMemberId(m.memberId);
        if (m.memberId.equals(leaderId)) {
            for (Member each : members.values()) {
                response.members().add(new JoinGroupResponseMember().setMemberId(each.memberId)
                        .setGroupInstanceId(each.instanceId).setMetadata(each.protocols.get(protocolName)));
            }
        }
        return response;
    }

    /** The SyncGroup answer for {@code m}: its assignment. */
    SyncGroupResponseData syncResponse(Member m) {
        return new SyncGroupResponseData().setProtocolType(protocolType).setProtocolName(protocolName)
                .setAssignment(m.assignment);
    }

    /**
     * Kafka's check of a request's member: a static member's instance id must map to the member
     * id given ({@code FENCED_INSTANCE_ID} otherwise), a dynamic member must be in the group.
     */
    Errors validateMember(String memberId, String instanceId) {
        if (instanceId != null) {
            String id = staticMembers.get(instanceId);
            if (id == null) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
            return id.equals(memberId) ? Errors.NONE : Errors.FENCED_INSTANCE_ID;
        }
        return members.containsKey(memberId) ? Errors.NONE : Errors.UNKNOWN_MEMBER_ID;
    }

    /** Removes a member, failing what it has parked, and picks another leader if it led. */
    void forget(Member m) {
        members.remove(m.memberId);
        if (m.instanceId != null) {
            staticMembers.remove(m.instanceId, m.memberId);
        }
        pendingSync.remove(m.memberId);
        fail(m, Errors.UNKNOWN_MEMBER_ID);
        if (m.memberId.equals(leaderId)) {
            leaderId = members.values().stream().filter(o -> o.awaitingJoin != null).map(o -> o.memberId)
                    .findFirst().orElse(members.isEmpty() ? null : members.keySet().iterator().next());
        }
    }

    /** Answers the member's parked requests with {@code error}. */
    static void fail(Member m, Errors error) {
        if (m == null) {
            return;
        }
        if (m.awaitingJoin != null) {
            CompletableFuture<JoinGroupResponseData> join = m.awaitingJoin;
            m.awaitingJoin = null;
            join.complete(errorJoin(error, m.memberId));
        }
        if (m.awaitingSync != null) {
            CompletableFuture<SyncGroupResponseData> sync = m.awaitingSync;
            m.awaitingSync = null;
            sync.complete(new SyncGroupResponseData().setErrorCode(error.code()));
        }
    }

    static JoinGroupResponseData errorJoin(Errors error, String memberId) {
        return new JoinGroupResponseData().setErrorCode(error.code()).setGenerationId(-1).setMemberId(memberId)
                .setLeader("").setProtocolName(null);
    }

}
