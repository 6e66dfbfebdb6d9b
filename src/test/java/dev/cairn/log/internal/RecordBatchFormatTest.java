package dev.cairn.log.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.common.CorruptFileException;
import dev.cairn.log.Header;
import dev.cairn.storage.Varint;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RecordBatchFormatTest {
    private static final int ITERATIONS = Integer.getInteger("cairn.fuzz.iterations", 200);

    private static byte[] randomBytes(Random random, int maxLength) {
        int kind = random.nextInt(4);
        if (kind == 0) {
            return null;
        }
        byte[] bytes = new byte[kind == 1 ? 0 : random.nextInt(maxLength)];
        random.nextBytes(bytes);
        return bytes;
    }

    private static RecordBatchFormat.Entry randomEntry(Random random, long offset, long firstTimestamp) {
        List<Header> headers = new ArrayList<>();
        for (int h = random.nextInt(3) == 0 ? random.nextInt(4) : 0; h > 0; h--) {
            headers.add(new Header("h" + random.nextInt(1000) + "\u00e9", randomBytes(random, 200)));
        }
        long timestamp = switch (random.nextInt(4)) {
            case 0 -> firstTimestamp;
            case 1 -> firstTimestamp + random.nextInt(200) - 100;
            case 2 -> random.nextLong();
            default -> Long.MIN_VALUE + random.nextInt(3);
        };
        return new RecordBatchFormat.Entry(offset, timestamp, randomBytes(random, 300), randomBytes(random, 500),
                headers);
    }

    private static void assertSame(List<RecordBatchFormat.Entry> decoded, List<RecordBatchFormat.Entry> expected) {
        assertThat(decoded).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            RecordBatchFormat.Entry d = decoded.get(i);
            RecordBatchFormat.Entry e = expected.get(i);
            assertThat(d.offset()).isEqualTo(e.offset());
            assertThat(d.timestampMs()).isEqualTo(e.timestampMs());
            assertThat(d.key()).isEqualTo(e.key());
            assertThat(d.value()).isEqualTo(e.value());
            assertThat(d.headers()).hasSameSizeAs(e.headers());
            for (int h = 0; h < e.headers().size(); h++) {
                assertThat(d.headers().get(h).key()).isEqualTo(e.headers().get(h).key());
                assertThat(d.headers().get(h).value()).isEqualTo(e.headers().get(h).value());
            }
        }
    }

    // Property: random records (null, empty and multi-byte-length keys and values, headers, timestamps
    // of any sign and distance, offsets sparse as after compaction) decode to what was encoded, take
    // no more than recordSize promises, and every cut-short copy of the batch is refused.
    @Test
    void randomBatchesRoundTripAndEveryTruncationIsRefused() {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        for (int iteration = 0; iteration < ITERATIONS; iteration++) {
            long base = random.nextInt(3) == 0 ? random.nextLong() >>> 2 : random.nextInt(1000);
            long offset = base;
            long firstTimestamp = random.nextLong() >> random.nextInt(64);
            List<RecordBatchFormat.Entry> entries = new ArrayList<>();
            int bound = RecordBatchFormat.HEADER_SIZE;
            for (int i = 1 + random.nextInt(30); i > 0; i--) {
                RecordBatchFormat.Entry e = randomEntry(random, offset, entries.isEmpty() ? firstTimestamp
                        : entries.get(0).timestampMs());
                entries.add(e);
                bound += RecordBatchFormat.recordSize(e.key(), e.value(), e.headers());
                offset += random.nextInt(4) == 0 ? 1 + random.nextInt(100_000) : 1;
            }
            ByteBuffer batch = RecordBatchFormat.encode(base, entries);
            assertThat(batch.remaining()).as("seed %d", seed).isLessThanOrEqualTo(bound);
            assertThat(RecordBatchFormat.validate(batch.duplicate())).as("seed %d", seed).isNull();
            assertSame(RecordBatchFormat.decode(batch.duplicate()), entries);
            assertThat(RecordBatchFormat.lastOffset(batch)).isEqualTo(entries.get(entries.size() - 1).offset());

            int cut = RecordBatchFormat.HEADER_SIZE + random.nextInt(batch.remaining() - RecordBatchFormat.HEADER_SIZE);
            ByteBuffer truncated = batch.duplicate().limit(cut);
            assertThat(RecordBatchFormat.validate(truncated)).as("seed %d, cut at %d", seed, cut).isNotNull();
            assertThatThrownBy(() -> RecordBatchFormat.decode(truncated)).isInstanceOf(CorruptFileException.class);
        }
    }

    @Test
    void aRecordWithoutKeyOrHeadersCostsItsValuePlusNineBytes() {
        List<RecordBatchFormat.Entry> one = List.of(new RecordBatchFormat.Entry(7, 1_000, null, new byte[100],
                List.of()));
        assertThat(RecordBatchFormat.encode(7, one).remaining()).isEqualTo(RecordBatchFormat.HEADER_SIZE + 109);
    }

    @Test
    void batchesOfAnotherFormatOrWithBytesAfterTheLastRecordAreRefused() {
        List<RecordBatchFormat.Entry> entries = List.of(
                new RecordBatchFormat.Entry(0, 5, new byte[] {1}, new byte[] {2}, List.of()),
                new RecordBatchFormat.Entry(1, 5, null, null, List.of()));
        ByteBuffer batch = RecordBatchFormat.encode(0, entries);

        ByteBuffer oldFormat = format1Batch(0, entries);
        oldFormat.putInt(RecordBatchFormat.Format1.RECORD_FORMAT_OFFSET, 0);
        assertThat(RecordBatchFormat.validate(oldFormat)).contains("record format 0");
        assertThatThrownBy(() -> RecordBatchFormat.decode(oldFormat)).isInstanceOf(CorruptFileException.class)
                .hasMessageContaining("record format 0");

        ByteBuffer longer = ByteBuffer.allocate(batch.remaining() + 3).put(batch.duplicate()).flip();
        longer.limit(longer.capacity());
        assertThat(RecordBatchFormat.validate(longer)).contains("batch length field says");

        ByteBuffer pastTheEnd = copy(batch);
        pastTheEnd.putInt(RecordBatchFormat.LAST_OFFSET_DELTA_OFFSET, 0);
        assertThat(RecordBatchFormat.validate(pastTheEnd)).contains("claims 2 records over an offset delta of 0");

        ByteBuffer compressed = copy(batch);
        compressed.putShort(RecordBatchFormat.ATTRIBUTES_OFFSET, (short) 1);
        assertThat(RecordBatchFormat.validate(compressed)).contains("compressed with codec 1");
    }

    // The walk every append runs checks a record's headers without decoding them: they must lie
    // within the record and end where it ends, as Kafka's record parser demands.
    @Test
    void headersThatRunPastTheirRecordOrStopShortOfItsEndAreRefusedEvenUnderAMatchingCrc() {
        List<RecordBatchFormat.Entry> entries = List.of(
                new RecordBatchFormat.Entry(0, 5, new byte[] {1}, new byte[] {2},
                        List.of(new Header("h", new byte[] {7, 8}))),
                new RecordBatchFormat.Entry(1, 5, null, null, List.of()));
        ByteBuffer batch = RecordBatchFormat.encode(0, entries);
        assertThat(RecordBatchFormat.validate(batch.duplicate())).isNull();
        // Record 0 after the batch header: length, attributes, timestamp delta, offset delta,
        // key length 1 and key, value length 1 and value, header count, name length, name,
        // value length, value.
        int headerCount = RecordBatchFormat.HEADER_SIZE + 8;
        int headerValueLength = RecordBatchFormat.HEADER_SIZE + 11;
        assertThat(batch.get(headerCount)).isEqualTo((byte) 2); // zigzag 1
        assertThat(batch.get(headerValueLength)).isEqualTo((byte) 4); // zigzag 2

        ByteBuffer twoHeaders = copy(batch);
        twoHeaders.put(headerCount, (byte) 4);
        assertThat(RecordBatchFormat.validate(withCrc(twoHeaders))).contains("headers of the record at offset 0");

        ByteBuffer shortValue = copy(batch);
        shortValue.put(headerValueLength, (byte) 2);
        assertThat(RecordBatchFormat.validate(withCrc(shortValue))).contains("do not fill it to its end");
        assertThat(RecordBatchFormat.producerBatchProblem(withCrc(shortValue))).contains("do not fill it");
    }

    /** The batch with its CRC made to match its bytes again. */
    private static ByteBuffer withCrc(ByteBuffer batch) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(batch.duplicate().position(RecordBatchFormat.ATTRIBUTES_OFFSET));
        return batch.putInt(RecordBatchFormat.CRC_OFFSET, (int) crc.getValue());
    }

    @Test
    void aChangedByteAfterTheHeaderFailsTheBatchCrc() {
        Random random = new Random(11);
        List<RecordBatchFormat.Entry> entries = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            entries.add(randomEntry(random, 100 + i, 1_000));
        }
        ByteBuffer batch = RecordBatchFormat.encode(100, entries);
        for (int at = RecordBatchFormat.ATTRIBUTES_OFFSET; at < batch.remaining(); at += 7) {
            ByteBuffer damaged = copy(batch);
            damaged.put(at, (byte) (damaged.get(at) ^ 0x10));
            String problem = RecordBatchFormat.validate(damaged);
            assertThat(problem).as("byte %d", at).isNotNull();
        }
        // The leader epoch is outside the CRC, as in Kafka: a broker may set it on the stored bytes.
        ByteBuffer epoch = copy(batch);
        epoch.putInt(RecordBatchFormat.PARTITION_LEADER_EPOCH_OFFSET, 7);
        assertThat(RecordBatchFormat.validate(epoch)).isNull();
    }

    // Scenario: segments written by an earlier release hold batches of record format 1. They read
    // back as the same records (offsets sparse after compaction, negative timestamp deltas,
    // headers, null keys and values), beside v2 batches.
    @Test
    void batchesOfRecordFormatOneStillRead() {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        for (int iteration = 0; iteration < ITERATIONS; iteration++) {
            long base = random.nextInt(1000);
            long offset = base;
            List<RecordBatchFormat.Entry> entries = new ArrayList<>();
            long first = random.nextInt(1 << 30);
            for (int i = 1 + random.nextInt(20); i > 0; i--) {
                RecordBatchFormat.Entry e = randomEntry(random, offset, entries.isEmpty() ? first : entries.get(0).timestampMs());
                // The first record's timestamp is the batch's: one from this era, as format 1 files hold.
                entries.add(entries.isEmpty() ? new RecordBatchFormat.Entry(offset, first, e.key(), e.value(), e.headers()) : e);
                offset += random.nextInt(4) == 0 ? 1 + random.nextInt(1000) : 1;
            }
            ByteBuffer old = format1Batch(base, entries);
            assertThat(RecordBatchFormat.isV2(old)).isFalse();
            assertThat(RecordBatchFormat.validate(old.duplicate())).as("seed %d", seed).isNull();
            assertSame(RecordBatchFormat.decode(old.duplicate()), entries);
            assertThat(RecordBatchFormat.lastOffset(old)).isEqualTo(entries.get(entries.size() - 1).offset());
            assertThat(RecordBatchFormat.recordCount(old)).isEqualTo(entries.size());
        }
    }

    /**
     * A batch in record format 1, the layout earlier releases wrote (see {@link RecordBatchFormat}),
     * written here independently of the code that reads it.
     */
    static ByteBuffer format1Batch(long base, List<RecordBatchFormat.Entry> entries) {
        ByteBuffer b = ByteBuffer.allocate(64 * 1024);
        long first = entries.get(0).timestampMs();
        long max = Long.MIN_VALUE;
        b.position(RecordBatchFormat.Format1.HEADER_SIZE);
        long previous = base - 1;
        for (RecordBatchFormat.Entry e : entries) {
            max = Math.max(max, e.timestampMs());
            ByteBuffer body = ByteBuffer.allocate(16 * 1024);
            Varint.put(body, (int) (e.offset() - previous - 1));
            Varint.putZigZag(body, e.timestampMs() - first);
            putFormat1Bytes(body, e.key());
            putFormat1Bytes(body, e.value());
            Varint.put(body, e.headers().size());
            for (Header h : e.headers()) {
                byte[] name = h.key().getBytes(StandardCharsets.UTF_8);
                Varint.put(body, name.length);
                body.put(name);
                putFormat1Bytes(body, h.value());
            }
            body.flip();
            Varint.put(b, body.remaining());
            b.put(body);
            previous = e.offset();
        }
        b.putLong(0, base).putInt(8, (int) (entries.get(entries.size() - 1).offset() - base)).putInt(12, entries.size())
                .putLong(16, first).putLong(24, max).putInt(32, 1);
        return b.flip();
    }

    private static void putFormat1Bytes(ByteBuffer b, byte[] bytes) {
        if (bytes == null) {
            b.put((byte) 0);
        } else {
            Varint.put(b, bytes.length + 1);
            b.put(bytes);
        }
    }

    private static ByteBuffer copy(ByteBuffer batch) {
        return ByteBuffer.allocate(batch.remaining()).put(batch.duplicate()).flip();
    }
}
