package dev.cairn.log.internal.replica;

/**
 * Timing and sizes of partition replication, with Kafka's names where Kafka has the setting.
 *
 * @param replicaLagTimeMaxMs a follower that has not caught up with the leader's log end for this long leaves
 *                            the in-sync set ({@code replica.lag.time.max.ms})
 * @param fetchMaxWaitMs how long a leader parks a follower's fetch that finds nothing new ({@code replica.fetch.wait.max.ms})
 * @param fetchMaxBytes about how many bytes of batches one fetch response carries ({@code replica.fetch.max.bytes})
 * @param requestTimeoutMs how long a node waits for any response before failing the request
 * @param retryBackoffMs pause before a follower retries a fetch that failed ({@code replica.fetch.backoff.ms})
 * @param heartbeatIntervalMs how often a node reports to the controller ({@code broker.heartbeat.interval.ms})
 * @param sessionTimeoutMs a node silent for this long is taken for dead by the controller ({@code broker.session.timeout.ms})
 * @param uncleanLeaderElection whether, with no in-sync replica alive, an out-of-sync one may lead (losing
 *                              what only the in-sync ones had: {@code unclean.leader.election.enable})
 */
public record ReplicationConfig(long replicaLagTimeMaxMs, long fetchMaxWaitMs, int fetchMaxBytes, long requestTimeoutMs,
        long retryBackoffMs, long heartbeatIntervalMs, long sessionTimeoutMs, boolean uncleanLeaderElection) {

    public ReplicationConfig {
        positive(replicaLagTimeMaxMs, "replicaLagTimeMaxMs");
        positive(fetchMaxBytes, "fetchMaxBytes");
        positive(requestTimeoutMs, "requestTimeoutMs");
        positive(retryBackoffMs, "retryBackoffMs");
        positive(heartbeatIntervalMs, "heartbeatIntervalMs");
        positive(sessionTimeoutMs, "sessionTimeoutMs");
        if (fetchMaxWaitMs < 0) {
            throw new IllegalArgumentException("fetchMaxWaitMs must be >= 0, was " + fetchMaxWaitMs);
        }
        if (fetchMaxWaitMs >= requestTimeoutMs) {
            throw new IllegalArgumentException("fetchMaxWaitMs (" + fetchMaxWaitMs
                    + ") must be below requestTimeoutMs (" + requestTimeoutMs + "): a parked fetch would time out");
        }
        if (heartbeatIntervalMs >= sessionTimeoutMs) {
            throw new IllegalArgumentException("heartbeatIntervalMs (" + heartbeatIntervalMs
                    + ") must be below sessionTimeoutMs (" + sessionTimeoutMs + ")");
        }
    }

    private static void positive(long value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, was " + value);
        }
    }

    /**
     * Kafka's defaults: 30 s of lag, fetches parked up to 500 ms and carrying 1 MiB, 30 s request
     * timeout, 1 s retry backoff, heartbeats every 2 s, 9 s sessions, no unclean election.
     */
    public static ReplicationConfig defaults() {
        return new ReplicationConfig(30_000, 500, 1 << 20, 30_000, 1_000, 2_000, 9_000, false);
    }

    public ReplicationConfig withUncleanLeaderElection(boolean enabled) {
        return new ReplicationConfig(replicaLagTimeMaxMs, fetchMaxWaitMs, fetchMaxBytes, requestTimeoutMs,
                retryBackoffMs, heartbeatIntervalMs, sessionTimeoutMs, enabled);
    }
}
