package dev.cairn.dictionary.internal;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The background half of expiry: a daemon thread that, every interval, takes the command lock
 * and removes up to a batch of expired keys from the top of the {@link ExpiryHeap} (earliest
 * deadline first). The batch bounds the pause a sweep imposes on commands; a sweep that hits
 * it releases the lock and runs again at once. Lazy expiry on access covers what it has not
 * reached yet, so expired keys are never visible either way.
 *
 * <p>Thread-safe; stops when the engine closes (it waits on the engine's {@code closing}
 * condition, which close signals).
 */
final class ExpirySweeper implements Runnable {
    private final Engine engine;
    private final long intervalNanos;
    private final int batch;
    private final Thread thread;

    ExpirySweeper(Engine engine, Duration interval, int batch) {
        this.engine = engine;
        this.intervalNanos = interval.toNanos();
        this.batch = batch;
        this.thread = new Thread(this, "cairn-dictionary-expiry");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    boolean isAlive() {
        return thread.isAlive();
    }

    /** Waits for the thread to stop after the engine closed. */
    void join() throws InterruptedException {
        if (Thread.currentThread() != thread) {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
    }

    @Override
    public void run() {
        engine.lock.lock();
        try {
            while (!engine.isClosed()) {
                boolean more = engine.sweepExpired(batch);
                // A full batch: let waiting commands in (await releases the lock), then go on.
                long waitNanos = more ? 1 : intervalNanos;
                engine.publish();
                engine.closing.awaitNanos(waitNanos);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            engine.unlock();
        }
    }
}
