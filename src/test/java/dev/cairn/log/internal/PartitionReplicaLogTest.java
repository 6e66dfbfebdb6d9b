package dev.cairn.log.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.common.Durability;
import dev.cairn.log.Appender;
import dev.cairn.log.AutoOffsetReset;
import dev.cairn.log.Consumer;
import dev.cairn.log.ConsumerConfig;
import dev.cairn.log.InvalidBatchException;
import dev.cairn.log.NotLeaderException;
import dev.cairn.log.ProducerRecord;
import dev.cairn.log.TopicConfig;
import dev.cairn.log.TopicPartition;
import dev.cairn.log.internal.replica.EpochEndOffset;
import dev.cairn.log.internal.replica.ReplicaLog;
import dev.cairn.storage.AtomicFile;
import dev.cairn.storage.Storage;
import dev.cairn.storage.fs.MemoryFileSystem;
import dev.cairn.storage.segment.SegmentFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PartitionReplicaLogTest {
    private static final TopicPartition TP = new TopicPartition("t", 0);
    private final MemoryFileSystem memory = new MemoryFileSystem();
    private final InstantSource clock = () -> Instant.ofEpochMilli(5_000);
    private final Storage storage = Storage.open(memory, Path.of("/data"), 1000);
    private final TopicConfig config = TopicConfig.defaults().withSegmentBytes(1024).withIndexIntervalBytes(64);
    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : opened) {
            c.close();
        }
        storage.close();
    }

    private PartitionReplicaLog copy(String name) {
        PartitionReplicaLog copy = PartitionReplicaLog.open(storage, storage.root().resolve(name), TP, config,
                Durability.ALWAYS, clock);
        opened.add(copy);
        return copy;
    }

    private DefaultLog log(Durability durability) {
        DefaultLog log = DefaultLog.open(storage, storage.root().resolve("log"),
                LogOptions.of(clock, durability, false).withMaintenanceIntervalMs(0));
        opened.add(log);
        log.createTopic("t", config.withPartitions(1));
        return log;
    }

    private static List<ProducerRecord> records(String... values) {
        List<ProducerRecord> out = new ArrayList<>();
        for (String v : values) {
            out.add(ProducerRecord.of("t", v.getBytes()));
        }
        return out;
    }

    /** The stored batches of {@code copy} from {@code offset} on, one buffer each. */
    static List<ByteBuffer> batches(ReplicaLog copy, long offset) {
        ByteBuffer all = copy.read(offset, Integer.MAX_VALUE, Long.MAX_VALUE);
        List<ByteBuffer> out = new ArrayList<>();
        while (all.hasRemaining()) {
            int size = RecordBatchFormat.LOG_OVERHEAD + all.getInt(all.position() + RecordBatchFormat.BATCH_LENGTH_OFFSET);
            out.add(all.slice(all.position(), size));
            all.position(all.position() + size);
        }
        return out;
    }

    static List<Integer> epochs(List<ByteBuffer> batches) {
        return batches.stream().map(RecordBatchFormat::leaderEpoch).toList();
    }

    static List<String> values(ReplicaLog copy, long offset) {
        List<String> out = new ArrayList<>();
        for (ByteBuffer b : batches(copy, offset)) {
            RecordBatchFormat.decode(b).forEach(e -> out.add(new String(e.value())));
        }
        return out;
    }

    @Test
    void leaderAppendsCarryTheEpochTheyWereAcceptedIn() {
        PartitionReplicaLog leader = copy("a");
        assertThatThrownBy(() -> leader.appendAsLeader(records("x"))).isInstanceOf(NotLeaderException.class);
        leader.becomeLeader(3);
        assertThat(leader.appendAsLeader(records("a", "b"))).isZero();
        leader.becomeLeader(5);
        assertThat(leader.appendAsLeader(records("c"))).isEqualTo(2);
        assertThat(epochs(batches(leader, 0))).containsExactly(3, 5);
        assertThat(leader.latestEpoch()).isEqualTo(5);
        assertThat(leader.endOffsetFor(3)).isEqualTo(new EpochEndOffset(3, 2));
        assertThat(leader.endOffsetFor(4)).isEqualTo(new EpochEndOffset(3, 2));
        assertThat(leader.endOffsetFor(5)).isEqualTo(new EpochEndOffset(5, 3));
        assertThat(leader.endOffsetFor(2)).isEqualTo(EpochEndOffset.UNDEFINED);
        assertThatThrownBy(() -> leader.becomeLeader(4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("older than the latest recorded, 5");
        leader.becomeFollower();
        assertThatThrownBy(() -> leader.appendAsLeader(records("d"))).isInstanceOf(NotLeaderException.class);
        assertThat(leader.logEndOffset()).isEqualTo(3);
    }

    // Scenario: a partition nobody replicates writes what it wrote before: no epochs, no files.
    @Test
    void anUnreplicatedPartitionKeepsNoEpoch() {
        DefaultLog log = log(Durability.NONE);
        log.append(ProducerRecord.of("t", "a".getBytes()));
        log.appender("t").append(0, null, "b".getBytes());
        log.appendBatch(TP, RecordBatchFormat.encode(0, List.of(new RecordBatchFormat.Entry(0, 1, null,
                "c".getBytes(), List.of()))));
        assertThat(epochs(batches(log.replicaLog(TP), 0))).containsOnly(RecordBatchFormat.NO_LEADER_EPOCH);
        Path dir = storage.root().resolve("log/t-0");
        assertThat(memory.exists(dir.resolve(LeaderEpochFormat.FILE_NAME))).isFalse();
        assertThat(memory.exists(dir.resolve(HighWatermarkFormat.FILE_NAME))).isFalse();
        assertThat(log.replicaLog(TP).highWatermark()).isEqualTo(3);
    }

    // Scenario: every append path of a served partition stamps the epoch; the Appender's open
    // batch is sealed at an epoch change under the epoch it was opened in.
    @Test
    void everyAppendPathStampsTheLeaderEpoch() {
        DefaultLog log = log(Durability.NONE);
        ReplicaLog replica = log.replicaLog(TP);
        replica.becomeLeader(7);
        Appender appender = log.appender("t");
        appender.append(0, null, "a".getBytes());
        appender.append(0, null, "b".getBytes());
        replica.becomeLeader(8);
        appender.append(0, null, "c".getBytes());
        log.append(ProducerRecord.of("t", "d".getBytes()));
        log.appendBatch(TP, RecordBatchFormat.encode(0, List.of(new RecordBatchFormat.Entry(0, 1, null,
                "e".getBytes(), List.of()))));
        assertThat(epochs(batches(replica, 0))).containsExactly(7, 8, 8, 8);
        assertThat(values(replica, 0)).containsExactly("a", "b", "c", "d", "e");
        assertThat(replica.endOffsetFor(7)).isEqualTo(new EpochEndOffset(7, 2));
    }

    private static void catchUp(ReplicaLog follower, ReplicaLog leader, int maxBytes) {
        while (follower.logEndOffset() < leader.logEndOffset()) {
            ByteBuffer fetched = leader.read(follower.logEndOffset(), maxBytes, Long.MAX_VALUE);
            assertThat(follower.appendAsFollower(fetched)).isEqualTo(follower.logEndOffset());
        }
    }

    private List<Path> segmentFiles(String copy) throws IOException {
        return memory.list(storage.root().resolve(copy)).stream()
                .filter(p -> p.getFileName().toString().endsWith(".log")).sorted().toList();
    }

    // Scenario: a follower fed the leader's batches, a few at a time, holds the same bytes in the
    // same segments, and the same epochs.
    @Test
    void aFollowerHoldsTheLeadersBytes() throws IOException {
        PartitionReplicaLog leader = copy("a");
        PartitionReplicaLog follower = copy("b");
        follower.becomeFollower();
        for (int epoch = 1; epoch <= 4; epoch++) {
            leader.becomeLeader(epoch);
            for (int i = 0; i < 12; i++) {
                leader.appendAsLeader(records("value-" + epoch + "-" + i, "more-" + i));
            }
        }
        catchUp(follower, leader, 300);
        assertThat(segmentFiles("a")).hasSizeGreaterThan(2);
        assertThat(segmentFiles("b").stream().map(Path::getFileName).toList())
                .isEqualTo(segmentFiles("a").stream().map(Path::getFileName).toList());
        for (Path p : segmentFiles("a")) {
            assertThat(memory.contents(storage.root().resolve("b").resolve(p.getFileName())))
                    .isEqualTo(memory.contents(p));
        }
        for (int epoch = 0; epoch <= 5; epoch++) {
            assertThat(follower.endOffsetFor(epoch)).isEqualTo(leader.endOffsetFor(epoch));
        }
        assertThat(follower.highWatermark()).isZero(); // replication sets it, not appends
    }

    @Test
    void aFollowerRefusesBatchesOutOfSequenceOrDamaged() {
        PartitionReplicaLog leader = copy("a");
        PartitionReplicaLog follower = copy("b");
        follower.becomeFollower();
        leader.becomeLeader(1);
        for (int i = 0; i < 3; i++) {
            leader.appendAsLeader(records("v" + i));
        }
        ByteBuffer fromOne = leader.read(1, Integer.MAX_VALUE, Long.MAX_VALUE);
        assertThatThrownBy(() -> follower.appendAsFollower(fromOne)).isInstanceOf(InvalidBatchException.class)
                .hasMessageContaining("t-0").hasMessageContaining("starts at offset 1, expected 0");
        assertThat(follower.logEndOffset()).isZero();

        ByteBuffer all = leader.read(0, Integer.MAX_VALUE, Long.MAX_VALUE);
        ByteBuffer damaged = ByteBuffer.allocate(all.remaining()).put(all.duplicate()).flip();
        damaged.put(damaged.limit() - 1, (byte) (damaged.get(damaged.limit() - 1) ^ 1)); // in the third batch
        assertThatThrownBy(() -> follower.appendAsFollower(damaged)).isInstanceOf(InvalidBatchException.class)
                .hasMessageContaining("batch at offset 2").hasMessageContaining("CRC");
        assertThat(follower.logEndOffset()).isEqualTo(2); // the whole batches before it stay
        assertThat(values(follower, 0)).containsExactly("v0", "v1");
        ByteBuffer cut = leader.read(2, Integer.MAX_VALUE, Long.MAX_VALUE);
        assertThatThrownBy(() -> follower.appendAsFollower(cut.limit(cut.limit() - 3)))
                .isInstanceOf(InvalidBatchException.class).hasMessageContaining("follow it");
        assertThat(follower.logEndOffset()).isEqualTo(2);
    }

    /** Epochs 1, 2, 3 each of one batch of five records: offsets 0-4, 5-9, 10-14. */
    private PartitionReplicaLog threeEpochs(String name) {
        PartitionReplicaLog copy = copy(name);
        for (int epoch = 1; epoch <= 3; epoch++) {
            copy.becomeLeader(epoch);
            copy.appendAsLeader(records("e" + epoch + "a", "b", "c", "d", "e"));
        }
        copy.highWatermark(15);
        return copy;
    }

    @Test
    void truncationCutsAtBatchBoundaries() {
        PartitionReplicaLog copy = threeEpochs("a");
        copy.truncateTo(10);
        assertThat(copy.logEndOffset()).isEqualTo(10);
        assertThat(copy.latestEpoch()).isEqualTo(2);
        assertThat(copy.highWatermark()).isEqualTo(10);
        copy.truncateTo(7); // inside the second batch: the whole batch goes
        assertThat(copy.logEndOffset()).isEqualTo(5);
        assertThat(copy.latestEpoch()).isEqualTo(1);
        assertThat(copy.highWatermark()).isEqualTo(5);
        copy.truncateTo(99); // past the end: nothing
        assertThat(copy.logEndOffset()).isEqualTo(5);
        copy.becomeLeader(4);
        assertThat(copy.appendAsLeader(records("new"))).isEqualTo(5);
        assertThat(values(copy, 0)).containsExactly("e1a", "b", "c", "d", "e", "new");
        copy.close();
        PartitionReplicaLog reopened = copy("a");
        assertThat(values(reopened, 0)).containsExactly("e1a", "b", "c", "d", "e", "new");
        assertThat(reopened.endOffsetFor(1)).isEqualTo(new EpochEndOffset(1, 5));
        assertThat(reopened.endOffsetFor(4)).isEqualTo(new EpochEndOffset(4, 6));
        assertThat(reopened.highWatermark()).isEqualTo(5);
    }

    // Scenario: a cut in an early segment drops the later segments with their index files, and
    // the copy takes appends and reads on from the cut, also after a reopen.
    @Test
    void truncationAcrossSegmentsDropsTheLaterOnes() throws IOException {
        PartitionReplicaLog copy = copy("a");
        copy.becomeLeader(1);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            copy.appendAsLeader(records("value-" + i));
            expected.add("value-" + i);
        }
        int before = segmentFiles("a").size();
        assertThat(before).isGreaterThan(3);
        copy.truncateTo(17);
        assertThat(copy.logEndOffset()).isEqualTo(17);
        assertThat(segmentFiles("a").size()).isLessThan(before);
        List<Path> files = memory.list(storage.root().resolve("a"));
        long lastBase = SegmentFormat.parseBase(segmentFiles("a").get(segmentFiles("a").size() - 1).getFileName()
                .toString(), ".log");
        assertThat(files).noneMatch(p -> p.toString().endsWith(".index")
                && SegmentFormat.parseBase(p.getFileName().toString(), ".index") > lastBase);
        List<String> kept = new ArrayList<>(expected.subList(0, 17));
        for (int i = 0; i < 30; i++) {
            copy.appendAsLeader(records("again-" + i));
            kept.add("again-" + i);
        }
        assertThat(values(copy, 0)).isEqualTo(kept);
        assertThat(values(copy, 20)).isEqualTo(kept.subList(20, kept.size()));
        copy.close();
        assertThat(values(copy("a"), 0)).isEqualTo(kept);
    }

    @Test
    void truncateFullyRestartsEmptyAtTheOffset() {
        PartitionReplicaLog copy = threeEpochs("a");
        copy.truncateFullyAndStartAt(100);
        assertThat(copy.logStartOffset()).isEqualTo(100);
        assertThat(copy.logEndOffset()).isEqualTo(100);
        assertThat(copy.highWatermark()).isEqualTo(100);
        assertThat(copy.latestEpoch()).isEqualTo(-1);
        copy.becomeLeader(9);
        assertThat(copy.appendAsLeader(records("x"))).isEqualTo(100);
        copy.truncateFullyAndStartAt(3); // lower than before: also allowed
        copy.becomeLeader(10);
        assertThat(copy.appendAsLeader(records("y"))).isEqualTo(3);
        copy.close();
        PartitionReplicaLog reopened = copy("a");
        assertThat(reopened.logStartOffset()).isEqualTo(3);
        assertThat(values(reopened, 3)).containsExactly("y");
        assertThat(reopened.endOffsetFor(10)).isEqualTo(new EpochEndOffset(10, 4));
        assertThatThrownBy(() -> reopened.truncateFullyAndStartAt(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    // Scenario: once replicated, every consumer-facing read of a served partition stops at the
    // high watermark, and moving it wakes a parked awaitAppend.
    @Test
    void theHighWatermarkBoundsWhatConsumersSee() {
        DefaultLog log = log(Durability.ALWAYS);
        log.append(ProducerRecord.of("t", "old".getBytes()));
        ReplicaLog replica = log.replicaLog(TP);
        replica.becomeLeader(1);
        assertThat(replica.highWatermark()).isEqualTo(1); // what was readable stays readable
        for (int i = 0; i < 4; i++) {
            log.append(new ProducerRecord("t", 0, 10_000L + i, null, ("v" + i).getBytes(), List.of()));
        }
        CompletableFuture<Void> parked = log.awaitAppend(TP, 1);
        assertThat(log.endOffset(TP)).isEqualTo(1);
        assertThat(log.read(TP, 0, 100)).hasSize(1);
        assertThat(log.read(TP, 3, 100)).isEmpty(); // between the high watermark and the end
        assertThat(log.readBatches(TP, 0, 1 << 20).endOffset()).isEqualTo(1);
        assertThat(log.offsetForTime(TP, 10_000)).isEmpty();
        assertThat(log.describeTopic("t").partitions().get(0).endOffset()).isEqualTo(1);
        assertThat(parked).isNotDone();

        replica.highWatermark(3);
        assertThat(parked).isDone();
        assertThat(log.endOffset(TP)).isEqualTo(3);
        assertThat(log.read(TP, 0, 100)).extracting(r -> new String(r.value())).containsExactly("old", "v0", "v1");
        assertThat(log.offsetForTime(TP, 10_001)).hasValue(2);
        assertThat(log.offsetForTime(TP, 10_002)).isEmpty();
        try (Consumer latest = log.consumer(ConsumerConfig.standalone().withAutoOffsetReset(AutoOffsetReset.LATEST))) {
            latest.assign(List.of(TP));
            assertThat(latest.position(TP)).isEqualTo(3);
        }
        try (Consumer consumer = log.consumer(ConsumerConfig.standalone())) {
            consumer.assign(List.of(TP));
            assertThat(consumer.poll(java.time.Duration.ZERO)).hasSize(3);
        }
        replica.highWatermark(100); // clamped to the end
        assertThat(replica.highWatermark()).isEqualTo(5);
        assertThat(log.endOffset(TP)).isEqualTo(5);
        assertThat(replica.read(0, 1 << 20, 3).remaining()).isPositive(); // followers read past it
    }

    // Scenario: a consumer polls with nothing below the high watermark; moving it up fires the
    // signal an append fires, so the poll returns the records long before its timeout.
    @Test
    void aHighWatermarkAdvanceWakesAParkedPoll() throws Exception {
        DefaultLog log = log(Durability.ALWAYS);
        ReplicaLog replica = log.replicaLog(TP);
        replica.becomeLeader(1);
        log.append(ProducerRecord.of("t", "v".getBytes()));
        try (Consumer consumer = log.consumer(ConsumerConfig.standalone())) {
            consumer.assign(List.of(TP));
            CompletableFuture<Integer> polled = CompletableFuture.supplyAsync(
                    () -> consumer.poll(java.time.Duration.ofMinutes(1)).size());
            replica.highWatermark(1);
            assertThat(polled.get(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(1);
        }
    }

    // Scenario: deleteRecords moves the log start past the high watermark and the first epoch's
    // start: both follow it up.
    @Test
    void aLogStartMovedPastTheHighWatermarkLiftsIt() {
        DefaultLog log = log(Durability.ALWAYS);
        ReplicaLog replica = log.replicaLog(TP);
        replica.becomeLeader(1);
        for (int i = 0; i < 10; i++) {
            log.append(ProducerRecord.of("t", ("v" + i).getBytes()));
        }
        replica.highWatermark(4);
        log.deleteRecords(TP, 7);
        assertThat(replica.highWatermark()).isEqualTo(7);
        assertThat(replica.logStartOffset()).isEqualTo(7);
        assertThat(replica.endOffsetFor(1)).isEqualTo(new EpochEndOffset(1, 10));
        assertThat(log.beginningOffset(TP)).isEqualTo(7);
        assertThat(log.endOffset(TP)).isEqualTo(7);
    }

    @Test
    void theHighWatermarkOfAnUnreplicatedCopyIsItsEnd() {
        PartitionReplicaLog copy = copy("a");
        assertThatThrownBy(() -> copy.highWatermark(0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not replicated");
    }

    // Scenario: the checkpoint comes back on reopen, but never above what the log holds.
    @Test
    void reopenRestoresEpochsAndAHighWatermarkAtMostTheEnd() {
        PartitionReplicaLog copy = threeEpochs("a");
        copy.highWatermark(12);
        copy.close();
        PartitionReplicaLog reopened = copy("a");
        assertThat(reopened.highWatermark()).isEqualTo(12);
        assertThat(reopened.latestEpoch()).isEqualTo(3);
        assertThat(reopened.endOffsetFor(2)).isEqualTo(new EpochEndOffset(2, 10));
        reopened.close();
        AtomicFile.write(memory, storage.root().resolve("a").resolve(HighWatermarkFormat.FILE_NAME), HighWatermarkFormat.MAGIC,
                HighWatermarkFormat.VERSION, HighWatermarkFormat.encode(1_000));
        assertThat(copy("a").highWatermark()).isEqualTo(15);
        assertThat(AtomicFile.read(memory, storage.root().resolve("a").resolve(HighWatermarkFormat.FILE_NAME),
                HighWatermarkFormat.MAGIC, HighWatermarkFormat.VERSION).map(b -> HighWatermarkFormat.decode("f", b)))
                .hasValue(15L); // rewritten at the end
    }
}
