package dev.cairn.log.internal.replica;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The controller's states in one file per storage root: see {@link ControllerStore#mirrored}. */
final class MirroredControllerStore implements ControllerStore {
    private static final Logger LOG = LoggerFactory.getLogger(MirroredControllerStore.class);

    private final List<ControllerStateFile> files;
    private long generation;

    MirroredControllerStore(List<ControllerStateFile> files) {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("a mirrored store needs at least one file");
        }
        this.files = List.copyOf(files);
    }

    @Override
    public synchronized List<PartitionState> load() {
        List<PartitionState> newest = List.of();
        RuntimeException lastFailure = null;
        int loaded = 0;
        for (ControllerStateFile file : files) {
            try {
                List<PartitionState> states = file.load();
                loaded++;
                if (file.generation() > generation) {
                    generation = file.generation();
                    newest = states;
                }
            } catch (RuntimeException e) {
                LOG.warn("replication state unreadable, its mirrors are used: {}", e.getMessage());
                lastFailure = e;
            }
        }
        if (loaded == 0) {
            throw lastFailure;
        }
        return newest;
    }

    @Override
    public synchronized void save(List<PartitionState> states) {
        long next = generation + 1;
        RuntimeException lastFailure = null;
        int saved = 0;
        for (ControllerStateFile file : files) {
            try {
                file.save(states, next);
                saved++;
            } catch (RuntimeException e) {
                LOG.warn("replication state not saved to one mirror: {}", e.getMessage());
                lastFailure = e;
            }
        }
        if (saved == 0) {
            throw lastFailure;
        }
        generation = next;
    }
}
