package dev.cairn.log.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes parked consumers when something they may be waiting for happens: records appended, a
 * group's assignment changed. A waiter reads {@link #version()} before looking for data and then
 * {@link #await}s a change of it, so a signal between the look and the wait is never missed.
 * Appenders pay one atomic increment, and take the lock only when someone waits.
 *
 * <p>Thread-safe.
 */
final class AppendSignal {
    private final AtomicLong version = new AtomicLong();
    private final AtomicInteger waiters = new AtomicInteger();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    long version() {
        return version.get();
    }

    void signal() {
        version.incrementAndGet();
        if (waiters.get() > 0) {
            lock.lock();
            try {
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Parks until the version differs from {@code seen} or {@code timeoutNanos} pass. */
    void await(long seen, long timeoutNanos) throws InterruptedException {
        waiters.incrementAndGet();
        lock.lock();
        try {
            long remaining = timeoutNanos;
            while (version.get() == seen && remaining > 0) {
                remaining = changed.awaitNanos(remaining);
            }
        } finally {
            lock.unlock();
            waiters.decrementAndGet();
        }
    }

    /** Parks for at most {@code timeout} in {@code unit}; see {@link #await(long, long)}. */
    void await(long seen, long timeout, TimeUnit unit) throws InterruptedException {
        await(seen, unit.toNanos(timeout));
    }
}
