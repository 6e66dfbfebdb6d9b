package dev.cairn.dictionary;

/**
 * A persistent dictionary's persistence at one moment; for an in-memory dictionary every count is
 * 0 and every time -1.
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
 */
public record DictionaryStats(boolean persistent, long appendOnlyBytes, long changesSinceSnapshot,
        long snapshotsCompleted, long lastSnapshotAtMs, long lastSnapshotDurationMs, long snapshotKeysLoaded,
        long entriesReplayed, long recoveryMs) {

    /** The stats of an in-memory dictionary. */
    public static final DictionaryStats IN_MEMORY = new DictionaryStats(false, 0, 0, 0, -1, -1, 0, 0, -1);
}
