package dev.cairn.log.internal;

import dev.cairn.common.Durability;
import dev.cairn.log.TopicConfig;
import dev.cairn.log.internal.replica.ReplicationConfig;
import dev.cairn.storage.Storage;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;

/**
 * What the log takes from its owner ({@code Cairn}): the clock, the default durability, the
 * recovery choice, and log-wide settings.
 *
 * @param clock the clock of timestamps, rolling, retention and session timeouts
 * @param defaultDurability durability of topics that do not set their own
 * @param truncateOnCorruption whether recovery truncates at corruption before a segment's tail
 * @param autoCreateTopics config of topics created on first append, or null to refuse unknown topics
 * @param maintenanceIntervalMs how often retention and compaction run in the background; 0 for never
 * @param replicaRoots storage roots besides the log's own that hold copies of replicated topics' partitions
 *                     (opened and closed by the owner); empty: every topic has one replica
 * @param replication timing and sizes of the replication between the roots
 */
public record LogOptions(InstantSource clock, Durability defaultDurability, boolean truncateOnCorruption,
        TopicConfig autoCreateTopics, long maintenanceIntervalMs, List<Storage> replicaRoots,
        ReplicationConfig replication) {
    public LogOptions {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(defaultDurability, "defaultDurability");
        replicaRoots = List.copyOf(replicaRoots);
        Objects.requireNonNull(replication, "replication");
        if (maintenanceIntervalMs < 0) {
            throw new IllegalArgumentException("maintenanceIntervalMs must be >= 0, was " + maintenanceIntervalMs);
        }
    }

    /**
     * The given clock and durability, strict recovery, no auto-creation, maintenance every 30 s,
     * no replica roots.
     */
    public static LogOptions of(InstantSource clock, Durability defaultDurability, boolean truncateOnCorruption) {
        return new LogOptions(clock, defaultDurability, truncateOnCorruption, null, 30_000, List.of(),
                ReplicationConfig.defaults());
    }

    /** The durability of {@code topic}'s appends: its own, or the log's default. */
    Durability durabilityOf(TopicConfig topic) {
        return topic.durability() != null ? topic.durability() : defaultDurability;
    }

    public LogOptions withAutoCreateTopics(TopicConfig config) {
        return new LogOptions(clock, defaultDurability, truncateOnCorruption, config, maintenanceIntervalMs,
                replicaRoots, replication);
    }

    public LogOptions withMaintenanceIntervalMs(long ms) {
        return new LogOptions(clock, defaultDurability, truncateOnCorruption, autoCreateTopics, ms, replicaRoots,
                replication);
    }

    public LogOptions withReplicaRoots(List<Storage> roots) {
        return new LogOptions(clock, defaultDurability, truncateOnCorruption, autoCreateTopics, maintenanceIntervalMs,
                roots, replication);
    }

    public LogOptions withReplication(ReplicationConfig config) {
        return new LogOptions(clock, defaultDurability, truncateOnCorruption, autoCreateTopics, maintenanceIntervalMs,
                replicaRoots, config);
    }

}
