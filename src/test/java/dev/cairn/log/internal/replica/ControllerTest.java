package dev.cairn.log.internal.replica;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.cluster.SimulatedScheduler;
import dev.cairn.log.TopicPartition;
import dev.cairn.log.internal.replica.ReplicationProtocol.AlterPartition;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ControllerTest {
    private static final TopicPartition TP = new TopicPartition("t", 0);

    private final SimulatedScheduler scheduler = new SimulatedScheduler();
    private final List<PartitionState> published = new ArrayList<>();
    private final Controller controller = new Controller(scheduler, ReplicationSimulation.CONFIG,
            ControllerStore.inMemory(), published::add);

    // Found by the replication simulation (seed 240): a node's disk was replaced by an empty one
    // while a fetch and a heartbeat of its former process were still on their way; the leader
    // counted the fetch, asked to put the node back in sync, and the controller, revived by the
    // heartbeat, agreed, so the empty copy could be elected. Now both are of a fenced incarnation.
    @Test
    void aNodeThatLostItsCopiesRejoinsOnlyInANewIncarnation() {
        for (int id = 1; id <= 3; id++) {
            controller.onHeartbeat(id, 1, false);
        }
        controller.createPartition(TP, List.of(1, 2, 3));
        controller.nodeLost(3);
        PartitionState withoutThree = controller.state(TP);
        assertThat(withoutThree.isr()).containsExactly(1, 2);

        assertThat(controller.onHeartbeat(3, 1, false)).as("a late heartbeat of the lost process").isEmpty();
        assertThat(controller.isAlive(3)).isFalse();
        var stale = controller.onAlterPartition(new AlterPartition(1, withoutThree, List.of(1, 2, 3), List.of(1L, 1L, 1L)));
        assertThat(stale.error()).isEqualTo(ReplicaError.STALE_STATE);
        assertThat(controller.state(TP).isr()).containsExactly(1, 2);

        controller.onHeartbeat(3, 2, false);
        assertThat(controller.isAlive(3)).isTrue();
        var refused = controller.onAlterPartition(new AlterPartition(1, withoutThree, List.of(1, 2, 3),
                List.of(1L, 1L, 1L)));
        assertThat(refused.error()).as("the new process has not fetched yet").isEqualTo(ReplicaError.STALE_STATE);
        var accepted = controller.onAlterPartition(new AlterPartition(1, withoutThree, List.of(1, 2, 3),
                List.of(1L, 1L, 2L)));
        assertThat(accepted.error()).isEqualTo(ReplicaError.NONE);
        assertThat(controller.state(TP).isr()).containsExactly(1, 2, 3);
    }

    // With every in-sync copy lost, the partition waits for one to come back, unless unclean
    // election is on: then a live copy outside the set leads, and the set is that copy alone.
    @Test
    void uncleanElectionLetsAnOutOfSyncCopyLeadOnlyWhenOn() {
        for (boolean unclean : new boolean[] {false, true}) {
            Controller c = new Controller(scheduler, ReplicationSimulation.CONFIG.withUncleanLeaderElection(unclean),
                    ControllerStore.inMemory(), published::add);
            c.onHeartbeat(1, 1, false);
            c.onHeartbeat(2, 1, false);
            c.createPartition(TP, List.of(1, 2));
            PartitionState base = c.state(TP);
            c.onAlterPartition(new AlterPartition(1, base, List.of(1), List.of(1L)));
            c.onHeartbeat(1, 1, true); // the leader, alone in sync, leaves
            PartitionState after = c.state(TP);
            if (unclean) {
                assertThat(after.leader()).isEqualTo(2);
                assertThat(after.isr()).containsExactly(2);
            } else {
                assertThat(after.leader()).isEqualTo(PartitionState.NO_LEADER);
                assertThat(after.isr()).containsExactly(1);
            }
        }
    }

    // A restarted node leaves the in-sync sets (its unsynced records may be gone) and a late
    // heartbeat of its former process does not take it for restarted a second time.
    @Test
    void aRestartFencesTheFormerProcess() {
        for (int id = 1; id <= 3; id++) {
            controller.onHeartbeat(id, 1, false);
        }
        controller.createPartition(TP, List.of(1, 2, 3));
        controller.onHeartbeat(1, 2, false);
        PartitionState after = controller.state(TP);
        assertThat(after.leader()).isEqualTo(2);
        assertThat(after.isr()).containsExactly(2, 3);
        controller.onHeartbeat(1, 1, false);
        assertThat(controller.state(TP)).isEqualTo(after);
    }
}
