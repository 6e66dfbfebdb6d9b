package dev.cairn;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A clock that moves only when a test moves it, for {@link Cairn.Builder#clock}. A Cairn opened
 * with one runs its time-driven work ({@link Cairn#runMaintenance()}: log retention and
 * compaction, expired members of consumer groups, expired dictionary keys) inside every
 * {@link #advance} and {@link #set}, so when either returns, everything the new time makes due
 * has happened: a test that moves the clock past a topic's {@code retention.ms} sees the old
 * records gone at once, with no wait for a background round.
 *
 * <p>Time never moves backwards ({@link IllegalArgumentException}), as retention and expiry assume
 * of any clock. Millisecond precision, as everything in Cairn that reads a clock.
 *
 * <p>Thread-safe: moves are serialized, and each one's listeners run on the thread that moved the
 * clock before the move returns.
 */
public final class ManualClock implements InstantSource {
    private volatile long millis;
    private final CopyOnWriteArrayList<Runnable> listeners = new CopyOnWriteArrayList<>();

    private ManualClock(long millis) {
        this.millis = millis;
    }

    /** A clock stopped at {@code start} (truncated to the millisecond). */
    public static ManualClock at(Instant start) {
        return new ManualClock(Objects.requireNonNull(start, "start").toEpochMilli());
    }

    /** A clock stopped at the system clock's current millisecond. */
    public static ManualClock startingNow() {
        return new ManualClock(System.currentTimeMillis());
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis);
    }

    @Override
    public long millis() {
        return millis;
    }

    /**
     * Moves the clock forward by {@code step} (zero is allowed and still runs the listeners) and
     * runs what the new time makes due.
     *
     * @return the new time
     * @throws IllegalArgumentException if {@code step} is negative
     */
    public Instant advance(Duration step) {
        Objects.requireNonNull(step, "step");
        if (step.isNegative()) {
            throw new IllegalArgumentException("a manual clock only moves forward, got a step of " + step);
        }
        synchronized (this) {
            millis = Math.addExact(millis, step.toMillis());
        }
        fire();
        return instant();
    }

    /**
     * Sets the clock to {@code time} (truncated to the millisecond) and runs what it makes due.
     *
     * @throws IllegalArgumentException if {@code time} is before the clock's current time
     */
    public void set(Instant time) {
        long target = Objects.requireNonNull(time, "time").toEpochMilli();
        synchronized (this) {
            if (target < millis) {
                throw new IllegalArgumentException("a manual clock only moves forward: it reads " + instant()
                        + ", asked to move back to " + time);
            }
            millis = target;
        }
        fire();
    }

    /**
     * Runs {@code listener} after every move of this clock, on the moving thread; a Cairn opened
     * with this clock registers its maintenance here and removes it on close.
     */
    public void addListener(Runnable listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Stops running {@code listener}; no effect if it was not added. */
    public void removeListener(Runnable listener) {
        listeners.remove(listener);
    }

    private void fire() {
        for (Runnable listener : listeners) {
            listener.run();
        }
    }

    @Override
    public String toString() {
        return "ManualClock[" + instant() + "]";
    }
}
