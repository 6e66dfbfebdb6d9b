package dev.cairn.log.internal.replica;

import dev.cairn.storage.fs.StorageFileSystem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a {@link Controller} keeps the partitions' states, so that after a restart it still knows
 * every partition's replicas, in-sync set and latest leader epoch: electing from a forgotten
 * in-sync set could make a copy that lacks committed records the leader.
 */
public interface ControllerStore {
    /** The name of the file {@link #inFile} keeps the states in. */
    String FILE_NAME = "replication-state";

    /** The states saved last; empty if none. */
    List<PartitionState> load();

    /**
     * Saves {@code states}, durably before returning: the controller publishes a change only after
     * it is saved.
     *
     * @throws dev.cairn.common.StorageException if it cannot be saved; the change is then not made
     */
    void save(List<PartitionState> states);

    /** The file {@link ControllerStateFile} in {@code directory}. */
    static ControllerStore inFile(StorageFileSystem fs, Path directory) {
        return new ControllerStateFile(fs, directory);
    }

    /**
     * The file {@link ControllerStateFile} in each of {@code directories} (one per storage root of
     * this process): every save goes to each that takes it, and succeeds if one did; a load takes
     * the newest generation any of them holds. So the states outlive the failure of any root but
     * one.
     */
    static ControllerStore mirrored(List<StorageFileSystem> fileSystems, List<Path> directories) {
        List<ControllerStateFile> files = new ArrayList<>();
        for (int i = 0; i < directories.size(); i++) {
            files.add(new ControllerStateFile(fileSystems.get(i), directories.get(i)));
        }
        return new MirroredControllerStore(files);
    }

    /** A store that lives as long as its controller: for a controller that never restarts (tests, simulations). */
    static ControllerStore inMemory() {
        return new ControllerStore() {
            private List<PartitionState> saved = List.of();

            @Override
            public synchronized List<PartitionState> load() {
                return new ArrayList<>(saved);
            }

            @Override
            public synchronized void save(List<PartitionState> states) {
                saved = List.copyOf(states);
            }
        };
    }
}
