package dev.cairn.log.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.common.Durability;
import dev.cairn.log.ConsumerRecord;
import dev.cairn.log.Header;
import dev.cairn.log.InvalidBatchException;
import dev.cairn.log.OffsetOutOfRangeException;
import dev.cairn.log.ProducerRecord;
import dev.cairn.log.RecordBatches;
import dev.cairn.log.RecordMetadata;
import dev.cairn.log.RecordTooLargeException;
import dev.cairn.log.TimestampType;
import dev.cairn.log.TopicConfig;
import dev.cairn.log.TopicPartition;
import dev.cairn.storage.Storage;
import dev.cairn.storage.fs.MemoryFileSystem;
import dev.cairn.storage.segment.SegmentedFile;
import dev.cairn.storage.segment.SegmentedFileOptions;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Batches appended as a producer built them ({@code Log.appendBatch}) and read back whole ({@code Log.readBatches}). */
class StoredBatchesTest {
    private static final TopicPartition TP = new TopicPartition("t", 0);
    private final MemoryFileSystem memory = new MemoryFileSystem();
    private final AtomicLong nowMs = new AtomicLong(5_000);
    private final InstantSource clock = () -> Instant.ofEpochMilli(nowMs.get());
    private final Storage storage = Storage.open(memory, Path.of("/data"), 1000);
    private DefaultLog log;

    private DefaultLog open(Durability durability) {
        return open(durability, "log");
    }

    private DefaultLog open(Durability durability, String directory) {
        return DefaultLog.open(storage, storage.root().resolve(directory),
                LogOptions.of(clock, durability, false).withMaintenanceIntervalMs(0));
    }

    @AfterEach
    void tearDown() {
        if (log != null) {
            log.close();
        }
        storage.close();
    }

    /** A batch as a producer sends it: base offset 0, offsets 0 to n - 1, its own timestamps. */
    private static ByteBuffer producerBatch(long firstTimestamp, String... values) {
        List<RecordBatchFormat.Entry> entries = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            List<Header> headers = i % 2 == 0 ? List.of() : List.of(new Header("n", new byte[] {(byte) i}));
            entries.add(new RecordBatchFormat.Entry(i, firstTimestamp + i, i % 3 == 0 ? null : ("k" + i).getBytes(),
                    values[i] == null ? null : values[i].getBytes(), headers));
        }
        return RecordBatchFormat.encode(0, entries);
    }

    private static List<String> values(List<ConsumerRecord> records) {
        List<String> out = new ArrayList<>();
        records.forEach(r -> out.add(r.value() == null ? null : new String(r.value())));
        return out;
    }

    // Scenario: producer batches and ordinary appends interleave. Offsets follow append order (the
    // open batch of the ordinary appends is written before a producer batch), every record reads
    // back with its timestamp, key, headers and null value, also after a reopen, and the bytes read
    // whole are the bytes appended but for the base offset the log set.
    @Test
    void producerBatchesKeepTheirRecordsAndTakeOffsetsInAppendOrder() {
        log = open(Durability.NONE);
        log.createTopic("t", TopicConfig.defaults());
        log.append(ProducerRecord.of("t", "a".getBytes()));
        ByteBuffer sent = producerBatch(1_000, "b", null, "d");
        ByteBuffer before = sent.duplicate();
        assertThat(log.appendBatch(TP, sent).offset()).isEqualTo(1);
        assertThat(sent).isEqualTo(before); // the caller's buffer is not touched
        log.append(ProducerRecord.of("t", "e".getBytes()));
        for (int pass = 0; pass < 2; pass++) {
            List<ConsumerRecord> records = log.read(TP, 0, 10);
            assertThat(values(records)).containsExactly("a", "b", null, "d", "e");
            assertThat(records).extracting(ConsumerRecord::offset).containsExactly(0L, 1L, 2L, 3L, 4L);
            assertThat(records.subList(1, 4)).extracting(ConsumerRecord::timestampMs).containsExactly(1_000L, 1_001L,
                    1_002L);
            assertThat(records.get(1).key()).isNull();
            assertThat(records.get(2).key()).isEqualTo("k1".getBytes());
            assertThat(records.get(2).headers()).singleElement().satisfies(h -> assertThat(h.value()).containsExactly(1));

            RecordBatches batches = log.readBatches(TP, 2, 1 << 20);
            assertThat(batches.beginningOffset()).isZero();
            assertThat(batches.endOffset()).isEqualTo(5);
            assertThat(batches.nextOffset()).isEqualTo(5);
            // The batch holding offset 2 comes whole (from 1), then the last append's.
            ByteBuffer first = batches.bytes().duplicate();
            first.limit(first.position() + 12 + first.getInt(RecordBatchFormat.BATCH_LENGTH_OFFSET));
            assertThat(RecordBatchFormat.baseOffset(first)).isEqualTo(1);
            ByteBuffer expected = producerBatch(1_000, "b", null, "d");
            expected.putLong(0, 1);
            assertThat(first).isEqualTo(expected);
            log.close();
            log = open(Durability.NONE);
        }
    }

    @Test
    void readBatchesReturnsWholeBatchesUpToMaxBytesButAlwaysOne() {
        log = open(Durability.ALWAYS); // one batch per append
        log.createTopic("t", TopicConfig.defaults());
        for (int i = 0; i < 10; i++) {
            log.append(ProducerRecord.of("t", new byte[100]));
        }
        int batchBytes = RecordBatchFormat.HEADER_SIZE + 109;
        assertThat(log.readBatches(TP, 0, 1).bytes().remaining()).isEqualTo(batchBytes);
        RecordBatches three = log.readBatches(TP, 4, 3 * batchBytes + 5);
        assertThat(three.bytes().remaining()).isEqualTo(3 * batchBytes);
        assertThat(three.nextOffset()).isEqualTo(7);
        RecordBatches atEnd = log.readBatches(TP, 10, 100);
        assertThat(atEnd.bytes().remaining()).isZero();
        assertThat(atEnd.nextOffset()).isEqualTo(10);
        assertThatThrownBy(() -> log.readBatches(TP, 11, 100)).isInstanceOf(OffsetOutOfRangeException.class);
        assertThatThrownBy(() -> log.readBatches(TP, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    // Scenario: segments of record format 1 (an earlier release) are served as v2 batches of the same
    // records, offsets and last offset delta.
    @Test
    void batchesOfRecordFormatOneAreReadAsV2() throws Exception {
        log = open(Durability.NONE);
        log.createTopic("t", TopicConfig.defaults());
        log.close();
        Path dir = storage.root().resolve("log").resolve("t-0");
        List<RecordBatchFormat.Entry> entries = List.of(
                new RecordBatchFormat.Entry(0, 1_000, null, "x".getBytes(), List.of()),
                new RecordBatchFormat.Entry(2, 1_005, "k".getBytes(), "y".getBytes(), List.of()));
        try (SegmentedFile file = SegmentedFile.open(storage, dir, SegmentedFileOptions.defaults(".log"), 0)) {
            file.append(RecordBatchFormatTest.format1Batch(0, entries));
        }
        SegmentIndex.deleteFiles(memory, dir, 0);
        log = open(Durability.NONE);
        ByteBuffer bytes = log.readBatches(TP, 0, 1000).bytes();
        assertThat(RecordBatchFormat.isV2(bytes)).isTrue();
        assertThat(RecordBatchFormat.validate(bytes.duplicate())).isNull();
        assertThat(RecordBatchFormat.lastOffset(bytes)).isEqualTo(2);
        assertThat(RecordBatchFormat.decode(bytes.duplicate())).extracting(RecordBatchFormat.Entry::offset)
                .containsExactly(0L, 2L);
    }

    @Test
    void batchesTheLogDoesNotTakeAreRefusedNamingTheProblemAndNothingIsAppended() {
        log = open(Durability.NONE);
        log.createTopic("t", TopicConfig.defaults().withMaxRecordBytes(1000));
        log.append(ProducerRecord.of("t", "a".getBytes()));

        ByteBuffer badCrc = producerBatch(1_000, "b", "c");
        badCrc.put(badCrc.limit() - 1, (byte) 'z');
        assertRefused(badCrc, "CRC");

        ByteBuffer compressed = withAttributes(producerBatch(1_000, "b"), RecordBatchFormat.COMPRESSION_MASK & 1);
        assertRefused(compressed, "compressed");
        assertRefused(withAttributes(producerBatch(1_000, "b"), RecordBatchFormat.TRANSACTIONAL_FLAG), "transactional");
        assertRefused(withAttributes(producerBatch(1_000, "b"), RecordBatchFormat.CONTROL_FLAG), "control");

        List<RecordBatchFormat.Entry> gap = List.of(new RecordBatchFormat.Entry(0, 1, null, null, List.of()),
                new RecordBatchFormat.Entry(2, 1, null, null, List.of()));
        assertRefused(RecordBatchFormat.encode(0, gap), "last offset delta");
        assertRefused(RecordBatchFormat.encode(0, gap, 1), "record offset 2");
        assertRefused(RecordBatchFormat.encode(0, List.of(), 0), "0 records");
        assertRefused(RecordBatchFormatTest.format1Batch(0, gap.subList(0, 1)), "not Kafka's v2");
        assertRefused(producerBatch(-5, "b"), "negative timestamp");
        ByteBuffer wrongMax = producerBatch(1_000, "b", "c");
        wrongMax.putLong(RecordBatchFormat.MAX_TIMESTAMP_OFFSET, 7);
        fixCrc(wrongMax);
        assertRefused(wrongMax, "max timestamp 7");

        assertThatThrownBy(() -> log.appendBatch(TP, producerBatch(1_000, "x".repeat(1000))))
                .isInstanceOf(RecordTooLargeException.class);
        assertThat(log.endOffset(TP)).isEqualTo(1);
        assertThat(values(log.read(TP, 0, 10))).containsExactly("a");
    }

    // Property: random interleavings of producer batches and ordinary appends, under each policy,
    // read back (record by record and as whole batches) as a model of the appends says.
    @Test
    void randomInterleavingsReadBackAsAppended() {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        for (Durability durability : List.of(Durability.NONE, Durability.ALWAYS)) {
            if (log != null) {
                log.close();
            }
            log = open(durability, "log-" + durability);
            log.createTopic("t", TopicConfig.defaults().withSegmentBytes(4096));
            List<String> model = new ArrayList<>();
            for (int step = 0; step < 300; step++) {
                if (random.nextBoolean()) {
                    String[] values = new String[1 + random.nextInt(5)];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = "p" + step + "." + i;
                    }
                    assertThat(log.appendBatch(TP, producerBatch(nowMs.get(), values)).offset()).as("seed %d", seed)
                            .isEqualTo(model.size());
                    model.addAll(List.of(values));
                } else {
                    log.append(ProducerRecord.of("t", ("a" + step).getBytes()));
                    model.add("a" + step);
                }
                if (random.nextInt(10) == 0) {
                    nowMs.incrementAndGet();
                }
            }
            assertThat(values(log.read(TP, 0, 10_000))).as("seed %d", seed).isEqualTo(model);
            List<String> fromBatches = new ArrayList<>();
            long next = 0;
            while (next < log.endOffset(TP)) {
                RecordBatches read = log.readBatches(TP, next, 1 + random.nextInt(2000));
                ByteBuffer bytes = read.bytes().duplicate();
                while (bytes.hasRemaining()) {
                    ByteBuffer one = bytes.slice().limit(12 + bytes.getInt(bytes.position() + 8));
                    assertThat(RecordBatchFormat.validate(one.duplicate())).isNull();
                    for (RecordBatchFormat.Entry e : RecordBatchFormat.decode(one)) {
                        if (e.offset() >= next) {
                            fromBatches.add(new String(e.value()));
                        }
                    }
                    bytes.position(bytes.position() + one.remaining());
                }
                next = read.nextOffset();
            }
            assertThat(fromBatches).as("seed %d", seed).isEqualTo(model);
        }
    }

    private void assertRefused(ByteBuffer batch, String problem) {
        assertThatThrownBy(() -> log.appendBatch(TP, batch)).isInstanceOf(InvalidBatchException.class)
                .hasMessageContaining(problem).hasMessageContaining("t-0");
    }

    private static ByteBuffer withAttributes(ByteBuffer batch, int attributes) {
        batch.putShort(RecordBatchFormat.ATTRIBUTES_OFFSET, (short) attributes);
        fixCrc(batch);
        return batch;
    }

    private static void fixCrc(ByteBuffer batch) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(batch.array(), RecordBatchFormat.ATTRIBUTES_OFFSET, batch.limit() - RecordBatchFormat.ATTRIBUTES_OFFSET);
        batch.putInt(RecordBatchFormat.CRC_OFFSET, (int) crc.getValue());
    }

    // Scenario: a producer's batch to a LogAppendTime topic, as a broker takes it: the batch is
    // marked LogAppendTime with the log clock's time as its max timestamp and a CRC over the
    // rewritten header, every record reads as that time, and the time index has it.
    @Test
    void aProducerBatchToALogAppendTimeTopicIsStampedWithTheLogClock() {
        log = open(Durability.NONE);
        log.createTopic("t", TopicConfig.defaults().withTimestampType(TimestampType.LOG_APPEND_TIME));
        RecordMetadata appended = log.appendBatch(TP, producerBatch(1_000, "a", "b", "c"));
        assertThat(appended.offset()).isZero();
        assertThat(appended.timestampMs()).isEqualTo(5_000);
        assertThat(appended.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        List<ConsumerRecord> records = log.read(TP, 0, 10);
        assertThat(records).extracting(ConsumerRecord::timestampMs).containsOnly(5_000L).hasSize(3);
        assertThat(records).extracting(ConsumerRecord::timestampType).containsOnly(TimestampType.LOG_APPEND_TIME);
        ByteBuffer stored = log.readBatches(TP, 0, 1 << 20).bytes().duplicate();
        assertThat(RecordBatchFormat.isLogAppendTime(stored)).isTrue();
        assertThat(RecordBatchFormat.maxTimestamp(stored)).isEqualTo(5_000);
        assertThat(RecordBatchFormat.validate(stored)).as("CRC and records").isNull();
        assertThat(log.offsetForTime(TP, 1_001)).hasValue(0);
        assertThat(log.offsetForTime(TP, 5_001)).isEmpty();
    }

    // A batch that comes marked LogAppendTime to a CreateTime topic is marked CreateTime, its
    // records keeping their own timestamps, as a broker rewrites it.
    @Test
    void aBatchMarkedLogAppendTimeToACreateTimeTopicIsMarkedCreateTime() {
        log = open(Durability.NONE);
        log.createTopic("t", TopicConfig.defaults());
        ByteBuffer sent = producerBatch(1_000, "a", "b");
        RecordBatchFormat.stampLogAppendTime(sent, 9_999);
        assertThat(RecordBatchFormat.producerBatchProblem(sent.duplicate())).isNull();
        RecordMetadata appended = log.appendBatch(TP, sent);
        assertThat(appended.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
        assertThat(appended.timestampMs()).isEqualTo(1_001);
        List<ConsumerRecord> records = log.read(TP, 0, 10);
        assertThat(records).extracting(ConsumerRecord::timestampMs).containsExactly(1_000L, 1_001L);
        assertThat(records).extracting(ConsumerRecord::timestampType).containsOnly(TimestampType.CREATE_TIME);
        ByteBuffer stored = log.readBatches(TP, 0, 1 << 20).bytes().duplicate();
        assertThat(RecordBatchFormat.validate(stored)).isNull();
    }
}
