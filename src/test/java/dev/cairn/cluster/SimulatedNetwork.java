package dev.cairn.cluster;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A {@link Transport} for simulations: messages travel on a {@link SimulatedScheduler}'s virtual
 * time, and a {@link Random} from one seed decides, per message, whether it is dropped, how long
 * it takes (uniform between the {@link Conditions}' minimum and maximum delay, which reorders
 * messages) and whether it is duplicated. A duplicated request reaches the handler twice; the
 * second response finds its request no longer pending and is ignored, so the sender's callback
 * still runs once.
 *
 * <p>Faults the test injects:
 * <ul>
 *   <li>{@link #partition}, {@link #isolate}, {@link #heal}: a cut link loses every message on it,
 *       including those in flight when it was cut; the requests lost time out.</li>
 *   <li>{@link #crash}: the node's handler and endpoint vanish with no word to anyone. Messages to
 *       it are lost (its pending requests time out at their senders), its own pending requests are
 *       forgotten without callbacks (a dead process runs none) and what its endpoint still sends
 *       is discarded. {@link #restart} attaches it again with a new handler.</li>
 *   <li>Closing an endpoint, unlike a crash, is an orderly detach: requests from and to the node
 *       fail at once, as on every transport.</li>
 * </ul>
 *
 * <p>Deterministic: every decision comes from the seed, the virtual clock and the order of calls
 * (nodes kept in sorted maps, never a hash order), so the same seed and the same calls give the
 * same {@link #deliveryLog()}. Not thread-safe: owned by the simulation's thread, as its scheduler is.
 */
public final class SimulatedNetwork implements Transport {
    private final SimulatedScheduler scheduler;
    private final Random random;
    private final TreeMap<Integer, SimulatedNode> nodes = new TreeMap<>();
    private final Set<Integer> crashed = new TreeSet<>();
    private final Set<Integer> isolated = new TreeSet<>();
    /** Cut links as ordered pairs (see {@link #link}); a set of longs, only ever queried, never iterated. */
    private final Set<Long> cutLinks = new HashSet<>();
    private final List<String> log = new ArrayList<>();
    private Conditions conditions;
    private long messageCount;
    private boolean closed;

    /**
     * How the network treats each message.
     *
     * @param minDelayMs shortest time a message takes
     * @param maxDelayMs longest time a message takes (at least {@code minDelayMs})
     * @param dropProbability chance that a message is lost, in [0, 1]
     * @param duplicateProbability chance that a message that is not lost also arrives a second time, in [0, 1]
     */
    public record Conditions(long minDelayMs, long maxDelayMs, double dropProbability, double duplicateProbability) {
        /** A message takes 1 to 10 ms; none is lost or duplicated. */
        static final Conditions RELIABLE = new Conditions(1, 10, 0, 0);

        public Conditions {
            if (minDelayMs < 0 || maxDelayMs < minDelayMs) {
                throw new IllegalArgumentException("delays must satisfy 0 <= min <= max, were min " + minDelayMs
                        + " ms, max " + maxDelayMs + " ms");
            }
            checkProbability("drop", dropProbability);
            checkProbability("duplicate", duplicateProbability);
        }

        private static void checkProbability(String what, double probability) {
            if (!(probability >= 0 && probability <= 1)) {
                throw new IllegalArgumentException(what + " probability must be in [0, 1], was " + probability);
            }
        }
    }

    public SimulatedNetwork(SimulatedScheduler scheduler, long seed, Conditions conditions) {
        this.scheduler = scheduler;
        this.random = new Random(seed);
        this.conditions = conditions;
    }

    /** Changes how messages sent from now on are treated (those in flight keep their fate). */
    public void setConditions(Conditions conditions) {
        this.conditions = conditions;
    }

    @Override
    public Endpoint attach(int nodeId, RequestHandler handler) {
        if (closed) {
            throw new IllegalStateException("simulated network is closed: cannot attach node " + nodeId);
        }
        if (nodes.containsKey(nodeId)) {
            throw new IllegalStateException("node " + nodeId + " is already attached");
        }
        if (crashed.contains(nodeId)) {
            throw new IllegalStateException("node " + nodeId + " crashed: restart it instead");
        }
        SimulatedNode node = new SimulatedNode(nodeId, handler);
        nodes.put(nodeId, node);
        return node;
    }

    /** Cuts every link between a node of {@code sideA} and a node of {@code sideB}, both ways. */
    public void partition(Set<Integer> sideA, Set<Integer> sideB) {
        for (int a : sideA) {
            for (int b : sideB) {
                if (a == b) {
                    throw new IllegalArgumentException("node " + a + " cannot be on both sides of a partition");
                }
                cutLinks.add(link(a, b));
                cutLinks.add(link(b, a));
            }
        }
        record("partition " + new TreeSet<>(sideA) + " | " + new TreeSet<>(sideB));
    }

    /** Cuts every link to and from {@code nodeId}, including to nodes attached later. */
    public void isolate(int nodeId) {
        isolated.add(nodeId);
        record("isolate " + nodeId);
    }

    /** Restores every link cut by {@link #partition} and {@link #isolate}. */
    public void heal() {
        cutLinks.clear();
        isolated.clear();
        record("heal");
    }

    /** Kills {@code nodeId} silently (see the class comment). */
    public void crash(int nodeId) {
        SimulatedNode node = nodes.remove(nodeId);
        if (node == null) {
            throw new IllegalStateException("node " + nodeId + " is not attached: cannot crash it");
        }
        node.dead = true;
        node.pending.discardAll();
        crashed.add(nodeId);
        record("crash " + nodeId);
    }

    /** Attaches a crashed node again, with a new handler; the old endpoint stays dead. */
    public Endpoint restart(int nodeId, RequestHandler handler) {
        if (!crashed.remove(nodeId)) {
            throw new IllegalStateException("node " + nodeId + " did not crash: cannot restart it");
        }
        record("restart " + nodeId);
        return attach(nodeId, handler);
    }

    /** One line per message event and injected fault, in order, with the virtual time: a failing seed's story. */
    public List<String> deliveryLog() {
        return List.copyOf(log);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (SimulatedNode node : List.copyOf(nodes.values())) {
            node.close();
        }
    }

    private static long link(int from, int to) {
        return ((long) from << 32) | (to & 0xFFFF_FFFFL);
    }

    private boolean linkUp(int from, int to) {
        return !isolated.contains(from) && !isolated.contains(to) && !cutLinks.contains(link(from, to));
    }

    private void record(String event) {
        log.add("t=" + scheduler.nowMs() + " " + event);
    }

    /**
     * Sends one message from {@code from} to {@code to}: lost, or delivered once or twice by
     * {@code arrive} after a random delay, unless a link or node is down by then.
     */
    private void transmit(String what, int from, int to, Runnable arrive) {
        long message = ++messageCount;
        String name = "#" + message + " " + what + " " + from + "->" + to;
        if (!linkUp(from, to)) {
            record(name + " dropped: link cut");
            return;
        }
        if (random.nextDouble() < conditions.dropProbability()) {
            record(name + " dropped: random loss");
            return;
        }
        int copies = random.nextDouble() < conditions.duplicateProbability() ? 2 : 1;
        for (int copy = 1; copy <= copies; copy++) {
            long delayMs = conditions.minDelayMs()
                    + (long) (random.nextDouble() * (conditions.maxDelayMs() - conditions.minDelayMs() + 1));
            String copyName = copies == 1 ? name : name + " (copy " + copy + " of 2)";
            record(copyName + " sent, arrives in " + delayMs + " ms");
            scheduler.schedule(delayMs, () -> {
                if (!nodes.containsKey(to)) {
                    record(copyName + " lost: node " + to + " is down");
                } else if (!linkUp(from, to)) {
                    record(copyName + " lost in flight: link cut");
                } else {
                    record(copyName + " delivered");
                    arrive.run();
                }
            });
        }
    }

    /** One attached node: its handler, and its endpoint with the requests it has sent. */
    private final class SimulatedNode implements Endpoint {
        private final int nodeId;
        private final RequestHandler handler;
        private final PendingRequests pending;
        /** Set by {@link #crash}: this incarnation is gone for good, even once the node restarts. */
        private boolean dead;

        SimulatedNode(int nodeId, RequestHandler handler) {
            this.nodeId = nodeId;
            this.handler = handler;
            this.pending = new PendingRequests(nodeId, scheduler, task -> scheduler.schedule(0, task));
        }

        @Override
        public int nodeId() {
            return nodeId;
        }

        private boolean alive() {
            return nodes.get(nodeId) == this;
        }

        @Override
        public void send(int to, ByteBuffer request, long timeoutMs, ResponseHandler callback) {
            if (dead) {
                record("node " + nodeId + " crashed: its send to " + to + " is discarded");
                return;
            }
            ByteBuffer copy = Frames.copyOf(request);
            long requestId = pending.register(to, timeoutMs, callback);
            if (!nodes.containsKey(to) && !crashed.contains(to)) {
                pending.fail(requestId, "node " + to + " is unknown (not attached to this simulated network)");
                return;
            }
            transmit("request " + requestId, nodeId, to, () -> nodes.get(to).deliver(this, requestId, copy));
        }

        private void deliver(SimulatedNode sender, long requestId, ByteBuffer request) {
            Responder responder = new FirstAnswerResponder(response -> {
                if (!alive()) {
                    record("node " + nodeId + " is down: its response to request " + requestId + " is discarded");
                    return;
                }
                transmit("response " + requestId, nodeId, sender.nodeId, () -> {
                    if (sender.alive() && !sender.pending.complete(requestId, response)) {
                        record("response " + requestId + " to node " + sender.nodeId + " ignored: no longer pending");
                    }
                });
            });
            handler.onRequest(sender.nodeId, Frames.copyOf(request), responder);
        }

        @Override
        public void close() {
            if (!alive()) {
                return;
            }
            nodes.remove(nodeId);
            record("detach " + nodeId);
            pending.closeAndFailAll("node " + nodeId + " was detached");
            for (SimulatedNode other : nodes.values()) {
                other.pending.failAllTo(nodeId, "node " + nodeId + " was detached");
            }
        }
    }
}
