package dev.cairn.log.internal.replica;

/**
 * What a leader knows of one follower, from its fetches: how far its log reaches and when it was
 * last caught up with the leader's log end, the clock the in-sync set is judged by. Guarded by the
 * partition replica's lock.
 */
final class FollowerPosition {
    /** The follower's log end offset: its last fetch asked from here, so it holds everything below. */
    long logEndOffset = -1;
    /** When the follower last had everything the leader had: the in-sync set's measure of lag. */
    long lastCaughtUpMs;
    /** The incarnation of the follower's process that these fetches came from; the lowest long before any. */
    long incarnation = Long.MIN_VALUE;
    private long lastFetchMs;
    private long leaderEndAtLastFetch = -1;

    FollowerPosition(long lastCaughtUpMs) {
        this.lastCaughtUpMs = lastCaughtUpMs;
    }

    /**
     * Records a fetch from {@code fetchOffset} at {@code nowMs}, when the leader's log ended at
     * {@code leaderEnd}. A fetch that reaches the leader's end makes the follower caught up now; one
     * that reaches where the leader ended at the previous fetch makes it caught up as of that fetch
     * (Kafka's rule: a follower fetching steadily behind a busy leader is not lagging).
     */
    void onFetch(long fetchOffset, long leaderEnd, long nowMs) {
        if (fetchOffset >= leaderEnd) {
            lastCaughtUpMs = Math.max(lastCaughtUpMs, nowMs);
        } else if (fetchOffset >= leaderEndAtLastFetch && leaderEndAtLastFetch >= 0) {
            lastCaughtUpMs = Math.max(lastCaughtUpMs, lastFetchMs);
        }
        logEndOffset = fetchOffset;
        leaderEndAtLastFetch = leaderEnd;
        lastFetchMs = nowMs;
    }
}
