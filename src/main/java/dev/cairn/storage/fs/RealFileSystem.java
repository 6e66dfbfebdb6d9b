package dev.cairn.storage.fs;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Real files through {@link FileChannel}: positional reads and writes, {@code fdatasync} for
 * {@link StorageFile#force()}, a directory fsync through a read-only channel on the directory,
 * and an OS file lock (plus the JVM's own overlap check) for {@link #lock(Path)}.
 *
 * <p>Thread-safe; stateless.
 */
public final class RealFileSystem implements StorageFileSystem {

    @Override
    public StorageFile open(Path file) throws IOException {
        return new ChannelFile(file, FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE));
    }

    @Override
    public StorageFile openExisting(Path file) throws IOException {
        return new ChannelFile(file, FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE));
    }

    @Override
    public boolean exists(Path path) {
        return Files.exists(path);
    }

    @Override
    public boolean isDirectory(Path path) {
        return Files.isDirectory(path);
    }

    @Override
    public long size(Path file) throws IOException {
        return Files.size(file);
    }

    @Override
    public void createDirectories(Path directory) throws IOException {
        Files.createDirectories(directory);
    }

    @Override
    public List<Path> list(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(directory)) {
            List<Path> sorted = new ArrayList<>(entries.toList());
            sorted.sort(null);
            return sorted;
        }
    }

    @Override
    public boolean delete(Path path) throws IOException {
        return Files.deleteIfExists(path);
    }

    @Override
    public void atomicMove(Path source, Path target) throws IOException {
        Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Windows cannot open a directory as a file to fsync it (the open fails with "access
     * denied"); NTFS makes a rename or a new entry durable through its own journal, so there is
     * nothing to do there. Lucene's {@code IOUtils.fsync} skips directories on Windows for the
     * same reason.
     */
    private static final boolean DIRECTORY_SYNC_UNSUPPORTED =
            System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");

    @Override
    public void syncDirectory(Path directory) throws IOException {
        if (DIRECTORY_SYNC_UNSUPPORTED) {
            return;
        }
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    @Override
    public Closeable lock(Path lockFile) throws IOException {
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException heldInThisJvm) {
            lock = null;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            String holder = readHolder(channel);
            channel.close();
            throw new LockHeldException(lockFile + " is locked by " + holder);
        }
        // Record the holder for the error message a second opener sees.
        byte[] pid = ("pid " + ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(pid), 0);
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

    private static String readHolder(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(64);
            channel.read(buffer, 0);
            String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).trim();
            return text.isEmpty() ? "another owner" : "another owner (" + text + ")";
        } catch (IOException e) {
            return "another owner";
        }
    }

    /**
     * A {@link StorageFile} over one {@link FileChannel}.
     *
     * <p>A thread interrupted during channel I/O makes the JDK close the channel, for every thread
     * using it. Callers of an embedded library get interrupted (executor shutdowns, timeouts), and
     * one such caller must not break the file for the others: the channel is reopened and the
     * operation retried with the interrupt flag held back, then restored. Positional writes and
     * fsync are idempotent, so a retry is safe.
     */
    private static final class ChannelFile implements StorageFile {
        private final Path path;
        private volatile FileChannel channel;
        private volatile boolean closed;

        ChannelFile(Path path, FileChannel channel) {
            this.path = path;
            this.channel = channel;
        }

        @FunctionalInterface
        private interface ChannelCall<T> {
            T apply(FileChannel channel) throws IOException;
        }

        private <T> T call(ChannelCall<T> operation) throws IOException {
            boolean interrupted = false;
            try {
                while (true) {
                    FileChannel current = channel;
                    try {
                        return operation.apply(current);
                    } catch (ClosedChannelException e) {
                        if (closed) {
                            throw e;
                        }
                        interrupted |= Thread.interrupted();
                        reopen(current);
                    }
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private synchronized void reopen(FileChannel broken) throws IOException {
            if (channel == broken && !closed) {
                channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            }
        }

        @Override
        public void write(ByteBuffer source, long position) throws IOException {
            long start = position - source.position();
            call(c -> {
                while (source.hasRemaining()) {
                    c.write(source, start + source.position());
                }
                return null;
            });
        }

        @Override
        public int read(ByteBuffer target, long position) throws IOException {
            int first = target.position();
            return call(c -> {
                while (target.hasRemaining()) {
                    int n = c.read(target, position + target.position() - first);
                    if (n < 0) {
                        break;
                    }
                }
                return target.position() - first;
            });
        }

        @Override
        public long size() throws IOException {
            return call(FileChannel::size);
        }

        @Override
        public void truncate(long sizeBytes) throws IOException {
            call(c -> c.truncate(sizeBytes));
        }

        @Override
        public void force() throws IOException {
            // fdatasync: the data and the size, not the timestamps.
            call(c -> {
                c.force(false);
                return null;
            });
        }

        @Override
        public synchronized void close() throws IOException {
            closed = true;
            channel.close();
        }
    }
}
