package dev.cairn.log.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one partition has served since it was opened: records and bytes appended and read.
 *
 * <p>Bytes are those of stored record batches (Kafka's v2 batch, header included, as a producer
 * sends them and a fetch returns them): an append counts the batch it is written in when that
 * batch goes to the file, a read counts each batch it starts handing records from (or returns
 * whole, for {@link PartitionReader#readBatches}).
 *
 * <p>Thread-safety: the append counters have one writer, the holder of the partition lock, which
 * adds with a plain read and an opaque write (no fence on the append path); any thread reads them
 * opaquely, seeing each value whole and never one going backwards. The read counters take
 * concurrent readers and are {@link LongAdder}s.
 */
final class PartitionCounters {
    private static final VarHandle RECORDS_APPENDED;
    private static final VarHandle BYTES_APPENDED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            RECORDS_APPENDED = lookup.findVarHandle(PartitionCounters.class, "recordsAppended", long.class);
            BYTES_APPENDED = lookup.findVarHandle(PartitionCounters.class, "bytesAppended", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // through RECORDS_APPENDED
    private long recordsAppended;
    @SuppressWarnings("unused") // through BYTES_APPENDED
    private long bytesAppended;
    private final LongAdder recordsRead = new LongAdder();
    private final LongAdder bytesRead = new LongAdder();

    /** Counts appended records. Partition lock held. */
    void appendedRecords(int count) {
        RECORDS_APPENDED.setOpaque(this, (long) RECORDS_APPENDED.get(this) + count);
    }

    /** Counts the bytes of a batch written to the file. Partition lock held. */
    void appendedBytes(int bytes) {
        BYTES_APPENDED.setOpaque(this, (long) BYTES_APPENDED.get(this) + bytes);
    }

    void readRecords(long count) {
        if (count > 0) {
            recordsRead.add(count);
        }
    }

    void readBytes(long bytes) {
        bytesRead.add(bytes);
    }

    long recordsAppended() {
        return (long) RECORDS_APPENDED.getOpaque(this);
    }

    long bytesAppended() {
        return (long) BYTES_APPENDED.getOpaque(this);
    }

    long recordsRead() {
        return recordsRead.sum();
    }

    long bytesRead() {
        return bytesRead.sum();
    }
}
