package dev.cairn.storage;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads behind {@link dev.cairn.common.Durability#EVERY_SECOND} and
 * {@link dev.cairn.common.Durability#NONE}. One writes out the write buffers of files that are not
 * fsynced on every append ({@link #registerWriteOut}) every {@link #WRITE_OUT_INTERVAL_MS} ms,
 * which bounds what a crash of the process (as opposed to the machine) can take from them. The
 * other fsyncs: at a fixed interval every registered file with unsynced writes
 * ({@link #register}), and any file that asks for it ({@link #requestSync}). Fsyncs have their
 * own thread so that one waiting for the disk never holds back the next write-out. A failed sync
 * or write-out is recorded by the file itself (which then refuses writes) and logged here.
 *
 * <p>The threads start with the first registration or request and stop on {@link #close()}.
 * Thread-safe.
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
    /** Requested syncs queued or running: a file asks again only once its last one has finished. */
    private final Set<Syncable> requested = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService writeOutThread;
    private ScheduledExecutorService syncThread;
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

    /**
     * Runs {@code file.sync()} once on the fsync thread, soon, unless a sync it requested earlier
     * has not finished yet (then this request is dropped: that one is still to cover what it can).
     * Does nothing once closed.
     */
    public void requestSync(Syncable file) {
        ScheduledExecutorService thread;
        synchronized (this) {
            if (closed) {
                return;
            }
            start();
            thread = syncThread;
        }
        if (requested.add(file)) {
            try {
                thread.execute(() -> {
                    try {
                        sync(file, "requested");
                    } finally {
                        requested.remove(file);
                    }
                });
            } catch (RejectedExecutionException e) {
                requested.remove(file); // closed meanwhile
            }
        }
    }

    private void start() {
        if (closed) {
            throw new IllegalStateException("background flusher is closed");
        }
        if (writeOutThread == null) {
            writeOutThread = newThread("cairn-write-out");
            writeOutThread.scheduleWithFixedDelay(this::writeOutAll, WRITE_OUT_INTERVAL_MS, WRITE_OUT_INTERVAL_MS,
                    TimeUnit.MILLISECONDS);
            syncThread = newThread("cairn-fsync");
            syncThread.scheduleWithFixedDelay(this::flushAll, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
        }
    }

    private static ScheduledExecutorService newThread(String name) {
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
        pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return pool;
    }

    public void unregister(Syncable file) {
        files.remove(file);
    }

    private void flushAll() {
        for (Syncable file : files) {
            if (!sync(file, "scheduled")) {
                files.remove(file);
            }
        }
    }

    private static boolean sync(Syncable file, String kind) {
        try {
            file.sync();
            return true;
        } catch (RuntimeException e) {
            LOG.error("{} background fsync failed; the file refuses further writes", kind, e);
            return false;
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
        List<ScheduledExecutorService> running;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            running = writeOutThread == null ? List.of() : List.of(writeOutThread, syncThread);
        }
        for (ScheduledExecutorService thread : running) {
            thread.shutdown();
        }
        try {
            for (ScheduledExecutorService thread : running) {
                if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
                    LOG.warn("background flusher did not stop within 10 s");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
