package dev.cairn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.common.Durability;
import dev.cairn.common.StorageException;
import dev.cairn.log.Acks;
import dev.cairn.log.ConsumerRecord;
import dev.cairn.log.InvalidReplicationFactorException;
import dev.cairn.log.Log;
import dev.cairn.log.NotEnoughReplicasException;
import dev.cairn.log.ProducerRecord;
import dev.cairn.log.RecordMetadata;
import dev.cairn.log.TopicConfig;
import dev.cairn.log.TopicDescription;
import dev.cairn.log.TopicPartition;
import dev.cairn.storage.Storage;
import dev.cairn.storage.fs.FaultInjectingFileSystem;
import dev.cairn.storage.fs.MemoryFileSystem;
import dev.cairn.storage.fs.StorageFileSystem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Copies of partitions on the other storage roots of the process (docs/replication.md). */
class ReplicaRootsTest {
    private static final TopicPartition ORDERS = new TopicPartition("orders", 0);
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static TopicConfig threeCopies(int minInsync) {
        return TopicConfig.defaults().withReplicationFactor(3).withMinInsyncReplicas(minInsync);
    }

    /** A Cairn on {@code dir}/data with replica roots {@code dir}/disk1 and {@code dir}/disk2, or those named. */
    private static Cairn openOnDisks(Path dir, String... roots) {
        String[] names = roots.length == 0 ? new String[] {"disk1", "disk2"} : roots;
        Path[] paths = java.util.Arrays.stream(names).map(dir::resolve).toArray(Path[]::new);
        return Cairn.builder().directory(dir.resolve("data")).replicaRoots(paths).jmx(false).open();
    }

    /** A Cairn fsyncing every append, whose data directory is on the first file system and replica roots on the others. */
    private static Cairn openOnFileSystems(StorageFileSystem... disks) {
        List<Storage> roots = new ArrayList<>();
        for (int i = 0; i < disks.length; i++) {
            roots.add(Storage.open(disks[i], Path.of("/disk" + i), 1000));
        }
        return Cairn.builder().durability(Durability.ALWAYS).jmx(false).open(roots.get(0), roots.subList(1, roots.size()));
    }

    private static ProducerRecord record(String value) {
        return ProducerRecord.of(ORDERS.topic(), value.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> values(Log log) {
        List<String> values = new ArrayList<>();
        for (ConsumerRecord r : log.read(ORDERS, log.beginningOffset(ORDERS), 1000)) {
            values.add(new String(r.value(), StandardCharsets.UTF_8));
        }
        return values;
    }

    /** Waits (polling every millisecond, at most {@link #WAIT}) until {@code done} holds. */
    private static void await(String what, BooleanSupplier done) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what + " within " + WAIT).isLessThan(deadline);
            LockSupport.parkNanos(1_000_000);
        }
    }

    private static TopicDescription.PartitionInfo orders(Log log) {
        return log.describeTopic(ORDERS.topic()).partitions().get(0);
    }

    /** Waits until every follower of {@code orders-0} is in sync and has caught up with the leader's log end. */
    private static TopicDescription.PartitionInfo awaitCaughtUp(Log log) {
        await("followers caught up", () -> orders(log).followerLag().values().stream().allMatch(lag -> lag == 0)
                && orders(log).inSyncReplicas().size() == orders(log).replicas().size());
        return orders(log);
    }

    // Scenario: a topic with three replicas on a Cairn with two replica roots: an append with acks
    // ALL returns once all three copies have it, and consumers read it from the leader.
    @Test
    void aTopicKeepsACopyOnEveryRootAndAcksAllWaitsForThem() throws Exception {
        try (Cairn cairn = Cairn.builder().inMemory().replicaRootsInMemory(2).jmx(false).open()) {
            Log log = cairn.log();
            log.createTopic(ORDERS.topic(), threeCopies(2));
            RecordMetadata first = log.append(record("a"), Acks.ALL);
            log.append(record("b"));
            log.append(List.of(record("c"), record("d")), Acks.LEADER);
            assertThat(first.offset()).isZero();
            TopicDescription.PartitionInfo info = awaitCaughtUp(log);
            assertThat(info.leader()).isZero();
            assertThat(info.leaderEpoch()).isZero();
            assertThat(info.replicas()).containsExactly(0, 1, 2);
            assertThat(info.inSyncReplicas()).containsExactly(0, 1, 2);
            assertThat(info.logEndOffset()).isEqualTo(4);
            assertThat(log.endOffset(ORDERS)).isEqualTo(4);
            assertThat(values(log)).containsExactly("a", "b", "c", "d");
        }
    }

    @Test
    void moreReplicasThanRootsAreRefusedAndNothingIsCreated() {
        try (Cairn cairn = Cairn.builder().inMemory().replicaRootsInMemory(1).jmx(false).open()) {
            assertThatThrownBy(() -> cairn.log().createTopic("t", threeCopies(1)))
                    .isInstanceOf(InvalidReplicationFactorException.class).hasMessageContaining("3 replicas")
                    .hasMessageContaining("2 storage root(s)");
            assertThat(cairn.log().topics()).doesNotContain("t");
        }
        try (Cairn cairn = Cairn.builder().inMemory().jmx(false).open()) {
            assertThatThrownBy(() -> cairn.log().createTopic("t", threeCopies(1)))
                    .isInstanceOf(InvalidReplicationFactorException.class).hasMessageContaining("no replica roots");
        }
    }

    // Scenario: the data directory's disk fails an fsync under an append: that append fails, the
    // copy on another root is elected, and every record acknowledged before is still read, with
    // the next appends going to the new leader.
    @Test
    void whenTheLeadingRootFailsAnInSyncCopyOnAnotherRootLeads() throws Exception {
        FaultInjectingFileSystem disk0 = new FaultInjectingFileSystem(new MemoryFileSystem());
        try (Cairn cairn = openOnFileSystems(disk0, new MemoryFileSystem(), new MemoryFileSystem())) {
            Log log = cairn.log();
            log.createTopic(ORDERS.topic(), threeCopies(2));
            log.append(record("a"));
            log.append(record("b"));
            awaitCaughtUp(log);

            disk0.failForce(disk0.forceCount() + 1);
            assertThatThrownBy(() -> log.append(record("lost"))).isInstanceOf(StorageException.class);

            await("a new leader", () -> orders(log).leader() != 0);
            TopicDescription.PartitionInfo info = orders(log);
            assertThat(info.leader()).isIn(1, 2);
            assertThat(info.leaderEpoch()).isEqualTo(1);
            assertThat(info.inSyncReplicas()).doesNotContain(0);
            // The failed append was written before its fsync failed, so the followers may have it:
            // like a Kafka produce that timed out, it was not acknowledged, yet may be kept.
            RecordMetadata next = log.append(record("c"), Acks.ALL);
            assertThat(values(log)).startsWith("a", "b").endsWith("c").hasSizeBetween(3, 4);
            assertThat(next.offset()).isEqualTo(values(log).size() - 1);
        }
    }

    // Scenario: with a follower's root gone, the in-sync set is two: a topic that wants three in
    // sync refuses acks ALL at once, writing nothing, and still takes acks LEADER.
    @Test
    void acksAllIsRefusedWhileTheInSyncSetIsBelowTheMinimum() throws Exception {
        FaultInjectingFileSystem disk2 = new FaultInjectingFileSystem(new MemoryFileSystem());
        try (Cairn cairn = openOnFileSystems(new MemoryFileSystem(), new MemoryFileSystem(), disk2)) {
            Log log = cairn.log();
            log.createTopic(ORDERS.topic(), threeCopies(3));
            log.append(record("a"));
            awaitCaughtUp(log);

            disk2.failForce(disk2.forceCount() + 1);
            log.append(record("b"), Acks.LEADER); // the follower on root 2 fails to store it and leaves
            await("root 2 out of the in-sync set", () -> !orders(log).inSyncReplicas().contains(2));
            assertThat(cairn.metrics().underReplicatedPartitions()).isEqualTo(1);
            assertThat(cairn.metrics().topic(ORDERS.topic()).orElseThrow().partitions().get(0).inSyncReplicas())
                    .isEqualTo(2);
            long end = orders(log).logEndOffset();
            assertThatThrownBy(() -> log.append(record("refused"), Acks.ALL))
                    .isInstanceOf(NotEnoughReplicasException.class).hasMessageContaining("minInsyncReplicas 3");
            assertThat(orders(log).logEndOffset()).isEqualTo(end);
            log.alterTopicConfig(ORDERS.topic(), c -> c.withMinInsyncReplicas(2));
            log.append(record("c"), Acks.ALL);
            assertThat(values(log)).containsExactly("a", "b", "c");
        }
    }

    // Scenario: closed and opened again with the same roots, the topic keeps its replicas, its
    // records and its leader epoch.
    @Test
    void reopenedWithTheSameRootsTheReplicasCarryOn(@TempDir Path dir) throws Exception {
        try (Cairn cairn = openOnDisks(dir)) {
            cairn.log().createTopic(ORDERS.topic(), threeCopies(2));
            cairn.log().append(record("a"));
            awaitCaughtUp(cairn.log());
        }
        try (Cairn cairn = openOnDisks(dir)) {
            Log log = cairn.log();
            log.append(record("b"));
            TopicDescription.PartitionInfo info = awaitCaughtUp(log);
            assertThat(info.replicas()).containsExactly(0, 1, 2);
            assertThat(info.leader()).isZero();
            assertThat(values(log)).containsExactly("a", "b");
        }
    }

    // Scenario: a replica root's disk is replaced by an empty one between two opens: its copies
    // leave the in-sync set at once (an empty copy must never lead), are fetched again from the
    // leader, and rejoin. Roots given in another order are refused.
    @Test
    void aRootReplacedByAnEmptyDiskIsRebuiltFromTheLeader(@TempDir Path dir) throws Exception {
        try (Cairn cairn = openOnDisks(dir)) {
            cairn.log().createTopic(ORDERS.topic(), threeCopies(2));
            cairn.log().append(record("a"));
            cairn.log().append(record("b"));
            awaitCaughtUp(cairn.log());
        }
        try (Cairn swapped = openOnDisks(dir, "disk2", "disk1")) {
            assertThatThrownBy(swapped::log).isInstanceOf(StorageException.class)
                    .hasMessageContaining("was replica root 2 and is given as root 1");
        }
        try (var files = java.nio.file.Files.walk(dir.resolve("disk1"))) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        try (Cairn cairn = openOnDisks(dir)) {
            Log log = cairn.log();
            TopicDescription.PartitionInfo info = awaitCaughtUp(log);
            assertThat(info.inSyncReplicas()).containsExactly(0, 1, 2);
            assertThat(values(log)).containsExactly("a", "b");
            String segment = "log/orders-0/00000000000000000000.log";
            assertThat(java.nio.file.Files.size(dir.resolve("disk1").resolve(segment)))
                    .isEqualTo(java.nio.file.Files.size(dir.resolve("data").resolve(segment)));
        }
    }

    // Scenario: records deleted on the leader (deleteRecords, as retention does with segments) go
    // on the followers too: each follower moves its log start to the leader's.
    @Test
    void followersFollowTheLeadersLogStart(@TempDir Path dir) throws Exception {
        try (Cairn cairn = openOnDisks(dir)) {
            Log log = cairn.log();
            log.createTopic(ORDERS.topic(), threeCopies(2));
            for (String v : List.of("a", "b", "c", "d")) {
                log.append(record(v));
            }
            assertThat(log.deleteRecords(ORDERS, 3)).isEqualTo(3);
            log.append(record("e"));
            awaitCaughtUp(log);
            for (String root : List.of("disk1", "disk2")) {
                Path start = dir.resolve(root).resolve("log/orders-0/log-start-offset");
                await(start.toString(), () -> java.nio.file.Files.exists(start));
            }
            assertThat(values(log)).containsExactly("d", "e");
        }
    }
}
