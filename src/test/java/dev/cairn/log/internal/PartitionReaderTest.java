package dev.cairn.log.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.common.CorruptFileException;
import dev.cairn.common.Durability;
import dev.cairn.log.ConsumerRecord;
import dev.cairn.log.ProducerRecord;
import dev.cairn.log.TopicConfig;
import dev.cairn.log.TopicPartition;
import dev.cairn.storage.Storage;
import dev.cairn.storage.fs.FaultInjectingFileSystem;
import dev.cairn.storage.fs.MemoryFileSystem;
import dev.cairn.storage.segment.SegmentFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PartitionReaderTest {
    private final MemoryFileSystem memory = new MemoryFileSystem();
    private final FaultInjectingFileSystem fs = new FaultInjectingFileSystem(memory);
    private final InstantSource clock = () -> Instant.ofEpochMilli(1_000);
    private final Storage storage = Storage.open(fs, Path.of("/data"), 1000);
    private final TopicPartition tp = new TopicPartition("t", 0);
    private final Path segment = Path.of("/data/log/t-0").resolve(SegmentFormat.fileName(0, ".log"));
    private DefaultLog log;

    private DefaultLog open() {
        return DefaultLog.open(storage, storage.root().resolve("log"),
                LogOptions.of(clock, Durability.ALWAYS, false).withMaintenanceIntervalMs(0));
    }

    /**
     * Ten batches of ten records (offsets 10b to 10b + 9, 114 bytes a batch) in one segment, index
     * entries at batches 0, 4 and 8. Damage before the last entry: opening (which re-reads from
     * the last entry to find the segment's end) does not check the batches before it.
     */
    @BeforeEach
    void setUp() {
        log = open();
        log.createTopic("t", TopicConfig.defaults().withIndexIntervalBytes(400));
        for (int b = 0; b < 10; b++) {
            List<ProducerRecord> batch = new ArrayList<>();
            for (int r = 0; r < 10; r++) {
                batch.add(new ProducerRecord("t", 0, null, null, new byte[] {(byte) (10 * b + r)}, List.of()));
            }
            log.append(batch);
        }
        log.close();
    }

    @AfterEach
    void tearDown() {
        log.close();
        storage.close();
    }

    /** The position of the {@code n}-th entry of the segment (walking the storage frames). */
    private long entryPosition(int n) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(memory.contents(segment));
        long position = SegmentFormat.HEADER_SIZE;
        for (int i = 0; i < n; i++) {
            position += SegmentFormat.FRAME_OVERHEAD + bytes.getInt((int) position + SegmentFormat.LENGTH_OFFSET);
        }
        return position;
    }

    private List<Long> offsetsFrom(long offset) {
        return log.read(tp, offset, 1000).stream().map(ConsumerRecord::offset).toList();
    }

    // Scenario: a damaged value in batch 2 (offsets 20 to 29). Batches passed over to reach a later
    // offset are checked only for framing and header, so reads from 30 on work; reads of 20 to 29 fail.
    @Test
    void readsPastADamagedBatchGoOnAndReadsOfItFailNamingItsOffsets() throws IOException {
        long bad = entryPosition(2);
        fs.flipBit(segment, bad + SegmentFormat.PAYLOAD_OFFSET + RecordBatchFormat.HEADER_SIZE + 6, 2);
        log = open();
        assertThat(offsetsFrom(30)).hasSize(70).startsWith(30L);
        assertThat(offsetsFrom(35)).hasSize(65).startsWith(35L);
        assertThat(log.read(tp, 0, 20)).hasSize(20);
        assertThatThrownBy(() -> log.read(tp, 21, 10)).isInstanceOfSatisfying(CorruptFileException.class, e -> {
            assertThat(e.file()).isEqualTo(segment.toString());
            assertThat(e.position()).isEqualTo(bad);
            assertThat(e.problem()).contains("CRC").contains("offsets 20 to 29").contains("from offset 30");
        });
        assertThat(log.offsetForTime(tp, 1_000)).hasValue(0);
    }

    // Scenario: the header of batch 2 is damaged so that it still looks sane but claims a shorter
    // range (20 to 28, 8 records): a read from 29 must not pass over it and return 30 on, silently
    // losing 29; it checks the batch it passed over and fails.
    @Test
    void aHeaderThatHidesWantedOffsetsIsCaughtByItsCrc() throws IOException {
        long bad = entryPosition(2) + SegmentFormat.PAYLOAD_OFFSET;
        fs.flipBit(segment, bad + RecordBatchFormat.LAST_OFFSET_DELTA_OFFSET + 3, 0); // delta 9 -> 8
        fs.flipBit(segment, bad + RecordBatchFormat.RECORD_COUNT_OFFSET + 3, 1); // count 10 -> 8
        log = open();
        assertThatThrownBy(() -> log.read(tp, 29, 10)).isInstanceOf(CorruptFileException.class)
                .hasMessageContaining("CRC");
        assertThat(offsetsFrom(30)).hasSize(70);
    }

    // Scenario: a base offset whose high byte is damaged looks like a batch past the end; the read
    // checks it rather than stopping there silently.
    @Test
    void aBaseOffsetDamagedToLookPastTheEndIsNotAQuietEndOfTheRead() throws IOException {
        long bad = entryPosition(2) + SegmentFormat.PAYLOAD_OFFSET;
        fs.flipBit(segment, bad + RecordBatchFormat.BASE_OFFSET_OFFSET + 1, 4);
        log = open();
        assertThatThrownBy(() -> log.read(tp, 0, 1000)).isInstanceOf(CorruptFileException.class);
        assertThat(offsetsFrom(40)).hasSize(60);
    }
}
