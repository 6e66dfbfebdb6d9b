package dev.cairn.log.internal;

import dev.cairn.common.CorruptFileException;
import dev.cairn.log.ConsumerRecord;
import dev.cairn.log.Header;
import dev.cairn.log.RecordView;
import dev.cairn.log.TimestampType;
import dev.cairn.log.TopicPartition;
import dev.cairn.storage.Varint;
import java.nio.BufferUnderflowException;
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
 * raises a {@link CorruptFileException} instead of reading outside it (the headers of a record are
 * decoded, and checked, on demand). Records are parsed in order: each one's offset and timestamp
 * are deltas (see {@link RecordBatchFormat}).
 *
 * <p>Not thread-safe. Reused: {@link #reset} points it at another batch.
 */
final class RecordCursor implements RecordView {
    private TopicPartition partition;
    /** The batch's bytes from index 0; its position and limit are moved over each record as it is parsed. */
    private ByteBuffer batch;
    /** Where the batch's bytes end. */
    private int batchEnd;
    private long firstTimestamp;
    /** Whether the batch is Kafka's v2 record batch (else record format 1). */
    private boolean v2;
    /** A v2 batch with LogAppendTime: every record's timestamp is the batch's max timestamp. */
    private boolean logAppendTime;
    private long maxTimestamp;
    /** The timestamp delta of the v2 record being parsed (read before its offset). */
    private long timestampDelta;
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
    /** The offset of the last record parsed, visited or skipped ({@code base - 1} before the first). */
    private long previousOffset;
    private long from;
    private long end;
    /** Records of the batch not visited yet, and where the next one starts in {@code batch}. */
    private int unvisited;
    private int at;

    // The current record: its offset and timestamp, and where its key, value and headers are.
    // The headers are decoded only when asked for.
    private long offset;
    private long timestamp;
    private int keyAt;
    private int keySize;
    private int valueAt;
    private int valueSize;
    private int headersAt;
    /** Where {@link #next()} is reading the current record's fields. */
    private int parseAt;

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
        String problem = RecordBatchFormat.headerProblem(this.batch);
        if (problem != null) {
            throw malformed(problem);
        }
        this.batchEnd = this.batch.limit();
        this.keyView = null;
        this.valueView = null;
        this.chunk = chunk;
        this.v2 = RecordBatchFormat.isV2(this.batch);
        this.base = RecordBatchFormat.baseOffset(this.batch);
        this.lastOffset = RecordBatchFormat.lastOffset(this.batch);
        this.previousOffset = base - 1;
        this.firstTimestamp = RecordBatchFormat.baseTimestamp(this.batch);
        this.maxTimestamp = RecordBatchFormat.maxTimestamp(this.batch);
        int attributes = v2 ? this.batch.getShort(RecordBatchFormat.ATTRIBUTES_OFFSET) : 0;
        this.logAppendTime = (attributes & RecordBatchFormat.LOG_APPEND_TIME_FLAG) != 0;
        // A control batch (a transaction marker) holds no records a reader sees.
        this.unvisited = (attributes & RecordBatchFormat.CONTROL_FLAG) != 0 ? 0 : RecordBatchFormat.recordCount(this.batch);
        this.at = v2 ? RecordBatchFormat.HEADER_SIZE : RecordBatchFormat.Format1.HEADER_SIZE;
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
        while (unvisited > 0) {
            unvisited--;
            int recordAt = at;
            try {
                parseAt = recordAt;
                long recordOffset = v2 ? headV2(recordAt) : headFormat1(recordAt);
                previousOffset = recordOffset;
                if (recordOffset >= end) {
                    unvisited = 0;
                    return false;
                }
                if (recordOffset < from) {
                    continue;
                }
                offset = recordOffset;
                if (v2) {
                    timestamp = logAppendTime ? maxTimestamp : firstTimestamp + timestampDelta;
                    keySize = nullableLength(at);
                    keyAt = parseAt;
                    parseAt = skip(keySize, at);
                    valueSize = nullableLength(at);
                } else {
                    timestamp = firstTimestamp + zigzag(at);
                    keySize = varint(at) - 1;
                    keyAt = parseAt;
                    valueSize = varint(skip(keySize, at), at) - 1;
                }
                valueAt = parseAt;
                headersAt = skip(valueSize, at);
                if (headersAt >= at) {
                    throw new BufferUnderflowException(); // no header count
                }
                return true;
            } catch (BufferUnderflowException | IllegalArgumentException e) {
                batch.limit(batchEnd);
                throw malformed("record at batch byte " + recordAt + " has a field that runs past its end or is not"
                        + " a valid length");
            }
        }
        return false;
    }

    /**
     * Reads the start of a v2 record at {@code recordAt} (signed fields): its length (moving
     * {@link #at} to its end), attributes, timestamp delta (kept for the record's timestamp) and
     * offset, given as a delta from the base.
     *
     * @return the record's offset, checked to lie after the previous one and within the batch
     */
    private long headV2(int recordAt) {
        int length = zigzagInt(batchEnd);
        if (length < 0 || length > batchEnd - parseAt) {
            throw malformed("record length " + length + " at batch byte " + recordAt
                    + (length < 0 ? " is negative" : " runs past the batch's " + batchEnd + " bytes"));
        }
        at = parseAt + length;
        parseAt = skip(1, at); // the record's attributes, unused
        timestampDelta = zigzag(at);
        long recordOffset = base + zigzagInt(at);
        if (recordOffset <= previousOffset || recordOffset > lastOffset) {
            throw malformed("record offset " + recordOffset + " at batch byte " + recordAt
                    + " is not between the previous record's " + previousOffset + " and the batch's last " + lastOffset);
        }
        return recordOffset;
    }

    /**
     * Reads the start of a record of format 1 at {@code recordAt} (unsigned fields): its length
     * (moving {@link #at} to its end) and offset, given as the gap after the previous one.
     *
     * @return the record's offset, checked to lie within the batch
     */
    private long headFormat1(int recordAt) {
        int length = varint(batchEnd);
        if (length > batchEnd - parseAt) {
            throw malformed("record length " + length + " at batch byte " + recordAt + " runs past the batch's "
                    + batchEnd + " bytes");
        }
        at = parseAt + length;
        long recordOffset = previousOffset + 1 + varint(at);
        if (recordOffset > lastOffset) {
            throw malformed("record offset " + recordOffset + " at batch byte " + recordAt
                    + " is past the batch's last offset " + lastOffset);
        }
        return recordOffset;
    }

    // Field readers: each reads at parseAt, not past limit, and moves parseAt past what it read. A
    // varint of one or two bytes (almost every field) is read in place; longer ones, and a field at
    // the limit, go through Varint on the batch positioned there, which throws if they run past it.

    private int varint(int limit) {
        int small = shortField(limit);
        if (small >= 0) {
            return small;
        }
        int value = Varint.get(batchAtField(limit));
        afterField();
        return value;
    }

    /** {@link #varint(int)} after moving parseAt to {@code at}. */
    private int varint(int at, int limit) {
        parseAt = at;
        return varint(limit);
    }

    /** A zigzag field that must fit an int. */
    private int zigzagInt(int limit) {
        long value = zigzag(limit);
        if (value != (int) value) {
            throw new IllegalArgumentException("field out of range");
        }
        return (int) value;
    }

    /** A v2 key or value length: -1 for null, else at least 0. */
    private int nullableLength(int limit) {
        int length = zigzagInt(limit);
        if (length < -1) {
            throw new IllegalArgumentException("negative length");
        }
        return length;
    }

    private long zigzag(int limit) {
        int small = shortField(limit);
        if (small >= 0) {
            return (small >>> 1) ^ -(small & 1);
        }
        long value = Varint.getZigZag(batchAtField(limit));
        afterField();
        return value;
    }

    /**
     * The unsigned varint at parseAt if it takes one or two bytes (a record's length and a
     * 100-byte value's take two), parseAt moved past it; else -1, parseAt unmoved.
     */
    private int shortField(int limit) {
        int i = parseAt;
        if (i < limit) {
            byte first = batch.get(i);
            if (first >= 0) {
                parseAt = i + 1;
                return first;
            }
            if (i + 1 < limit) {
                byte second = batch.get(i + 1);
                if (second >= 0) {
                    parseAt = i + 2;
                    return (first & 0x7F) | (second << 7);
                }
            }
        }
        return -1;
    }

    /** The batch positioned at parseAt with {@code limit} as its limit, for {@link Varint} to read a longer field. */
    private ByteBuffer batchAtField(int limit) {
        return batch.limit(limit).position(parseAt);
    }

    /** After {@link #batchAtField}: parseAt past what was read, the batch's limit back at its end. */
    private void afterField() {
        parseAt = batch.position();
        batch.limit(batchEnd);
    }

    /** Where a field of {@code size} bytes (none if negative: null) starting at parseAt ends; throws if past limit. */
    private int skip(int size, int limit) {
        if (size > limit - parseAt) {
            throw new BufferUnderflowException();
        }
        return parseAt + Math.max(size, 0);
    }

    /** Bytes after the last record, once every record has been visited: 0 in a well-formed batch. */
    int trailingBytes() {
        return batchEnd - at;
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
        return timestamp;
    }

    @Override
    public TimestampType timestampType() {
        return logAppendTime ? TimestampType.LOG_APPEND_TIME : TimestampType.CREATE_TIME;
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
        ByteBuffer b = batch.duplicate().limit(at).position(headersAt);
        try {
            if (v2) {
                return headersV2(b);
            }
            int headerCount = Varint.get(b);
            if (headerCount == 0) {
                return List.of();
            }
            List<Header> headers = new ArrayList<>(Math.min(headerCount, b.remaining()));
            for (int h = 0; h < headerCount; h++) {
                byte[] name = new byte[Varint.get(b)];
                b.get(name);
                int valueLength = Varint.get(b) - 1;
                byte[] headerValue = null;
                if (valueLength >= 0) {
                    headerValue = new byte[valueLength];
                    b.get(headerValue);
                }
                headers.add(new Header(new String(name, StandardCharsets.UTF_8), headerValue));
            }
            return headers;
        } catch (BufferUnderflowException | IllegalArgumentException | NegativeArraySizeException e) {
            throw malformed("the headers of the record at offset " + offset + " run past its end");
        }
    }

    /**
     * Checks that the current record's headers lie within it and fill it to its end, as
     * {@link #headers()} would decode them, without decoding them.
     *
     * @throws CorruptFileException if they do not
     */
    void checkHeaders() {
        try {
            parseAt = headersAt;
            long count = v2 ? zigzag(at) : varint(at);
            if (count < 0 || count > at - parseAt) {
                throw new IllegalArgumentException("header count out of range");
            }
            for (long h = 0; h < count; h++) {
                int nameLength = v2 ? zigzagInt(at) : varint(at);
                if (nameLength < 0) {
                    throw new IllegalArgumentException("negative header name length");
                }
                parseAt = skip(nameLength, at);
                int valueLength = v2 ? nullableLength(at) : varint(at) - 1;
                parseAt = skip(valueLength, at);
            }
            if (parseAt != at) {
                throw new IllegalArgumentException("bytes after the headers");
            }
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            batch.limit(batchEnd);
            throw malformed("the headers of the record at offset " + offset + " do not fill it to its end");
        }
    }

    private List<Header> headersV2(ByteBuffer b) {
        int headerCount = checkedInt(Varint.getZigZag(b), 0);
        if (headerCount == 0) {
            return List.of();
        }
        List<Header> headers = new ArrayList<>(Math.min(headerCount, b.remaining()));
        for (int h = 0; h < headerCount; h++) {
            byte[] name = new byte[checkedInt(Varint.getZigZag(b), 0)];
            b.get(name);
            int valueLength = checkedInt(Varint.getZigZag(b), -1);
            byte[] headerValue = null;
            if (valueLength >= 0) {
                headerValue = new byte[valueLength];
                b.get(headerValue);
            }
            headers.add(new Header(new String(name, StandardCharsets.UTF_8), headerValue));
        }
        return headers;
    }

    /** {@code value} as an int of at least {@code min}; else IllegalArgumentException (a malformed header). */
    private static int checkedInt(long value, int min) {
        if (value < min || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("header field out of range");
        }
        return (int) value;
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
        return new ConsumerRecord(partition.topic(), partition.partition(), offset, timestamp, timestampType(),
                keyBytes(), valueBytes(), headers());
    }

    /** The current record as a stored entry (what compaction and index rebuilding work on). */
    RecordBatchFormat.Entry toEntry() {
        return new RecordBatchFormat.Entry(offset, timestampMs(), keyBytes(), valueBytes(), headers());
    }
}
