package dev.cairn.log.internal;

import dev.cairn.common.CorruptFileException;
import dev.cairn.common.StorageException;
import dev.cairn.storage.AtomicFile;
import dev.cairn.storage.fs.StorageFileSystem;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The file {@value #FILE_NAME} in the log directory of each storage root of a log with replica
 * roots, written with {@link AtomicFile} (magic {@link #MAGIC}, version 1, CRC-checked): the root's
 * place in the list of roots, a 4-byte big-endian int (0 is the data directory).
 *
 * <p>Its absence says the root is new, or was replaced by an empty disk: its copies are then taken
 * out of every in-sync set before the marker is written (see {@link LocalReplicas}). A marker that
 * names another place says the roots were given in another order, which would mix the copies up:
 * the open is refused.
 */
final class ReplicaRootMarker {
    static final String FILE_NAME = "replica-root";
    static final int MAGIC = 0x43525252; // "CRRR"
    static final short VERSION = 1;

    private ReplicaRootMarker() {
    }

    /**
     * Whether {@code directory} holds the marker of root {@code index}.
     *
     * @return false if it has no marker
     * @throws StorageException if it holds the marker of another root
     * @throws CorruptFileException if the marker is damaged
     */
    static boolean check(StorageFileSystem fs, Path directory, int index) {
        Path file = directory.resolve(FILE_NAME);
        Optional<ByteBuffer> payload = AtomicFile.read(fs, file, MAGIC, VERSION);
        if (payload.isEmpty()) {
            return false;
        }
        ByteBuffer b = payload.get();
        if (b.remaining() != Integer.BYTES) {
            throw new CorruptFileException(file.toString(), 0, "replica root marker of " + b.remaining()
                    + " bytes, expected 4");
        }
        int marked = b.getInt(b.position());
        if (marked != index) {
            throw new StorageException("storage root " + directory + " was replica root " + marked + " and is given as "
                    + "root " + index + ": give the replica roots in the order they were first given");
        }
        return true;
    }

    static void write(StorageFileSystem fs, Path directory, int index) {
        AtomicFile.write(fs, directory.resolve(FILE_NAME), MAGIC, VERSION, ByteBuffer.allocate(4).putInt(0, index));
    }
}
