package dev.cairn.log.internal.replica;

import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The replication logic under simulated faults, one run per seed ({@link ReplicationSimulation}).
 * {@code cairn.simulation.seeds} runs (200; 10,000 in the stress profile), or only the seed
 * {@code cairn.simulation.seed} when it is set: what a failing run's message says to replay.
 */
class ReplicationSimulationTest {
    private static final int STEPS = 150;

    static LongStream seeds() {
        Long only = Long.getLong("cairn.simulation.seed");
        return only != null ? LongStream.of(only) : LongStream.range(0, Integer.getInteger("cairn.simulation.seeds", 200));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void modelCopiesKeepEveryAcknowledgedRecord(long seed) {
        new ReplicationSimulation(seed, Disks.model()).run(STEPS);
    }

    /** The same on the partitions' real storage, each node on a memory file system that loses what was not fsynced. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void storedCopiesKeepEveryAcknowledgedRecord(long seed) {
        new ReplicationSimulation(seed, new StorageDisks(seed)).run(STEPS);
    }
}
