package dev.cairn.storage;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread behind {@link dev.cairn.common.Durability#EVERY_SECOND}: at a fixed interval it
 * syncs every registered file that has unsynced writes. A failed sync is recorded by the file
 * itself (which then refuses writes) and logged here.
 *
 * <p>The same thread writes out the write buffers of files that are not fsynced on every append
 * ({@link #registerWriteOut}) every {@link #WRITE_OUT_INTERVAL_MS} ms, which bounds what a crash
 * of the process (as opposed to the machine) can take from them.
 *
 * <p>The thread starts with the first registration and stops on {@link #close()}. Thread-safe.
 */
public final class BackgroundFlusher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BackgroundFlusher.class);

    /** Something with writes to make durable. */
    @FunctionalInterface
    public interface Syncable {
        void sync();
    }

    /** How often buffered appends are handed to the operating system. */
    public static final long WRITE_OUT_INTERVAL_MS = 5;

    private final long intervalMs;
    private final Set<Syncable> files = ConcurrentHashMap.newKeySet();
    private final Set<Syncable> writeOuts = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService executor;
    private boolean closed;

    public BackgroundFlusher(long intervalMs) {
        if (intervalMs <= 0) {
            throw new IllegalArgumentException("flush interval must be > 0 ms, was " + intervalMs);
        }
        this.intervalMs = intervalMs;
    }

    public synchronized void register(Syncable file) {
        start();
        files.add(file);
    }

    /** Calls {@code file.sync()} every {@link #WRITE_OUT_INTERVAL_MS} ms, to write out its buffer. */
    public synchronized void registerWriteOut(Syncable file) {
        start();
        writeOuts.add(file);
    }

    public void unregisterWriteOut(Syncable file) {
        writeOuts.remove(file);
    }

    private void start() {
        if (closed) {
            throw new IllegalStateException("background flusher is closed");
        }
        if (executor == null) {
            ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(1, runnable -> {
                Thread thread = new Thread(runnable, "cairn-flusher");
                thread.setDaemon(true);
                return thread;
            });
            pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            pool.scheduleWithFixedDelay(this::flushAll, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
            pool.scheduleWithFixedDelay(this::writeOutAll, WRITE_OUT_INTERVAL_MS, WRITE_OUT_INTERVAL_MS,
                    TimeUnit.MILLISECONDS);
            executor = pool;
        }
    }

    public void unregister(Syncable file) {
        files.remove(file);
    }

    private void flushAll() {
        for (Syncable file : files) {
            try {
                file.sync();
            } catch (RuntimeException e) {
                LOG.error("background fsync failed; the file refuses further writes", e);
                files.remove(file);
            }
        }
    }

    private void writeOutAll() {
        for (Syncable file : writeOuts) {
            try {
                file.sync();
            } catch (RuntimeException e) {
                LOG.error("background write failed; the file refuses further writes", e);
                writeOuts.remove(file);
            }
        }
    }

    @Override
    public void close() {
        ScheduledExecutorService running;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            running = executor;
        }
        if (running != null) {
            running.shutdown();
            try {
                if (!running.awaitTermination(10, TimeUnit.SECONDS)) {
                    LOG.warn("background flusher did not stop within 10 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
