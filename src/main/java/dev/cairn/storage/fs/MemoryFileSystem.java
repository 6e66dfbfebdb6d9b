package dev.cairn.storage.fs;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Files held in memory: the file system of an in-memory Cairn, and of tests that want speed or
 * a simulated machine crash.
 *
 * <p>It keeps two views. The <em>current</em> view is what reads see. The <em>durable</em> view
 * is what would survive a power loss: each file's bytes as of its last {@code force()}, and
 * each directory's entries (creations, renames, deletions) as of its last
 * {@link #syncDirectory(Path)}. {@link #crash(Random)} replaces the current view by the durable
 * one, optionally keeping a random prefix of each file's unsynced appended bytes (a torn
 * write-back), and invalidates every open handle. Directories themselves are durable as soon
 * as they are created.
 *
 * <p>Files are limited to {@link Integer#MAX_VALUE} bytes. Thread-safe: the namespace is guarded
 * by this object's monitor, each file's bytes by the file's own.
 */
public final class MemoryFileSystem implements StorageFileSystem {

    private final Map<Path, Node> files = new HashMap<>();
    private final Map<Path, Node> durableFiles = new HashMap<>();
    private final Set<Path> directories = new HashSet<>();
    private final Set<Path> heldLocks = new HashSet<>();
    /** Bumped by every crash; handles opened before it fail. */
    private volatile int generation;

    /** A write here is already a copy into memory; buffering would only add one. */
    @Override
    public boolean coalesceWrites() {
        return false;
    }

    @Override
    public synchronized StorageFile open(Path file) throws IOException {
        Node node = files.get(key(file));
        if (node == null) {
            requireParent(file);
            node = new Node();
            files.put(key(file), node);
        }
        return new Handle(node, file, generation);
    }

    @Override
    public synchronized StorageFile openExisting(Path file) throws IOException {
        Node node = files.get(key(file));
        if (node == null) {
            throw new NoSuchFileException(file.toString());
        }
        return new Handle(node, file, generation);
    }

    @Override
    public synchronized boolean exists(Path path) {
        Path key = key(path);
        return files.containsKey(key) || directories.contains(key);
    }

    @Override
    public synchronized boolean isDirectory(Path path) {
        return directories.contains(key(path));
    }

    @Override
    public synchronized long size(Path file) throws IOException {
        Node node = files.get(key(file));
        if (node == null) {
            throw new NoSuchFileException(file.toString());
        }
        return node.length();
    }

    @Override
    public synchronized void createDirectories(Path directory) throws IOException {
        for (Path p = key(directory); p != null; p = p.getParent()) {
            if (files.containsKey(p)) {
                throw new FileAlreadyExistsException(p.toString(), null, "a file, not a directory");
            }
            directories.add(p);
        }
    }

    @Override
    public synchronized List<Path> list(Path directory) {
        Path dir = key(directory);
        List<Path> entries = new ArrayList<>();
        for (Path p : files.keySet()) {
            if (dir.equals(p.getParent())) {
                entries.add(p);
            }
        }
        for (Path p : directories) {
            if (dir.equals(p.getParent())) {
                entries.add(p);
            }
        }
        entries.sort(null);
        return entries;
    }

    @Override
    public synchronized boolean delete(Path path) throws IOException {
        Path key = key(path);
        if (files.remove(key) != null) {
            return true;
        }
        if (directories.contains(key)) {
            if (!list(key).isEmpty()) {
                throw new IOException("directory not empty: " + path);
            }
            directories.remove(key);
            // Directories are durable as soon as made and gone as soon as deleted: what the durable
            // view still held in this one can never come back, and keeping it would hold every
            // deleted topic's bytes in memory for ever.
            durableFiles.keySet().removeIf(p -> key.equals(p.getParent()));
            return true;
        }
        return false;
    }

    @Override
    public synchronized void atomicMove(Path source, Path target) throws IOException {
        Node node = files.remove(key(source));
        if (node == null) {
            throw new NoSuchFileException(source.toString());
        }
        files.put(key(target), node);
    }

    @Override
    public synchronized void syncDirectory(Path directory) throws IOException {
        Path dir = key(directory);
        if (!directories.contains(dir)) {
            throw new NoSuchFileException(directory.toString());
        }
        durableFiles.keySet().removeIf(p -> dir.equals(p.getParent()));
        files.forEach((p, node) -> {
            if (dir.equals(p.getParent())) {
                durableFiles.put(p, node);
            }
        });
    }

    @Override
    public synchronized Closeable lock(Path lockFile) throws IOException {
        Path key = key(lockFile);
        if (!heldLocks.add(key)) {
            throw new LockHeldException(lockFile + " is locked by another owner in this process");
        }
        open(lockFile).close();
        return () -> {
            synchronized (MemoryFileSystem.this) {
                heldLocks.remove(key);
            }
        };
    }

    /**
     * Simulates a power loss: every file and directory entry reverts to its durable state;
     * open handles and locks become invalid.
     *
     * @param tornWriteBack when not null, each file also keeps a random-length prefix of the bytes
     *     appended after its last force, as a disk that wrote back part of its cache would
     */
    public synchronized void crash(Random tornWriteBack) {
        generation++;
        files.clear();
        heldLocks.clear();
        Set<Node> reverted = new HashSet<>();
        durableFiles.forEach((p, node) -> {
            if (reverted.add(node)) {
                node.revertToDurable(tornWriteBack);
            }
            files.put(p, node);
        });
    }

    /** A copy of the current bytes of {@code file}, for tests. */
    public synchronized byte[] contents(Path file) throws IOException {
        Node node = files.get(key(file));
        if (node == null) {
            throw new NoSuchFileException(file.toString());
        }
        return node.copy();
    }

    private void requireParent(Path file) throws IOException {
        Path parent = key(file).getParent();
        if (parent != null && !directories.contains(parent)) {
            throw new NoSuchFileException(file.toString(), null, "no parent directory");
        }
    }

    private static Path key(Path path) {
        return path.toAbsolutePath().normalize();
    }

    /** One file's bytes, current and durable. Guarded by its own monitor. */
    private static final class Node {
        private byte[] data = new byte[0];
        private int length;
        /** Bytes [0, durableLength) are durable, unless {@link #durableCopy} says otherwise. */
        private int durableLength;
        /** The durable bytes, kept only once a write or truncation touched the durable prefix. */
        private byte[] durableCopy;

        synchronized int length() {
            return length;
        }

        synchronized byte[] copy() {
            return Arrays.copyOf(data, length);
        }

        synchronized void write(ByteBuffer source, long position) throws IOException {
            int count = source.remaining();
            long end = position + count;
            if (end > Integer.MAX_VALUE) {
                throw new IOException("in-memory file would exceed " + Integer.MAX_VALUE + " bytes");
            }
            if (position < durableLength) {
                preserveDurable();
            }
            if (end > data.length) {
                data = Arrays.copyOf(data, (int) Math.min(Integer.MAX_VALUE, Math.max(end, data.length * 2L + 64)));
            }
            if (position > length) {
                Arrays.fill(data, length, (int) position, (byte) 0);
            }
            source.get(data, (int) position, count);
            length = Math.max(length, (int) end);
        }

        synchronized int read(ByteBuffer target, long position) {
            if (position >= length) {
                return 0;
            }
            int count = (int) Math.min(target.remaining(), length - position);
            target.put(data, (int) position, count);
            return count;
        }

        synchronized void truncate(long sizeBytes) {
            if (sizeBytes < length) {
                if (sizeBytes < durableLength) {
                    preserveDurable();
                }
                length = (int) sizeBytes;
            }
        }

        synchronized void force() {
            durableLength = length;
            durableCopy = null;
        }

        private void preserveDurable() {
            if (durableCopy == null) {
                durableCopy = Arrays.copyOf(data, durableLength);
            }
        }

        synchronized void revertToDurable(Random tornWriteBack) {
            int keep = 0;
            if (tornWriteBack != null && durableCopy == null && length > durableLength) {
                keep = tornWriteBack.nextInt(length - durableLength + 1);
            }
            if (durableCopy != null) {
                data = durableCopy;
                length = durableCopy.length;
            } else {
                length = durableLength + keep;
            }
            durableCopy = null;
            durableLength = length;
        }
    }

    /** An open handle; fails once the file system has crashed since it was opened. */
    private final class Handle implements StorageFile {
        private final Node node;
        private final Path path;
        private final int openedInGeneration;
        private volatile boolean closed;

        Handle(Node node, Path path, int openedInGeneration) {
            this.node = node;
            this.path = path;
            this.openedInGeneration = openedInGeneration;
        }

        private void check() throws IOException {
            if (closed) {
                throw new IOException(path + ": handle is closed");
            }
            if (generation != openedInGeneration) {
                throw new IOException(path + ": handle lost in a simulated crash");
            }
        }

        @Override
        public void write(ByteBuffer source, long position) throws IOException {
            check();
            node.write(source, position);
        }

        @Override
        public int read(ByteBuffer target, long position) throws IOException {
            check();
            return node.read(target, position);
        }

        @Override
        public long size() throws IOException {
            check();
            return node.length();
        }

        @Override
        public void truncate(long sizeBytes) throws IOException {
            check();
            node.truncate(sizeBytes);
        }

        @Override
        public void force() throws IOException {
            check();
            node.force();
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
