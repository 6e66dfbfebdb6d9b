package dev.cairn.log.internal;

import dev.cairn.log.CommitFailedException;
import dev.cairn.log.ExternalGroup;
import dev.cairn.log.GroupDescription;
import dev.cairn.log.GroupNotEmptyException;
import dev.cairn.log.GroupState;
import dev.cairn.log.GroupSubscribedToTopicException;
import dev.cairn.log.InconsistentGroupProtocolException;
import dev.cairn.log.TopicPartition;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.ToIntFunction;

/**
 * Consumer groups: who is a member, which partitions each member should own, and who owns each
 * partition now.
 *
 * <p>Assignment: the subscribed topics' partitions, sorted, dealt round-robin over the members
 * (sorted by id) subscribed to each topic, as Kafka's round-robin assignor does.
 *
 * <p>Hand-over protocol (cooperative, in the spirit of Kafka's incremental rebalancing): a member
 * asks which of its partitions it must give up ({@link #revocations}), tells its listener, then
 * {@link #release}s them; only then can another member {@link #claim} them. So a partition never
 * has two owners, and its new owner starts from what the old one committed.
 *
 * <p>Liveness: a member joins on subscribe and leaves on close or unsubscribe; with a session
 * timeout, a member that has not synced for that long (log clock) is removed when any member of
 * its group syncs or commits, and its partitions released.
 *
 * <p>Fencing (Kafka's member id and generation): each membership gets a generation number, unique
 * in this coordinator, when it joins. A member removed by the session timeout that syncs again is
 * re-added under a new generation and told that all it owned is lost. A commit carries the
 * member's generation and is refused ({@link CommitFailedException}) unless that membership is
 * still live; the check and the commit's append happen under this coordinator's lock, so a member
 * cannot be expired, and its partitions claimed and read from their committed offsets by another,
 * between the two.
 *
 * <p>Held groups ({@link ExternalGroup}): a group whose members a front end manages is held
 * here while it has such members; it then has no Java-API member (a hold is refused while it has
 * one, and a Java-API join is refused while it is held), counts as live for the admin calls, and
 * is described as its holder last published. This coordinator never calls the holder, so the
 * holder may call in while holding its own locks.
 *
 * <p>Thread-safety: thread-safe; every method is synchronized on this coordinator.
 */
final class GroupCoordinator {
    private final ToIntFunction<String> partitionCount;
    private final InstantSource clock;
    private final AppendSignal signal;
    private final Map<String, Group> groups = new HashMap<>();
    private final Map<String, Hold> held = new HashMap<>();
    private long lastGeneration;

    private static final class Group {
        final TreeMap<String, Member> members = new TreeMap<>();
        final Map<TopicPartition, String> owners = new HashMap<>();
    }

    private static final class Member {
        final long generation;
        final Set<String> topics;
        final long sessionTimeoutMs;
        long lastSeenMs;

        Member(long generation, Set<String> topics, long sessionTimeoutMs, long nowMs) {
            this.generation = generation;
            this.topics = topics;
            this.sessionTimeoutMs = sessionTimeoutMs;
            this.lastSeenMs = nowMs;
        }
    }

    /**
     * What a member must do in a sync: give up {@code partitions}, which it has {@code lost} (its
     * membership expired; they may be owned by others already) or has to hand over; and use
     * {@code generation} from now on.
     */
    record Revocation(Set<TopicPartition> partitions, boolean lost, long generation) {
    }

    GroupCoordinator(ToIntFunction<String> partitionCount, InstantSource clock, AppendSignal signal) {
        this.partitionCount = partitionCount;
        this.clock = clock;
        this.signal = signal;
    }

    /**
     * Adds a member, or updates a live member's subscription (keeping its generation).
     *
     * @return the member's generation
     */
    synchronized long join(String group, String memberId, Set<String> topics, long sessionTimeoutMs) {
        refuseIfHeld(group);
        long nowMs = clock.millis();
        Group g = groups.computeIfAbsent(group, k -> new Group());
        expire(g, nowMs);
        Member old = g.members.get(memberId);
        long generation = old != null ? old.generation : ++lastGeneration;
        g.members.put(memberId, new Member(generation, Set.copyOf(topics), sessionTimeoutMs, nowMs));
        signal.signal();
        return generation;
    }

    /**
     * Changes the topics of the member of {@code generation} (a pattern subscription that matched
     * a new set), which moves the group's targets. Does nothing if that membership has ended: the
     * member's next {@link #revocations} re-adds it with its topics.
     */
    synchronized void resubscribe(String group, String memberId, long generation, Set<String> topics) {
        Group g = groups.get(group);
        Member me = g == null ? null : g.members.get(memberId);
        if (me != null && me.generation == generation) {
            Member updated = new Member(generation, Set.copyOf(topics), me.sessionTimeoutMs, me.lastSeenMs);
            g.members.put(memberId, updated);
            signal.signal();
        }
    }

    private void refuseIfHeld(String group) {
        if (held.containsKey(group)) {
            throw new InconsistentGroupProtocolException("cannot join group " + group + ": its live members joined"
                    + " over Kafka's protocol; a Java-API consumer may join once they have left");
        }
    }

    /**
     * Holds {@code group} for a front end; {@code commit} stores offsets for the hold.
     *
     * @throws InconsistentGroupProtocolException if the group has live members or is held already
     */
    synchronized ExternalGroup hold(String group, BiConsumer<String, Map<TopicPartition, Long>> commit) {
        Group g = groups.get(group);
        if (g != null) {
            expire(g, clock.millis());
            if (!g.members.isEmpty()) {
                throw new InconsistentGroupProtocolException("group " + group + " has live Java-API members "
                        + g.members.keySet() + "; members of another kind may join once they have left");
            }
            groups.remove(group);
        }
        if (held.containsKey(group)) {
            throw new InconsistentGroupProtocolException("group " + group + " is held already by another front end");
        }
        Hold hold = new Hold(group, commit);
        held.put(group, hold);
        return hold;
    }

    /** A front end's hold of a group; its methods synchronize on the coordinator. */
    private final class Hold implements ExternalGroup {
        private final String group;
        private final BiConsumer<String, Map<TopicPartition, Long>> store;
        private GroupDescription description;

        Hold(String group, BiConsumer<String, Map<TopicPartition, Long>> store) {
            this.group = group;
            this.store = store;
            this.description = new GroupDescription(group, GroupState.PREPARING_REBALANCE, "", List.of());
        }

        @Override
        public String groupId() {
            return group;
        }

        @Override
        public void describeAs(GroupDescription newDescription) {
            if (!newDescription.groupId().equals(group)) {
                throw new IllegalArgumentException("description of group " + newDescription.groupId()
                        + " given to the hold of group " + group);
            }
            synchronized (GroupCoordinator.this) {
                checkHeld();
                description = newDescription;
            }
        }

        @Override
        public void commit(Map<TopicPartition, Long> offsets) {
            synchronized (GroupCoordinator.this) {
                checkHeld();
                store.accept(group, offsets);
            }
        }

        @Override
        public void close() {
            synchronized (GroupCoordinator.this) {
                held.remove(group, this);
            }
        }

        private void checkHeld() {
            if (held.get(group) != this) {
                throw new IllegalStateException("the hold of group " + group + " was closed");
            }
        }
    }

    /** Removes a member and releases every partition it owns. */
    synchronized void leave(String group, String memberId) {
        Group g = groups.get(group);
        if (g == null) {
            return;
        }
        g.members.remove(memberId);
        g.owners.values().removeIf(memberId::equals);
        if (g.members.isEmpty()) {
            groups.remove(group);
        }
        signal.signal();
    }

    /**
     * The partitions of {@code owned} that the member of {@code generation} must give up: no
     * longer in its target, or, if that membership expired, all of them (lost). Re-adds an expired
     * member under a new generation. Counts as a heartbeat.
     */
    synchronized Revocation revocations(String group, String memberId, long generation, Set<String> topics,
            long sessionTimeoutMs, Set<TopicPartition> owned) {
        long nowMs = clock.millis();
        Group g = groups.computeIfAbsent(group, k -> new Group());
        expire(g, nowMs);
        Member me = g.members.get(memberId);
        if (me == null || me.generation != generation) {
            // Fenced: whatever it owned may be another member's now (expire released it).
            g.owners.values().removeIf(memberId::equals);
            if (held.containsKey(group)) {
                groups.remove(group, g);
                refuseIfHeld(group);
            }
            me = new Member(++lastGeneration, Set.copyOf(topics), sessionTimeoutMs, nowMs);
            g.members.put(memberId, me);
            signal.signal();
            return new Revocation(new LinkedHashSet<>(owned), true, me.generation);
        }
        me.lastSeenMs = nowMs;
        Set<TopicPartition> target = target(g, memberId);
        Set<TopicPartition> revoke = new LinkedHashSet<>();
        for (TopicPartition tp : owned) {
            if (!target.contains(tp) || !memberId.equals(g.owners.get(tp))) {
                revoke.add(tp);
            }
        }
        return new Revocation(revoke, false, generation);
    }

    /** Whether the member's membership of {@code generation} is still live (not expired, not left). */
    synchronized boolean isLive(String group, String memberId, long generation) {
        Group g = groups.get(group);
        if (g == null) {
            return false;
        }
        expire(g, clock.millis());
        Member me = g.members.get(memberId);
        return me != null && me.generation == generation;
    }

    /**
     * Runs {@code write} (the commit's append) if the member's membership of {@code generation}
     * is live, under this coordinator's lock so the membership cannot end during it.
     *
     * @throws CommitFailedException if the membership expired or was replaced
     */
    synchronized void commit(String group, String memberId, long generation, Runnable write) {
        if (!isLive(group, memberId, generation)) {
            throw new CommitFailedException("commit of group " + group + " refused: member " + memberId
                    + " (generation " + generation + ") is no longer in the group; its session expired (no poll"
                    + " within the session timeout) and its partitions may be reassigned; poll to rejoin");
        }
        write.run();
    }

    /** Gives up ownership of {@code partitions} (those the member still owns). */
    synchronized void release(String group, String memberId, Set<TopicPartition> partitions) {
        Group g = groups.get(group);
        if (g != null) {
            for (TopicPartition tp : partitions) {
                g.owners.remove(tp, memberId);
            }
        }
        signal.signal();
    }

    /** Takes every partition of the member's target that nobody owns; returns those newly taken. */
    synchronized Set<TopicPartition> claim(String group, String memberId, Set<TopicPartition> owned) {
        Group g = groups.get(group);
        Set<TopicPartition> claimed = new LinkedHashSet<>();
        if (g == null || !g.members.containsKey(memberId)) {
            return claimed;
        }
        for (TopicPartition tp : target(g, memberId)) {
            String owner = g.owners.get(tp);
            if (owner == null) {
                g.owners.put(tp, memberId);
                claimed.add(tp);
            } else if (owner.equals(memberId) && !owned.contains(tp)) {
                claimed.add(tp);
            }
        }
        return claimed;
    }

    private void expire(Group g, long nowMs) {
        List<String> expired = new ArrayList<>();
        g.members.forEach((id, m) -> {
            if (m.sessionTimeoutMs > 0 && nowMs - m.lastSeenMs > m.sessionTimeoutMs) {
                expired.add(id);
            }
        });
        for (String id : expired) {
            g.members.remove(id);
            g.owners.values().removeIf(id::equals);
        }
        if (!expired.isEmpty()) {
            signal.signal();
        }
    }

    private Set<TopicPartition> target(Group g, String memberId) {
        Set<String> allTopics = new TreeSet<>();
        g.members.values().forEach(m -> allTopics.addAll(m.topics));
        List<String> ids = new ArrayList<>(g.members.keySet());
        Set<TopicPartition> mine = new LinkedHashSet<>();
        int next = 0;
        for (String topic : allTopics) {
            int count = partitionCount.applyAsInt(topic);
            for (int p = 0; p < count; p++) {
                for (int tries = 0; tries < ids.size(); tries++) {
                    String id = ids.get(next % ids.size());
                    next++;
                    if (g.members.get(id).topics.contains(topic)) {
                        if (id.equals(memberId)) {
                            mine.add(new TopicPartition(topic, p));
                        }
                        break;
                    }
                }
            }
        }
        return mine;
    }

    /** Removes, from every group, the members whose session ended (log clock), releasing their partitions. */
    synchronized void expireSessions() {
        long nowMs = clock.millis();
        groups.values().forEach(g -> expire(g, nowMs));
    }

    /** The groups with live members (after expiring those whose session ended). */
    synchronized Set<String> liveGroups() {
        long nowMs = clock.millis();
        Set<String> live = new TreeSet<>();
        groups.forEach((name, g) -> {
            expire(g, nowMs);
            if (!g.members.isEmpty()) {
                live.add(name);
            }
        });
        live.addAll(held.keySet());
        return live;
    }

    /** Describes a group's live members; EMPTY with no members for a group without any. */
    synchronized GroupDescription describe(String group) {
        Hold hold = held.get(group);
        if (hold != null) {
            return hold.description;
        }
        Group g = groups.get(group);
        List<GroupDescription.Member> members = new ArrayList<>();
        boolean stable = true;
        if (g != null) {
            expire(g, clock.millis());
            for (Map.Entry<String, Member> e : g.members.entrySet()) {
                Set<TopicPartition> owned = new TreeSet<>();
                g.owners.forEach((tp, owner) -> {
                    if (owner.equals(e.getKey())) {
                        owned.add(tp);
                    }
                });
                stable &= owned.equals(new TreeSet<>(target(g, e.getKey())));
                members.add(new GroupDescription.Member(e.getKey(), e.getValue().topics, owned));
            }
        }
        GroupState state = members.isEmpty() ? GroupState.EMPTY
                : stable ? GroupState.STABLE : GroupState.PREPARING_REBALANCE;
        return new GroupDescription(group, state, GroupDescription.ROUND_ROBIN, members);
    }

    /**
     * Runs {@code change} (an admin change of the group's offsets) if the group has no live
     * member, under this coordinator's lock, so no member can join and commit during it.
     *
     * @throws GroupNotEmptyException if it has live members
     */
    synchronized void whileEmpty(String group, String what, Runnable change) {
        Hold hold = held.get(group);
        if (hold != null) {
            List<String> ids = hold.description.members().stream().map(GroupDescription.Member::memberId).toList();
            throw new GroupNotEmptyException("cannot " + what + " of group " + group + ": it has live members "
                    + ids + " (joined over Kafka's protocol); close them (or let their sessions expire) first");
        }
        Group g = groups.get(group);
        if (g != null) {
            expire(g, clock.millis());
            if (!g.members.isEmpty()) {
                throw new GroupNotEmptyException("cannot " + what + " of group " + group + ": it has live members "
                        + g.members.keySet() + "; close them (or let their sessions expire) first");
            }
        }
        change.run();
    }

    /**
     * Runs {@code change} if no live member of the group subscribes to any of {@code topics},
     * under this coordinator's lock.
     *
     * @throws GroupSubscribedToTopicException if one does
     */
    synchronized void whileUnsubscribed(String group, Set<String> topics, Runnable change) {
        Hold hold = held.get(group);
        if (hold != null) {
            for (GroupDescription.Member m : hold.description.members()) {
                for (String topic : topics) {
                    if (m.topics().contains(topic)) {
                        throw new GroupSubscribedToTopicException("cannot delete the committed offsets of topic "
                                + topic + " for group " + group + ": its member " + m.memberId()
                                + " is subscribed to it");
                    }
                }
            }
        }
        Group g = groups.get(group);
        if (g != null) {
            expire(g, clock.millis());
            for (Map.Entry<String, Member> e : g.members.entrySet()) {
                for (String topic : topics) {
                    if (e.getValue().topics.contains(topic)) {
                        throw new GroupSubscribedToTopicException("cannot delete the committed offsets of topic "
                                + topic + " for group " + group + ": its member " + e.getKey()
                                + " is subscribed to it");
                    }
                }
            }
        }
        change.run();
    }

    /** The current owners of a group's partitions; for tests and descriptions. */
    synchronized Map<TopicPartition, String> owners(String group) {
        Group g = groups.get(group);
        return g == null ? Map.of() : Map.copyOf(g.owners);
    }

    /** Wakes members so they re-sync after topics were created or deleted. */
    void topicsChanged() {
        signal.signal();
    }

    synchronized void close() {
        groups.clear();
        held.clear();
    }
}
