package dev.cairn.cluster;

import java.time.InstantSource;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production {@link Scheduler}: real time from an {@link InstantSource}, tasks run on a pool of
 * daemon threads named {@code <prefix>-<n>}. Also an {@link Executor} (a task with no delay), which
 * is how the transports run callbacks off the sender's thread.
 *
 * <p>A task that throws is logged and does not stop the others. {@link #close()} lets the tasks
 * already due run (a transport fails its pending requests just before closing its scheduler, and
 * those callbacks must still run), drops the delayed ones, and stops the threads; it is idempotent.
 * Scheduling on a closed scheduler throws {@link IllegalStateException}. Thread-safe.
 */
public final class ThreadScheduler implements Scheduler, Executor, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ThreadScheduler.class);
    /** How long close waits for running tasks before interrupting them. */
    private static final long CLOSE_GRACE_MS = 1_000;

    private final String threadNamePrefix;
    private final InstantSource clock;
    private final ScheduledThreadPoolExecutor executor;
    /** True on this scheduler's threads while they run a task: close() from a task must not wait for itself. */
    private final ThreadLocal<Boolean> runningTask = ThreadLocal.withInitial(() -> false);

    /** A scheduler of {@code threads} daemon threads named {@code <threadNamePrefix>-<n>}, on {@code clock}. */
    public ThreadScheduler(String threadNamePrefix, int threads, InstantSource clock) {
        if (threads <= 0) {
            throw new IllegalArgumentException("a scheduler needs at least 1 thread, was " + threads);
        }
        this.threadNamePrefix = threadNamePrefix;
        this.clock = clock;
        this.executor = new ScheduledThreadPoolExecutor(threads, daemonThreads(threadNamePrefix));
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** One daemon thread on the system clock. */
    public ThreadScheduler(String threadNamePrefix) {
        this(threadNamePrefix, 1, InstantSource.system());
    }

    /** A factory of daemon threads named {@code <prefix>-<n>}, n counting from 1. */
    static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public long nowMs() {
        return clock.millis();
    }

    @Override
    public Cancellable schedule(long delayMs, Runnable task) {
        if (delayMs < 0) {
            throw new IllegalArgumentException("delay must be >= 0 ms, was " + delayMs);
        }
        try {
            ScheduledFuture<?> future = executor.schedule(() -> runLogged(task), delayMs, TimeUnit.MILLISECONDS);
            return () -> future.cancel(false);
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException("scheduler " + threadNamePrefix + " is closed", e);
        }
    }

    @Override
    public void execute(Runnable task) {
        schedule(0, task);
    }

    private void runLogged(Runnable task) {
        runningTask.set(true);
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            LOG.error("task on {} failed", Thread.currentThread().getName(), e);
        } finally {
            runningTask.set(false);
        }
    }

    /**
     * Stops the scheduler: tasks already due still run, delayed ones are dropped. Waits up to a
     * second for running tasks (then interrupts them), unless called from one of those tasks (a
     * callback that closes its transport): then the threads stop once it returns.
     */
    @Override
    public void close() {
        executor.shutdown();
        if (runningTask.get()) {
            return;
        }
        try {
            if (!executor.awaitTermination(CLOSE_GRACE_MS, TimeUnit.MILLISECONDS)) {
                LOG.warn("{}: tasks still running {} ms after close, interrupting them", threadNamePrefix,
                        CLOSE_GRACE_MS);
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
