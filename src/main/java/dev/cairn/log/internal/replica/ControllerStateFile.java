package dev.cairn.log.internal.replica;

import dev.cairn.common.CorruptFileException;
import dev.cairn.storage.AtomicFile;
import dev.cairn.storage.fs.StorageFileSystem;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * The controller's partition states in one file, {@value #FILE_NAME} in the log directory of the
 * node that runs the controller, replaced whole with {@link AtomicFile} (magic {@link #MAGIC},
 * version 1, CRC-checked) on every change.
 *
 * <pre>
 *  8  generation: one more at every save, so of several copies the newest is known
 *  4  count of partitions, then per partition:
 *  2  topic name length n,  n  topic name (UTF-8),  4  partition
 *  4  leader node (-1: none)
 *  4  leader epoch
 *  4  partition epoch
 *  4  count r, r x 4  replicas (node ids, preference order)
 *  4  count i, i x 4  in-sync replicas
 * </pre>
 *
 * <p>Big-endian; the same layout as the states in the replication protocol's messages. Absent:
 * no partition is replicated yet. A damaged file stops the open with a {@link CorruptFileException}.
 */
final class ControllerStateFile implements ControllerStore {
    static final String FILE_NAME = ControllerStore.FILE_NAME;
    static final int MAGIC = 0x43525253; // "CRRS"
    static final short VERSION = 1;

    private final StorageFileSystem fs;
    private final Path file;
    private long generation;

    ControllerStateFile(StorageFileSystem fs, Path directory) {
        this.fs = fs;
        this.file = directory.resolve(FILE_NAME);
    }

    @Override
    public List<PartitionState> load() {
        return AtomicFile.read(fs, file, MAGIC, VERSION).map(this::decode).orElse(List.of());
    }

    /** The generation of the states loaded or saved last; 0 before any. */
    long generation() {
        return generation;
    }

    private List<PartitionState> decode(ByteBuffer payload) {
        try {
            generation = payload.getLong();
            List<PartitionState> states = ReplicationProtocol.decodeStates(payload);
            if (payload.hasRemaining()) {
                throw new IllegalArgumentException(payload.remaining() + " bytes after the last partition");
            }
            return states;
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new CorruptFileException(file.toString(), 0, "invalid replication state: " + e.getMessage());
        }
    }

    @Override
    public void save(List<PartitionState> states) {
        save(states, generation + 1);
    }

    /** Saves {@code states} as generation {@code next}. */
    void save(List<PartitionState> states, long next) {
        ByteBuffer encoded = ReplicationProtocol.encodeStates(states);
        ByteBuffer payload = ByteBuffer.allocate(Long.BYTES + encoded.remaining()).putLong(next).put(encoded).flip();
        AtomicFile.write(fs, file, MAGIC, VERSION, payload);
        generation = next;
    }
}
