package dev.cairn;

/**
 * One open dictionary database's figures in a {@link CairnMetrics} snapshot, read from its
 * {@link dev.cairn.dictionary.Dictionary#stats() stats} (whose definitions these follow).
 *
 * @param database the database index
 * @param keys keys stored (expired keys are removed before counting, as DBSIZE does)
 * @param keyspaceHits read lookups that found a live key
 * @param keyspaceMisses read lookups that found none
 * @param expiredKeys keys removed because their deadline passed
 * @param appendOnlyBytes bytes of the append-only file's live parts; 0 in memory
 * @param snapshotAgeMs time since the last snapshot started, by the Cairn's clock; -1 if none
 *     was taken since open
 * @param lastSnapshotDurationMs how long the last snapshot took to write; -1 if none
 */
public record DatabaseMetrics(int database, long keys, long keyspaceHits, long keyspaceMisses, long expiredKeys,
        long appendOnlyBytes, long snapshotAgeMs, long lastSnapshotDurationMs) {
}
