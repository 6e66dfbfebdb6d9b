package dev.cairn.log.internal;

import dev.cairn.common.CorruptFileException;
import dev.cairn.log.Header;
import dev.cairn.storage.Varint;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The layout of a record batch: the payload of one entry of a partition's {@code .log} segment
 * (the storage layer frames each entry with its length and a CRC32C over the whole batch).
 * Batches are written as Kafka's record batch, magic 2 (record format 2), so the bytes a Kafka
 * consumer fetches are the bytes stored; batches of record format 1, which earlier releases
 * wrote, are still read.
 *
 * <pre>
 * batch header (61 bytes), Kafka's v2 record batch
 *  offset  size  field
 *       0     8  base offset             offset of the first record of the batch as appended
 *       8     4  batch length            bytes after this field (the batch's size - 12)
 *      12     4  partition leader epoch  epoch of the leader that appended the batch; -1 in a
 *                                        partition that is not replicated (outside the CRC)
 *      16     1  magic                   2
 *      17     4  CRC                     CRC-32C of the bytes from attributes to the batch's end
 *      21     2  attributes              bits 0-2 compression (0: none, the only one written
 *                                        and read), bit 3 timestamp type (1: LogAppendTime,
 *                                        the topic's type when the batch was written; see
 *                                        stampLogAppendTime), bit 4 transactional,
 *                                        bit 5 control (0; a control batch is passed over)
 *      23     4  last offset delta       last record's offset minus the base offset
 *      27     8  base timestamp          timestamp of the first record present, ms
 *      35     8  max timestamp           greatest timestamp of the records present, ms
 *      43     8  producer id             -1
 *      51     2  producer epoch          -1
 *      53     4  base sequence           -1
 *      57     4  record count            records present (fewer than delta + 1 after compaction)
 *
 * record (record count times; zigzag = zigzag-mapped signed LEB128 varint, see Varint)
 *  size     field
 *  zigzag   record length      bytes of the fields below
 *  1        attributes         0
 *  zigzag   timestamp delta    timestamp minus the base timestamp, ms (LogAppendTime batches:
 *                              every record's timestamp is the max timestamp)
 *  zigzag   offset delta       offset minus the base offset
 *  zigzag   key length         -1 for a null key
 *  k        key
 *  zigzag   value length       -1 for a null value (tombstone)
 *  v        value
 *  zigzag   header count
 *           header: zigzag key length, UTF-8 key, zigzag value length (-1 for null), value
 * </pre>
 *
 * <p>Record format 1 (read only): a 36-byte header (base offset 8, last offset delta 4, record
 * count 4, first timestamp 8, max timestamp 8, record format 4 = 1), then records of unsigned
 * varints: length, offset gap (offset minus the previous record's offset minus 1), zigzag
 * timestamp delta, key length + 1 (0: null), key, value length + 1, value, header count, headers
 * (key length, key, value length + 1, value). A batch is Kafka's v2 when its byte 16 (the magic)
 * is 2: in format 1 that byte is the top byte of the first timestamp, 0 for every timestamp from
 * 1970 to the year 4 million and 0xFF before 1970.
 *
 * <p>Big-endian. A record of a 100-byte value without key or headers takes 109 bytes while the
 * batch spans under 64 records and 64 ms; a batch's header is shared by all its records.
 * Invariant: a batch's offsets lie in {@code [base, base + last offset delta]}, increasing, and
 * batches in a segment have increasing, non-overlapping ranges. Compaction keeps a batch's base
 * offset and delta and drops records from it, so offsets stay as appended (sparse).
 */
public final class RecordBatchFormat {
    public static final int BASE_OFFSET_OFFSET = 0;
    public static final int BATCH_LENGTH_OFFSET = 8;
    public static final int PARTITION_LEADER_EPOCH_OFFSET = 12;
    public static final int MAGIC_OFFSET = 16;
    public static final int CRC_OFFSET = 17;
    public static final int ATTRIBUTES_OFFSET = 21;
    public static final int LAST_OFFSET_DELTA_OFFSET = 23;
    public static final int BASE_TIMESTAMP_OFFSET = 27;
    public static final int MAX_TIMESTAMP_OFFSET = 35;
    public static final int PRODUCER_ID_OFFSET = 43;
    public static final int PRODUCER_EPOCH_OFFSET = 51;
    public static final int BASE_SEQUENCE_OFFSET = 53;
    public static final int RECORD_COUNT_OFFSET = 57;
    /** Size of the header of the batches this release writes. */
    public static final int HEADER_SIZE = 61;
    /** Kafka's magic byte of the record batch this release writes. */
    public static final byte MAGIC = 2;
    /** The bytes before the batch length field, which it does not count. */
    static final int LOG_OVERHEAD = 12;

    static final int COMPRESSION_MASK = 0x07;
    static final int LOG_APPEND_TIME_FLAG = 0x08;
    static final int TRANSACTIONAL_FLAG = 0x10;
    static final int CONTROL_FLAG = 0x20;

    /** Record format 1's header, read only. */
    static final class Format1 {
        static final int LAST_OFFSET_DELTA_OFFSET = 8;
        static final int RECORD_COUNT_OFFSET = 12;
        static final int FIRST_TIMESTAMP_OFFSET = 16;
        static final int MAX_TIMESTAMP_OFFSET = 24;
        static final int RECORD_FORMAT_OFFSET = 32;
        static final int HEADER_SIZE = 36;
        static final int RECORD_FORMAT = 1;

        private Format1() {
        }
    }

    private RecordBatchFormat() {
    }

    /** One record as stored: the fields that survive into a {@link ConsumerRecord}. */
    public record Entry(long offset, long timestampMs, byte[] key, byte[] value, List<Header> headers) {
    }

    /**
     * How much a record's encoded size may grow when it joins a batch whose base timestamp and
     * base offset are not the ones its size was computed against: a timestamp delta of up to 10
     * bytes instead of 1, an offset delta of up to 5 instead of 1, and a length field one byte
     * longer.
     */
    static final int JOIN_SLACK = Varint.MAX_LONG_BYTES - 1 + Varint.MAX_BYTES - 1 + 1;

    /**
     * How much a record's encoded size may grow when it joins a batch at another place than its
     * first record, with the same timestamp: an offset delta of up to 5 bytes instead of 1, and a
     * length field one byte longer.
     */
    static final int OFFSET_SLACK = Varint.MAX_BYTES - 1 + 1;

    /**
     * Largest encoded size of one record, its length field included, whatever its offset delta
     * and timestamp delta (for buffers sized before those are known).
     */
    static int recordSize(byte[] key, byte[] value, List<Header> headers) {
        int body = bodySize(Varint.MAX_LONG_BYTES, Integer.MAX_VALUE /* the widest delta */, key, value, headers);
        return Varint.sizeZigZag(body) + body;
    }

    /**
     * Exact encoded size of one record with {@code offsetDelta} and {@code timestampDelta}, its
     * length field included.
     */
    static int recordSize(byte[] key, byte[] value, List<Header> headers, int offsetDelta, long timestampDelta) {
        int body = bodySize(Varint.sizeZigZag(timestampDelta), offsetDelta, key, value, headers);
        return Varint.sizeZigZag(body) + body;
    }

    /** Bytes of a record's fields after its length field: attributes, deltas, key, value, headers. */
    private static int bodySize(int timestampBytes, int offsetDelta, byte[] key, byte[] value, List<Header> headers) {
        int size = 1 + timestampBytes + Varint.sizeZigZag(offsetDelta) + lengthSize(key) + lengthSize(value)
                + Varint.sizeZigZag(headers.size());
        for (int i = 0; i < headers.size(); i++) {
            Header h = headers.get(i);
            int keyBytes = utf8Length(h.key());
            size += Varint.sizeZigZag(keyBytes) + keyBytes + lengthSize(h.value());
        }
        return size;
    }

    /** A nullable array's length field and bytes. */
    private static int lengthSize(byte[] bytes) {
        return bytes == null ? 1 : Varint.sizeZigZag(bytes.length) + bytes.length;
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** The partition leader epoch of a batch that no leader stamped. */
    public static final int NO_LEADER_EPOCH = -1;

    /**
     * Writes a batch header at the buffer's start (absolute puts) for a batch whose records end at
     * the buffer's position, and its CRC, with no leader epoch.
     *
     * @param logAppendTime whether every record's timestamp is the batch's max timestamp (records
     *                      stamped at seal)
     */
    static void putHeader(ByteBuffer batch, long baseOffset, int lastOffsetDelta, int count, long firstTimestamp,
            long maxTimestamp, boolean logAppendTime) {
        putHeader(batch, baseOffset, lastOffsetDelta, count, firstTimestamp, maxTimestamp, logAppendTime,
                NO_LEADER_EPOCH);
    }

    /** {@link #putHeader(ByteBuffer, long, int, int, long, long, boolean)} stamped with {@code leaderEpoch}. */
    static void putHeader(ByteBuffer batch, long baseOffset, int lastOffsetDelta, int count, long firstTimestamp,
            long maxTimestamp, boolean logAppendTime, int leaderEpoch) {
        int end = batch.position();
        batch.putLong(BASE_OFFSET_OFFSET, baseOffset)
                .putInt(BATCH_LENGTH_OFFSET, end - LOG_OVERHEAD)
                .putInt(PARTITION_LEADER_EPOCH_OFFSET, leaderEpoch)
                .put(MAGIC_OFFSET, MAGIC)
                .putShort(ATTRIBUTES_OFFSET, (short) (logAppendTime ? LOG_APPEND_TIME_FLAG : 0))
                .putInt(LAST_OFFSET_DELTA_OFFSET, lastOffsetDelta)
                .putLong(BASE_TIMESTAMP_OFFSET, firstTimestamp)
                .putLong(MAX_TIMESTAMP_OFFSET, maxTimestamp)
                .putLong(PRODUCER_ID_OFFSET, -1L)
                .putShort(PRODUCER_EPOCH_OFFSET, (short) -1)
                .putInt(BASE_SEQUENCE_OFFSET, -1)
                .putInt(RECORD_COUNT_OFFSET, count);
        batch.putInt(CRC_OFFSET, (int) crc(batch, 0, end));
    }

    /** CRC-32C of a v2 batch's bytes from its attributes to {@code end} (both relative to {@code at}). */
    private static long crc(ByteBuffer buffer, int at, int end) {
        CRC32C crc = new CRC32C();
        if (buffer.hasArray()) {
            crc.update(buffer.array(), buffer.arrayOffset() + at + ATTRIBUTES_OFFSET, end - at - ATTRIBUTES_OFFSET);
        } else {
            crc.update(buffer.duplicate().limit(end).position(at + ATTRIBUTES_OFFSET));
        }
        return crc.getValue();
    }

    /**
     * Writes one record at the buffer's position.
     *
     * @param offsetDelta the record's offset minus the batch's base offset
     * @param timestampDelta the record's timestamp minus the batch's base timestamp
     */
    static void putRecord(ByteBuffer batch, int offsetDelta, long timestampDelta, byte[] key, byte[] value,
            List<Header> headers) {
        Varint.putZigZag(batch, bodySize(Varint.sizeZigZag(timestampDelta), offsetDelta, key, value, headers));
        batch.put((byte) 0);
        Varint.putZigZag(batch, timestampDelta);
        Varint.putZigZag(batch, offsetDelta);
        putBytes(batch, key);
        putBytes(batch, value);
        Varint.putZigZag(batch, headers.size());
        for (int i = 0; i < headers.size(); i++) {
            Header h = headers.get(i);
            byte[] name = h.key().getBytes(StandardCharsets.UTF_8);
            Varint.putZigZag(batch, name.length);
            batch.put(name);
            putBytes(batch, h.value());
        }
    }

    private static void putBytes(ByteBuffer batch, byte[] bytes) {
        if (bytes == null) {
            Varint.putZigZag(batch, -1);
        } else {
            Varint.putZigZag(batch, bytes.length);
            batch.put(bytes);
        }
    }

    /** Whether the batch (its bytes from position to limit) is Kafka's v2 record batch rather than record format 1. */
    static boolean isV2(ByteBuffer batch) {
        return batch.remaining() > MAGIC_OFFSET && batch.get(batch.position() + MAGIC_OFFSET) == MAGIC;
    }

    public static long baseOffset(ByteBuffer batch) {
        return batch.getLong(batch.position() + BASE_OFFSET_OFFSET);
    }

    public static long lastOffset(ByteBuffer batch) {
        int field = isV2(batch) ? LAST_OFFSET_DELTA_OFFSET : Format1.LAST_OFFSET_DELTA_OFFSET;
        return baseOffset(batch) + batch.getInt(batch.position() + field);
    }

    public static int recordCount(ByteBuffer batch) {
        return batch.getInt(batch.position() + (isV2(batch) ? RECORD_COUNT_OFFSET : Format1.RECORD_COUNT_OFFSET));
    }

    public static long maxTimestamp(ByteBuffer batch) {
        return batch.getLong(batch.position() + (isV2(batch) ? MAX_TIMESTAMP_OFFSET : Format1.MAX_TIMESTAMP_OFFSET));
    }

    /** The timestamp the batch's first record's delta counts from. */
    static long baseTimestamp(ByteBuffer batch) {
        return batch.getLong(batch.position() + (isV2(batch) ? BASE_TIMESTAMP_OFFSET : Format1.FIRST_TIMESTAMP_OFFSET));
    }

    /**
     * Checks a batch's header alone: present, in a known format (v2 without compression, or
     * record format 1), and a record count that fits its offset range
     * ({@code 0 <= count <= last offset delta + 1}). What a reader passing over the batch without
     * its CRC check relies on (base offset and last offset delta give the offsets it holds).
     *
     * @return null if the header is sane, else what is wrong
     */
    static String headerProblem(ByteBuffer batch) {
        int at = batch.position();
        int lastDelta;
        int count;
        if (isV2(batch)) {
            if (batch.remaining() < HEADER_SIZE) {
                return "batch of " + batch.remaining() + " bytes is shorter than its header";
            }
            int length = batch.getInt(at + BATCH_LENGTH_OFFSET);
            if (length != batch.remaining() - LOG_OVERHEAD) {
                return "batch length field says " + length + " bytes follow it, but " + (batch.remaining() - LOG_OVERHEAD)
                        + " do";
            }
            int compression = batch.getShort(at + ATTRIBUTES_OFFSET) & COMPRESSION_MASK;
            if (compression != 0) {
                return "batch compressed with codec " + compression + ", which this release does not read";
            }
            lastDelta = batch.getInt(at + LAST_OFFSET_DELTA_OFFSET);
            count = batch.getInt(at + RECORD_COUNT_OFFSET);
        } else {
            if (batch.remaining() < Format1.HEADER_SIZE) {
                return "batch of " + batch.remaining() + " bytes is shorter than its header";
            }
            int format = batch.getInt(at + Format1.RECORD_FORMAT_OFFSET);
            if (format != Format1.RECORD_FORMAT) {
                return "record format " + format + " is not one this release reads (Kafka's v2 record batch, or "
                        + Format1.RECORD_FORMAT + ")";
            }
            lastDelta = batch.getInt(at + Format1.LAST_OFFSET_DELTA_OFFSET);
            count = batch.getInt(at + Format1.RECORD_COUNT_OFFSET);
        }
        if (lastDelta < 0 || count < 0 || count > (long) lastDelta + 1) {
            return "batch claims " + count + " records over an offset delta of " + lastDelta;
        }
        return null;
    }

    /** The CRC problem of a v2 batch (its stored CRC against its bytes), or null if it matches or the batch is format 1. */
    static String crcProblem(ByteBuffer batch) {
        if (!isV2(batch)) {
            return null;
        }
        int at = batch.position();
        long stored = batch.getInt(at + CRC_OFFSET) & 0xFFFFFFFFL;
        long actual = crc(batch, at, batch.limit());
        return stored == actual ? null
                : "batch CRC " + Long.toHexString(stored) + " does not match its bytes (" + Long.toHexString(actual) + ")";
    }

    /**
     * Checks a batch a producer built (Kafka's v2, as kafka-clients sends it) before the log
     * appends it as is: well formed with a matching CRC, uncompressed, neither transactional nor
     * a control batch, at least one record, offset deltas 0 to count - 1 without gaps,
     * timestamps not negative, and a max timestamp that is its records' greatest.
     *
     * @return null if the log takes it, else what is wrong
     */
    static String producerBatchProblem(ByteBuffer batch) {
        if (!isV2(batch)) {
            return batch.remaining() > MAGIC_OFFSET
                    ? "not Kafka's v2 record batch (magic " + batch.get(batch.position() + MAGIC_OFFSET) + ")"
                    : "batch of " + batch.remaining() + " bytes is shorter than its header";
        }
        String problem = headerProblem(batch);
        if (problem != null) {
            return problem;
        }
        int at = batch.position();
        int attributes = batch.getShort(at + ATTRIBUTES_OFFSET);
        if ((attributes & CONTROL_FLAG) != 0) {
            return "control batches (transaction markers) are not taken";
        }
        if ((attributes & TRANSACTIONAL_FLAG) != 0) {
            return "transactional batches are not taken";
        }
        int count = recordCount(batch);
        int lastDelta = batch.getInt(at + LAST_OFFSET_DELTA_OFFSET);
        if (count == 0 || lastDelta != count - 1) {
            return "batch of " + count + " records has a last offset delta of " + lastDelta + ", not " + (count - 1);
        }
        // Deltas strictly increase within [0, last delta] (the walk checks it) and count is last
        // delta + 1: so they run from 0 to count - 1 without a gap.
        return walk(batch.duplicate(), (attributes & LOG_APPEND_TIME_FLAG) == 0);
    }

    /**
     * Splits off the next whole batch of a run of batches fetched from a leader (from
     * {@code batches}' position; advances it past the batch) and checks it before a follower
     * appends it as is: Kafka's v2, well formed with a matching CRC, starting at
     * {@code expectedBase}.
     *
     * @param problem receives what is wrong, if anything (then the batch is returned unchecked,
     *                or null if not even its length could be read)
     * @return the batch, a view from index 0, or null at the end of {@code batches}
     */
    static ByteBuffer nextReplicaBatch(ByteBuffer batches, long expectedBase, StringBuilder problem) {
        if (!batches.hasRemaining()) {
            return null;
        }
        int at = batches.position();
        if (batches.remaining() < LOG_OVERHEAD) {
            problem.append(batches.remaining()).append(" bytes at the end are too few for a batch");
            return null;
        }
        int length = batches.getInt(at + BATCH_LENGTH_OFFSET);
        if (length < HEADER_SIZE - LOG_OVERHEAD || length > batches.remaining() - LOG_OVERHEAD) {
            problem.append("batch length field says ").append(length).append(" bytes, but ")
                    .append(batches.remaining() - LOG_OVERHEAD).append(" follow it");
            return null;
        }
        ByteBuffer batch = batches.slice(at, LOG_OVERHEAD + length);
        batches.position(at + LOG_OVERHEAD + length);
        String found = !isV2(batch) ? "not Kafka's v2 record batch (magic " + batch.get(MAGIC_OFFSET) + ")"
                : baseOffset(batch) != expectedBase
                        ? "batch starts at offset " + baseOffset(batch) + ", expected " + expectedBase
                        : validate(batch);
        if (found != null) {
            problem.append(found);
        }
        return batch;
    }

    /**
     * Sets a v2 batch's base offset and leader epoch ({@link #NO_LEADER_EPOCH} outside replication),
     * both outside its CRC, at the buffer's start.
     */
    static void assignBaseOffset(ByteBuffer batch, long baseOffset, int leaderEpoch) {
        batch.putLong(BASE_OFFSET_OFFSET, baseOffset).putInt(PARTITION_LEADER_EPOCH_OFFSET, leaderEpoch);
    }

    /** The partition leader epoch of a batch; {@link #NO_LEADER_EPOCH} for one of record format 1, which has none. */
    public static int leaderEpoch(ByteBuffer batch) {
        return isV2(batch) ? batch.getInt(batch.position() + PARTITION_LEADER_EPOCH_OFFSET) : NO_LEADER_EPOCH;
    }

    /**
     * The batch in Kafka's v2 layout: itself if it is one, else (record format 1) a new v2 batch
     * of the same records, base offset and last offset delta.
     */
    static ByteBuffer asV2(ByteBuffer batch) {
        if (isV2(batch)) {
            return batch;
        }
        long base = baseOffset(batch);
        return encode(base, decode(batch.duplicate()), (int) (lastOffset(batch) - base));
    }

    /**
     * Checks that a batch is well formed: header present, known record format, counts and
     * offsets within the last delta, record and field lengths inside the batch, no bytes after
     * the last record. The storage layer's CRC already vouches for the bytes; this catches a
     * foreign payload.
     *
     * @return null if valid, else what is wrong
     */
    static String validate(ByteBuffer batch) {
        String header = headerProblem(batch);
        return header != null ? header : walk(batch, false);
    }

    /**
     * Checks the CRC of a batch whose header the caller has checked, then walks every record:
     * record, field and header lengths inside the batch, offsets within its last delta, no bytes
     * after the last record; with {@code producerTimestamps}, also no negative timestamp and a max
     * timestamp that is the records' greatest. One pass, nothing allocated per record: it runs on every append.
     *
     * @return null if valid, else what is wrong
     */
    private static String walk(ByteBuffer batch, boolean producerTimestamps) {
        String crc = crcProblem(batch);
        if (crc != null) {
            return crc;
        }
        try {
            RecordCursor cursor = new RecordCursor().reset(null, batch, null, Long.MIN_VALUE, Long.MAX_VALUE);
            long max = Long.MIN_VALUE;
            while (cursor.next()) {
                cursor.checkHeaders(); // otherwise decoded only on demand
                if (producerTimestamps) {
                    if (cursor.timestampMs() < 0) {
                        return "record at offset delta " + (cursor.offset() - baseOffset(batch))
                                + " has a negative timestamp " + cursor.timestampMs();
                    }
                    max = Math.max(max, cursor.timestampMs());
                }
            }
            if (cursor.trailingBytes() != 0) {
                return "batch has " + cursor.trailingBytes() + " bytes after its last record";
            }
            if (producerTimestamps && max != maxTimestamp(batch)) {
                return "batch's max timestamp " + maxTimestamp(batch) + " is not its records' greatest, " + max;
            }
            return null;
        } catch (CorruptFileException e) {
            return e.problem();
        }
    }

    /** Decodes every record of a batch (the buffer's remaining bytes). */
    public static List<Entry> decode(ByteBuffer batch) {
        List<Entry> out = new ArrayList<>();
        forEach(batch, out::add);
        return out;
    }

    /** Calls {@code sink} for each record of a batch, in offset order. */
    static void forEach(ByteBuffer batch, java.util.function.Consumer<Entry> sink) {
        RecordCursor cursor = new RecordCursor().reset(null, batch, null, Long.MIN_VALUE, Long.MAX_VALUE);
        while (cursor.next()) {
            sink.accept(cursor.toEntry());
        }
    }

    /** Encodes records (offsets taken from the entries) into a new batch ending at the last one's offset. */
    static ByteBuffer encode(long baseOffset, List<Entry> records) {
        return encode(baseOffset, records, (int) (records.get(records.size() - 1).offset() - baseOffset));
    }

    /**
     * Encodes records (offsets taken from the entries) into a new batch whose offsets run to
     * {@code baseOffset + lastOffsetDelta}: compaction keeps a batch's range when it drops records.
     */
    static ByteBuffer encode(long baseOffset, List<Entry> records, int lastOffsetDelta) {
        return encode(baseOffset, records, lastOffsetDelta, false);
    }

    /**
     * {@link #encode(long, List, int)} with the batch's timestamp type: with {@code logAppendTime}
     * (records of a LogAppendTime batch, which all carry its max timestamp) the batch is marked
     * LogAppendTime as the one they came from was.
     */
    static ByteBuffer encode(long baseOffset, List<Entry> records, int lastOffsetDelta, boolean logAppendTime) {
        int size = HEADER_SIZE;
        for (Entry e : records) {
            size += recordSize(e.key(), e.value(), e.headers());
        }
        ByteBuffer batch = ByteBuffer.allocate(size);
        encodeInto(batch, baseOffset, records, lastOffsetDelta, logAppendTime);
        return batch.flip();
    }

    /** Whether a batch (its bytes from position to limit) is marked LogAppendTime; format 1 never is. */
    static boolean isLogAppendTime(ByteBuffer batch) {
        return isV2(batch) && (batch.getShort(batch.position() + ATTRIBUTES_OFFSET) & LOG_APPEND_TIME_FLAG) != 0;
    }

    /**
     * Stamps a v2 batch (at the buffer's start) with the log's time, as Kafka's broker does for a
     * topic with LogAppendTime: sets the timestamp-type bit and makes {@code nowMs} the max
     * timestamp, which every record then reads as, and recomputes the CRC. The records' own
     * timestamp deltas and the base timestamp stay as sent; readers ignore them in such a batch.
     */
    static void stampLogAppendTime(ByteBuffer batch, long nowMs) {
        short attributes = batch.getShort(ATTRIBUTES_OFFSET);
        batch.putShort(ATTRIBUTES_OFFSET, (short) (attributes | LOG_APPEND_TIME_FLAG))
                .putLong(MAX_TIMESTAMP_OFFSET, nowMs);
        batch.putInt(CRC_OFFSET, (int) crc(batch, 0, batch.limit()));
    }

    /**
     * Marks a v2 batch (at the buffer's start) that came marked LogAppendTime as CreateTime, for a
     * topic that keeps the producer's time, as Kafka's broker does: clears the bit, makes the
     * records' greatest timestamp the max timestamp and recomputes the CRC.
     */
    static void markCreateTime(ByteBuffer batch) {
        short attributes = batch.getShort(ATTRIBUTES_OFFSET);
        batch.putShort(ATTRIBUTES_OFFSET, (short) (attributes & ~LOG_APPEND_TIME_FLAG));
        RecordCursor cursor = new RecordCursor().reset(null, batch, null, Long.MIN_VALUE, Long.MAX_VALUE);
        long max = Long.MIN_VALUE;
        while (cursor.next()) {
            max = Math.max(max, cursor.timestampMs());
        }
        batch.putLong(MAX_TIMESTAMP_OFFSET, max);
        batch.putInt(CRC_OFFSET, (int) crc(batch, 0, batch.limit()));
    }

    private static void encodeInto(ByteBuffer batch, long baseOffset, List<Entry> records, int lastOffsetDelta,
            boolean logAppendTime) {
        long first = records.isEmpty() ? -1 : records.get(0).timestampMs();
        long max = Long.MIN_VALUE;
        batch.position(HEADER_SIZE);
        for (Entry e : records) {
            max = Math.max(max, e.timestampMs());
            putRecord(batch, (int) (e.offset() - baseOffset), e.timestampMs() - first, e.key(), e.value(), e.headers());
        }
        putHeader(batch, baseOffset, lastOffsetDelta, records.size(), first, records.isEmpty() ? -1 : max,
                logAppendTime);
    }
}
