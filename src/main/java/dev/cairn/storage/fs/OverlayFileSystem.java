package dev.cairn.storage.fs;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Real files seen through a layer in memory that takes every change: the file system of a
 * read-only open. Reads see the files on disk; a write, a truncation, a new file or directory, a
 * deletion or a rename is kept in memory, seen by later calls on this instance, and dropped with
 * it. Nothing on disk is created, written, renamed, deleted, or has its modification time changed,
 * so recovery can run its usual course (cut a torn tail, rebuild an index, remove a leftover) and
 * the directory stays as it was.
 *
 * <p>{@link #lock(Path)} takes a <em>shared</em> OS lock on an existing lock file through a
 * read-only channel: it fails while a Cairn holds the directory (its lock is exclusive), and keeps
 * one from opening the directory while it is held. A missing lock file is not created (no Cairn
 * can hold it) and nothing is locked then.
 *
 * <p>Files in the layer are limited to {@link Integer#MAX_VALUE} bytes of changes each. Thread-safe:
 * the namespace is guarded by this object's monitor, each file's content by its own.
 */
public final class OverlayFileSystem implements StorageFileSystem {
    /** Files opened, created or renamed through this instance, by absolute path. */
    private final Map<Path, Content> files = new HashMap<>();
    /** Paths on disk that this instance deleted or renamed away. */
    private final Set<Path> hidden = new HashSet<>();
    /** Directories created in memory. */
    private final Set<Path> directories = new HashSet<>();

    private static Path key(Path path) {
        return path.toAbsolutePath().normalize();
    }

    private boolean onDisk(Path p) {
        return !hidden.contains(p) && Files.exists(p);
    }

    @Override
    public synchronized StorageFile open(Path file) throws IOException {
        Path p = key(file);
        Content content = files.get(p);
        if (content == null) {
            content = onDisk(p) ? Content.of(p) : new Content(null, 0);
            files.put(p, content);
            hidden.remove(p);
        }
        return new Handle(content);
    }

    @Override
    public synchronized StorageFile openExisting(Path file) throws IOException {
        Path p = key(file);
        if (!files.containsKey(p) && !onDisk(p)) {
            throw new NoSuchFileException(file.toString());
        }
        return open(p);
    }

    @Override
    public synchronized boolean exists(Path path) {
        Path p = key(path);
        return files.containsKey(p) || directories.contains(p) || onDisk(p);
    }

    @Override
    public synchronized boolean isDirectory(Path path) {
        Path p = key(path);
        return directories.contains(p) || !files.containsKey(p) && !hidden.contains(p) && Files.isDirectory(p);
    }

    @Override
    public synchronized long size(Path file) throws IOException {
        Path p = key(file);
        Content content = files.get(p);
        if (content != null) {
            return content.size();
        }
        if (!onDisk(p)) {
            throw new NoSuchFileException(file.toString());
        }
        return Files.size(p);
    }

    @Override
    public synchronized void createDirectories(Path directory) throws IOException {
        for (Path p = key(directory); p != null && !isDirectory(p); p = p.getParent()) {
            directories.add(p);
            hidden.remove(p);
        }
    }

    @Override
    public synchronized List<Path> list(Path directory) throws IOException {
        Path dir = key(directory);
        if (!isDirectory(dir)) {
            return List.of();
        }
        Set<Path> entries = new TreeSet<>();
        if (!directories.contains(dir) && Files.isDirectory(dir)) {
            try (Stream<Path> onDisk = Files.list(dir)) {
                onDisk.map(OverlayFileSystem::key).filter(p -> !hidden.contains(p)).forEach(entries::add);
            }
        }
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
        return new ArrayList<>(entries);
    }

    @Override
    public synchronized boolean delete(Path path) throws IOException {
        Path p = key(path);
        boolean existed = exists(p);
        files.remove(p);
        directories.remove(p);
        if (Files.exists(p)) {
            hidden.add(p);
        }
        return existed;
    }

    @Override
    public synchronized void atomicMove(Path source, Path target) throws IOException {
        Path s = key(source);
        Path t = key(target);
        Content content = files.get(s);
        if (content == null) {
            if (!onDisk(s) || Files.isDirectory(s)) {
                throw new NoSuchFileException(source.toString());
            }
            content = Content.of(s);
        }
        delete(s);
        files.put(t, content);
        hidden.remove(t);
    }

    /**
     * How a file differs from its copy on disk, as {@link #changes()} reports it.
     *
     * @param path the file, absolute
     * @param kind what happened to it
     * @param sizeOnDisk its size on disk, or -1 if it is not on disk
     * @param size its size in this layer, or -1 if it was deleted
     */
    public record Change(Path path, Kind kind, long sizeOnDisk, long size) {
        /** What happened to a file. */
        public enum Kind {
            /** Made in this layer; not on disk. */
            CREATED,
            /** Cut short and not written to: the first {@code size} bytes of the file on disk. */
            TRUNCATED,
            /** Written to (or replaced by a rename): its bytes differ from the disk's in a way not described. */
            REWRITTEN,
            /** On disk, deleted (or renamed away) in this layer. */
            DELETED
        }
    }

    /**
     * Every file this instance changed, by path: what applying its changes to the disk would do.
     * Files opened but not changed are left out. For the repair tool, which lists what recovery
     * did in the layer before it lets recovery do it on disk.
     */
    public synchronized List<Change> changes() throws IOException {
        Map<Path, Change> found = new java.util.TreeMap<>();
        for (Map.Entry<Path, Content> e : files.entrySet()) {
            Path p = e.getKey();
            Content content = e.getValue();
            long onDiskSize = Files.isRegularFile(p) ? Files.size(p) : -1;
            Change.Kind kind;
            synchronized (content) {
                if (!p.equals(content.basePath) || hidden.contains(p)) {
                    if (content.size == onDiskSize && sameAsDisk(p, content)) {
                        continue;
                    }
                    kind = onDiskSize < 0 ? Change.Kind.CREATED : Change.Kind.REWRITTEN;
                } else if (!content.writes.isEmpty()) {
                    if (content.size == onDiskSize && sameAsDisk(p, content)) {
                        continue;
                    }
                    kind = Change.Kind.REWRITTEN;
                } else if (content.size < onDiskSize) {
                    kind = Change.Kind.TRUNCATED;
                } else {
                    continue;
                }
                found.put(p, new Change(p, kind, onDiskSize, content.size));
            }
        }
        for (Path p : hidden) {
            if (!files.containsKey(p) && Files.isRegularFile(p)) {
                found.put(p, new Change(p, Change.Kind.DELETED, Files.size(p), -1));
            }
        }
        return new ArrayList<>(found.values());
    }

    /** Bytes compared by {@link #sameAsDisk}; a larger file written to counts as changed. */
    private static final int COMPARE_LIMIT_BYTES = 16 << 20;

    /**
     * Whether a file written to (or replaced by a rename) holds the bytes it has on disk: a file
     * written again unchanged (an index a close writes as it was) is no change.
     */
    private static boolean sameAsDisk(Path p, Content content) throws IOException {
        if (content.size > COMPARE_LIMIT_BYTES) {
            return false;
        }
        ByteBuffer layered = ByteBuffer.allocate((int) content.size);
        content.read(layered, 0);
        return java.util.Arrays.equals(layered.array(), Files.readAllBytes(p));
    }

    @Override
    public void syncDirectory(Path directory) {
        // Nothing reaches the disk, so there is nothing to make durable.
    }

    @Override
    public Closeable lock(Path lockFile) throws IOException {
        Path p = key(lockFile);
        if (!Files.exists(p)) {
            return () -> { };
        }
        FileChannel channel = FileChannel.open(p, StandardOpenOption.READ);
        FileLock lock;
        try {
            lock = channel.tryLock(0, Long.MAX_VALUE, true);
        } catch (OverlappingFileLockException heldInThisJvm) {
            lock = null;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            ByteBuffer holder = ByteBuffer.allocate(64);
            channel.read(holder, 0);
            channel.close();
            String text = new String(holder.array(), 0, holder.position(), StandardCharsets.US_ASCII).trim();
            throw new LockHeldException(lockFile + " is locked by a running Cairn"
                    + (text.isEmpty() ? "" : " (" + text + ")"));
        }
        FileLock held = lock;
        return () -> {
            try {
                if (held.isValid()) {
                    held.release();
                }
            } finally {
                channel.close();
            }
        };
    }

    /**
     * One file's content: a prefix of a file on disk ({@code basePath}, its first
     * {@code baseSize} bytes) with the writes made since laid over it in order, up to
     * {@code size}. Bytes covered by neither read as zeros, as a hole in a sparse file does.
     */
    private static final class Content {
        private final Path basePath;
        private long baseSize;
        private long size;
        /** Writes in the order they were made: a later one wins where they overlap. */
        private final List<Write> writes = new ArrayList<>();

        Content(Path basePath, long baseSize) {
            this.basePath = basePath;
            this.baseSize = baseSize;
            this.size = baseSize;
        }

        static Content of(Path onDisk) throws IOException {
            return new Content(onDisk, Files.size(onDisk));
        }

        synchronized long size() {
            return size;
        }

        synchronized int read(ByteBuffer target, long position) throws IOException {
            if (position >= size || !target.hasRemaining()) {
                return 0;
            }
            int n = (int) Math.min(target.remaining(), size - position);
            byte[] bytes = new byte[n];
            if (basePath != null && position < baseSize) {
                int fromBase = (int) Math.min(n, baseSize - position);
                try (FileChannel channel = FileChannel.open(basePath, StandardOpenOption.READ)) {
                    ByteBuffer into = ByteBuffer.wrap(bytes, 0, fromBase);
                    while (into.hasRemaining() && channel.read(into, position + into.position()) >= 0) {
                        // Reads until the prefix is in, or the file on disk ends early.
                    }
                }
            }
            for (Write w : writes) {
                long from = Math.max(position, w.position);
                long to = Math.min(position + n, w.position + w.bytes.length);
                if (from < to) {
                    System.arraycopy(w.bytes, (int) (from - w.position), bytes, (int) (from - position),
                            (int) (to - from));
                }
            }
            target.put(bytes);
            return n;
        }

        synchronized void write(ByteBuffer source, long position) {
            byte[] bytes = new byte[source.remaining()];
            source.get(bytes);
            writes.add(new Write(position, bytes));
            size = Math.max(size, position + bytes.length);
        }

        synchronized void truncate(long newSize) {
            if (newSize >= size) {
                return;
            }
            size = newSize;
            baseSize = Math.min(baseSize, newSize);
            List<Write> kept = new ArrayList<>(writes.size());
            for (Write w : writes) {
                if (w.position < newSize) {
                    int length = (int) Math.min(w.bytes.length, newSize - w.position);
                    kept.add(length == w.bytes.length ? w : new Write(w.position, java.util.Arrays.copyOf(w.bytes,
                            length)));
                }
            }
            writes.clear();
            writes.addAll(kept);
        }
    }

    private record Write(long position, byte[] bytes) {
    }

    /** A handle on a {@link Content}; closing it keeps the content (the namespace holds it). */
    private static final class Handle implements StorageFile {
        private final Content content;
        private volatile boolean closed;

        Handle(Content content) {
            this.content = content;
        }

        private void ensureOpen() throws IOException {
            if (closed) {
                throw new java.nio.channels.ClosedChannelException();
            }
        }

        @Override
        public void write(ByteBuffer source, long position) throws IOException {
            ensureOpen();
            content.write(source, position);
        }

        @Override
        public int read(ByteBuffer target, long position) throws IOException {
            ensureOpen();
            return content.read(target, position);
        }

        @Override
        public long size() throws IOException {
            ensureOpen();
            return content.size();
        }

        @Override
        public void truncate(long sizeBytes) throws IOException {
            ensureOpen();
            content.truncate(sizeBytes);
        }

        @Override
        public void force() throws IOException {
            ensureOpen();
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
