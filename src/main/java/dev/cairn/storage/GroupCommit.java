package dev.cairn.storage;

import dev.cairn.common.StorageException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Makes writes durable with as few fsyncs as possible: callers wait for a <em>mark</em> (a
 * monotonic count of bytes written) to become durable; the first caller to find no fsync in
 * flight becomes the leader, fsyncs everything written so far, and wakes every caller whose mark
 * that covered. Callers arriving during an fsync wait for the next one, which then covers all of
 * them: with N concurrent writers, one fsync serves up to N writes.
 *
 * <p>A failed fsync is final: the failure is recorded, every waiting and future caller gets a
 * {@link StorageException} carrying it, and the owner must refuse further writes. Data whose
 * fsync failed is never reported durable (the kernel may already have dropped the dirty pages, so
 * a retry could "succeed" without the data).
 *
 * <p>Invariant: {@code durableMark()} only grows, and never exceeds a mark that had been fully
 * written when the fsync covering it started. Thread-safe.
 */
public final class GroupCommit {

    /** The fsync this object coordinates. */
    @FunctionalInterface
    public interface Force {
        void force() throws java.io.IOException;
    }

    private final String name;
    private final Force force;
    private final LongSupplier writtenMark;
    private final StorageMetrics metrics;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition flushed = lock.newCondition();
    private volatile long durableMark;
    private volatile StorageException failure;
    /** Guarded by {@link #lock}. */
    private boolean flushing;

    /**
     * @param name what is being synced, for error messages
     * @param force the fsync
     * @param writtenMark the mark of everything fully written so far (read by the leader just
     *     before it fsyncs)
     */
    public GroupCommit(String name, Force force, LongSupplier writtenMark, StorageMetrics metrics) {
        this.name = name;
        this.force = force;
        this.writtenMark = writtenMark;
        this.metrics = metrics;
        this.durableMark = writtenMark.getAsLong();
    }

    /** The highest mark known to be durable. */
    public long durableMark() {
        return durableMark;
    }

    /** The fsync failure that stopped this file, or null. */
    public StorageException failure() {
        return failure;
    }

    /** Throws the recorded failure, if any. */
    public void checkNotFailed() {
        StorageException f = failure;
        if (f != null) {
            throw new StorageException(name + " refuses writes after a failed fsync: " + f.getMessage(), f);
        }
    }

    /**
     * Returns once everything up to {@code mark} is durable, fsyncing as the leader if needed.
     *
     * @throws StorageException if an fsync failed (now or earlier)
     */
    public void awaitDurable(long mark) {
        if (durableMark >= mark) {
            checkNotFailed();
            return;
        }
        lock.lock();
        try {
            while (true) {
                checkNotFailed();
                if (durableMark >= mark) {
                    return;
                }
                if (flushing) {
                    flushed.awaitUninterruptibly();
                    continue;
                }
                flushing = true;
                long target = writtenMark.getAsLong();
                StorageException error = null;
                lock.unlock();
                try {
                    force.force();
                    metrics.fsyncs.increment();
                } catch (java.io.IOException | RuntimeException e) {
                    metrics.fsyncFailures.increment();
                    error = new StorageException("fsync of " + name + " failed: " + e.getMessage(), e);
                } finally {
                    lock.lock();
                    flushing = false;
                }
                if (error != null) {
                    failure = error;
                    flushed.signalAll();
                    throw error;
                }
                if (target > durableMark) {
                    durableMark = target;
                }
                flushed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Fsyncs everything written so far (no-op when nothing is pending). */
    public void sync() {
        awaitDurable(writtenMark.getAsLong());
    }

    /** Records a failure found outside an fsync of ours (for example while rolling a segment). */
    public void fail(StorageException error) {
        lock.lock();
        try {
            if (failure == null) {
                failure = error;
            }
            flushed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
