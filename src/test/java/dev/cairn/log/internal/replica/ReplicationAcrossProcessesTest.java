package dev.cairn.log.internal.replica;

import static dev.cairn.log.internal.replica.ReplicaProcess.HOST;
import static dev.cairn.log.internal.replica.ReplicaProcess.PARTITION;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.cluster.NodeAddress;
import dev.cairn.cluster.TcpTransport;
import dev.cairn.cluster.ThreadScheduler;
import java.io.IOException;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario: the controller (node 0, no copies) in this JVM and replicas 1 to 3 each in a child JVM
 * ({@link ReplicaProcess}), all on TCP. A producer appends with acks ALL to the leader; the
 * leader's JVM is killed (kill -9) once it has written the first of a burst of appends (acks
 * LEADER and ALL in turn); the controller elects another in-sync replica and the producer goes on
 * with it. Every record acknowledged with ALL must then be on both survivors at its offset, offsets
 * contiguous, their copies identical. The killed node, restarted on its directory, must rejoin the
 * in-sync set and converge to the same copy: in runs where its copy kept records of the burst that
 * no survivor fetched, it must truncate them by leader epoch first.
 */
class ReplicationAcrossProcessesTest {
    private static final int CONTROLLER = 0;
    private static final List<Integer> REPLICAS = List.of(1, 2, 3);
    private static final int MIN_INSYNC = 2;
    private static final int APPENDS_PER_LEADER = 40;
    private static final long WAIT_MS = 15_000;
    private static final int IN_FLIGHT_AT_KILL = 10;

    @TempDir
    Path dir;

    private TcpTransport transport;
    private ThreadScheduler scheduler;
    private ReplicaNode controller;
    private final Map<Integer, ReplicaProcess.Handle> children = new TreeMap<>();
    /** Records acknowledged with acks ALL, value by offset: each must stay at its offset. */
    private final Map<Long, String> acknowledged = new TreeMap<>();
    private int values;

    @BeforeEach
    void startController() {
        transport = new TcpTransport(List.of(new NodeAddress(CONTROLLER, HOST, 0)),
                ReplicaProcess.TRANSPORT.withThreadNamePrefix("tcp-controller"));
        scheduler = new ThreadScheduler("controller", 1, InstantSource.system());
        controller = new ReplicaNode(CONTROLLER, 1, transport, scheduler, ReplicaProcess.CONFIG, CONTROLLER,
                ControllerStore.inMemory(), tp -> {
                    throw new IllegalStateException("the controller's node holds no copies");
                });
    }

    @AfterEach
    void stopAll() {
        try {
            for (ReplicaProcess.Handle child : children.values()) {
                child.close();
            }
        } finally {
            controller.close();
            transport.close();
            scheduler.close();
        }
    }

    @Test
    void recordsAcknowledgedWithAllSurviveAKillOfTheLeadersProcess() throws Exception {
        for (int id : REPLICAS) {
            start(id, 1);
        }
        for (int id : REPLICAS) {
            introduce(id);
        }
        await(() -> REPLICAS.stream().allMatch(controller::seesAlive), "every replica node reports to the controller");
        controller.createPartition(PARTITION, REPLICAS);
        produce(APPENDS_PER_LEADER);

        PartitionState before = controllerState();
        int killed = before.leader();
        ReplicaProcess.Handle victim = children.get(killed);
        // Killed with appends in flight: some may be on its copy only, which it must give up when it returns.
        List<String> inFlight = new ArrayList<>();
        for (int i = 0; i < IN_FLIGHT_AT_KILL; i++) {
            inFlight.add(nextValue());
            victim.send("append " + inFlight.get(i) + " " + (i % 2 == 0 ? "LEADER" : "ALL"));
        }
        List<String> answers = new ArrayList<>();
        answers.add(victim.awaitAnswer()); // the first is on the leader's disk: kill it now
        answers.addAll(victim.kill());
        for (int i = 1; i < answers.size(); i += 2) {
            takeAnswer(answers.get(i), inFlight.get(i)); // acknowledged with ALL just before the kill
        }
        await(() -> controllerState().leader() != killed && controllerState().leader() != PartitionState.NO_LEADER,
                "the controller elects a leader in place of node " + killed);
        PartitionState after = controllerState();
        assertThat(after.leaderEpoch()).as("the new leader's epoch").isGreaterThan(before.leaderEpoch());
        assertThat(after.isr()).as("in-sync set after node %d died", killed).doesNotContain(killed);
        List<Integer> survivors = REPLICAS.stream().filter(id -> id != killed).toList();
        String newState = "state " + after.leader() + " " + after.leaderEpoch() + " ";
        await(() -> survivors.stream().allMatch(id -> children.get(id).ask("state").startsWith(newState)),
                "the survivors learn that node " + after.leader() + " leads epoch " + after.leaderEpoch());
        produce(APPENDS_PER_LEADER);

        checkConverged(survivors);

        start(killed, 2);
        introduce(killed);
        await(() -> controllerState().isr().contains(killed), "node " + killed + " rejoins the in-sync set");
        checkConverged(REPLICAS);
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(2 * APPENDS_PER_LEADER);
    }

    /** Starts node {@code id}'s child JVM on its directory (the same one again after a kill). */
    private void start(int id, long incarnation) throws IOException {
        children.put(id, ReplicaProcess.Handle.start(id, incarnation, CONTROLLER, transport.address(CONTROLLER).port(),
                MIN_INSYNC, dir.resolve("node-" + id), dir.resolve("node-" + id + ".log")));
    }

    /** Tells the controller and every other live child where node {@code id} listens, and it where they do. */
    private void introduce(int id) {
        ReplicaProcess.Handle child = children.get(id);
        transport.setAddress(new NodeAddress(id, HOST, child.port()));
        for (ReplicaProcess.Handle other : children.values()) {
            if (other.nodeId() != id && other.isAlive()) {
                assertThat(other.ask("peer " + id + " " + child.port())).isEqualTo("ok");
                assertThat(child.ask("peer " + other.nodeId() + " " + other.port())).isEqualTo("ok");
            }
        }
    }

    /** Appends until {@code count} more records are acknowledged with ALL, each to the leader the controller names. */
    private void produce(int count) {
        int target = acknowledged.size() + count;
        long deadline = System.nanoTime() + WAIT_MS * 1_000_000;
        while (acknowledged.size() < target) {
            assertThat(deadline - System.nanoTime()).as("%d appends acknowledged in %d ms; controller's state %s",
                    count, WAIT_MS, controllerState()).isPositive();
            ReplicaProcess.Handle leader = children.get(controllerState().leader());
            if (leader == null || !leader.isAlive()) {
                LockSupport.parkNanos(5_000_000); // no leader yet, or a dead one not yet replaced
                continue;
            }
            String value = nextValue();
            String answer;
            try {
                answer = leader.ask("append " + value + " ALL");
            } catch (IllegalStateException ended) {
                continue; // the leader's process is gone: not acknowledged
            }
            if (!takeAnswer(answer, value)) {
                LockSupport.parkNanos(5_000_000); // not the leader yet or any more, or too few in sync: retry
            }
        }
    }

    /** Records an acknowledgement of {@code value}; whether {@code answer} was one. */
    private boolean takeAnswer(String answer, String value) {
        if (answer.startsWith("acked ")) {
            long offset = Long.parseLong(answer.substring("acked ".length()));
            assertThat(acknowledged.put(offset, value)).as("offset %d acknowledged twice", offset).isNull();
            return true;
        }
        assertThat(answer).as("an append's answer").startsWith("refused ");
        return false;
    }

    /**
     * Waits until the copies on {@code nodes} equal the leader's, with the high watermark at its
     * end; then checks that the leader holds every acknowledged record at its offset, with
     * contiguous offsets, and that the other copies are the same.
     */
    private void checkConverged(List<Integer> nodes) {
        int leader = controllerState().leader();
        await(() -> {
            ReplicaProcess.Dump reference = children.get(leader).dump();
            return reference != null && reference.highWatermark() == reference.records().size()
                    && nodes.stream().allMatch(id -> reference.equals(children.get(id).dump()));
        }, "the copies on " + nodes + " converge to leader " + leader + "'s");
        ReplicaProcess.Dump reference = children.get(leader).dump();
        assertThat(reference.records()).as("records acknowledged with ALL on leader %d", leader)
                .containsAllEntriesOf(acknowledged);
        assertThat(reference.records().keySet()).as("contiguous offsets on leader %d", leader)
                .containsExactlyElementsOf(LongStream.range(0, reference.records().size()).boxed().toList());
        for (int id : nodes) {
            assertThat(children.get(id).dump()).as("node %d's copy against leader %d's", id, leader).isEqualTo(reference);
        }
    }

    private PartitionState controllerState() {
        return controller.controllerState(PARTITION).orElseThrow();
    }

    private String nextValue() {
        return "v" + (++values);
    }


    private void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT_MS * 1_000_000;
        while (!condition.getAsBoolean()) {
            assertThat(deadline - System.nanoTime()).as("%s within %d ms; controller's state %s", what, WAIT_MS,
                    controller.controllerState(PARTITION).orElse(null)).isPositive();
            LockSupport.parkNanos(5_000_000);
        }
    }
}
