package dev.cairn.log.internal.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.common.CorruptFileException;
import dev.cairn.log.TopicPartition;
import dev.cairn.storage.AtomicFile;
import dev.cairn.storage.fs.MemoryFileSystem;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ControllerStateFileTest {
    private final MemoryFileSystem fs = new MemoryFileSystem();
    private final Path dir = Path.of("/data/log");
    private final List<PartitionState> states = List.of(
            new PartitionState(new TopicPartition("a", 0), 1, 3, 7, List.of(1, 2, 3), List.of(1, 3)),
            new PartitionState(new TopicPartition("b", 4), PartitionState.NO_LEADER, 9, 12, List.of(2, 3), List.of(2)));

    @Test
    void absentMeansNothingIsReplicatedAndSavedStatesLoadBack() throws Exception {
        fs.createDirectories(dir);
        ControllerStore store = ControllerStore.inFile(fs, dir);
        assertThat(store.load()).isEmpty();
        store.save(states);
        assertThat(ControllerStore.inFile(fs, dir).load()).isEqualTo(states);
        store.save(states.subList(0, 1));
        assertThat(ControllerStore.inFile(fs, dir).load()).isEqualTo(states.subList(0, 1));
    }

    @Test
    void mirrorsLoadTheNewestGenerationAndSaveWhileOneRootTakesIt() throws Exception {
        MemoryFileSystem other = new MemoryFileSystem();
        fs.createDirectories(dir);
        other.createDirectories(dir);
        ControllerStore mirrored = ControllerStore.mirrored(List.of(fs, other), List.of(dir, dir));
        mirrored.save(states);
        // The first root falls behind (it missed the last save), then the second root is lost.
        ControllerStore.inFile(fs, dir).save(states.subList(0, 1));
        ControllerStore.inFile(other, dir).load();
        new ControllerStateFile(other, dir).save(states.subList(1, 2), 5);
        assertThat(ControllerStore.mirrored(List.of(fs, other), List.of(dir, dir)).load())
                .isEqualTo(states.subList(1, 2));
        other.delete(dir.resolve(ControllerStateFile.FILE_NAME));
        other.delete(dir);
        ControllerStore survivor = ControllerStore.mirrored(List.of(fs, other), List.of(dir, dir));
        assertThat(survivor.load()).isEqualTo(states.subList(0, 1));
        survivor.save(states);
        assertThat(ControllerStore.inFile(fs, dir).load()).isEqualTo(states);
    }

    @Test
    void aStateThatBreaksItsRulesOrTrailingBytesAreCorrupt() throws Exception {
        fs.createDirectories(dir);
        Path file = dir.resolve(ControllerStateFile.FILE_NAME);
        ByteBuffer trailing = ByteBuffer.allocate(200).putLong(1).put(ReplicationProtocol.encodeStates(states)).putInt(1)
                .flip();
        AtomicFile.write(fs, file, ControllerStateFile.MAGIC, ControllerStateFile.VERSION, trailing);
        assertThatThrownBy(() -> ControllerStore.inFile(fs, dir).load()).isInstanceOf(CorruptFileException.class)
                .hasMessageContaining("replication-state").hasMessageContaining("after the last partition");

        ByteBuffer leaderNotReplica = ByteBuffer.allocate(200).putLong(1).put(ReplicationProtocol.encodeStates(states))
                .flip();
        leaderNotReplica.putInt(8 + 4 + 2 + 1 + 4, 8); // the first state's leader: node 8 holds no copy
        AtomicFile.write(fs, file, ControllerStateFile.MAGIC, ControllerStateFile.VERSION, leaderNotReplica);
        assertThatThrownBy(() -> ControllerStore.inFile(fs, dir).load()).isInstanceOf(CorruptFileException.class)
                .hasMessageContaining("leader 8 of a-0 is not a replica");
    }
}
