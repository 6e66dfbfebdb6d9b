package dev.cairn.log.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.common.Durability;
import dev.cairn.log.Appender;
import dev.cairn.log.Consumer;
import dev.cairn.log.ConsumerConfig;
import dev.cairn.log.ConsumerRecord;
import dev.cairn.log.ProducerRecord;
import dev.cairn.log.RecordTooLargeException;
import dev.cairn.log.TopicConfig;
import dev.cairn.log.TopicPartition;
import dev.cairn.storage.Storage;
import dev.cairn.storage.fs.MemoryFileSystem;
import dev.cairn.storage.fs.RealFileSystem;
import dev.cairn.storage.segment.Segment;
import dev.cairn.storage.segment.SegmentFormat;
import dev.cairn.storage.segment.SegmentScanner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Appends that share a batch until it is sealed ({@link OpenBatch}), as readers and crashes see them. */
class OpenBatchTest {
    private static final TopicPartition TP = new TopicPartition("t", 0);
    /** Writes nothing in the background, so only appends, reads and closes seal batches here. */
    private final MemoryFileSystem memory = new MemoryFileSystem();
    private final AtomicLong nowMs = new AtomicLong(5_000);
    private final InstantSource clock = () -> Instant.ofEpochMilli(nowMs.get());
    private Storage storage = Storage.open(memory, Path.of("/data"), 1000);
    private DefaultLog log;

    private DefaultLog open(Durability durability) {
        return DefaultLog.open(storage, storage.root().resolve("log"),
                LogOptions.of(clock, durability, false).withMaintenanceIntervalMs(0));
    }

    @AfterEach
    void tearDown() {
        if (log != null) {
            log.close();
        }
        storage.close();
    }

    private static byte[] value(int i) {
        byte[] v = new byte[100];
        Arrays.fill(v, (byte) i);
        return v;
    }

    /** Record counts of the batches stored in the partition's segments, in order. */
    private List<Integer> storedBatches() {
        List<Integer> counts = new ArrayList<>();
        for (Segment segment : log.partition(TP).file().segments()) {
            SegmentScanner scanner = segment.scanner(SegmentFormat.HEADER_SIZE);
            while (scanner.nextOrThrow()) {
                counts.add(RecordBatchFormat.recordCount(scanner.payload()));
            }
        }
        return counts;
    }

    @Test
    void appendsWithinOneMillisecondShareBatchesOfUpToTheTargetSize() {
        log = open(Durability.NONE);
        log.createTopic("t", TopicConfig.defaults());
        Appender appender = log.appender("t");
        for (int i = 0; i < 1000; i++) {
            assertThat(appender.append(0, null, value(i))).isEqualTo(i);
        }
        // Read first: a read seals the open batch, so it sees all 1000.
        List<ConsumerRecord> read = log.read(TP, 0, 2000);
        assertThat(read).hasSize(1000);
        for (int i = 0; i < 1000; i++) {
            assertThat(read.get(i).offset()).isEqualTo(i);
            assertThat(read.get(i).value()).isEqualTo(value(i));
            assertThat(read.get(i).timestampMs()).isEqualTo(5_000);
        }
        List<Integer> batches = storedBatches();
        assertThat(batches.stream().mapToInt(Integer::intValue).sum()).isEqualTo(1000);
        // A 100-byte value with no key or headers is stored in 109 bytes (110 from the 65th record
        // of a batch on, whose offset delta takes two bytes): 148 of them fit in 16 KiB with the
        // 61-byte header and the 5 bytes each append reserves for a longer offset delta.
        assertThat(batches).hasSize(7).startsWith(148, 148, 148, 148, 148, 148);
    }

    @Test
    void recordsStampedPerAppendAndAtSealNeverShareABatch() {
        log = open(Durability.NONE);
        log.createTopic("t", TopicConfig.defaults());
        Appender appender = log.appender("t");
        for (int i = 0; i < 3; i++) {
            appender.append(0, null, value(i));
        }
        log.append(List.of(ProducerRecord.of("t", value(3)), ProducerRecord.of("t", value(4))));
        log.append(ProducerRecord.of("t", value(5)));
        appender.append(0, null, value(6));
        assertThat(log.endOffset(TP)).isEqualTo(7);
        assertThat(storedBatches()).containsExactly(3, 3, 1);
        // Within one millisecond, appends stamped per record fill batches as the appender's do: an
        // append reserves 14 bytes more than its 109 (JOIN_SLACK, for a longer offset or
        // timestamp delta than alone), which still lets the 148th join.
        for (int i = 0; i < 1000; i++) {
            log.append(ProducerRecord.of("t", value(i)));
        }
        assertThat(log.endOffset(TP)).isEqualTo(1007);
        assertThat(storedBatches().subList(3, 10)).startsWith(148, 148, 148, 148, 148, 148).endsWith(112);
    }

    @Test
    void aNewMillisecondOnTheLogClockSealsTheBatch() {
        log = open(Durability.NONE);
        log.createTopic("t", TopicConfig.defaults());
        log.append(ProducerRecord.of("t", value(1)));
        log.append(ProducerRecord.of("t", value(2)));
        nowMs.incrementAndGet();
        log.append(ProducerRecord.of("t", value(3)));
        // Sealed by the third append, before any read.
        assertThat(storedBatches()).containsExactly(2);
        assertThat(log.endOffset(TP)).isEqualTo(3);
        assertThat(storedBatches()).containsExactly(2, 1);
    }

    // maxRecordBytes is checked against the exact size of an append as a batch of its own: one that
    // fits to the byte is taken (an upper bound of the size refused it), one byte more is not.
    @Test
    void maxRecordBytesIsCheckedAgainstTheExactEncodedSize() {
        log = open(Durability.NONE);
        int oneRecordBatch = RecordBatchFormat.HEADER_SIZE + 109; // a 100-byte value, no key
        log.createTopic("t", TopicConfig.defaults().withMaxRecordBytes(oneRecordBatch));
        log.createTopic("two", TopicConfig.defaults().withMaxRecordBytes(oneRecordBatch + 109));
        assertThat(log.append(ProducerRecord.of("t", value(1))).offset()).isZero();
        assertThat(log.appender("t").append(0, null, value(2))).isEqualTo(1);
        assertThatThrownBy(() -> log.append(ProducerRecord.of("t", new byte[101])))
                .isInstanceOf(RecordTooLargeException.class).hasMessageContaining("encodes to " + (oneRecordBatch + 1));
        assertThatThrownBy(() -> log.appender("t").append(0, null, new byte[101]))
                .isInstanceOf(RecordTooLargeException.class);
        log.append(List.of(ProducerRecord.of("two", value(3)), ProducerRecord.of("two", value(4))));
        assertThat(log.read(new TopicPartition("two", 0), 0, 10)).hasSize(2);
        assertThat(log.read(TP, 0, 10)).extracting(r -> r.value()[0]).containsExactly((byte) 1, (byte) 2);
    }

    @Test
    void appendsThatWaitForAnFsyncAreEachTheirOwnBatch() {
        log = open(Durability.ALWAYS);
        log.createTopic("t", TopicConfig.defaults());
        for (int i = 0; i < 5; i++) {
            log.append(ProducerRecord.of("t", value(i)));
        }
        assertThat(storedBatches()).containsExactly(1, 1, 1, 1, 1);
    }

    @Test
    void aListAppendStaysWholeAndInOrderAmongSingleAppends() {
        log = open(Durability.NONE);
        log.createTopic("t", TopicConfig.defaults());
        log.append(ProducerRecord.of("t", value(0)));
        log.append(List.of(ProducerRecord.of("t", value(1)), ProducerRecord.of("t", value(2))));
        log.append(ProducerRecord.of("t", value(3)));
        assertThat(log.read(TP, 0, 10)).extracting(r -> r.value()[0]).containsExactly((byte) 0, (byte) 1, (byte) 2,
                (byte) 3);
        assertThat(storedBatches()).containsExactly(4);
    }

    @Test
    void aConsumerAndTheEndOffsetSeeEveryAcknowledgedAppend() {
        log = open(Durability.NONE);
        log.createTopic("t", TopicConfig.defaults());
        Appender appender = log.appender("t");
        try (Consumer consumer = log.consumer(ConsumerConfig.standalone())) {
            consumer.assign(List.of(TP));
            for (int round = 0; round < 50; round++) {
                long offset = appender.append(0, null, value(round));
                assertThat(log.endOffset(TP)).isEqualTo(offset + 1);
                List<ConsumerRecord> polled = consumer.poll(Duration.ZERO);
                assertThat(polled).extracting(ConsumerRecord::offset).containsExactly(offset);
            }
        }
    }

    // Scenario: three producers append while two readers read back offsets the producers have
    // acknowledged (published after the append returned): every such read finds its record, whether
    // it is sealed already or the read has to seal it.
    @Test
    void concurrentReadersFindEveryAcknowledgedRecord() throws Exception {
        log = open(Durability.NONE);
        log.createTopic("t", TopicConfig.defaults().withSegmentBytes(64 * 1024));
        int perProducer = 20_000;
        AtomicLongArray acknowledged = new AtomicLongArray(3 * perProducer);
        AtomicInteger published = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            List<Future<?>> producers = new ArrayList<>();
            for (int p = 0; p < 3; p++) {
                int producer = p;
                producers.add(pool.submit(() -> {
                    Appender appender = log.appender("t");
                    for (int i = 0; i < perProducer; i++) {
                        if (i % 1000 == 0) {
                            nowMs.incrementAndGet();
                        }
                        byte[] v = (producer + ":" + i).getBytes(StandardCharsets.UTF_8);
                        long offset = appender.append(0, null, v);
                        acknowledged.set(published.getAndIncrement(), (offset << 2 | producer) + 1);
                    }
                    return null;
                }));
            }
            List<Future<Integer>> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                readers.add(pool.submit(() -> {
                    Random random = new Random();
                    int checked = 0;
                    while (published.get() < acknowledged.length() || checked < 1000) {
                        int known = published.get();
                        if (known == 0) {
                            continue;
                        }
                        // The newest acknowledged offsets are the ones most likely still in the open batch.
                        int slot = Math.max(0, known - 1 - random.nextInt(Math.min(known, 64)));
                        long entry = acknowledged.get(slot) - 1;
                        if (entry < 0) {
                            continue; // counted but not stored yet
                        }
                        long offset = entry >>> 2;
                        List<ConsumerRecord> read = log.read(TP, offset, 1);
                        assertThat(read).hasSize(1);
                        assertThat(new String(read.get(0).value(), StandardCharsets.UTF_8))
                                .startsWith((entry & 3) + ":");
                        checked++;
                    }
                    return checked;
                }));
            }
            for (Future<?> f : producers) {
                f.get(60, TimeUnit.SECONDS);
            }
            for (Future<Integer> f : readers) {
                assertThat(f.get(60, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(1000);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(log.endOffset(TP)).isEqualTo(3L * perProducer);
        List<ConsumerRecord> all = log.read(TP, 0, 3 * perProducer + 1);
        assertThat(all).hasSize(3 * perProducer);
        int[] next = new int[3];
        for (ConsumerRecord r : all) {
            String[] parts = new String(r.value(), StandardCharsets.UTF_8).split(":");
            int producer = Integer.parseInt(parts[0]);
            assertThat(Integer.parseInt(parts[1])).as("producer %d's order", producer).isEqualTo(next[producer]++);
        }
    }

    @Test
    void theBackgroundFlusherHandsAnIdleOpenBatchToTheFile(@TempDir Path dir) throws IOException {
        storage.close();
        storage = Storage.open(new RealFileSystem(), dir, 1000);
        log = open(Durability.NONE);
        log.createTopic("t", TopicConfig.defaults());
        Path segment = log.partition(TP).file().active().path();
        long before = Files.size(segment);
        log.append(ProducerRecord.of("t", value(7)));
        // Nothing here reads through the log (which would seal it): only the flusher can.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (Files.size(segment) == before && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        assertThat(Files.size(segment)).isEqualTo(before + SegmentFormat.FRAME_OVERHEAD + RecordBatchFormat.HEADER_SIZE
                + 109);
    }

    // Scenario: single and list appends under NONE with power losses at random points; what survives
    // is a prefix of what was acknowledged, with the same offsets, and a clean close loses nothing.
    @Test
    void aPowerLossUnderNoneLeavesAPrefixOfTheAppends() {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        log = open(Durability.NONE);
        log.createTopic("t", TopicConfig.defaults().withSegmentBytes(4096));
        List<byte[]> model = new ArrayList<>();
        for (int step = 0; step < 60; step++) {
            int appends = random.nextInt(200);
            for (int i = 0; i < appends; i++) {
                if (random.nextInt(10) == 0) {
                    nowMs.incrementAndGet();
                }
                byte[] v = new byte[1 + random.nextInt(150)];
                random.nextBytes(v);
                if (random.nextInt(5) == 0) {
                    log.append(List.of(ProducerRecord.of("t", v), ProducerRecord.of("t", v)));
                    model.add(v);
                } else {
                    log.appender("t").append(0, null, v);
                }
                model.add(v);
            }
            if (random.nextBoolean()) {
                log.close();
                log = open(Durability.NONE);
                assertThat(log.endOffset(TP)).as("seed %d", seed).isEqualTo(model.size());
            } else {
                memory.crash(random.nextBoolean() ? random : null);
                storage.close();
                storage = Storage.open(memory, Path.of("/data"), 1000);
                log = open(Durability.NONE);
                long end = log.endOffset(TP);
                assertThat(end).as("seed %d", seed).isLessThanOrEqualTo(model.size());
                model.subList((int) end, model.size()).clear();
            }
            List<ConsumerRecord> all = log.read(TP, 0, model.size() + 1);
            assertThat(all).as("seed %d", seed).hasSize(model.size());
            for (int i = 0; i < all.size(); i++) {
                assertThat(all.get(i).offset()).as("seed %d", seed).isEqualTo(i);
                assertThat(all.get(i).value()).as("seed %d offset %d", seed, i).isEqualTo(model.get(i));
            }
        }
    }
}
