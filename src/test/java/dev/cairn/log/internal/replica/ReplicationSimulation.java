package dev.cairn.log.internal.replica;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.cluster.Endpoint;
import dev.cairn.cluster.RequestHandler;
import dev.cairn.cluster.SimulatedNetwork;
import dev.cairn.cluster.SimulatedScheduler;
import dev.cairn.cluster.Transport;
import dev.cairn.log.Acks;
import dev.cairn.log.ProducerRecord;
import dev.cairn.log.TopicPartition;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * A whole replicated log on one thread from one seed: nodes on a {@link SimulatedNetwork} over a
 * {@link SimulatedScheduler}, producers appending with acks ALL and LEADER, and the faults the
 * seed picks: crashes and restarts, disks replaced by empty ones, isolated nodes, network
 * partitions, lossy, duplicating and slow links. After every step it checks what a consumer could see; at the end, with the network
 * healed and every node back, it checks that the copies converged and kept every acknowledged record.
 *
 * <p>Nodes 1 to 3 hold the partition's replicas; node 0 runs the controller and never crashes (the
 * controller keeps its state in memory), but it can be cut off from the others.
 */
final class ReplicationSimulation {
    static final TopicPartition PARTITION = new TopicPartition("sim", 0);
    static final int NODES = 3;
    static final int CONTROLLER = 0;
    static final ReplicationConfig CONFIG = new ReplicationConfig(400, 50, 64 * 1024, 300, 20, 50, 300, false);

    private final long seed;
    private final Random random;
    private final SimulatedScheduler scheduler = new SimulatedScheduler();
    private final SimulatedNetwork network;
    private final Disks disks;
    private final Map<Integer, ReplicaNode> nodes = new TreeMap<>();
    private final Map<Integer, Long> incarnations = new TreeMap<>();
    /** Records acknowledged with acks ALL: their offsets must hold them for ever. */
    private final Map<Long, String> acknowledged = new TreeMap<>();
    /** Records some leader let a consumer see (below its high watermark): they must never change. */
    private final Map<Long, String> seen = new TreeMap<>();
    private final List<String> events = new ArrayList<>();
    private int appends;

    ReplicationSimulation(long seed, Disks disks) {
        this.seed = seed;
        this.random = new Random(seed);
        this.disks = disks;
        this.network = new SimulatedNetwork(scheduler, seed, benign());
    }

    private static SimulatedNetwork.Conditions benign() {
        return new SimulatedNetwork.Conditions(1, 5, 0, 0);
    }

    /** Runs {@code steps} random steps, then heals everything and checks the end state. */
    void run(int steps) {
        for (int id = 0; id <= NODES; id++) {
            start(id);
        }
        scheduler.runFor(200);
        nodes.get(CONTROLLER).createPartition(PARTITION, List.of(1, 2, 3));
        nodes.values().forEach(n -> n.minInsyncReplicas(PARTITION, 2));
        scheduler.runFor(200);
        for (int step = 0; step < steps; step++) {
            step(step);
            scheduler.runFor(random.nextInt(150));
            checkVisible();
        }
        network.heal();
        network.setConditions(benign());
        for (int id = 1; id <= NODES; id++) {
            if (!nodes.containsKey(id)) {
                start(id);
            }
        }
        scheduler.runFor(20_000);
        checkVisible();
        checkConverged();
    }

    private void step(int step) {
        int action = random.nextInt(100);
        if (action < 50) {
            append(step);
        } else if (action < 56) {
            List<Integer> up = nodes.keySet().stream().filter(id -> id != CONTROLLER).toList();
            if (!up.isEmpty()) {
                crash(up.get(random.nextInt(up.size())));
            }
        } else if (action < 66) {
            for (int id = 1; id <= NODES; id++) {
                if (!nodes.containsKey(id)) {
                    start(id);
                    break;
                }
            }
        } else if (action < 71) {
            int id = random.nextInt(NODES + 1);
            events.add("isolate " + id);
            network.isolate(id);
        } else if (action < 76) {
            int id = random.nextInt(NODES + 1);
            Set<Integer> others = new HashSet<>(Arrays.asList(0, 1, 2, 3));
            others.remove(id);
            events.add("partition " + id + " | " + others);
            network.partition(Set.of(id), others);
        } else if (action < 86) {
            events.add("heal");
            network.heal();
        } else if (action < 90) {
            SimulatedNetwork.Conditions c = new SimulatedNetwork.Conditions(1, 1 + random.nextInt(60),
                    random.nextDouble() * 0.2, random.nextDouble() * 0.1);
            events.add("conditions " + c);
            network.setConditions(c);
        } else if (action < 93) {
            wipeDisk(1 + random.nextInt(NODES));
        } else if (action < 95) {
            // Time leaps (a stalled machine, a clock set forward): every session and lag deadline
            // passes at once, before anyone could send a heartbeat or fetch in between.
            long leap = CONFIG.sessionTimeoutMs() + random.nextInt(2_000);
            events.add("leap " + leap + " ms");
            scheduler.leap(leap);
        }
    }

    /**
     * Node {@code id}'s disk fails and is replaced by an empty one: the node goes down, loses its
     * copies, and its controller is told at once (as a node finds out when it starts on an empty
     * root), so the node leaves every in-sync set. Only done while the partition's in-sync set has
     * another member, whose copy then still holds everything acknowledged: losing every in-sync
     * copy may lose acknowledged records, by design.
     */
    private void wipeDisk(int id) {
        PartitionState state = nodes.get(CONTROLLER).controllerState(PARTITION).orElseThrow();
        if (state.isr().stream().noneMatch(other -> other != id)) {
            return;
        }
        events.add("wipe " + id);
        if (nodes.containsKey(id)) {
            crash(id);
        }
        disks.wipe(id);
        nodes.get(CONTROLLER).nodeLost(id);
    }

    private void start(int id) {
        long incarnation = incarnations.merge(id, 1L, Long::sum);
        events.add("start " + id + " #" + incarnation);
        Transport restarting = new Transport() {
            @Override
            public Endpoint attach(int nodeId, RequestHandler handler) {
                return incarnation == 1 ? network.attach(nodeId, handler) : network.restart(nodeId, handler);
            }

            @Override
            public void close() {
                network.close();
            }
        };
        nodes.put(id, new ReplicaNode(id, incarnation, restarting, scheduler, CONFIG, CONTROLLER,
                ControllerStore.inMemory(), tp -> disks.open(id, tp)));
    }

    private void crash(int id) {
        events.add("crash " + id);
        network.crash(id);
        nodes.remove(id).close();
        disks.crash(id);
    }

    /** Appends one record through whichever node believes it leads, with acks ALL or LEADER. */
    private void append(int step) {
        List<Integer> leaders = nodes.keySet().stream().filter(this::leads).toList();
        if (leaders.isEmpty()) {
            return;
        }
        int id = leaders.get(random.nextInt(leaders.size()));
        Acks acks = random.nextInt(4) == 0 ? Acks.LEADER : Acks.ALL;
        String value = "s" + seed + "-" + step + "-" + (appends++);
        CompletableFuture<Long> done;
        try {
            done = nodes.get(id).append(PARTITION, List.of(ProducerRecord.of(PARTITION.topic(),
                    value.getBytes(StandardCharsets.UTF_8))), acks);
        } catch (RuntimeException refused) {
            return; // not leader any more, or too few in sync: nothing was acknowledged
        }
        if (acks == Acks.ALL) {
            done.thenAccept(offset -> acknowledged.put(offset, value));
        }
    }

    private boolean leads(int id) {
        return nodes.get(id).state(PARTITION).map(s -> s.leader() == id).orElse(false);
    }

    /** What any node that believes it leads lets consumers read must agree with everything seen before. */
    private void checkVisible() {
        for (int id : nodes.keySet()) {
            if (!leads(id)) {
                continue;
            }
            ReplicaLog copy = nodes.get(id).copy(PARTITION).orElseThrow();
            long hw = copy.highWatermark();
            assertThat(hw).as(context("high watermark within the log on node " + id)).isLessThanOrEqualTo(copy.logEndOffset());
            disks.values(copy).forEach((offset, bytes) -> {
                if (offset < hw) {
                    String value = new String(bytes, StandardCharsets.UTF_8);
                    String before = seen.putIfAbsent(offset, value);
                    assertThat(before == null ? value : before)
                            .as(context("offset " + offset + " seen below the high watermark on node " + id))
                            .isEqualTo(value);
                }
            });
        }
    }

    private void checkConverged() {
        Map<Long, byte[]> reference = null;
        for (int id = 1; id <= NODES; id++) {
            ReplicaLog copy = nodes.get(id).copy(PARTITION).orElseThrow();
            Map<Long, String> values = new TreeMap<>();
            disks.values(copy).forEach((offset, bytes) -> values.put(offset, new String(bytes, StandardCharsets.UTF_8)));
            long expected = copy.logStartOffset();
            for (long offset : values.keySet()) {
                assertThat(offset).as(context("contiguous offsets on node " + id)).isEqualTo(expected++);
            }
            assertThat(values).as(context("acknowledged records on node " + id)).containsAllEntriesOf(acknowledged);
            assertThat(values).as(context("records once visible on node " + id)).containsAllEntriesOf(seen);
            assertThat(copy.highWatermark()).as(context("high watermark caught up on node " + id))
                    .isEqualTo(copy.logEndOffset());
            if (reference == null) {
                reference = disks.values(copy);
            } else {
                assertThat(disks.values(copy)).as(context("node " + id + " equals node 1")).hasSameSizeAs(reference);
                for (Map.Entry<Long, byte[]> e : reference.entrySet()) {
                    assertThat(disks.values(copy).get(e.getKey())).as(context("offset " + e.getKey() + " on node " + id))
                            .isEqualTo(e.getValue());
                }
            }
        }
        PartitionState state = nodes.get(CONTROLLER).controllerState(PARTITION).orElseThrow();
        assertThat(state.isr()).as(context("every replica back in sync")).containsExactly(1, 2, 3);
    }

    private String context(String what) {
        int from = Math.max(0, events.size() - 30);
        return what + " (seed " + seed + "; replay: mvn -B test -Dtest=ReplicationSimulationTest -Dcairn.simulation.seed="
                + seed + "); last events: " + events.subList(from, events.size());
    }
}
