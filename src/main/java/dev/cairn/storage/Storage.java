package dev.cairn.storage;

import dev.cairn.common.ClosedException;
import dev.cairn.common.StorageException;
import dev.cairn.storage.fs.MemoryFileSystem;
import dev.cairn.storage.fs.RealFileSystem;
import dev.cairn.storage.fs.StorageFileSystem;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One data directory and what serves it: the file system it lives on, the directory lock, the
 * background flusher for {@link dev.cairn.common.Durability#EVERY_SECOND}, and the storage
 * metrics. The log and the dictionary each get a subdirectory of {@link #root()}.
 *
 * <p>Thread-safe. {@link #close()} is idempotent; files opened through this storage must be
 * closed by their owners before it.
 */
public final class Storage implements AutoCloseable {
    /** How often {@link dev.cairn.common.Durability#EVERY_SECOND} files are synced. */
    public static final long FLUSH_INTERVAL_MS = 1000;

    private final StorageFileSystem fs;
    private final Path root;
    private final DirectoryLock lock;
    private final BackgroundFlusher flusher;
    private final StorageMetrics metrics = new StorageMetrics();
    private volatile boolean closed;

    private Storage(StorageFileSystem fs, Path root, DirectoryLock lock, long flushIntervalMs) {
        this.fs = fs;
        this.root = root;
        this.lock = lock;
        this.flusher = new BackgroundFlusher(flushIntervalMs);
    }

    /** Opens (creating if needed) and locks a data directory on the real file system. */
    public static Storage open(Path root) {
        return open(new RealFileSystem(), root, FLUSH_INTERVAL_MS);
    }

    /** An in-memory storage: nothing touches the disk. */
    public static Storage inMemory() {
        return open(new MemoryFileSystem(), Path.of("/cairn-memory"), FLUSH_INTERVAL_MS);
    }

    /** Opens (creating if needed) and locks {@code root} on {@code fs}. */
    public static Storage open(StorageFileSystem fs, Path root, long flushIntervalMs) {
        Objects.requireNonNull(fs, "fs");
        Path absolute = root.toAbsolutePath().normalize();
        try {
            fs.createDirectoryDurably(absolute);
        } catch (IOException e) {
            throw new StorageException(cannotCreate(fs, absolute, e), e);
        }
        DirectoryLock lock = DirectoryLock.acquire(fs, absolute);
        return new Storage(fs, absolute, lock, flushIntervalMs);
    }

    /** Why {@code root} could not be created, in words: the file in the way, a denied permission, or the I/O error. */
    private static String cannotCreate(StorageFileSystem fs, Path root, IOException e) {
        for (Path p = root; p != null; p = p.getParent()) {
            if (fs.exists(p) && !fs.isDirectory(p)) {
                return "cannot use " + root + " as the data directory: " + p + " exists and is not a directory";
            }
        }
        if (e instanceof AccessDeniedException denied) {
            return "cannot create data directory " + root + ": permission denied on "
                    + (denied.getFile() != null ? denied.getFile() : root);
        }
        return "cannot create data directory " + root + ": " + e;
    }

    public StorageFileSystem fs() {
        return fs;
    }

    /** The data directory, absolute. */
    public Path root() {
        return root;
    }

    public BackgroundFlusher flusher() {
        return flusher;
    }

    public StorageMetrics metrics() {
        return metrics;
    }

    /** Throws {@link ClosedException} if this storage is closed. */
    public void ensureOpen() {
        if (closed) {
            throw new ClosedException("storage at " + root);
        }
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            flusher.close();
        } finally {
            lock.close();
        }
    }
}
