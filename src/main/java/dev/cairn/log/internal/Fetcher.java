package dev.cairn.log.internal;

import dev.cairn.log.ConsumerRecord;
import dev.cairn.log.OffsetOutOfRangeException;
import dev.cairn.log.RecordHandler;
import dev.cairn.log.TopicPartition;
import dev.cairn.storage.segment.SegmentScanner;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The read side of one {@link LogConsumer}: reads a partition's records from a position into a
 * poll's sink, through a reused {@link RecordCursor} and reused direct read buffers, and keeps
 * the batch a poll stopped inside so the next poll goes on from its bytes.
 *
 * <p>Not thread-safe: its consumer's thread only.
 */
final class Fetcher {
    private static final int SPARE_CHUNKS = 2;

    private final boolean checkCrcs;
    /**
     * Direct buffers segment chunks are read into, so a poll neither allocates nor zeroes one; at
     * most {@link #SPARE_CHUNKS} are kept besides those holding a kept batch.
     */
    private final ArrayDeque<ByteBuffer> freeChunks = new ArrayDeque<>(SPARE_CHUNKS);
    private RecordCursor spareCursor;
    /**
     * Per partition, the batch a poll stopped inside: the next polls go on from its cursor (as a
     * Kafka consumer keeps the rest of a fetch) instead of reading and checking the batch again.
     * Valid while the partition's position is where the cursor continues; dropped with the position.
     */
    private final Map<TopicPartition, KeptBatch> kept = new HashMap<>();

    /** @param checkCrcs whether batches read are checked against their CRC (see ConsumerConfig) */
    Fetcher(boolean checkCrcs) {
        this.checkCrcs = checkCrcs;
    }

    /** Drops what is kept for partitions other than {@code partitions}. */
    void retain(Collection<TopicPartition> partitions) {
        kept.keySet().retainAll(partitions);
    }

    /** Drops what is kept for {@code partitions}. */
    void forget(Collection<TopicPartition> partitions) {
        kept.keySet().removeAll(partitions);
    }

    void clear() {
        kept.clear();
    }

    /**
     * Hands the records of {@code tp} from {@code position} to {@code sink}: first the rest of a
     * kept batch, then what the log holds.
     *
     * @return the partition's new position
     * @throws OffsetOutOfRangeException if the log has no {@code position} (the rest of a kept
     *     batch may have been handed over before; nothing is kept for {@code tp} then)
     */
    long fetch(TopicPartition tp, PartitionLog partition, long position, PollSink sink) {
        KeptBatch batch = kept.remove(tp);
        if (batch != null) {
            if (batch.position == position) {
                position = PartitionReader.drain(batch.cursor, sink, position, partition.counters());
                if (batch.cursor.hasMore()) {
                    batch.position = position;
                    kept.put(tp, batch);
                    return position;
                }
            }
            release(batch.cursor, null);
            if (sink.full()) {
                return position;
            }
        }
        ByteBuffer chunk = takeChunk();
        RecordCursor cursor = spareCursor != null ? spareCursor : new RecordCursor();
        spareCursor = null;
        long next;
        try {
            next = partition.reader().read(position, chunk, checkCrcs, cursor, sink);
        } catch (RuntimeException e) {
            release(cursor, chunk);
            throw e;
        }
        if (cursor.hasMore()) {
            kept.put(tp, new KeptBatch(cursor, next));
            if (cursor.chunk() != chunk) {
                freeChunk(chunk); // the batch is in a larger buffer the read grew into
            }
        } else {
            release(cursor, chunk);
        }
        return next;
    }

    private ByteBuffer takeChunk() {
        ByteBuffer chunk = freeChunks.pollFirst();
        return chunk != null ? chunk : ByteBuffer.allocateDirect(SegmentScanner.CHUNK_BYTES);
    }

    /** Frees a cursor and the chunk(s) it read into, keeping the larger of {@code chunk} and the cursor's. */
    private void release(RecordCursor cursor, ByteBuffer chunk) {
        ByteBuffer used = cursor.chunk();
        if (used != null && (chunk == null || used.capacity() > chunk.capacity())) {
            chunk = used;
        }
        if (chunk != null) {
            freeChunk(chunk);
        }
        cursor.clear();
        spareCursor = cursor;
    }

    private void freeChunk(ByteBuffer chunk) {
        if (freeChunks.size() < SPARE_CHUNKS) {
            freeChunks.addFirst(chunk);
        }
    }

    /** A batch a poll stopped inside, and the partition's position while its cursor is next. */
    private static final class KeptBatch {
        final RecordCursor cursor;
        long position;

        KeptBatch(RecordCursor cursor, long position) {
            this.cursor = cursor;
            this.position = position;
        }
    }

    /** Where one poll's records go, up to the poll's limit. */
    abstract static class PollSink implements PartitionReader.RecordSink {
        final int max;
        int count;
        /** Where the partition being read resumes if handling a record fails; -1 if not known. */
        long resumeAt = -1;

        PollSink(int max) {
            this.max = max;
        }

        @Override
        public final boolean full() {
            return count >= max;
        }

        /** True if each record reaches the caller as it is accepted, false if only when the poll returns. */
        abstract boolean handsOverAtOnce();
    }

    /** Copies the records into a list the caller keeps. */
    static final class RecordListSink extends PollSink {
        final List<ConsumerRecord> records;

        RecordListSink(int max) {
            super(max);
            this.records = new ArrayList<>(Math.min(max, 512));
        }

        @Override
        public void accept(RecordCursor record) {
            records.add(record.toRecord());
            count++;
        }

        @Override
        boolean handsOverAtOnce() {
            return false;
        }
    }

    /** Hands the cursor itself to a handler: nothing is allocated per record. */
    static final class HandlerSink extends PollSink {
        final RecordHandler handler;

        HandlerSink(int max, RecordHandler handler) {
            super(max);
            this.handler = handler;
        }

        @Override
        public void accept(RecordCursor record) {
            long offset = record.offset();
            resumeAt = offset;
            handler.handle(record);
            resumeAt = offset + 1;
            count++;
        }

        @Override
        boolean handsOverAtOnce() {
            return true;
        }
    }
}
