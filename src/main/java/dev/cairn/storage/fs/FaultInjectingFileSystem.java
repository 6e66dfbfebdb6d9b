package dev.cairn.storage.fs;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Wraps another file system and injects the failures a disk can produce, for the reliability
 * tests: a write torn after N bytes, a failed fsync, a full disk, a failed rename or delete,
 * and a flipped bit. It also counts the files open through it, for tests of handle leaks.
 *
 * <p>Writes, forces and directory changes (renames and deletes) are each numbered from 1 in the
 * order they reach this wrapper, across all files, so a test can run a workload once to count
 * them and then fail "the N-th write" for every N. Each armed fault fires once. Thread-safe.
 */
public final class FaultInjectingFileSystem implements StorageFileSystem {

    private final StorageFileSystem delegate;
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong forces = new AtomicLong();
    private final AtomicLong directoryChanges = new AtomicLong();
    private volatile long failDirectoryChangeNumber = -1;
    /** Handles opened through this wrapper and not closed yet. */
    private final AtomicLong openFiles = new AtomicLong();
    private volatile long tearWriteNumber = -1;
    private volatile int tearKeepBytes;
    private volatile long failForceNumber = -1;
    private final AtomicReference<Hold> writeHold = new AtomicReference<>();
    private final AtomicReference<Hold> forceHold = new AtomicReference<>();
    /** Bytes still writable before the disk is full; negative means unlimited. */
    private final AtomicLong freeSpaceBytes = new AtomicLong(-1);

    public FaultInjectingFileSystem(StorageFileSystem delegate) {
        this.delegate = delegate;
    }

    /** The file system underneath, for inspecting or crashing it. */
    public StorageFileSystem delegate() {
        return delegate;
    }

    /** Writes that reached this wrapper so far. */
    public long writeCount() {
        return writes.get();
    }

    /** Forces (fsyncs of files) that reached this wrapper so far. */
    public long forceCount() {
        return forces.get();
    }

    /** Renames and deletes that reached this wrapper so far. */
    public long directoryChangeCount() {
        return directoryChanges.get();
    }

    /** The {@code number}-th rename or delete fails without changing anything. */
    public void failDirectoryChange(long number) {
        failDirectoryChangeNumber = number;
    }

    /** Files opened through this wrapper and not closed yet. */
    public long openFiles() {
        return openFiles.get();
    }

    private void directoryChange(String what, Path path) throws IOException {
        long number = directoryChanges.incrementAndGet();
        if (number == failDirectoryChangeNumber) {
            failDirectoryChangeNumber = -1;
            throw new IOException("injected fault: " + what + " of " + path + " (directory change " + number
                    + ") failed");
        }
    }

    /** The {@code writeNumber}-th write stores only its first {@code keepBytes} bytes, then fails. */
    public void tearWrite(long writeNumber, int keepBytes) {
        tearKeepBytes = keepBytes;
        tearWriteNumber = writeNumber;
    }

    /**
     * The {@code writeNumber}-th write waits, before writing, until {@code release} opens;
     * {@code entered} opens when it starts waiting. For tests of what may go on during a write.
     */
    public void holdWrite(long writeNumber, CountDownLatch entered, CountDownLatch release) {
        writeHold.set(new Hold(writeNumber, entered, release));
    }

    /**
     * The {@code forceNumber}-th force waits, before syncing, until {@code release} opens;
     * {@code entered} opens when it starts waiting: a disk that takes its time.
     */
    public void holdForce(long forceNumber, CountDownLatch entered, CountDownLatch release) {
        forceHold.set(new Hold(forceNumber, entered, release));
    }

    /** The {@code number}-th operation of a kind waits for {@code release} ({@link #holdWrite}, {@link #holdForce}). */
    private record Hold(long number, CountDownLatch entered, CountDownLatch release) {
    }

    /** Waits if {@code hold} is set for operation {@code number}, clearing it: each hold catches one operation. */
    private static void waitIfHeld(AtomicReference<Hold> hold, long number, String what) throws IOException {
        Hold h = hold.get();
        if (h == null || h.number() != number || !hold.compareAndSet(h, null)) {
            return;
        }
        h.entered().countDown();
        try {
            h.release().await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while a held " + what + " waited", e);
        }
    }

    /** The {@code forceNumber}-th force fails without making anything durable. */
    public void failForce(long forceNumber) {
        failForceNumber = forceNumber;
    }

    /** From now on at most {@code bytes} more bytes can be written; negative lifts the limit. */
    public void setFreeSpace(long bytes) {
        freeSpaceBytes.set(bytes);
    }

    /** Flips bit {@code bit} (0-7) of the byte at {@code position} of {@code file}. */
    public void flipBit(Path file, long position, int bit) throws IOException {
        try (StorageFile f = delegate.openExisting(file)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            if (f.read(one, position) != 1) {
                throw new IOException("position " + position + " is past the end of " + file);
            }
            one.put(0, (byte) (one.get(0) ^ (1 << bit)));
            f.write(one.rewind(), position);
        }
    }

    /** Always: it stands in for a disk, where buffered writes and their faults matter. */
    @Override
    public boolean coalesceWrites() {
        return true;
    }

    @Override
    public StorageFile open(Path file) throws IOException {
        return new FaultyFile(delegate.open(file));
    }

    @Override
    public StorageFile openExisting(Path file) throws IOException {
        return new FaultyFile(delegate.openExisting(file));
    }

    @Override
    public boolean exists(Path path) {
        return delegate.exists(path);
    }

    @Override
    public boolean isDirectory(Path path) {
        return delegate.isDirectory(path);
    }

    @Override
    public long size(Path file) throws IOException {
        return delegate.size(file);
    }

    @Override
    public void createDirectories(Path directory) throws IOException {
        delegate.createDirectories(directory);
    }

    @Override
    public List<Path> list(Path directory) throws IOException {
        return delegate.list(directory);
    }

    @Override
    public boolean delete(Path path) throws IOException {
        directoryChange("delete", path);
        return delegate.delete(path);
    }

    @Override
    public void atomicMove(Path source, Path target) throws IOException {
        directoryChange("rename", source);
        delegate.atomicMove(source, target);
    }

    @Override
    public void syncDirectory(Path directory) throws IOException {
        delegate.syncDirectory(directory);
    }

    @Override
    public Closeable lock(Path lockFile) throws IOException {
        return delegate.lock(lockFile);
    }

    /** Takes up to {@code wanted} bytes of free space; returns how many were granted. */
    private int reserve(int wanted) {
        while (true) {
            long free = freeSpaceBytes.get();
            if (free < 0) {
                return wanted;
            }
            int granted = (int) Math.min(free, wanted);
            if (freeSpaceBytes.compareAndSet(free, free - granted)) {
                return granted;
            }
        }
    }

    private final class FaultyFile implements StorageFile {
        private final StorageFile file;
        private final AtomicBoolean closed = new AtomicBoolean();

        FaultyFile(StorageFile file) {
            this.file = file;
            openFiles.incrementAndGet();
        }

        @Override
        public void write(ByteBuffer source, long position) throws IOException {
            long number = writes.incrementAndGet();
            waitIfHeld(writeHold, number, "write");
            int wanted = source.remaining();
            if (number == tearWriteNumber) {
                tearWriteNumber = -1;
                int keep = Math.min(tearKeepBytes, wanted);
                writePrefix(source, position, keep);
                throw new IOException("injected fault: write " + number + " torn after " + keep + " of "
                        + wanted + " bytes");
            }
            int granted = reserve(wanted);
            if (granted < wanted) {
                writePrefix(source, position, granted);
                throw new IOException("injected fault: No space left on device (wrote " + granted + " of "
                        + wanted + " bytes)");
            }
            file.write(source, position);
        }

        private void writePrefix(ByteBuffer source, long position, int count) throws IOException {
            ByteBuffer prefix = source.duplicate();
            prefix.limit(prefix.position() + count);
            file.write(prefix, position);
            source.position(source.position() + count);
        }

        @Override
        public int read(ByteBuffer target, long position) throws IOException {
            return file.read(target, position);
        }

        @Override
        public long size() throws IOException {
            return file.size();
        }

        @Override
        public void truncate(long sizeBytes) throws IOException {
            file.truncate(sizeBytes);
        }

        @Override
        public void force() throws IOException {
            long number = forces.incrementAndGet();
            waitIfHeld(forceHold, number, "fsync");
            if (number == failForceNumber) {
                failForceNumber = -1;
                throw new IOException("injected fault: fsync " + number + " failed");
            }
            file.force();
        }

        @Override
        public void close() throws IOException {
            if (closed.compareAndSet(false, true)) {
                openFiles.decrementAndGet();
            }
            file.close();
        }
    }
}
