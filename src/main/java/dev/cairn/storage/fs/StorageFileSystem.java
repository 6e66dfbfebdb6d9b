package dev.cairn.storage.fs;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The seam between Cairn's storage layer and the disk. Everything the storage layer does to
 * files goes through one of these, so that the same code runs on real files
 * ({@link RealFileSystem}), in memory ({@link MemoryFileSystem}) and under injected faults
 * ({@link FaultInjectingFileSystem}).
 *
 * <p>Paths are plain {@link Path} values used as names; the memory implementation never
 * touches the disk behind them. Creating, renaming and deleting a file changes its parent
 * directory, which is durable only after {@link #syncDirectory(Path)}.
 *
 * <p>Thread-safe.
 */
public interface StorageFileSystem {

    /**
     * Whether a write costs enough (a system call) that appends should be coalesced in a write
     * buffer before they reach the file. False for memory, where a write is a copy already.
     */
    default boolean coalesceWrites() {
        return true;
    }

    /** Opens {@code file} for reading and writing, creating it empty if it does not exist. */
    StorageFile open(Path file) throws IOException;

    /** Opens an existing {@code file}; fails with {@link java.nio.file.NoSuchFileException} if absent. */
    StorageFile openExisting(Path file) throws IOException;

    boolean exists(Path path);

    boolean isDirectory(Path path);

    /** The size of an existing file in bytes. */
    long size(Path file) throws IOException;

    /** Creates {@code directory} and any missing parents. */
    void createDirectories(Path directory) throws IOException;

    /**
     * Creates {@code directory} if it is missing and makes its entry durable in its parent, so a
     * power loss cannot take away a directory whose files were fsynced.
     */
    default void createDirectoryDurably(Path directory) throws IOException {
        Path absolute = directory.toAbsolutePath();
        boolean existed = exists(absolute);
        createDirectories(absolute);
        if (!existed && absolute.getParent() != null) {
            syncDirectory(absolute.getParent());
        }
    }

    /** The entries of {@code directory}, sorted by name; empty if it does not exist. */
    List<Path> list(Path directory) throws IOException;

    /** Deletes a file or an empty directory. @return whether it existed */
    boolean delete(Path path) throws IOException;

    /** Renames {@code source} to {@code target} atomically, replacing {@code target} if present. */
    void atomicMove(Path source, Path target) throws IOException;

    /** Makes the creation, renaming and deletion of entries in {@code directory} durable. */
    void syncDirectory(Path directory) throws IOException;

    /**
     * Takes an exclusive lock on {@code lockFile} (created if missing), held until the returned
     * handle is closed. Fails at once if the lock is held by this or another process.
     *
     * @throws LockHeldException if someone else holds the lock
     */
    Closeable lock(Path lockFile) throws IOException;

    /** Thrown by {@link #lock(Path)} when the lock is already held. */
    final class LockHeldException extends IOException {
        private static final long serialVersionUID = 1L;

        public LockHeldException(String message) {
            super(message);
        }
    }
}
