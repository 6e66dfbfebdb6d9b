package dev.cairn.log.internal;

import dev.cairn.log.Header;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The record batch a partition is filling ({@link RecordBatchFormat}): appends that do not wait
 * for an fsync encode their records here, with their offsets, and the batch reaches the segment
 * as one entry when the partition seals it. Several appends then share one batch header and one
 * storage frame: a 100-byte record costs its own bytes plus a few, not 69 more per append, and
 * with a write rate bound by the disk that overhead is what sets the throughput.
 *
 * <p>The partition seals the batch when the next append would take it past its size limit, when
 * the log clock's millisecond changes, when a reader needs its records, before every background
 * write-out and fsync of the file, and on close. Its records are not in the file before that, so
 * a crash of the process can lose them: the same promise the write buffer makes for
 * {@code EVERY_SECOND} and {@code NONE}.
 *
 * <p>A batch is opened in one of two timestamp modes. Stamped per record: each record carries
 * the time of its append (its own or the log clock's; under the topic's {@code LogAppendTime},
 * always the log clock's), and the batch holds appends of one millisecond. Stamped at seal
 * ({@link dev.cairn.log.Appender}'s records): every record carries the log clock's time when the
 * batch is sealed, read once for the whole batch, so such an append reads no clock at all. The two
 * never share a batch. Independently, a batch is marked with the topic's timestamp type when it is
 * opened ({@link #logAppendTime()}, in the batch's attributes); a batch never mixes the two types.
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
    /** Log-clock time of the first append of a batch stamped per record (roll by age, the one-millisecond rule). */
    private long openedAtMs;
    private boolean stampsAtSeal;
    private boolean logAppendTime;
    /** The partition leader epoch current when the batch was opened, stamped into it at seal. */
    private int leaderEpoch = RecordBatchFormat.NO_LEADER_EPOCH;

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

    /** Whether the records take the time of the seal rather than each its own. */
    boolean stampsAtSeal() {
        return stampsAtSeal;
    }

    /** Whether the batch is marked LogAppendTime (the topic's type when it was opened), else CreateTime. */
    boolean logAppendTime() {
        return logAppendTime;
    }

    /**
     * Starts an empty batch at offset {@code base} with room for {@code bytes} bytes (header
     * included; more than the target for a single large append), stamped per record (first
     * append at {@code nowMs}) or, if {@code stampAtSeal}, at the seal ({@code nowMs} unused),
     * and marked LogAppendTime if {@code logAppendTime}, carrying {@code leaderEpoch}.
     */
    void open(long base, long nowMs, int bytes, boolean stampAtSeal, boolean logAppendTime, int leaderEpoch) {
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
        this.stampsAtSeal = stampAtSeal;
        this.logAppendTime = logAppendTime;
        this.leaderEpoch = leaderEpoch;
    }

    /**
     * Encodes one record with the next offset and its own timestamp, in a batch stamped per
     * record; the caller made room for it when it opened the batch.
     */
    void add(long timestampMs, byte[] key, byte[] value, List<Header> headers) {
        assert !stampsAtSeal;
        if (count == 0) {
            firstTimestamp = timestampMs;
            maxTimestamp = timestampMs;
        } else if (timestampMs > maxTimestamp) {
            maxTimestamp = timestampMs;
        }
        RecordBatchFormat.putRecord(buffer, count, timestampMs - firstTimestamp, key, value, headers);
        count++;
    }

    /** Encodes one record without headers, in a batch stamped at seal: its timestamp delta is 0. */
    void addStampedAtSeal(byte[] key, byte[] value) {
        assert stampsAtSeal;
        RecordBatchFormat.putRecord(buffer, count, 0, key, value, List.of());
        count++;
    }

    /**
     * Writes the header and returns the whole batch (position 0 to its end) to hand to the file;
     * the batch is empty afterwards, and the returned view valid until the next {@link #open}.
     *
     * @param nowMs the log clock's time, every record's timestamp in a batch stamped at seal
     */
    ByteBuffer seal(long nowMs) {
        ByteBuffer batch = buffer;
        if (stampsAtSeal) {
            firstTimestamp = nowMs;
            maxTimestamp = nowMs;
        }
        // Marked LogAppendTime, every record reads as the max timestamp: the seal's time, or that
        // of the one millisecond whose appends (each stamped with it) the batch holds.
        RecordBatchFormat.putHeader(batch, base, count - 1, count, firstTimestamp, maxTimestamp, logAppendTime,
                leaderEpoch);
        count = 0;
        return batch.flip();
    }
}
