package dev.cairn.storage;

import dev.cairn.common.StorageException;
import dev.cairn.storage.fs.StorageFileSystem;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;

/**
 * One owner per data directory: an exclusive lock on {@code cairn.lock} inside it, held from
 * open to close. A second open of the same directory, from this process or another, fails at
 * once with a {@link StorageException} naming the directory and, when known, the holder's pid.
 *
 * <p>Thread-safe; {@link #close()} is idempotent.
 */
public final class DirectoryLock implements AutoCloseable {
    public static final String FILE_NAME = "cairn.lock";

    private final Path directory;
    private Closeable held;

    private DirectoryLock(Path directory, Closeable held) {
        this.directory = directory;
        this.held = held;
    }

    /** Locks {@code directory}, which must exist. */
    public static DirectoryLock acquire(StorageFileSystem fs, Path directory) {
        try {
            return new DirectoryLock(directory, fs.lock(directory.resolve(FILE_NAME)));
        } catch (StorageFileSystem.LockHeldException e) {
            throw new StorageException("data directory " + directory + " is already in use: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new StorageException("cannot lock data directory " + directory + ": " + e.getMessage(), e);
        }
    }

    public Path directory() {
        return directory;
    }

    @Override
    public synchronized void close() {
        if (held == null) {
            return;
        }
        try {
            held.close();
        } catch (IOException e) {
            throw new StorageException("cannot release the lock on " + directory + ": " + e.getMessage(), e);
        } finally {
            held = null;
        }
    }
}
