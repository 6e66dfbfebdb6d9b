package dev.cairn.dictionary;

/**
 * A dictionary's figures at one moment: its persistence (for an in-memory dictionary every
 * persistence count is 0 and every time -1) and the keyspace counters that Redis's INFO reports.
 *
 * <p>The keyspace counters follow Redis: {@code keyspaceHits} and {@code keyspaceMisses} count
 * one per key that a read command looks up (GET, MGET per key, EXISTS, TYPE, TTL, HGET, LRANGE,
 * ...; not write commands such as SET, INCR or HSET), a hit if the key is live (even when it holds
 * another type); {@code expiredKeys} counts keys removed because their deadline passed, on access
 * or by the background sweeper. {@link Dictionary#resetStats()} zeroes these three, as CONFIG
 * RESETSTAT does. They start at zero when the dictionary opens: recovery counts nothing.
 *
 * @param persistent whether writes go to an append-only file
 * @param appendOnlyBytes bytes in the append-only file's live parts
 * @param changesSinceSnapshot writes since the last snapshot started
 * @param snapshotsCompleted snapshots written since open
 * @param lastSnapshotAtMs when the last snapshot started (dictionary clock, ms since the epoch), or -1
 * @param lastSnapshotDurationMs how long it took to write, or -1
 * @param snapshotKeysLoaded keys loaded from the snapshot at open
 * @param entriesReplayed append-only entries replayed at open
 * @param recoveryMs how long opening took (loading and replaying), or -1
 * @param keys keys stored (DBSIZE: expired keys are removed before counting)
 * @param keysWithDeadline of those, the keys that have a deadline (INFO's {@code expires})
 * @param averageTtlMs the mean time left before the deadlines of the keys that have one, in ms of
 *                     the dictionary's clock, 0 if none (INFO's {@code avg_ttl}; Redis estimates it
 *                     from samples, this is exact)
 * @param keyspaceHits read lookups that found a live key
 * @param keyspaceMisses read lookups that found none
 * @param expiredKeys keys removed because their deadline passed
 */
public record DictionaryStats(boolean persistent, long appendOnlyBytes, long changesSinceSnapshot,
        long snapshotsCompleted, long lastSnapshotAtMs, long lastSnapshotDurationMs, long snapshotKeysLoaded,
        long entriesReplayed, long recoveryMs, long keys, long keysWithDeadline, long averageTtlMs,
        long keyspaceHits, long keyspaceMisses, long expiredKeys) {

    /** The stats of an empty in-memory dictionary that has served no command. */
    public static final DictionaryStats IN_MEMORY = new DictionaryStats(false, 0, 0, 0, -1, -1, 0, 0, -1);

    /**
     * Persistence figures only, every keyspace figure 0: the constructor of the record before it
     * carried the keyspace counters, kept for code that builds one.
     */
    public DictionaryStats(boolean persistent, long appendOnlyBytes, long changesSinceSnapshot,
            long snapshotsCompleted, long lastSnapshotAtMs, long lastSnapshotDurationMs, long snapshotKeysLoaded,
            long entriesReplayed, long recoveryMs) {
        this(persistent, appendOnlyBytes, changesSinceSnapshot, snapshotsCompleted, lastSnapshotAtMs,
                lastSnapshotDurationMs, snapshotKeysLoaded, entriesReplayed, recoveryMs, 0, 0, 0, 0, 0, 0);
    }

    /** These persistence figures with the given keyspace figures. */
    public DictionaryStats withKeyspace(long keys, long keysWithDeadline, long averageTtlMs, long keyspaceHits,
            long keyspaceMisses, long expiredKeys) {
        return new DictionaryStats(persistent, appendOnlyBytes, changesSinceSnapshot, snapshotsCompleted,
                lastSnapshotAtMs, lastSnapshotDurationMs, snapshotKeysLoaded, entriesReplayed, recoveryMs, keys,
                keysWithDeadline, averageTtlMs, keyspaceHits, keyspaceMisses, expiredKeys);
    }
}
