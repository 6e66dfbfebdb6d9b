package dev.cairn.log.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.common.CorruptFileException;
import dev.cairn.common.Durability;
import dev.cairn.common.StorageException;
import dev.cairn.log.Consumer;
import dev.cairn.log.ConsumerConfig;
import dev.cairn.log.ConsumerRecord;
import dev.cairn.log.ProducerRecord;
import dev.cairn.log.RecordMetadata;
import dev.cairn.log.TopicConfig;
import dev.cairn.log.TopicPartition;
import dev.cairn.storage.Storage;
import dev.cairn.storage.fs.FaultInjectingFileSystem;
import dev.cairn.storage.fs.MemoryFileSystem;
import dev.cairn.storage.fs.StorageFile;
import dev.cairn.storage.segment.SegmentFormat;
import dev.cairn.storage.segment.SegmentedFile;
import dev.cairn.storage.segment.SegmentedFileOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PartitionLogTest {
    private static final int ITERATIONS = Integer.getInteger("cairn.fuzz.iterations", 200);
    private final MemoryFileSystem memory = new MemoryFileSystem();
    private final FaultInjectingFileSystem fs = new FaultInjectingFileSystem(memory);
    private final AtomicLong nowMs = new AtomicLong(1_000);
    private final InstantSource clock = () -> Instant.ofEpochMilli(nowMs.get());
    private Storage storage = Storage.open(fs, Path.of("/data"), 1000);
    private DefaultLog log;

    private DefaultLog open() {
        return DefaultLog.open(storage, storage.root().resolve("log"),
                LogOptions.of(clock, Durability.ALWAYS, false).withMaintenanceIntervalMs(0));
    }

    @AfterEach
    void tearDown() {
        if (log != null) {
            log.close();
        }
        storage.close();
    }

    private void crash(Random random) {
        memory.crash(random.nextBoolean() ? random : null);
        storage.close();
        storage = Storage.open(fs, Path.of("/data"), 1000);
        log = open();
    }

    private Path partitionDir(String topic, int p) {
        return storage.root().resolve("log").resolve(topic + "-" + p);
    }

    // Scenario: random batches, reads, clean reopens and power losses against a List per partition;
    // with ALWAYS every acknowledged record survives a crash, offsets stay contiguous.
    @Test
    void randomOperationsMatchAModel() {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        log = open();
        int partitions = 3;
        log.createTopic("m", TopicConfig.defaults().withPartitions(partitions).withSegmentBytes(2048)
                .withIndexIntervalBytes(100));
        List<List<byte[]>> model = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            model.add(new ArrayList<>());
        }
        int steps = ITERATIONS;
        for (int step = 0; step < steps; step++) {
            String where = "seed " + seed + " step " + step;
            int op = random.nextInt(100);
            if (op < 55) {
                int n = 1 + random.nextInt(5);
                int p = random.nextInt(partitions);
                List<ProducerRecord> batch = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    byte[] value = new byte[random.nextInt(120)];
                    random.nextBytes(value);
                    batch.add(new ProducerRecord("m", p, null, random.nextBoolean() ? null : value.clone(), value,
                            List.of()));
                }
                List<RecordMetadata> meta = log.append(batch);
                for (int i = 0; i < n; i++) {
                    assertThat(meta.get(i).offset()).as(where).isEqualTo(model.get(p).size());
                    model.get(p).add(batch.get(i).value());
                }
            } else if (op < 85) {
                int p = random.nextInt(partitions);
                List<byte[]> expected = model.get(p);
                long from = expected.isEmpty() ? 0 : random.nextInt(expected.size() + 1);
                int max = 1 + random.nextInt(50);
                List<ConsumerRecord> got = log.read(new TopicPartition("m", p), from, max);
                assertThat(got.size()).as(where).isEqualTo((int) Math.min(max, expected.size() - from));
                for (int i = 0; i < got.size(); i++) {
                    assertThat(got.get(i).offset()).as(where).isEqualTo(from + i);
                    assertThat(Arrays.equals(got.get(i).value(), expected.get((int) from + i))).as(where).isTrue();
                }
            } else if (op < 92) {
                log.close();
                log = open();
            } else {
                crash(random);
            }
            for (int p = 0; p < partitions; p++) {
                assertThat(log.endOffset(new TopicPartition("m", p))).as(where).isEqualTo(model.get(p).size());
            }
        }
    }

    @Test
    void missingOrGarbageIndexesAreRebuilt() throws IOException {
        log = open();
        log.createTopic("t", TopicConfig.defaults().withSegmentBytes(1024).withIndexIntervalBytes(50));
        for (int i = 0; i < 100; i++) {
            log.append(ProducerRecord.of("t", new byte[] {(byte) i}));
        }
        log.close();
        Path dir = partitionDir("t", 0);
        List<Path> indexes = new ArrayList<>();
        for (Path f : memory.list(dir)) {
            if (f.toString().endsWith(".index") || f.toString().endsWith(".timeindex")) {
                indexes.add(f);
            }
        }
        assertThat(indexes.size()).isGreaterThan(4);
        memory.delete(indexes.get(0));
        try (StorageFile garbage = memory.open(indexes.get(2))) {
            garbage.write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9}), 0);
        }
        try (StorageFile wrong = memory.open(indexes.get(3))) {
            ByteBuffer entries = ByteBuffer.allocate(16).putInt(0x7fffffff).putInt(5).putInt(9).putInt(1).flip();
            wrong.write(entries, 16);
        }
        log = open();
        TopicPartition tp = new TopicPartition("t", 0);
        List<ConsumerRecord> all = log.read(tp, 0, 1000);
        assertThat(all).hasSize(100);
        for (int i = 0; i < 100; i++) {
            assertThat(all.get(i).offset()).isEqualTo(i);
            assertThat(all.get(i).value()).containsExactly((byte) i);
            assertThat(log.read(tp, i, 1).get(0).value()).containsExactly((byte) i);
        }
        assertThat(memory.exists(indexes.get(0))).isTrue();
    }

    @Test
    void bitFlipInASealedSegmentIsACorruptFileErrorNamingFileAndPosition() throws IOException {
        log = open();
        log.createTopic("t", TopicConfig.defaults().withSegmentBytes(1024));
        for (int i = 0; i < 60; i++) {
            log.append(ProducerRecord.of("t", new byte[40]));
        }
        log.close();
        log = null;
        Path first = partitionDir("t", 0).resolve(SegmentFormat.fileName(0, ".log"));
        fs.flipBit(first, SegmentFormat.HEADER_SIZE + 100, 3);
        memory.delete(partitionDir("t", 0).resolve(SegmentFormat.fileName(0, ".index")));
        assertThatThrownBy(this::open).isInstanceOfSatisfying(CorruptFileException.class, e -> {
            assertThat(e.file()).endsWith("00000000000000000000.log");
            assertThat(e.position()).isGreaterThanOrEqualTo(SegmentFormat.HEADER_SIZE).isLessThanOrEqualTo(120);
        });
    }

    @Test
    void bitFlipReadThroughAnIntactIndexIsACorruptFileError() throws IOException {
        log = open();
        log.createTopic("t", TopicConfig.defaults().withSegmentBytes(1024).withIndexIntervalBytes(50));
        for (int i = 0; i < 60; i++) {
            log.append(ProducerRecord.of("t", new byte[40]));
        }
        log.close();
        Path first = partitionDir("t", 0).resolve(SegmentFormat.fileName(0, ".log"));
        fs.flipBit(first, SegmentFormat.HEADER_SIZE + 100, 3);
        log = open();
        assertThatThrownBy(() -> log.read(new TopicPartition("t", 0), 0, 100))
                .isInstanceOf(CorruptFileException.class).hasMessageContaining("00000000000000000000.log");
    }

    @Test
    void consumersWithoutCrcChecksSkipThemButStillRejectRecordLengthsThatDoNotAddUp() throws IOException {
        log = open();
        log.createTopic("t", TopicConfig.defaults().withSegmentBytes(1024).withIndexIntervalBytes(50));
        for (int i = 0; i < 60; i++) {
            log.append(new ProducerRecord("t", 0, null, null, new byte[40], List.of()));
        }
        log.close();
        Path first = partitionDir("t", 0).resolve(SegmentFormat.fileName(0, ".log"));
        // The first record of the first batch: one byte each for its length, attributes, timestamp
        // delta, offset delta, key length (null) and value length, then the value.
        long record = SegmentFormat.HEADER_SIZE + SegmentFormat.FRAME_OVERHEAD + RecordBatchFormat.HEADER_SIZE;
        fs.flipBit(first, record + 6 + 5, 0);
        log = open();
        TopicPartition tp = new TopicPartition("t", 0);
        try (Consumer checking = log.consumer(ConsumerConfig.standalone());
                Consumer trusting = log.consumer(ConsumerConfig.standalone().withCheckCrcs(false))) {
            checking.assign(List.of(tp));
            trusting.assign(List.of(tp));
            assertThatThrownBy(() -> checking.poll(Duration.ZERO)).isInstanceOf(CorruptFileException.class)
                    .hasMessageContaining("CRC");
            List<ConsumerRecord> records = trusting.poll(Duration.ZERO);
            assertThat(records).isNotEmpty();
            assertThat(records.get(0).value()[5]).as("the flipped bit, unchecked").isEqualTo((byte) 1);
            assertThat(records.get(1).value()).isEqualTo(new byte[40]);
        }
        log.close();
        // A record length that cannot be (46, zigzag-encoded as 92, becomes -47): an error naming the
        // file, never a read outside the batch.
        fs.flipBit(first, record, 0);
        log = open();
        try (Consumer trusting = log.consumer(ConsumerConfig.standalone().withCheckCrcs(false))) {
            trusting.assign(List.of(tp));
            assertThatThrownBy(() -> trusting.poll(Duration.ZERO))
                    .isInstanceOfSatisfying(CorruptFileException.class, e -> {
                        assertThat(e.file()).endsWith("00000000000000000000.log");
                        assertThat(e.getMessage()).contains("record length");
                    });
            assertThatThrownBy(() -> trusting.poll(Duration.ZERO, r -> { }))
                    .isInstanceOf(CorruptFileException.class);
            assertThat(trusting.position(tp)).as("nothing was consumed").isZero();
        }
    }

    // Scenario: a partition written by an earlier release holds batches of record format 1. It opens
    // (indexes rebuilt from those batches), reads back the same records, takes new appends in
    // Kafka's v2 batch after them, and reads both kinds together after a reopen.
    @Test
    void aPartitionOfRecordFormatOneBatchesStillOpensAndTakesNewAppends() throws IOException {
        log = open();
        log.createTopic("t", TopicConfig.defaults());
        log.close();
        Path dir = partitionDir("t", 0);
        List<RecordBatchFormat.Entry> first = List.of(
                new RecordBatchFormat.Entry(0, 1_000, "k0".getBytes(), "v0".getBytes(), List.of()),
                new RecordBatchFormat.Entry(1, 1_001, null, "v1".getBytes(),
                        List.of(new dev.cairn.log.Header("h", "x".getBytes()))),
                new RecordBatchFormat.Entry(2, 999, "k2".getBytes(), null, List.of()));
        List<RecordBatchFormat.Entry> second = List.of(
                new RecordBatchFormat.Entry(3, 2_000, null, "v3".getBytes(), List.of()));
        try (SegmentedFile file = SegmentedFile.open(storage, dir, SegmentedFileOptions.defaults(".log"), 0)) {
            file.append(RecordBatchFormatTest.format1Batch(0, first));
            file.append(RecordBatchFormatTest.format1Batch(3, second));
        }
        SegmentIndex.deleteFiles(fs, dir, 0);
        log = open();
        TopicPartition tp = new TopicPartition("t", 0);
        assertThat(log.endOffset(tp)).isEqualTo(4);
        assertThat(log.append(new ProducerRecord("t", 0, 3_000L, "k4".getBytes(), "v4".getBytes(), List.of())).offset())
                .isEqualTo(4);
        for (int pass = 0; pass < 2; pass++) {
            List<ConsumerRecord> records = log.read(tp, 0, 10);
            assertThat(records).extracting(ConsumerRecord::offset).containsExactly(0L, 1L, 2L, 3L, 4L);
            assertThat(records).extracting(ConsumerRecord::timestampMs).containsExactly(1_000L, 1_001L, 999L, 2_000L,
                    3_000L);
            assertThat(records.get(0).key()).isEqualTo("k0".getBytes());
            assertThat(records.get(1).key()).isNull();
            assertThat(records.get(1).headers()).singleElement().satisfies(h -> {
                assertThat(h.key()).isEqualTo("h");
                assertThat(h.value()).isEqualTo("x".getBytes());
            });
            assertThat(records.get(2).value()).isNull();
            assertThat(records.get(4).value()).isEqualTo("v4".getBytes());
            log.close();
            log = open();
        }
    }

    // A batch in the fixed-width record layout of record format 0 (well framed, its CRC right) is
    // refused with an error naming the file and the format, never read as format 1.
    @Test
    void aBatchOfAnotherRecordFormatIsRefusedOnOpenNamingTheFile() throws IOException {
        log = open();
        log.createTopic("t", TopicConfig.defaults());
        log.append(ProducerRecord.of("t", new byte[10]));
        log.close();
        Path dir = partitionDir("t", 0);
        ByteBuffer oldBatch = ByteBuffer.allocate(RecordBatchFormat.HEADER_SIZE + 28 + 10);
        oldBatch.putLong(1).putInt(0).putInt(1).putLong(1_000).putLong(1_000).putInt(0); // attributes 0
        oldBatch.putInt(24 + 10).putInt(0).putLong(1_000).putInt(-1).putInt(10).put(new byte[10]).putInt(0);
        try (SegmentedFile file = SegmentedFile.open(storage, dir, SegmentedFileOptions.defaults(".log"), 0)) {
            file.append(oldBatch.flip());
        }
        SegmentIndex.deleteFiles(fs, dir, 0); // so the open rebuilds them from the data
        assertThatThrownBy(this::open).isInstanceOfSatisfying(CorruptFileException.class, e -> {
            assertThat(e.file()).endsWith("00000000000000000000.log");
            assertThat(e.problem()).contains("record format 0");
        });
        log = null;
    }

    // Scenario: one partition's second batch is damaged. As in Kafka, a list poll returns the records
    // it read before the failing read (from the other partition), and a poll that starts with the
    // failing read raises it: every good record comes back once, the damaged partition stays put.
    @Test
    void aListPollReturnsWhatItReadBeforeAFailingPartitionAndTheNextPollRaisesIt() throws IOException {
        log = open();
        log.createTopic("t", TopicConfig.defaults().withPartitions(2).withSegmentBytes(1024).withIndexIntervalBytes(50));
        for (int i = 0; i < 60; i++) {
            log.append(new ProducerRecord("t", i % 2, null, null, new byte[40], List.of()));
        }
        log.close();
        fs.flipBit(partitionDir("t", 1).resolve(SegmentFormat.fileName(0, ".log")), SegmentFormat.HEADER_SIZE + 100, 3);
        log = open();
        TopicPartition p0 = new TopicPartition("t", 0);
        TopicPartition p1 = new TopicPartition("t", 1);
        try (Consumer c = log.consumer(ConsumerConfig.standalone())) {
            c.assign(List.of(p0, p1));
            List<Long> fromP0 = new java.util.ArrayList<>();
            List<Long> fromP1 = new java.util.ArrayList<>();
            int failures = 0;
            for (int poll = 0; poll < 6; poll++) {
                try {
                    for (ConsumerRecord r : c.poll(Duration.ZERO)) {
                        (r.partition() == 0 ? fromP0 : fromP1).add(r.offset());
                    }
                } catch (CorruptFileException expected) {
                    failures++;
                }
            }
            assertThat(fromP0).hasSize(30).doesNotHaveDuplicates();
            assertThat(failures).isPositive();
            // p1 returns the records before its damaged batch, once, and stops at that batch.
            assertThat(fromP1).hasSizeLessThan(30).doesNotHaveDuplicates();
            assertThat(c.position(p1)).isEqualTo(fromP1.size());
            assertThatThrownBy(() -> log.read(p1, c.position(p1), 1)).isInstanceOf(CorruptFileException.class);
            assertThat(c.position(p0)).isEqualTo(30);
        }
    }

    @Test
    void bitFlipBeforeTheActiveTailStopsTheOpenAfterACrash() throws IOException {
        log = open();
        log.createTopic("t", TopicConfig.defaults());
        for (int i = 0; i < 20; i++) {
            log.append(ProducerRecord.of("t", new byte[40]));
        }
        memory.crash(null);
        storage.close();
        storage = Storage.open(fs, Path.of("/data"), 1000);
        log = null;
        Path active = partitionDir("t", 0).resolve(SegmentFormat.fileName(0, ".log"));
        fs.flipBit(active, SegmentFormat.HEADER_SIZE + 10, 0);
        assertThatThrownBy(this::open).isInstanceOf(CorruptFileException.class)
                .hasMessageContaining("00000000000000000000.log");
    }

    // Scenario: an fsync is held; appendAsync returns at once with a future that completes only
    // when the held fsync (run by the log's sync thread) is released.
    @Test
    void appendAsyncReturnsBeforeTheFsyncAndCompletesAfterIt() throws Exception {
        log = open();
        log.createTopic("t", TopicConfig.defaults());
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        fs.holdForce(fs.forceCount() + 1, entered, release);
        CompletableFuture<RecordMetadata> first = log.appendAsync(ProducerRecord.of("t", new byte[] {1}));
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<RecordMetadata> second = log.appendAsync(ProducerRecord.of("t", new byte[] {2}));
        assertThat(first).isNotDone();
        assertThat(second).isNotDone();
        assertThat(log.read(new TopicPartition("t", 0), 0, 10)).hasSize(2); // readable before durable
        release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS).offset()).isZero();
        assertThat(second.get(10, TimeUnit.SECONDS).offset()).isEqualTo(1);
    }

    @Test
    void aFailedFsyncFailsTheFuturesWaitingForIt() throws Exception {
        log = open();
        log.createTopic("t", TopicConfig.defaults());
        fs.failForce(fs.forceCount() + 1);
        CompletableFuture<RecordMetadata> future = log.appendAsync(ProducerRecord.of("t", new byte[] {1}));
        assertThatThrownBy(() -> future.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(StorageException.class);
        assertThatThrownBy(() -> log.appendAsync(ProducerRecord.of("t", new byte[] {2})))
                .isInstanceOf(StorageException.class);
        assertThatThrownBy(() -> log.appendAsync(ProducerRecord.of("nope", new byte[] {2})))
                .isInstanceOf(dev.cairn.log.UnknownTopicException.class);
        assertThatThrownBy(log::close).isInstanceOf(StorageException.class); // the failed partition says so
        log = null;
    }

    // Scenario: four threads append asynchronously to two partitions; every future completes,
    // each partition's offsets are exactly 0..n-1, each thread sees its own offsets increase per
    // partition, and after a power loss every record whose future completed is there.
    @Test
    void concurrentAsyncAppendsAllCompleteWithIncreasingOffsetsAndSurviveACrash() throws Exception {
        long seed = new Random().nextLong();
        log = open();
        log.createTopic("t", TopicConfig.defaults().withPartitions(2).withSegmentBytes(8 * 1024));
        int threads = 4;
        int perThread = 300;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<List<CompletableFuture<RecordMetadata>>>> submitted = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            submitted.add(pool.submit(() -> {
                List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                    long id = thread * 100_000L + i;
                    futures.add(log.appendAsync(new ProducerRecord("t", (int) (id % 2), null, null,
                            ByteBuffer.allocate(8).putLong(id).array(), List.of())));
                }
                return futures;
            }));
        }
        Map<Long, Long> idAt = new java.util.HashMap<>(); // partition * 2^40 + offset -> id
        for (int t = 0; t < threads; t++) {
            long[] last = {-1, -1};
            List<CompletableFuture<RecordMetadata>> futures = submitted.get(t).get(30, TimeUnit.SECONDS);
            for (int i = 0; i < perThread; i++) {
                RecordMetadata at = futures.get(i).get(30, TimeUnit.SECONDS);
                assertThat(at.offset()).as("seed %d", seed).isGreaterThan(last[at.partition()]);
                last[at.partition()] = at.offset();
                assertThat(idAt.put(((long) at.partition() << 40) + at.offset(), t * 100_000L + i)).isNull();
            }
        }
        pool.shutdown();
        for (int p = 0; p < 2; p++) {
            assertThat(log.endOffset(new TopicPartition("t", p))).isEqualTo(threads * perThread / 2);
        }
        crash(new Random(seed));
        for (int p = 0; p < 2; p++) {
            List<ConsumerRecord> kept = log.read(new TopicPartition("t", p), 0, 100_000);
            assertThat(kept).as("seed %d", seed).hasSize(threads * perThread / 2);
            for (ConsumerRecord r : kept) {
                assertThat(ByteBuffer.wrap(r.value()).getLong()).isEqualTo(idAt.get(((long) p << 40) + r.offset()));
            }
        }
    }
}
