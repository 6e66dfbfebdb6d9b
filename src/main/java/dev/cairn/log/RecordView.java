package dev.cairn.log;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * A record as a {@link RecordHandler} sees it during {@link Consumer#poll(java.time.Duration,
 * RecordHandler)}: read in place from the batch it is stored in, so handing it over allocates
 * nothing per record.
 *
 * <p>Valid only until the handler returns: the same view object is reused for the next record,
 * and the buffers {@link #key()} and {@link #value()} return are views of a read buffer the
 * consumer reuses. A handler that keeps a record calls {@link #toRecord()}.
 */
public interface RecordView {
    String topic();

    int partition();

    long offset();

    long timestampMs();

    /** Which time {@link #timestampMs()} is, as the record's batch records it. */
    TimestampType timestampType();

    /** Bytes of the key, or -1 for a null key. */
    int keySize();

    /**
     * The key's bytes between the returned buffer's position and limit (read-only), or null for
     * a null key. The same buffer object is returned for every record of a batch.
     */
    ByteBuffer key();

    /** Bytes of the value, or -1 for a tombstone. */
    int valueSize();

    /**
     * The value's bytes between the returned buffer's position and limit (read-only), or null
     * for a tombstone. The same buffer object is returned for every record of a batch.
     */
    ByteBuffer value();

    /** The headers, decoded on each call; never null. */
    List<Header> headers();

    /** A copy of this record that stays valid after the handler returns. */
    ConsumerRecord toRecord();
}
