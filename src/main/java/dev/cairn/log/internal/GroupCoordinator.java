package dev.cairn.log.internal;

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
 * timeout, a member that has not synced for that long (log clock) is removed when another member
 * syncs, and its partitions released.
 *
 * <p>Thread-safety: thread-safe; every method is synchronized on this coordinator.
 */
final class GroupCoordinator {
    private final ToIntFunction<String> partitionCount;
    private final InstantSource clock;
    private final AppendSignal signal;
    private final Map<String, Group> groups = new HashMap<>();

    private static final class Group {
        final TreeMap<String, Member> members = new TreeMap<>();
        final Map<TopicPartition, String> owners = new HashMap<>();
    }

    private static final class Member {
        final Set<String> topics;
        final long sessionTimeoutMs;
        long lastSeenMs;

        Member(Set<String> topics, long sessionTimeoutMs, long nowMs) {
            this.topics = topics;
            this.sessionTimeoutMs = sessionTimeoutMs;
            this.lastSeenMs = nowMs;
        }
    }

    GroupCoordinator(ToIntFunction<String> partitionCount, InstantSource clock, AppendSignal signal) {
        this.partitionCount = partitionCount;
        this.clock = clock;
        this.signal = signal;
    }

    /** Adds or updates a member's subscription. */
    synchronized void join(String group, String memberId, Set<String> topics, long sessionTimeoutMs) {
        Group g = groups.computeIfAbsent(group, k -> new Group());
        g.members.put(memberId, new Member(Set.copyOf(topics), sessionTimeoutMs, clock.millis()));
        signal.signal();
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
     * The partitions of {@code owned} that the member must give up: no longer in its target, or
     * taken from it after its session expired. Re-adds an expired member. Counts as a heartbeat.
     */
    synchronized Set<TopicPartition> revocations(String group, String memberId, Set<String> topics,
            long sessionTimeoutMs, Set<TopicPartition> owned) {
        long nowMs = clock.millis();
        Group g = groups.computeIfAbsent(group, k -> new Group());
        expire(g, nowMs);
        Member me = g.members.get(memberId);
        if (me == null) {
            me = new Member(Set.copyOf(topics), sessionTimeoutMs, nowMs);
            g.members.put(memberId, me);
            signal.signal();
        }
        me.lastSeenMs = nowMs;
        Set<TopicPartition> target = target(g, memberId);
        Set<TopicPartition> revoke = new LinkedHashSet<>();
        for (TopicPartition tp : owned) {
            if (!target.contains(tp) || !memberId.equals(g.owners.get(tp))) {
                revoke.add(tp);
            }
        }
        return revoke;
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
    }
}
