package dev.cairn.storage.fs;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Wraps a file system so that a test can cut a process off its disk: after {@link #cut()} every
 * operation through this wrapper fails with an {@link IOException} (and {@link #exists} and
 * {@link #isDirectory} answer false), so an abandoned instance whose threads are still running
 * can no longer change the files. Crash the {@link MemoryFileSystem} underneath after the cut,
 * and open the next instance through a new wrapper: what it finds is what the power loss left,
 * with nothing the dead process wrote afterwards (a checkpoint at close, say).
 *
 * <p>{@link #cut()} waits for operations already running to finish, so none lands after it
 * returns. Thread-safe.
 */
public final class PowerCutFileSystem implements StorageFileSystem {
    private final StorageFileSystem delegate;
    /** Operations hold it shared; {@link #cut()} takes it exclusively, so it waits for them. */
    private final ReadWriteLock power = new ReentrantReadWriteLock();
    private volatile boolean cut;

    public PowerCutFileSystem(StorageFileSystem delegate) {
        this.delegate = delegate;
    }

    /** From now on every operation fails; returns once no operation is running. Idempotent. */
    public void cut() {
        power.writeLock().lock();
        try {
            cut = true;
        } finally {
            power.writeLock().unlock();
        }
    }

    /** One operation on the delegate, refused once the power is cut. */
    @FunctionalInterface
    private interface Operation<T> {
        T run() throws IOException;
    }

    private <T> T powered(Operation<T> operation) throws IOException {
        power.readLock().lock();
        try {
            if (cut) {
                throw new IOException("power cut: the disk is gone for this process");
            }
            return operation.run();
        } finally {
            power.readLock().unlock();
        }
    }

    private boolean poweredTest(Operation<Boolean> test) {
        try {
            return powered(test);
        } catch (IOException cutOff) {
            return false;
        }
    }

    @Override
    public boolean coalesceWrites() {
        return delegate.coalesceWrites();
    }

    @Override
    public StorageFile open(Path file) throws IOException {
        return powered(() -> new PoweredFile(delegate.open(file)));
    }

    @Override
    public StorageFile openExisting(Path file) throws IOException {
        return powered(() -> new PoweredFile(delegate.openExisting(file)));
    }

    @Override
    public boolean exists(Path path) {
        return poweredTest(() -> delegate.exists(path));
    }

    @Override
    public boolean isDirectory(Path path) {
        return poweredTest(() -> delegate.isDirectory(path));
    }

    @Override
    public long size(Path file) throws IOException {
        return powered(() -> delegate.size(file));
    }

    @Override
    public void createDirectories(Path directory) throws IOException {
        powered(() -> {
            delegate.createDirectories(directory);
            return null;
        });
    }

    @Override
    public List<Path> list(Path directory) throws IOException {
        return powered(() -> delegate.list(directory));
    }

    @Override
    public boolean delete(Path path) throws IOException {
        return powered(() -> delegate.delete(path));
    }

    @Override
    public void atomicMove(Path source, Path target) throws IOException {
        powered(() -> {
            delegate.atomicMove(source, target);
            return null;
        });
    }

    @Override
    public void syncDirectory(Path directory) throws IOException {
        powered(() -> {
            delegate.syncDirectory(directory);
            return null;
        });
    }

    /** Locks pass through: releasing one after the cut must still work, and a crash clears them anyway. */
    @Override
    public Closeable lock(Path lockFile) throws IOException {
        return powered(() -> delegate.lock(lockFile));
    }

    /** A handle whose every operation is refused once the power is cut; closing it always works. */
    private final class PoweredFile implements StorageFile {
        private final StorageFile file;

        PoweredFile(StorageFile file) {
            this.file = file;
        }

        @Override
        public void write(ByteBuffer source, long position) throws IOException {
            powered(() -> {
                file.write(source, position);
                return null;
            });
        }

        @Override
        public int read(ByteBuffer target, long position) throws IOException {
            return powered(() -> file.read(target, position));
        }

        @Override
        public long size() throws IOException {
            return powered(file::size);
        }

        @Override
        public void truncate(long sizeBytes) throws IOException {
            powered(() -> {
                file.truncate(sizeBytes);
                return null;
            });
        }

        @Override
        public void force() throws IOException {
            powered(() -> {
                file.force();
                return null;
            });
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }
}
