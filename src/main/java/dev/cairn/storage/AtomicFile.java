package dev.cairn.storage;

import dev.cairn.common.CorruptFileException;
import dev.cairn.common.StorageException;
import dev.cairn.storage.fs.StorageFile;
import dev.cairn.storage.fs.StorageFileSystem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Files replaced whole and atomically: written to a temporary sibling, fsynced, renamed over the
 * target, and the directory fsynced. A crash at any point leaves either the old file or the new
 * one, never a mixture. Used for snapshots, checkpoints, manifests and markers.
 *
 * <p>{@link #write} and {@link #read} frame a small payload in {@link SmallFileFormat} with a
 * checksum; {@link #begin} streams a large file of the owner's own format.
 *
 * <p>Thread-safety: stateless static methods; a {@link Writer} belongs to one thread. Two
 * writers of the same path at once are the owner's mistake.
 */
public final class AtomicFile {
    /** Suffix of the temporary file a replacement is written to before the rename. */
    public static final String TEMP_SUFFIX = ".tmp";

    private AtomicFile() {
    }

    /** Replaces {@code path} with {@code payload} framed in {@link SmallFileFormat}. */
    public static void write(StorageFileSystem fs, Path path, int magic, short version, ByteBuffer payload) {
        Writer writer = begin(fs, path);
        try {
            writer.write(SmallFileFormat.frame(magic, version, payload));
            writer.commit();
        } finally {
            writer.abortIfUncommitted();
        }
    }

    /**
     * Reads a small file written by {@link #write}.
     *
     * @return the payload, or empty if the file does not exist
     * @throws CorruptFileException if the file fails its checks, is of another kind, or of a
     *     newer version than {@code maxVersion}
     */
    public static Optional<ByteBuffer> read(StorageFileSystem fs, Path path, int magic, short maxVersion) {
        return readVersioned(fs, path, magic, maxVersion).map(Versioned::payload);
    }

    /** A small file's payload and the format version it was written with. */
    public record Versioned(short version, ByteBuffer payload) {
    }

    /**
     * {@link #read}, with the version the file was written with, for a format whose payload
     * differs between versions.
     *
     * @return the version (1 to {@code maxVersion}) and payload, or empty if the file does not exist
     * @throws CorruptFileException as {@link #read}
     */
    public static Optional<Versioned> readVersioned(StorageFileSystem fs, Path path, int magic, short maxVersion) {
        if (!fs.exists(path)) {
            return Optional.empty();
        }
        String name = path.toString();
        try (StorageFile file = fs.openExisting(path)) {
            long size = file.size();
            if (size < SmallFileFormat.HEADER_SIZE || size > Integer.MAX_VALUE) {
                throw new CorruptFileException(name, 0, "file of " + size + " bytes cannot hold a "
                        + SmallFileFormat.HEADER_SIZE + "-byte header and its payload");
            }
            ByteBuffer bytes = ByteBuffer.allocate((int) size);
            file.read(bytes, 0);
            bytes.flip();
            int foundMagic = bytes.getInt(SmallFileFormat.MAGIC_OFFSET);
            if (foundMagic != magic) {
                throw new CorruptFileException(name, SmallFileFormat.MAGIC_OFFSET,
                        String.format("magic 0x%08X, expected 0x%08X", foundMagic, magic));
            }
            int length = bytes.getInt(SmallFileFormat.LENGTH_OFFSET);
            if (length != size - SmallFileFormat.HEADER_SIZE) {
                throw new CorruptFileException(name, SmallFileFormat.LENGTH_OFFSET, "payload length " + length
                        + " does not match the file's " + (size - SmallFileFormat.HEADER_SIZE) + " payload bytes");
            }
            int stored = bytes.getInt(SmallFileFormat.CRC_OFFSET);
            int computed = SmallFileFormat.crc(bytes, length);
            if (stored != computed) {
                throw new CorruptFileException(name, SmallFileFormat.CRC_OFFSET,
                        String.format("CRC 0x%08X, computed 0x%08X", stored, computed));
            }
            short version = bytes.getShort(SmallFileFormat.VERSION_OFFSET);
            if (version > maxVersion || version < 1) {
                throw new CorruptFileException(name, SmallFileFormat.VERSION_OFFSET, "format version " + version
                        + " is not readable by this build (reads 1 to " + maxVersion + ")");
            }
            return Optional.of(new Versioned(version, bytes.position(SmallFileFormat.HEADER_SIZE).slice()));
        } catch (IOException e) {
            throw new StorageException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** Starts replacing {@code path}; bytes go to a temporary file until {@link Writer#commit()}. */
    public static Writer begin(StorageFileSystem fs, Path path) {
        Path temp = path.resolveSibling(path.getFileName() + TEMP_SUFFIX);
        try {
            StorageFile file = fs.open(temp);
            try {
                file.truncate(0);
            } catch (IOException e) {
                file.close();
                throw e;
            }
            return new Writer(fs, path, temp, file);
        } catch (IOException e) {
            throw new StorageException("cannot create " + temp + ": " + e.getMessage(), e);
        }
    }

    /** A replacement in progress. Not thread-safe. */
    public static final class Writer {
        private final StorageFileSystem fs;
        private final Path target;
        private final Path temp;
        private final StorageFile file;
        private long position;
        private boolean done;

        private Writer(StorageFileSystem fs, Path target, Path temp, StorageFile file) {
            this.fs = fs;
            this.target = target;
            this.temp = temp;
            this.file = file;
        }

        /** Appends the remaining bytes of {@code bytes}. */
        public void write(ByteBuffer bytes) {
            int count = bytes.remaining();
            try {
                file.write(bytes, position);
            } catch (IOException e) {
                throw new StorageException("cannot write " + temp + ": " + e.getMessage(), e);
            }
            position += count;
        }

        /** Bytes written so far. */
        public long position() {
            return position;
        }

        /** Fsyncs the new file, renames it over the target and fsyncs the directory. */
        public void commit() {
            if (done) {
                throw new IllegalStateException("replacement of " + target + " already finished");
            }
            try {
                file.force();
                file.close();
                fs.atomicMove(temp, target);
                done = true;
                Path parent = target.toAbsolutePath().getParent();
                fs.syncDirectory(parent);
            } catch (IOException e) {
                throw new StorageException("cannot replace " + target + ": " + e.getMessage(), e);
            }
        }

        /** Drops the temporary file unless {@link #commit()} succeeded; safe to call always. */
        public void abortIfUncommitted() {
            if (done) {
                return;
            }
            done = true;
            try {
                file.close();
                fs.delete(temp);
            } catch (IOException ignored) {
                // Best effort: a stale temporary file is ignored by readers and replaced next time.
            }
        }
    }
}
