package dev.cairn.log.internal.replica;

import dev.cairn.log.TopicPartition;
import java.util.List;
import java.util.Objects;

/**
 * The controller's record of one partition: who leads it in which epoch, its replicas and its
 * in-sync set. Kafka's LeaderAndIsr.
 *
 * <p>{@code leaderEpoch} grows with every leader change (and fences the leaders before it);
 * {@code partitionEpoch} grows with every change at all, so a leader's request to change the
 * in-sync set is accepted only against the state it was made from.
 *
 * @param leader the leading node, or {@link #NO_LEADER} while no eligible replica is alive
 * @param replicas the nodes holding a copy, in preference order
 * @param isr the in-sync replicas, a subset of {@code replicas}, in {@code replicas}' order
 */
public record PartitionState(TopicPartition partition, int leader, int leaderEpoch, int partitionEpoch,
        List<Integer> replicas, List<Integer> isr) {
    public static final int NO_LEADER = -1;

    public PartitionState {
        Objects.requireNonNull(partition, "partition");
        replicas = List.copyOf(replicas);
        isr = List.copyOf(isr);
        if (replicas.isEmpty()) {
            throw new IllegalArgumentException("partition " + partition + " has no replicas");
        }
        if (!replicas.containsAll(isr)) {
            throw new IllegalArgumentException("in-sync set " + isr + " of " + partition + " is not within " + replicas);
        }
        if (leader != NO_LEADER && !replicas.contains(leader)) {
            throw new IllegalArgumentException("leader " + leader + " of " + partition + " is not a replica");
        }
    }

    /** Whether this state was made after {@code other} (a later leader epoch, or the same with a later partition epoch). */
    public boolean isNewerThan(PartitionState other) {
        return other == null || leaderEpoch > other.leaderEpoch
                || (leaderEpoch == other.leaderEpoch && partitionEpoch > other.partitionEpoch);
    }

    /** The same leader and epoch with a new in-sync set (replicas' order kept). */
    PartitionState withIsr(java.util.Collection<Integer> inSync) {
        return new PartitionState(partition, leader, leaderEpoch, partitionEpoch + 1,
                replicas, replicas.stream().filter(inSync::contains).toList());
    }

    /** A new leader (or none) in a new epoch, with the given in-sync set. */
    PartitionState withLeader(int newLeader, java.util.Collection<Integer> inSync) {
        return new PartitionState(partition, newLeader, leaderEpoch + 1, partitionEpoch + 1,
                replicas, replicas.stream().filter(inSync::contains).toList());
    }
}
