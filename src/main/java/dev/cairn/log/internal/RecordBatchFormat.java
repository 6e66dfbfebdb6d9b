package dev.cairn.log.internal;

import dev.cairn.common.CorruptFileException;
import dev.cairn.log.Header;
import dev.cairn.storage.Varint;
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
 *      32     4  record format      1: the record layout below (any other value is refused)
 *
 * record (repeated record count times; var = unsigned LEB128, zigzag = signed, see Varint)
 *  size     field
 *  var      record length      bytes of the fields below
 *  var      offset gap         offset minus the previous record's offset minus 1 (the first
 *                              record's "previous" is base offset - 1): 0 unless compacted
 *  zigzag   timestamp delta    timestamp minus the batch's first timestamp, ms
 *  var      key length + 1     0 for a null key
 *  k        key
 *  var      value length + 1   0 for a null value (tombstone)
 *  v        value
 *  var      header count
 *           header: var key length, UTF-8 key, var value length + 1 (0 for null), value
 * </pre>
 *
 * <p>Big-endian. A record without key or headers costs its value plus 6 bytes while its
 * length is under 128 and the batch spans under 128 ms; a batch's header is shared by all its
 * records. Invariant: a batch's offsets lie in {@code [base, base + last offset delta]}, and
 * batches in a segment have increasing, non-overlapping ranges. Compaction keeps a batch's base
 * offset and delta and drops records from it, so offsets stay as appended (sparse).
 */
public final class RecordBatchFormat {
    public static final int BASE_OFFSET_OFFSET = 0;
    public static final int LAST_OFFSET_DELTA_OFFSET = 8;
    public static final int RECORD_COUNT_OFFSET = 12;
    public static final int FIRST_TIMESTAMP_OFFSET = 16;
    public static final int MAX_TIMESTAMP_OFFSET = 24;
    public static final int RECORD_FORMAT_OFFSET = 32;
    public static final int HEADER_SIZE = 36;
    /** The record layout this release writes and reads. */
    public static final int RECORD_FORMAT = 1;

    private RecordBatchFormat() {
    }

    /** One record as stored: the fields that survive into a {@link ConsumerRecord}. */
    public record Entry(long offset, long timestampMs, byte[] key, byte[] value, List<Header> headers) {
    }

    /**
     * How much a record's encoded size may grow when it joins a batch whose first timestamp is
     * not the one its size was computed against: a timestamp delta of up to 10 bytes instead of 1,
     * and a length field one byte longer.
     */
    static final int JOIN_SLACK = Varint.MAX_LONG_BYTES - 1 + 1;

    /**
     * Largest encoded size of one record, its length field included, whatever its offset gap and
     * timestamp delta (for buffers sized before those are known).
     */
    static int recordSize(byte[] key, byte[] value, List<Header> headers) {
        int body = bodySize(Varint.MAX_LONG_BYTES, Integer.MAX_VALUE /* the widest gap */, key, value, headers);
        return Varint.size(body) + body;
    }

    /**
     * Exact encoded size of one record appended right after the previous offset (gap 0) with
     * {@code timestampDelta}, its length field included.
     */
    static int recordSize(byte[] key, byte[] value, List<Header> headers, long timestampDelta) {
        int body = bodySize(Varint.sizeZigZag(timestampDelta), 0, key, value, headers);
        return Varint.size(body) + body;
    }

    /** Bytes of a record's fields after its length field. */
    private static int bodySize(int timestampBytes, int offsetGap, byte[] key, byte[] value, List<Header> headers) {
        int size = Varint.size(offsetGap) + timestampBytes + lengthSize(key) + lengthSize(value) + Varint.size(headers.size());
        for (int i = 0; i < headers.size(); i++) {
            Header h = headers.get(i);
            int keyBytes = utf8Length(h.key());
            size += Varint.size(keyBytes) + keyBytes + lengthSize(h.value());
        }
        return size;
    }

    /** A nullable array's length field and bytes. */
    private static int lengthSize(byte[] bytes) {
        return bytes == null ? 1 : Varint.size(bytes.length + 1) + bytes.length;
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
                .putInt(RECORD_FORMAT_OFFSET, RECORD_FORMAT);
    }

    /**
     * Writes one record at the buffer's position.
     *
     * @param offsetGap the record's offset minus the previous record's, minus 1
     * @param timestampDelta the record's timestamp minus the batch's first timestamp
     */
    static void putRecord(ByteBuffer batch, int offsetGap, long timestampDelta, byte[] key, byte[] value,
            List<Header> headers) {
        Varint.put(batch, bodySize(Varint.sizeZigZag(timestampDelta), offsetGap, key, value, headers));
        Varint.put(batch, offsetGap);
        Varint.putZigZag(batch, timestampDelta);
        putBytes(batch, key);
        putBytes(batch, value);
        Varint.put(batch, headers.size());
        for (int i = 0; i < headers.size(); i++) {
            Header h = headers.get(i);
            byte[] name = h.key().getBytes(StandardCharsets.UTF_8);
            Varint.put(batch, name.length);
            batch.put(name);
            putBytes(batch, h.value());
        }
    }

    private static void putBytes(ByteBuffer batch, byte[] bytes) {
        if (bytes == null) {
            batch.put((byte) 0);
        } else {
            Varint.put(batch, bytes.length + 1);
            batch.put(bytes);
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
     * Checks a batch's header alone: present, in a known record format, and a record count that
     * fits its offset range ({@code 0 <= count <= last offset delta + 1}). What a reader passing
     * over the batch without its CRC check relies on (base offset and last offset delta give the
     * offsets it holds).
     *
     * @return null if the header is sane, else what is wrong
     */
    static String headerProblem(ByteBuffer batch) {
        if (batch.remaining() < HEADER_SIZE) {
            return "batch of " + batch.remaining() + " bytes is shorter than its header";
        }
        int at = batch.position();
        int format = batch.getInt(at + RECORD_FORMAT_OFFSET);
        if (format != RECORD_FORMAT) {
            return "record format " + format + " is not one this release reads (" + RECORD_FORMAT + ")";
        }
        int lastDelta = batch.getInt(at + LAST_OFFSET_DELTA_OFFSET);
        int count = batch.getInt(at + RECORD_COUNT_OFFSET);
        if (lastDelta < 0 || count < 0 || count > (long) lastDelta + 1) {
            return "batch claims " + count + " records over an offset delta of " + lastDelta;
        }
        return null;
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
        try {
            RecordCursor cursor = new RecordCursor().reset(null, batch, null, Long.MIN_VALUE, Long.MAX_VALUE);
            while (cursor.next()) {
                cursor.headers(); // decoded only on demand otherwise
            }
            return cursor.trailingBytes() == 0 ? null
                    : "batch has " + cursor.trailingBytes() + " bytes after its last record";
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
        int size = HEADER_SIZE;
        for (Entry e : records) {
            size += recordSize(e.key(), e.value(), e.headers());
        }
        ByteBuffer batch = ByteBuffer.allocate(size);
        encodeInto(batch, baseOffset, records, lastOffsetDelta);
        return batch.flip();
    }

    private static void encodeInto(ByteBuffer batch, long baseOffset, List<Entry> records, int lastOffsetDelta) {
        long first = records.isEmpty() ? -1 : records.get(0).timestampMs();
        long max = Long.MIN_VALUE;
        long previous = baseOffset - 1;
        batch.position(HEADER_SIZE);
        for (Entry e : records) {
            max = Math.max(max, e.timestampMs());
            putRecord(batch, (int) (e.offset() - previous - 1), e.timestampMs() - first, e.key(), e.value(),
                    e.headers());
            previous = e.offset();
        }
        putHeader(batch, baseOffset, lastOffsetDelta, records.size(), first, records.isEmpty() ? -1 : max);
    }
}
