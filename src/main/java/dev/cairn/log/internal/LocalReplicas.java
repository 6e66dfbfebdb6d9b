package dev.cairn.log.internal;

import dev.cairn.cluster.InProcessTransport;
import dev.cairn.cluster.ThreadScheduler;
import dev.cairn.common.StorageException;
import dev.cairn.log.Acks;
import dev.cairn.log.InvalidReplicationFactorException;
import dev.cairn.log.NotLeaderException;
import dev.cairn.log.TopicDescription;
import dev.cairn.log.TopicConfig;
import dev.cairn.log.TopicPartition;
import dev.cairn.log.internal.replica.ControllerStore;
import dev.cairn.log.internal.replica.PartitionState;
import dev.cairn.log.internal.replica.ReplicaLog;
import dev.cairn.log.internal.replica.ReplicaNode;
import dev.cairn.log.internal.replica.ReplicationConfig;
import dev.cairn.storage.Storage;
import dev.cairn.storage.fs.StorageFileSystem;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The copies of a {@link DefaultLog}'s replicated partitions on the storage roots of this process.
 * Root 0 is the log's own directory, whose copies the log opens as it does every partition's; the
 * other roots (other disks) hold the further copies, each in a directory of the same name as the
 * log's. Every root is a replica node ({@link ReplicaNode}, id = the root's index) on an
 * {@link InProcessTransport}, and one more node, without copies, runs the controller, whose states
 * are mirrored on every root ({@link ControllerStore#mirrored}); so the same protocol and the same
 * code replicate here as between processes.
 *
 * <p>A partition with replication factor R has its copies on root 0 and on R - 1 other roots,
 * chosen round-robin by partition. Root 0's copy leads while it can; when a root's storage fails,
 * its node leaves and the controller elects another in-sync copy, which the log then serves: it is
 * put in the partition's slot of the log's array of served copies.
 *
 * <p>Thread-safety: thread-safe.
 */
final class LocalReplicas implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalReplicas.class);
    private static final long LEADER_WAIT_MS = 10_000;
    /** The files replication keeps in a root's log directory, beside the partitions. */
    static final java.util.Set<String> FILE_NAMES = java.util.Set.of(ReplicaRootMarker.FILE_NAME,
            ControllerStore.FILE_NAME);

    private final List<Storage> roots;
    private final String logDirName;
    private final LogOptions options;
    private final InProcessTransport transport;
    private final ThreadScheduler scheduler;
    private final List<ReplicaNode> nodes = new ArrayList<>();
    private final ReplicaNode controller;
    private final Map<TopicPartition, TopicConfig> configs = new ConcurrentHashMap<>();
    private final Map<TopicPartition, PartitionLog> mainCopies = new ConcurrentHashMap<>();
    /** Copies on roots other than 0, by root; opened here, closed here. */
    private final List<Map<TopicPartition, PartitionLog>> ownCopies = new ArrayList<>();
    private final Map<TopicPartition, Integer> leaders = new ConcurrentHashMap<>();
    /** Per partition, the log's array of the copies it serves: a new leader's copy is put in its slot. */
    private final Map<TopicPartition, PartitionLog[]> servingSlots = new ConcurrentHashMap<>();
    private final BiConsumer<PartitionLog, Integer> appended;

    /**
     * @param roots the storage roots: the log's own first
     * @param logDirectory the log's directory on root 0; the others use one of the same name
     * @param appended told after every append to a copy with the copy and its root, before replication
     *                 hears of it: the log wakes its consumers there if the copy is the one it serves
     */
    LocalReplicas(List<Storage> roots, Path logDirectory, LogOptions options, ReplicationConfig config,
            BiConsumer<PartitionLog, Integer> appended) {
        this.roots = List.copyOf(roots);
        this.logDirName = logDirectory.getFileName().toString();
        this.options = options;
        this.appended = appended;
        this.transport = new InProcessTransport("cairn-replica-transport", 1);
        // Monotonic: heartbeats, sessions and lag are durations, which a wall clock set back or
        // forward (or the log's manual clock in tests) must not stretch or shrink.
        this.scheduler = new ThreadScheduler("cairn-replica", 1, () -> Instant.ofEpochMilli(System.nanoTime() / 1_000_000));
        long incarnation = System.currentTimeMillis(); // grows from one start of the process to the next
        int controllerId = roots.size();
        List<StorageFileSystem> fileSystems = new ArrayList<>();
        List<Path> directories = new ArrayList<>();
        List<Integer> fresh = new ArrayList<>();
        try {
            for (int k = 0; k < roots.size(); k++) {
                Path dir = logDirectory(k);
                roots.get(k).fs().createDirectories(dir);
                fileSystems.add(roots.get(k).fs());
                directories.add(dir);
                if (!ReplicaRootMarker.check(roots.get(k).fs(), dir, k)) {
                    fresh.add(k);
                }
            }
        } catch (IOException e) {
            close();
            throw new StorageException("cannot create the replicas' log directories: " + e.getMessage(), e);
        }
        this.controller = new ReplicaNode(controllerId, incarnation, transport, scheduler, config, controllerId,
                ControllerStore.mirrored(fileSystems, directories), tp -> {
                    throw new IllegalStateException("the controller's node holds no copies");
                });
        for (int k : fresh) {
            // A root without its marker is new or was replaced by an empty disk: whatever the saved
            // states say, its copies are not in sync. That is saved before the marker is written.
            controller.nodeLost(k);
            ReplicaRootMarker.write(roots.get(k).fs(), directories.get(k), k);
        }
        for (int k = 0; k < roots.size(); k++) {
            int root = k;
            ownCopies.add(new ConcurrentHashMap<>());
            ReplicaNode node = new ReplicaNode(k, incarnation, transport, scheduler, config, controllerId,
                    ControllerStore.inMemory(), tp -> openCopy(root, tp));
            node.onLeadership(copy -> becameLeader(root, copy.topicPartition()));
            nodes.add(node);
        }
        awaitRootsAlive();
    }

    /** Waits until the controller has heard from every root's node, so new partitions can be placed on all. */
    private void awaitRootsAlive() {
        long deadline = System.nanoTime() + LEADER_WAIT_MS * 1_000_000;
        for (int k = 0; k < nodes.size(); k++) {
            while (!controller.seesAlive(k)) {
                if (System.nanoTime() > deadline) {
                    close();
                    throw new IllegalStateException("the replica node of storage root " + k + " did not reach the "
                            + "controller within " + LEADER_WAIT_MS + " ms");
                }
                LockSupport.parkNanos(100_000);
            }
        }
    }

    int rootCount() {
        return roots.size();
    }

    private Path logDirectory(int root) {
        return roots.get(root).root().resolve(logDirName);
    }

    /**
     * Replicates the partitions of a topic with more than one replica: {@code copies} are the
     * copies on root 0 the log opened, {@code serving} the log's array of the copies it serves,
     * whose slots take each partition's leading copy; partitions the controller does not know yet
     * get their replicas assigned. Returns once every partition has a leader.
     *
     * @throws InvalidReplicationFactorException if the topic wants more copies than there are roots
     */
    void register(String topic, TopicConfig config, PartitionLog[] copies, PartitionLog[] serving) {
        checkReplicationFactor(topic, config);
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < copies.length; p++) {
            TopicPartition tp = new TopicPartition(topic, p);
            partitions.add(tp);
            configs.put(tp, config);
            mainCopies.put(tp, copies[p]);
            servingSlots.put(tp, serving);
            Integer leader = leaders.get(tp);
            if (leader != null) {
                serving[p] = copyOn(leader, tp);
            }
            nodes.forEach(n -> n.minInsyncReplicas(tp, config.minInsyncReplicas()));
            if (controller.controllerState(tp).isEmpty()) {
                controller.createPartition(tp, assignment(p, config.replicationFactor()));
            } else {
                controller.republish(tp); // its replicas skipped it while the log had not opened it
            }
        }
        awaitLeaders(partitions);
    }

    void checkReplicationFactor(String topic, TopicConfig config) {
        if (config.replicationFactor() > roots.size()) {
            throw new InvalidReplicationFactorException("topic " + topic + " wants " + config.replicationFactor()
                    + " replicas, but the log has " + roots.size() + " storage root(s) to keep them on");
        }
    }

    /** Root 0 and R - 1 of the others, round-robin by partition so the copies spread over the roots. */
    private List<Integer> assignment(int partition, int replicationFactor) {
        List<Integer> replicas = new ArrayList<>();
        replicas.add(0);
        int others = roots.size() - 1;
        for (int i = 0; i < replicationFactor - 1; i++) {
            replicas.add(1 + (partition + i) % others);
        }
        return replicas;
    }

    private synchronized void awaitLeaders(List<TopicPartition> partitions) {
        long deadline = System.nanoTime() + LEADER_WAIT_MS * 1_000_000;
        for (TopicPartition tp : partitions) {
            while (!leaders.containsKey(tp)) {
                long leftMs = (deadline - System.nanoTime()) / 1_000_000;
                if (leftMs <= 0) {
                    throw new NotLeaderException("no copy of " + tp + " took the lead within " + LEADER_WAIT_MS
                            + " ms; the controller's state is " + controller.controllerState(tp).orElse(null));
                }
                try {
                    wait(leftMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new NotLeaderException("interrupted while waiting for " + tp + " to get a leader");
                }
            }
        }
    }

    /** The copy of {@code tp} on {@code root} for replication, or null while the log has not registered its topic. */
    private ReplicaLog openCopy(int root, TopicPartition tp) {
        TopicConfig config = configs.get(tp);
        PartitionLog main = mainCopies.get(tp);
        if (config == null || main == null) {
            return null;
        }
        if (root == 0) {
            return new PartitionReplicaLog(main, false);
        }
        PartitionLog[] self = new PartitionLog[1];
        self[0] = PartitionLog.open(roots.get(root), logDirectory(root).resolve(tp.topic() + "-" + tp.partition()), tp,
                config, options.durabilityOf(config), options.truncateOnCorruption(), options.clock(),
                () -> afterAppend(self[0], root));
        ownCopies.get(root).put(tp, self[0]);
        return new PartitionReplicaLog(self[0], false);
    }

    /** Every append to any copy (the log calls it for root 0's): consumers, then replication. */
    void afterAppend(PartitionLog copy, int root) {
        if (copy == null) {
            return;
        }
        appended.accept(copy, root);
        nodes.get(root).onLeaderAppend(copy.topicPartition());
    }

    private PartitionLog copyOn(int root, TopicPartition tp) {
        return root == 0 ? mainCopies.get(tp) : ownCopies.get(root).get(tp);
    }

    private void becameLeader(int root, TopicPartition tp) {
        PartitionLog copy = copyOn(root, tp);
        PartitionLog[] slots = servingSlots.get(tp);
        if (copy == null || slots == null) {
            return;
        }
        slots[tp.partition()] = copy;
        synchronized (this) {
            leaders.put(tp, root);
            notifyAll();
        }
        LOG.info("{} is served from storage root {}", tp, root);
    }

    /**
     * Checks, before an append is written to {@code copy} (the copy the log serves), that it may
     * be (see {@link ReplicaNode#checkAppend}): on the root that holds it, which must lead.
     */
    void checkAppend(PartitionLog copy, Acks acks) {
        nodes.get(rootOf(copy)).checkAppend(copy.topicPartition(), acks);
    }

    /**
     * After an append wrote {@code copy} (the leading copy when it began) up to {@code end}:
     * completes when {@code acks} is satisfied on that copy's root, or fails if that root no longer
     * leads. Asked of the root written, not of whichever leads now: after a failover the new
     * leader's log may reach {@code end} with other records, and its high watermark passing
     * {@code end} says nothing of the records this append wrote.
     */
    CompletableFuture<Void> appended(PartitionLog copy, long end, Acks acks) {
        return nodes.get(rootOf(copy)).appended(copy.topicPartition(), end, acks);
    }

    /** The root that holds {@code copy}. */
    private int rootOf(PartitionLog copy) {
        TopicPartition tp = copy.topicPartition();
        for (int root = 0; root < nodes.size(); root++) {
            if (copyOn(root, tp) == copy) {
                return root;
            }
        }
        throw new NotLeaderException("the copy of " + tp + " in " + copy.directory() + " is no longer replicated");
    }

    /**
     * A copy's storage failed under an append to it: the root that holds {@code copy} leaves, and
     * another copy is elected. The root is found from the copy, not from who leads now: another
     * root's failure may have moved the lead while this append was writing, and telling the new
     * leader's sound root to leave would take the partition's last in-sync copy offline.
     */
    void storageFailed(PartitionLog copy) {
        nodes.get(rootOf(copy)).leave();
    }

    /** How many replicas {@code tp} has, and how many are in sync as its leader (else the controller) knows. */
    int[] replicaCounts(TopicPartition tp) {
        PartitionState state = leaderView(tp);
        return state == null ? new int[] {0, 0} : new int[] {state.replicas().size(), state.isr().size()};
    }

    /** The leader's state of {@code tp}, what its acks are judged by (the controller's may be a step ahead), else the controller's. */
    private PartitionState leaderView(TopicPartition tp) {
        Integer root = leaders.get(tp);
        return (root == null ? Optional.<PartitionState>empty() : nodes.get(root).state(tp))
                .or(() -> controller.controllerState(tp)).orElse(null);
    }

    /** A partition's figures, served from {@code copy}, with its replicas as the controller and its leader see them. */
    TopicDescription.PartitionInfo describe(PartitionLog copy) {
        TopicPartition tp = copy.topicPartition();
        Integer root = leaders.get(tp);
        PartitionState state = leaderView(tp);
        Map<Integer, Long> lag = new TreeMap<>();
        long end = copy.endOffset();
        if (root != null) {
            nodes.get(root).followerEndOffsets(tp).forEach((id, followerEnd) -> lag.put(id, followerEnd < 0 ? -1 : end - followerEnd));
        }
        return new TopicDescription.PartitionInfo(tp.partition(), copy.beginningOffset(), copy.visibleEnd(),
                copy.sizeBytes(), copy.segmentCount(), state == null ? PartitionState.NO_LEADER : state.leader(),
                state == null ? -1 : state.leaderEpoch(), state == null ? List.of() : state.replicas(),
                state == null ? List.of() : state.isr(), end, lag);
    }

    /** Gives the copies on the other roots a topic's changed settings (the log changes its own). */
    void reconfigure(String topic, TopicConfig config) {
        for (TopicPartition tp : configs.keySet()) {
            if (tp.topic().equals(topic)) {
                configs.put(tp, config);
                nodes.forEach(n -> n.minInsyncReplicas(tp, config.minInsyncReplicas()));
                for (Map<TopicPartition, PartitionLog> copies : ownCopies) {
                    PartitionLog copy = copies.get(tp);
                    if (copy != null) {
                        copy.reconfigure(config);
                    }
                }
            }
        }
    }

    /** Stops replicating a deleted topic's partitions and deletes their copies on the other roots. */
    void deleteTopic(String topic, int partitions) {
        for (int p = 0; p < partitions; p++) {
            TopicPartition tp = new TopicPartition(topic, p);
            controller.deletePartition(tp);
            for (int k = 0; k < nodes.size(); k++) {
                nodes.get(k).dropCopy(tp);
                PartitionLog own = ownCopies.get(k).remove(tp);
                if (own != null) {
                    own.close();
                    try {
                        DefaultLog.deleteRecursively(roots.get(k).fs(), own.directory());
                    } catch (StorageException e) {
                        LOG.warn("{}: its copy on storage root {} stays on disk: {}", tp, k, e.getMessage());
                    }
                }
            }
            leaders.remove(tp);
            configs.remove(tp);
            mainCopies.remove(tp);
            servingSlots.remove(tp);
        }
    }

    /**
     * Closes a copy; one whose storage failed is logged, not thrown: the other copies hold what it
     * had acknowledged.
     */
    static void closeCopy(PartitionLog copy) {
        try {
            copy.close();
        } catch (StorageException e) {
            LOG.warn("{}: the copy in {} closed after its storage failed: {}", copy.topicPartition(), copy.directory(),
                    e.getMessage());
        }
    }

    @Override
    public void close() {
        nodes.forEach(ReplicaNode::close);
        if (controller != null) {
            controller.close();
        }
        for (Map<TopicPartition, PartitionLog> copies : ownCopies) {
            copies.values().forEach(LocalReplicas::closeCopy);
        }
        transport.close();
        scheduler.close();
    }
}
