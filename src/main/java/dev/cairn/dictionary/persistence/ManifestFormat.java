package dev.cairn.dictionary.persistence;

import dev.cairn.common.CorruptFileException;
import dev.cairn.storage.AtomicFile;
import dev.cairn.storage.fs.StorageFileSystem;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The dictionary's {@code manifest}: a small checksummed file (see {@code SmallFileFormat},
 * magic "CDMF" 0x43444D46, version 1), replaced atomically, whose payload is:
 *
 * <pre>
 *  offset  size  field
 *       0     8  snapshot id         -1 when there is no snapshot yet
 *       8     8  snapshot sequence   append-only entries the snapshot covers
 *      16     4  part count p        at least 1
 *      20   8*p  part ids            append-only parts, oldest first
 * </pre>
 *
 * <p>File names it implies: {@code snapshot-<id>.cds} and {@code aof-<id>/}, ids as 20 digits.
 * Any other snapshot file or part directory in the dictionary's directory is left over from an
 * interrupted snapshot and is deleted on open.
 *
 * <p>Stateless.
 */
public final class ManifestFormat {
    public static final String FILE_NAME = "manifest";
    public static final int MAGIC = 0x4344_4D46;
    public static final short VERSION = 1;
    static final String SNAPSHOT_PREFIX = "snapshot-";
    static final String SNAPSHOT_SUFFIX = ".cds";
    static final String PART_PREFIX = "aof-";

    private ManifestFormat() {
    }

    static String snapshotFileName(long id) {
        return SNAPSHOT_PREFIX + digits(id) + SNAPSHOT_SUFFIX;
    }

    static String partDirectoryName(long id) {
        return PART_PREFIX + digits(id);
    }

    private static String digits(long id) {
        String s = Long.toString(id);
        return "0".repeat(Math.max(0, 20 - s.length())) + s;
    }

    /** The id in a snapshot file or part directory name, or -1 if it is neither. */
    static long parseId(String name, String prefix, String suffix) {
        if (!name.startsWith(prefix) || !name.endsWith(suffix) || name.length() != prefix.length() + 20 + suffix.length()) {
            return -1;
        }
        try {
            return Long.parseLong(name.substring(prefix.length(), prefix.length() + 20));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public static void write(StorageFileSystem fs, Path directory, Manifest manifest) {
        ByteBuffer payload = ByteBuffer.allocate(20 + 8 * manifest.parts().size());
        payload.putLong(manifest.snapshotId()).putLong(manifest.snapshotSequence()).putInt(manifest.parts().size());
        manifest.parts().forEach(payload::putLong);
        AtomicFile.write(fs, directory.resolve(FILE_NAME), MAGIC, VERSION, payload.flip());
    }

    /** Reads the manifest; empty if there is none (a new dictionary). */
    public static Optional<Manifest> read(StorageFileSystem fs, Path directory) {
        Path file = directory.resolve(FILE_NAME);
        Optional<ByteBuffer> payload = AtomicFile.read(fs, file, MAGIC, VERSION);
        if (payload.isEmpty()) {
            return Optional.empty();
        }
        ByteBuffer in = payload.get();
        try {
            long snapshotId = in.getLong();
            long snapshotSequence = in.getLong();
            int count = in.getInt();
            if (count < 1 || count > in.remaining() / 8) {
                throw new CorruptFileException(file.toString(), 16, "part count " + count + " does not fit the "
                        + in.remaining() + " remaining bytes");
            }
            List<Long> parts = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                parts.add(in.getLong());
            }
            return Optional.of(new Manifest(snapshotId, snapshotSequence, parts));
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new CorruptFileException(file.toString(), 0, "manifest payload is invalid: " + e.getMessage());
        }
    }
}
