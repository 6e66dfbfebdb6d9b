package dev.cairn.cluster;

/**
 * Time and deferred work for replication: real time with threads in production, virtual time on
 * one thread in a simulation ({@code SimulatedScheduler}), so the same replication code runs in
 * both and a simulated run is replayed exactly from its seed.
 */
public interface Scheduler {
    /** Milliseconds on this scheduler's clock. */
    long nowMs();

    /** Runs {@code task} once, {@code delayMs} (at least 0) from now, on a thread of this scheduler. */
    Cancellable schedule(long delayMs, Runnable task);

    /** A scheduled task; cancelling one that ran or was cancelled does nothing. */
    @FunctionalInterface
    interface Cancellable {
        void cancel();
    }
}
