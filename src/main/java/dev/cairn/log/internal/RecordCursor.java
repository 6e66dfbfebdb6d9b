package dev.cairn.log.internal;

import dev.cairn.common.CorruptFileException;
import dev.cairn.log.ConsumerRecord;
import dev.cairn.log.Header;
import dev.cairn.log.RecordView;
import dev.cairn.log.TopicPartition;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Walks the records of one stored batch in place (layout in {@link RecordBatchFormat}): after
 * {@link #next()} returns true the accessors describe that record, read from the batch's bytes
 * without copying them. The one record-decoding loop of the log: consumers hand the cursor itself
 * to {@link dev.cairn.log.RecordHandler}s as a {@link RecordView}, or copy records out of it.
 *
 * <p>Only records with offsets in {@code [from, end)} are visited; those below {@code from} are
 * skipped by their length field. Lengths are checked against the batch and the record, so a
 * malformed batch (one read without a CRC check, see {@link dev.cairn.log.ConsumerConfig#checkCrcs()})
 * raises a {@link CorruptFileException} instead of reading outside it; the headers of a record
 * are decoded on demand and trusted.
 *
 * <p>Not thread-safe. Reused: {@link #reset} points it at another batch.
 */
final class RecordCursor implements RecordView {
    /** Offset delta, timestamp, key length, value length and header count. */
    private static final int MIN_RECORD_LENGTH = 4 + 8 + 4 + 4 + 4;
    private TopicPartition partition;
    private ByteBuffer batch;
    /** Read-only views of the batch whose window is moved to each record's key and value. */
    private ByteBuffer keyView;
    private ByteBuffer valueView;
    /** The buffer the batch's bytes live in (the read chunk), so its owner knows what is still in use. */
    private ByteBuffer chunk;
    /** Where the batch was read from (file and entry position), for errors; null if not known. */
    private String file;
    private long position;
    private long base;
    private long lastOffset;
    private long from;
    private long end;
    /** Records of the batch not visited yet, and where the next one starts in {@code batch}. */
    private int unvisited;
    private int at;

    // The current record: where it starts, its offset, and where its key and value are. The
    // timestamp and headers are read only when asked for.
    private int recordAt;
    private long offset;
    private int keyAt;
    private int keySize;
    private int valueAt;
    private int valueSize;

    /**
     * Points the cursor before the first record of {@code batch} (its bytes from position to
     * limit) that has an offset in {@code [from, end)}.
     *
     * @param chunk the buffer holding the batch's bytes (may be null when nobody tracks it)
     */
    RecordCursor reset(TopicPartition partition, ByteBuffer batch, ByteBuffer chunk, long from, long end) {
        return reset(partition, batch, chunk, from, end, null, -1);
    }

    /**
     * As {@link #reset(TopicPartition, ByteBuffer, ByteBuffer, long, long)}, naming where the
     * batch was read from for the error a malformed record raises.
     */
    RecordCursor reset(TopicPartition partition, ByteBuffer batch, ByteBuffer chunk, long from, long end,
            String file, long position) {
        this.partition = partition;
        this.file = file;
        this.position = position;
        this.batch = batch.slice();
        if (this.batch.remaining() < RecordBatchFormat.HEADER_SIZE) {
            throw malformed("batch of " + this.batch.remaining() + " bytes is shorter than its header");
        }
        this.keyView = null;
        this.valueView = null;
        this.chunk = chunk;
        this.base = this.batch.getLong(RecordBatchFormat.BASE_OFFSET_OFFSET);
        this.lastOffset = base + this.batch.getInt(RecordBatchFormat.LAST_OFFSET_DELTA_OFFSET);
        this.unvisited = this.batch.getInt(RecordBatchFormat.RECORD_COUNT_OFFSET);
        this.at = RecordBatchFormat.HEADER_SIZE;
        this.from = from;
        this.end = end;
        this.offset = -1;
        return this;
    }

    /** Forgets the batch, so the cursor holds no buffer. */
    void clear() {
        batch = null;
        keyView = null;
        valueView = null;
        chunk = null;
        unvisited = 0;
    }

    /**
     * Moves to the next record with an offset in {@code [from, end)}.
     *
     * @return false when there is none left in the batch
     */
    boolean next() {
        ByteBuffer b = batch;
        while (unvisited > 0) {
            unvisited--;
            int recordAt = at;
            if (recordAt > b.limit() - 4) {
                throw malformed("batch ends at byte " + b.limit() + " with " + (unvisited + 1) + " records to go");
            }
            int length = b.getInt(recordAt);
            int recordEnd = recordAt + 4 + length;
            if (length < MIN_RECORD_LENGTH || recordEnd > b.limit() || recordEnd < 0) {
                throw malformed("record length " + length + " at batch byte " + recordAt + " of " + b.limit());
            }
            at = recordEnd;
            long recordOffset = base + b.getInt(recordAt + 4);
            if (recordOffset >= end) {
                unvisited = 0;
                return false;
            }
            if (recordOffset < from) {
                continue;
            }
            offset = recordOffset;
            this.recordAt = recordAt;
            keySize = b.getInt(recordAt + 16);
            keyAt = recordAt + 20;
            if (keySize < -1 || keySize > recordEnd - 8 - keyAt) {
                throw malformed("key of " + keySize + " bytes runs past its record at batch byte " + recordAt);
            }
            int valueField = keyAt + Math.max(keySize, 0);
            valueSize = b.getInt(valueField);
            valueAt = valueField + 4;
            if (valueSize < -1 || valueSize > recordEnd - 4 - valueAt) {
                throw malformed("value of " + valueSize + " bytes runs past its record at batch byte " + recordAt);
            }
            return true;
        }
        return false;
    }

    private CorruptFileException malformed(String problem) {
        unvisited = 0;
        return new CorruptFileException(file != null ? file : "record batch", Math.max(position, 0), problem);
    }

    /** True if records of the batch remain unvisited (some may lie at or past {@code end}). */
    boolean hasMore() {
        return unvisited > 0;
    }

    /** The batch's last offset as appended (records after compaction may stop earlier). */
    long lastOffset() {
        return lastOffset;
    }

    /** The end of the offsets this cursor shows: the partition's published end when the batch was read. */
    long end() {
        return end;
    }

    /** The buffer the current batch was read into, or null if there is no batch or nobody tracks it. */
    ByteBuffer chunk() {
        return chunk;
    }

    @Override
    public String topic() {
        return partition.topic();
    }

    @Override
    public int partition() {
        return partition.partition();
    }

    @Override
    public long offset() {
        return offset;
    }

    @Override
    public long timestampMs() {
        return batch.getLong(recordAt + 8);
    }

    @Override
    public int keySize() {
        return keySize;
    }

    @Override
    public ByteBuffer key() {
        if (keySize < 0) {
            return null;
        }
        keyView = window(keyView, keyAt, keySize);
        return keyView;
    }

    @Override
    public int valueSize() {
        return valueSize;
    }

    @Override
    public ByteBuffer value() {
        if (valueSize < 0) {
            return null;
        }
        valueView = window(valueView, valueAt, valueSize);
        return valueView;
    }

    /** {@code view} (a read-only view of the batch, made on first use) moved onto {@code size} bytes at {@code at}. */
    private ByteBuffer window(ByteBuffer view, int at, int size) {
        ByteBuffer v = view != null ? view : batch.asReadOnlyBuffer();
        // limit first: it pulls the position back if the previous window lay further on.
        return v.limit(at + size).position(at);
    }

    @Override
    public List<Header> headers() {
        int countField = valueAt + Math.max(valueSize, 0);
        int headerCount = batch.getInt(countField);
        if (headerCount == 0) {
            return List.of();
        }
        List<Header> headers = new ArrayList<>(headerCount);
        int p = countField + 4;
        for (int h = 0; h < headerCount; h++) {
            int nameSize = batch.getInt(p);
            byte[] name = new byte[nameSize];
            batch.get(p + 4, name);
            p += 4 + nameSize;
            int valueLength = batch.getInt(p);
            byte[] headerValue = copy(p + 4, valueLength);
            p += 4 + Math.max(valueLength, 0);
            headers.add(new Header(new String(name, StandardCharsets.UTF_8), headerValue));
        }
        return headers;
    }

    /** The current record's key as a new array, or null. */
    byte[] keyBytes() {
        return copy(keyAt, keySize);
    }

    /** The current record's value as a new array, or null for a tombstone. */
    byte[] valueBytes() {
        return copy(valueAt, valueSize);
    }

    private byte[] copy(int at, int size) {
        if (size < 0) {
            return null;
        }
        byte[] bytes = new byte[size];
        batch.get(at, bytes);
        return bytes;
    }

    @Override
    public ConsumerRecord toRecord() {
        return new ConsumerRecord(partition.topic(), partition.partition(), offset, timestampMs(), keyBytes(),
                valueBytes(), headers());
    }

    /** The current record as a stored entry (what compaction and index rebuilding work on). */
    RecordBatchFormat.Entry toEntry() {
        return new RecordBatchFormat.Entry(offset, timestampMs(), keyBytes(), valueBytes(), headers());
    }
}
