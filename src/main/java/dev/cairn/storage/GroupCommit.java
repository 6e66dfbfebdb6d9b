package dev.cairn.storage;

import dev.cairn.common.StorageException;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * <p>Callers that must not block register a callback instead ({@link #whenDurable}): it runs,
 * once, on the thread whose fsync covered its mark (or at once if that is done already), and a
 * failed fsync runs every waiting callback with the failure. {@link #requestSync} hands the fsync
 * to an executor, at most one task queued per file, so any number of such callers cost no thread
 * of their own.
 *
 * <p>Invariant: {@code durableMark()} only grows, and never exceeds a mark that had been fully
 * written when the fsync covering it started; a callback runs only after its mark is durable or
 * the file has failed. Thread-safe.
 */
public final class GroupCommit {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);

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
    /** Callbacks waiting for their marks, lowest mark first; guarded by {@link #lock}. */
    private final PriorityQueue<Waiter> waiters = new PriorityQueue<>((a, b) -> Long.compare(a.mark, b.mark));
    /** True while a sync task handed to an executor has not started yet. */
    private final AtomicBoolean syncRequested = new AtomicBoolean();

    /** Told once that a mark is durable (null) or never will be (the fsync failure). */
    @FunctionalInterface
    public interface DurableCallback {
        void onDurable(StorageException failure);
    }

    private record Waiter(long mark, DurableCallback callback) {
    }

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
                long startNanos = System.nanoTime();
                try {
                    force.force();
                    metrics.fsyncs.increment();
                } catch (java.io.IOException | RuntimeException e) {
                    metrics.fsyncFailures.increment();
                    error = new StorageException("fsync of " + name + " failed: " + e.getMessage(), e);
                } finally {
                    metrics.fsyncLatency.record(System.nanoTime() - startNanos);
                    lock.lock();
                    flushing = false;
                }
                if (error != null) {
                    failure = error;
                    flushed.signalAll();
                    List<Waiter> failed = takeWaiters(Long.MAX_VALUE);
                    lock.unlock();
                    try {
                        runWaiters(failed, error);
                    } finally {
                        lock.lock();
                    }
                    throw error;
                }
                if (target > durableMark) {
                    durableMark = target;
                }
                flushed.signalAll();
                List<Waiter> done = takeWaiters(durableMark);
                if (!done.isEmpty()) {
                    lock.unlock();
                    try {
                        runWaiters(done, null);
                    } finally {
                        lock.lock();
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Calls {@code callback} once everything up to {@code mark} is durable (with null), or once an
     * fsync has failed (with the failure); at once, on this thread, if either is so already.
     * Otherwise it runs on the thread of the fsync that covers the mark, so it must be quick. This
     * does not start an fsync: see {@link #requestSync}.
     */
    public void whenDurable(long mark, DurableCallback callback) {
        StorageException error;
        lock.lock();
        try {
            error = failure;
            if (error == null && durableMark < mark) {
                waiters.add(new Waiter(mark, callback));
                return;
            }
        } finally {
            lock.unlock();
        }
        callback.onDurable(error);
    }

    /**
     * Has {@code executor} run {@link #sync()} soon, unless a sync task is already waiting there
     * (it will cover every write made before it starts). A failure of that sync reaches the
     * callbacks of {@link #whenDurable}.
     */
    public void requestSync(Executor executor) {
        if (syncRequested.compareAndSet(false, true)) {
            executor.execute(() -> {
                syncRequested.set(false); // before the sync: writes after this point request another
                try {
                    sync();
                } catch (StorageException e) {
                    // Recorded as the file's failure and handed to every waiting callback.
                }
            });
        }
    }

    /** Removes and returns the waiters whose mark is at most {@code upTo}. Lock held. */
    private List<Waiter> takeWaiters(long upTo) {
        List<Waiter> ready = new ArrayList<>();
        while (!waiters.isEmpty() && waiters.peek().mark <= upTo) {
            ready.add(waiters.poll());
        }
        return ready;
    }

    /**
     * Runs callbacks outside the lock. A callback must not throw; one that does is logged, so it
     * can neither keep the others from running nor fail the unrelated caller whose fsync ran it.
     */
    private void runWaiters(List<Waiter> ready, StorageException error) {
        for (Waiter w : ready) {
            try {
                w.callback.onDurable(error);
            } catch (RuntimeException e) {
                LOG.error("a durability callback of {} threw", name, e);
            }
        }
    }

    /** Fsyncs everything written so far (no-op when nothing is pending). */
    public void sync() {
        awaitDurable(writtenMark.getAsLong());
    }

    /** Records a failure found outside an fsync of ours (for example while rolling a segment). */
    public void fail(StorageException error) {
        List<Waiter> failed;
        StorageException recorded;
        lock.lock();
        try {
            if (failure == null) {
                failure = error;
            }
            recorded = failure;
            flushed.signalAll();
            failed = takeWaiters(Long.MAX_VALUE);
        } finally {
            lock.unlock();
        }
        runWaiters(failed, recorded);
    }
}
