package dev.cairn.log.internal;

import dev.cairn.log.Header;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The layout of a record batch: the payload of one entry of a partition's {@code .log} segment
 * (the storage layer frames each entry with its length and a CRC32C, which therefore cover the
 * whole batch).
 *
 * <pre>
 * batch header (36 bytes)
 *  offset  size  field
 *       0     8  base offset        offset of the first record of the batch as appended
 *       8     4  last offset delta  last record's offset minus the base offset
 *      12     4  record count       records present (fewer than delta + 1 after compaction)
 *      16     8  first timestamp    timestamp of the first record present, ms
 *      24     8  max timestamp      greatest timestamp of the records present, ms
 *      32     4  attributes         0 (reserved)
 *
 * record (repeated record count times, offset deltas strictly increasing)
 *  size  field
 *     4  record length     bytes of the fields below
 *     4  offset delta      record offset minus the batch base offset
 *     8  timestamp         ms
 *     4  key length        -1 for a null key
 *     k  key
 *     4  value length      -1 for a null value (tombstone)
 *     v  value
 *     4  header count
 *        header: 4 key length, UTF-8 key, 4 value length (-1 null), value
 * </pre>
 *
 * <p>Big-endian. Invariant: a batch's offsets lie in {@code [base, base + last offset delta]}, and
 * batches in a segment have increasing, non-overlapping ranges. Compaction keeps a batch's base
 * offset and delta and drops records from it, so offsets stay as appended (sparse).
 */
public final class RecordBatchFormat {
    public static final int BASE_OFFSET_OFFSET = 0;
    public static final int LAST_OFFSET_DELTA_OFFSET = 8;
    public static final int RECORD_COUNT_OFFSET = 12;
    public static final int FIRST_TIMESTAMP_OFFSET = 16;
    public static final int MAX_TIMESTAMP_OFFSET = 24;
    public static final int ATTRIBUTES_OFFSET = 32;
    public static final int HEADER_SIZE = 36;

    private RecordBatchFormat() {
    }

    /** One record as stored: the fields that survive into a {@link ConsumerRecord}. */
    public record Entry(long offset, long timestampMs, byte[] key, byte[] value, List<Header> headers) {
    }

    /** Encoded size of one record, its length field included. */
    static int recordSize(byte[] key, byte[] value, List<Header> headers) {
        int size = 4 + 4 + 8 + 4 + (key == null ? 0 : key.length) + 4 + (value == null ? 0 : value.length) + 4;
        for (int i = 0; i < headers.size(); i++) {
            Header h = headers.get(i);
            size += 4 + utf8Length(h.key()) + 4 + (h.value() == null ? 0 : h.value().length);
        }
        return size;
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Writes a batch header at the buffer's start (absolute puts). */
    static void putHeader(ByteBuffer batch, long baseOffset, int lastOffsetDelta, int count, long firstTimestamp,
            long maxTimestamp) {
        batch.putLong(BASE_OFFSET_OFFSET, baseOffset)
                .putInt(LAST_OFFSET_DELTA_OFFSET, lastOffsetDelta)
                .putInt(RECORD_COUNT_OFFSET, count)
                .putLong(FIRST_TIMESTAMP_OFFSET, firstTimestamp)
                .putLong(MAX_TIMESTAMP_OFFSET, maxTimestamp)
                .putInt(ATTRIBUTES_OFFSET, 0);
    }

    /** Writes one record at the buffer's position. */
    static void putRecord(ByteBuffer batch, int offsetDelta, long timestampMs, byte[] key, byte[] value,
            List<Header> headers) {
        int start = batch.position();
        batch.putInt(0).putInt(offsetDelta).putLong(timestampMs);
        putBytes(batch, key);
        putBytes(batch, value);
        batch.putInt(headers.size());
        for (int i = 0; i < headers.size(); i++) {
            Header h = headers.get(i);
            putBytes(batch, h.key().getBytes(StandardCharsets.UTF_8));
            putBytes(batch, h.value());
        }
        batch.putInt(start, batch.position() - start - 4);
    }

    private static void putBytes(ByteBuffer batch, byte[] bytes) {
        if (bytes == null) {
            batch.putInt(-1);
        } else {
            batch.putInt(bytes.length).put(bytes);
        }
    }

    public static long baseOffset(ByteBuffer batch) {
        return batch.getLong(batch.position() + BASE_OFFSET_OFFSET);
    }

    public static long lastOffset(ByteBuffer batch) {
        return baseOffset(batch) + batch.getInt(batch.position() + LAST_OFFSET_DELTA_OFFSET);
    }

    public static int recordCount(ByteBuffer batch) {
        return batch.getInt(batch.position() + RECORD_COUNT_OFFSET);
    }

    public static long maxTimestamp(ByteBuffer batch) {
        return batch.getLong(batch.position() + MAX_TIMESTAMP_OFFSET);
    }

    /**
     * Checks that a batch read from {@code file} at {@code position} is well formed: header
     * present, deltas increasing and within the last delta, record lengths inside the batch.
     * The storage layer's CRC already vouches for the bytes; this catches a foreign payload.
     *
     * @return null if valid, else what is wrong
     */
    static String validate(ByteBuffer batch) {
        int start = batch.position();
        int end = batch.limit();
        if (end - start < HEADER_SIZE) {
            return "batch of " + (end - start) + " bytes is shorter than its " + HEADER_SIZE + "-byte header";
        }
        int lastDelta = batch.getInt(start + LAST_OFFSET_DELTA_OFFSET);
        int count = batch.getInt(start + RECORD_COUNT_OFFSET);
        if (lastDelta < 0 || count < 0 || count > (long) lastDelta + 1) {
            return "batch claims " + count + " records over an offset delta of " + lastDelta;
        }
        int at = start + HEADER_SIZE;
        int previousDelta = -1;
        for (int i = 0; i < count; i++) {
            if (end - at < 4) {
                return "record " + i + " of " + count + " has no length";
            }
            int length = batch.getInt(at);
            if (length < 16 || length > end - at - 4) {
                return "record " + i + " length " + length + " runs past the batch end";
            }
            int delta = batch.getInt(at + 4);
            if (delta <= previousDelta || delta > lastDelta) {
                return "record " + i + " offset delta " + delta + " is not in (" + previousDelta + ", "
                        + lastDelta + "]";
            }
            previousDelta = delta;
            at += 4 + length;
        }
        return at == end ? null : "batch has " + (end - at) + " bytes after its last record";
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

    /** Encodes records with offsets {@code baseOffset + i} into a new batch. */
    static ByteBuffer encode(long baseOffset, List<Entry> records) {
        int size = HEADER_SIZE;
        for (Entry e : records) {
            size += recordSize(e.key(), e.value(), e.headers());
        }
        ByteBuffer batch = ByteBuffer.allocate(size);
        encodeInto(batch, baseOffset, records, (int) (records.get(records.size() - 1).offset() - baseOffset));
        return batch.flip();
    }

    /** Encodes records (offsets taken from the entries) after a header at the buffer's position 0. */
    static void encodeInto(ByteBuffer batch, long baseOffset, List<Entry> records, int lastOffsetDelta) {
        long first = records.isEmpty() ? -1 : records.get(0).timestampMs();
        long max = Long.MIN_VALUE;
        batch.position(HEADER_SIZE);
        for (Entry e : records) {
            max = Math.max(max, e.timestampMs());
            putRecord(batch, (int) (e.offset() - baseOffset), e.timestampMs(), e.key(), e.value(), e.headers());
        }
        putHeader(batch, baseOffset, lastOffsetDelta, records.size(), first, records.isEmpty() ? -1 : max);
    }
}
