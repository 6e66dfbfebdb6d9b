package dev.cairn.log.internal;

import dev.cairn.log.Header;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The record batch a partition is filling ({@link RecordBatchFormat}): appends that do not wait
 * for an fsync encode their records here, with their offsets, and the batch reaches the segment
 * as one entry when the partition seals it. Several appends then share one batch header and one
 * storage frame: a 100-byte record costs its own bytes plus a few, not 44 more per append, and
 * with a write rate bound by the disk that overhead is what sets the throughput.
 *
 * <p>The partition seals the batch when the next append would take it past its size limit, when
 * the log clock's millisecond changes, when a reader needs its records, before every background
 * write-out and fsync of the file, and on close. Its records are not in the file before that, so
 * a crash of the process can lose them: the same promise the write buffer makes for
 * {@code EVERY_SECOND} and {@code NONE}.
 *
 * <p>Not thread-safe: guarded by the partition lock.
 */
final class OpenBatch {
    /** Size a batch is sealed at, as Kafka's producer {@code batch.size} default. */
    static final int TARGET_BYTES = 16 * 1024;

    private ByteBuffer buffer = ByteBuffer.allocate(TARGET_BYTES);
    private long base;
    private int count;
    private long firstTimestamp;
    private long maxTimestamp;
    /** Log-clock time of the first append, which the partition's roll-by-age decision uses. */
    private long openedAtMs;

    boolean isEmpty() {
        return count == 0;
    }

    /** Encoded bytes so far, header included. */
    int size() {
        return buffer.position();
    }

    long base() {
        return base;
    }

    int count() {
        return count;
    }

    long openedAtMs() {
        return openedAtMs;
    }

    /**
     * Starts an empty batch at offset {@code base} with room for {@code bytes} bytes (header
     * included; more than the target for a single large append).
     */
    void open(long base, long nowMs, int bytes) {
        if (buffer.capacity() < bytes) {
            buffer = ByteBuffer.allocate(bytes);
        } else if (buffer.capacity() > TARGET_BYTES && bytes <= TARGET_BYTES) {
            // A large append grew it once; do not keep that much heap per partition.
            buffer = ByteBuffer.allocate(TARGET_BYTES);
        }
        buffer.clear().position(RecordBatchFormat.HEADER_SIZE);
        this.base = base;
        this.count = 0;
        this.openedAtMs = nowMs;
    }

    /** Encodes one record with the next offset; the caller made room for it when it opened the batch. */
    void add(long timestampMs, byte[] key, byte[] value, List<Header> headers) {
        if (count == 0) {
            firstTimestamp = timestampMs;
            maxTimestamp = timestampMs;
        } else if (timestampMs > maxTimestamp) {
            maxTimestamp = timestampMs;
        }
        RecordBatchFormat.putRecord(buffer, 0, timestampMs - firstTimestamp, key, value, headers);
        count++;
    }

    /**
     * Writes the header and returns the whole batch (position 0 to its end) to hand to the file;
     * the batch is empty afterwards, and the returned view valid until the next {@link #open}.
     */
    ByteBuffer seal() {
        ByteBuffer batch = buffer;
        RecordBatchFormat.putHeader(batch, base, count - 1, count, firstTimestamp, maxTimestamp);
        count = 0;
        return batch.flip();
    }
}
