package dev.cairn.log.internal;

import dev.cairn.common.CorruptFileException;
import dev.cairn.log.ConsumerRecord;
import dev.cairn.log.OffsetOutOfRangeException;
import dev.cairn.log.RecordBatches;
import dev.cairn.log.TopicPartition;
import dev.cairn.storage.segment.Segment;
import dev.cairn.storage.segment.SegmentFormat;
import dev.cairn.storage.segment.SegmentScanner;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.OptionalLong;

/**
 * Reads of one {@link PartitionLog}: by offset, through a {@link RecordCursor} into a
 * {@link RecordSink}, and by timestamp. A read first has the partition seal its open batch if
 * that holds records (so it sees every append that returned before it), then takes the published
 * end offset and walks the segments from the sparse index's floor entry, never past that end;
 * it takes no lock beyond that seal, so reads run beside appends, retention and compaction (the
 * segment list is an immutable snapshot, and a deleted segment's file stays open for one more
 * deletion round, for reads in flight; see {@link dev.cairn.storage.segment.SegmentedFile}).
 *
 * <p>Checksums: a read checks the CRC of each batch whose records it reads (by offset: unless the
 * caller trusts the bytes, see {@link dev.cairn.log.ConsumerConfig#checkCrcs()}; by timestamp:
 * always), not of the batches it passes over on the way from the index entry to its start: those
 * are checked for framing (the storage frame's length) and a sane header (known format, count
 * within the offset range, base offset at or past the end of the batch before), whose base offset
 * and last offset delta say they lie before the start, as Kafka's log reads trust a batch header
 * to skip the batch. So one damaged batch fails only the reads that reach its records, with a
 * {@link CorruptFileException} naming the file, the batch's position and its offsets, and a read
 * (a consumer's seek) past its last offset reads on, as in Kafka.
 *
 * <p>Thread-safe: stateless but for the partition it reads.
 */
final class PartitionReader {
    private final PartitionLog partition;

    PartitionReader(PartitionLog partition) {
        this.partition = partition;
    }

    /** Records read from a partition and where the next read should start. */
    record ReadResult(List<ConsumerRecord> records, long nextOffset) {
    }

    /** Receives the records a {@link #read(long, ByteBuffer, boolean, RecordCursor, RecordSink) read} visits. */
    interface RecordSink {
        /** True once the sink takes no more records; checked before each one. */
        boolean full();

        /** Takes the cursor's current record (valid until the cursor moves). */
        void accept(RecordCursor record);
    }

    /**
     * Reads up to {@code maxRecords} records from {@code offset}, stopping at the published end.
     *
     * @throws OffsetOutOfRangeException if {@code offset} is outside {@code [beginning, end]}
     */
    ReadResult read(long offset, int maxRecords) {
        Fetcher.RecordListSink sink = new Fetcher.RecordListSink(maxRecords);
        long next = read(offset, null, true, new RecordCursor(), sink);
        return new ReadResult(sink.records, next);
    }

    /**
     * Hands the records from {@code offset} to {@code sink}, in offset order, until it is full or
     * the published end is reached, reading the segments' chunks into {@code chunk} (see
     * {@link Segment#scanner(long, ByteBuffer)}; null for a buffer of the read's own), checking
     * each batch's CRC if {@code checkCrcs}.
     *
     * <p>Records are visited through {@code cursor}. If the sink fills inside a batch, the cursor
     * is left on that batch ({@link RecordCursor#hasMore()}), so a caller may go on from it later
     * without reading and checking the batch again; the batch's bytes stay in
     * {@link RecordCursor#chunk()}, which may be a larger buffer the read grew into.
     *
     * @return the offset the next read should start from: one past the last record accepted, or,
     *     when the cursor has no more records, past everything this read went over
     * @throws OffsetOutOfRangeException if {@code offset} is outside {@code [beginning, end]}
     */
    long read(long offset, ByteBuffer chunk, boolean checkCrcs, RecordCursor cursor, RecordSink sink) {
        // Sealed first: a read sees every record appended before it started.
        long logEnd = partition.endOffset();
        long end = partition.boundByHighWatermark(logEnd);
        TopicPartition tp = partition.topicPartition();
        List<Segment> segments = partition.file().segments();
        checkInRange(offset, logEnd, segments);
        cursor.clear();
        if (offset >= end) {
            return offset; // at the end, or between the high watermark and the end: nothing to read yet
        }
        int i = floorIndex(segments, offset);
        long next = offset;
        for (; i < segments.size() && !sink.full() && next < end; i++) {
            Segment segment = segments.get(i);
            SegmentIndex index = partition.indexes().get(segment);
            // No index: the segment was just rolled in or rewritten; scan it from its start.
            long start = index == null ? SegmentFormat.HEADER_SIZE : index.floorPosition(next);
            // CRCs checked here, batch by batch, only for the batches whose records are read.
            SegmentScanner scanner = segment.scanner(start, chunk).checkCrcs(false);
            long floor = segment.base(); // no batch of this segment starts below it
            long passedOver = -1; // position of the last batch passed over unchecked, until one is read
            while (!sink.full() && scanner.nextOrThrow()) {
                ByteBuffer batch = scanner.payload();
                boolean sane = saneHeader(batch, floor);
                if (sane && RecordBatchFormat.lastOffset(batch) < next) {
                    floor = RecordBatchFormat.lastOffset(batch) + 1;
                    passedOver = scanner.position();
                    continue; // passed over on its framing and header alone
                }
                if (checkCrcs) {
                    checkCrc(scanner, segment, batch, sane);
                    if (passedOver >= 0 && RecordBatchFormat.baseOffset(batch) > next) {
                        checkPassedOver(segment, passedOver);
                    }
                }
                passedOver = -1;
                if (RecordBatchFormat.baseOffset(batch) >= end) {
                    break;
                }
                if (RecordBatchFormat.lastOffset(batch) < next) {
                    continue;
                }
                if (sane) {
                    floor = RecordBatchFormat.lastOffset(batch) + 1;
                }
                cursor.reset(tp, batch, scanner.buffer(), next, end, segment.path().toString(),
                        scanner.position());
                partition.counters().readBytes(batch.remaining());
                next = drain(cursor, sink, next, partition.counters());
                if (cursor.hasMore()) {
                    return next;
                }
            }
            if (checkCrcs && passedOver >= 0 && !sink.full()) {
                checkPassedOver(segment, passedOver);
            }
            if (!sink.full() && i + 1 < segments.size()) {
                next = Math.max(next, Math.min(end, segments.get(i + 1).base()));
            }
        }
        if (!sink.full() && i >= segments.size()) {
            next = Math.max(next, end);
        }
        return next;
    }

    /**
     * Whole stored batches from {@code offset} on, in Kafka's v2 layout, up to {@code maxBytes}
     * but at least one ({@link dev.cairn.log.Log#readBatches}). Every batch returned has its CRC
     * checked, since one of record format 1 is decoded and encoded anew; those passed over to
     * reach {@code offset} are trusted on their framing and header, as in {@link #read}.
     *
     * Consumers' reads: none reaches the high watermark, which the result reports as its end.
     *
     * @throws OffsetOutOfRangeException if {@code offset} is outside {@code [beginning, end]}
     */
    RecordBatches readBatches(long offset, int maxBytes) {
        long logEnd = partition.endOffset();
        return readBatches(offset, maxBytes, logEnd, partition.boundByHighWatermark(logEnd));
    }

    /**
     * {@link #readBatches(long, int)} for a follower: up to the end offset, not the high
     * watermark, and no batch that holds {@code maxOffset} or later.
     */
    RecordBatches readBatchesBelow(long offset, int maxBytes, long maxOffset) {
        long logEnd = partition.endOffset();
        return readBatches(offset, maxBytes, logEnd, Math.min(logEnd, maxOffset));
    }

    /**
     * Whole batches from {@code offset}, none holding an offset at or past {@code end} (a batch
     * that straddles it stops the read: the whole batch or none, as Kafka's reads to a max offset).
     */
    private RecordBatches readBatches(long offset, int maxBytes, long logEnd, long end) {
        TopicPartition tp = partition.topicPartition();
        List<Segment> segments = partition.file().segments();
        long beginning = checkInRange(offset, logEnd, segments);
        int first = floorIndex(segments, offset);
        ByteBuffer out = ByteBuffer.allocate(expectedBytes(segments, first, offset, maxBytes));
        long next = offset;
        boolean full = false; // or stopped at the end
        for (int i = first; i < segments.size() && !full && next < end; i++) {
            Segment segment = segments.get(i);
            SegmentIndex index = partition.indexes().get(segment);
            long start = index == null ? SegmentFormat.HEADER_SIZE : index.floorPosition(next);
            SegmentScanner scanner = segment.scanner(start).checkCrcs(false);
            long floor = segment.base();
            while (scanner.nextOrThrow()) {
                ByteBuffer batch = scanner.payload();
                boolean sane = saneHeader(batch, floor);
                if (sane && RecordBatchFormat.lastOffset(batch) < next) {
                    floor = RecordBatchFormat.lastOffset(batch) + 1;
                    continue;
                }
                checkCrc(scanner, segment, batch, sane);
                if (!sane) {
                    String problem = RecordBatchFormat.headerProblem(batch);
                    throw new CorruptFileException(segment.path().toString(), scanner.position(), problem != null ? problem
                            : "batch base offset " + RecordBatchFormat.baseOffset(batch) + " is below the end "
                                    + floor + " of the batch before it");
                }
                if (RecordBatchFormat.lastOffset(batch) >= end) {
                    full = RecordBatchFormat.baseOffset(batch) < end; // straddles: the next read starts at it
                    break;
                }
                floor = RecordBatchFormat.lastOffset(batch) + 1;
                ByteBuffer v2 = RecordBatchFormat.asV2(batch);
                if (out.position() > 0 && (long) out.position() + v2.remaining() > maxBytes) {
                    full = true;
                    break;
                }
                out = appendTo(out, v2);
                partition.counters().readBytes(v2.remaining());
                partition.counters().readRecords(RecordBatchFormat.recordCount(v2));
                next = RecordBatchFormat.lastOffset(batch) + 1;
            }
        }
        if (!full) {
            next = Math.max(next, end);
        }
        next = Math.max(next, offset);
        return new RecordBatches(tp, out.flip().asReadOnlyBuffer(), next, beginning, end);
    }

    /**
     * The partition's beginning offset (its first segment's base, or the log start offset
     * deleteRecords moved past it).
     *
     * @throws OffsetOutOfRangeException if {@code offset} is outside {@code [beginning, end]}
     */
    private long checkInRange(long offset, long end, List<Segment> segments) {
        long beginning = Math.max(segments.get(0).base(), partition.logStartOffset());
        if (offset < beginning || offset > end) {
            TopicPartition tp = partition.topicPartition();
            throw new OffsetOutOfRangeException(tp.topic(), tp.partition(), offset, beginning, end);
        }
        return beginning;
    }

    /** {@code out} with {@code batch}'s bytes after its own, grown (doubling) if needed. */
    /**
     * What a read of at most {@code maxBytes} from {@code offset} will most likely return: the
     * bytes stored from the indexed position at or before it to the end of the segments, capped
     * at {@code maxBytes}. Sizing the result buffer once saves the copies of growing it while
     * every batch of a large fetch is added (a batch that does not fit still makes it grow).
     */
    private int expectedBytes(List<Segment> segments, int first, long offset, int maxBytes) {
        long stored = 0;
        for (int i = first; i < segments.size() && stored < maxBytes; i++) {
            Segment segment = segments.get(i);
            SegmentIndex index = i == first ? partition.indexes().get(segment) : null;
            long start = index == null ? SegmentFormat.HEADER_SIZE : index.floorPosition(offset);
            stored += Math.max(0, segment.size() - start);
        }
        return (int) Math.min(stored, maxBytes);
    }

    private static ByteBuffer appendTo(ByteBuffer out, ByteBuffer batch) {
        if (out.remaining() < batch.remaining()) {
            int needed = out.position() + batch.remaining();
            int capacity = (int) Math.max(needed, Math.min(Integer.MAX_VALUE - 8L, 2L * out.capacity()));
            out = ByteBuffer.allocate(capacity).put(out.flip());
        }
        return out.put(batch.duplicate());
    }

    /**
     * Hands the cursor's remaining records to {@code sink} until it is full.
     *
     * @param next the offset reading had reached before
     * @param counters where the records handed over are counted
     * @return the offset reading has reached: past the last record accepted, or past the batch
     *     (up to the cursor's end) once the cursor has no more records
     */
    static long drain(RecordCursor cursor, RecordSink sink, long next, PartitionCounters counters) {
        long handed = 0;
        while (!sink.full() && cursor.next()) {
            sink.accept(cursor);
            next = cursor.offset() + 1;
            handed++;
        }
        counters.readRecords(handed);
        if (!cursor.hasMore()) {
            next = Math.max(next, Math.min(cursor.end(), cursor.lastOffset() + 1));
        }
        return next;
    }

    private static int floorIndex(List<Segment> segments, long offset) {
        int low = 0;
        int high = segments.size() - 1;
        int found = 0;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (segments.get(mid).base() <= offset) {
                found = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return found;
    }

    /** The earliest offset with a timestamp {@code >= timestampMs}, if any. */
    OptionalLong offsetForTime(long timestampMs) {
        long end = partition.visibleEnd();
        long beginning = partition.logStartOffset(); // records below it are deleted
        for (Segment segment : partition.file().segments()) {
            SegmentIndex index = partition.indexes().get(segment);
            if (index != null && index.maxTimestamp() < timestampMs) {
                continue;
            }
            long start = index == null ? SegmentFormat.HEADER_SIZE
                    : index.floorPosition(index.scanStartForTime(timestampMs));
            SegmentScanner scanner = segment.scanner(start).checkCrcs(false);
            long floor = segment.base();
            while (scanner.nextOrThrow()) {
                ByteBuffer batch = scanner.payload();
                boolean sane = saneHeader(batch, floor);
                if (sane) {
                    floor = RecordBatchFormat.lastOffset(batch) + 1;
                    if (RecordBatchFormat.baseOffset(batch) < end && RecordBatchFormat.maxTimestamp(batch) < timestampMs) {
                        continue; // passed over on its framing and header alone
                    }
                }
                checkCrc(scanner, segment, batch, sane);
                if (RecordBatchFormat.baseOffset(batch) >= end) {
                    return OptionalLong.empty();
                }
                if (RecordBatchFormat.maxTimestamp(batch) < timestampMs) {
                    continue;
                }
                for (RecordBatchFormat.Entry e : RecordBatchFormat.decode(batch)) {
                    if (e.timestampMs() >= timestampMs && e.offset() < end && e.offset() >= beginning) {
                        return OptionalLong.of(e.offset());
                    }
                }
            }
        }
        return OptionalLong.empty();
    }

    /**
     * Whether a batch's header can be trusted to pass over the batch without its CRC: well formed
     * ({@link RecordBatchFormat#headerProblem}) and starting at or past {@code floor}, the end of
     * the batch before it (batches of a segment have increasing, non-overlapping ranges).
     */
    private static boolean saneHeader(ByteBuffer batch, long floor) {
        return RecordBatchFormat.headerProblem(batch) == null && RecordBatchFormat.baseOffset(batch) >= floor;
    }

    /**
     * Checks the CRC of the batch at {@code position}, passed over on its header alone, once the
     * offset a read starts from turns out to lie after its last offset and before the next batch
     * read: a gap that compaction leaves, or a damaged last offset delta that hid records wanted.
     */
    private static void checkPassedOver(Segment segment, long position) {
        SegmentScanner scanner = segment.scanner(position).checkCrcs(false);
        if (scanner.nextOrThrow()) {
            checkCrc(scanner, segment, scanner.payload(), RecordBatchFormat.headerProblem(scanner.payload()) == null);
        }
    }

    /**
     * Checks the scanner's current entry (a batch about to be read) against its CRC.
     *
     * @param sane whether its header looks intact, so the error can name the offsets to seek past
     * @throws CorruptFileException naming the file and the batch's position if it does not match
     */
    private static void checkCrc(SegmentScanner scanner, Segment segment, ByteBuffer batch, boolean sane) {
        String problem = scanner.crcProblem();
        if (problem != null) {
            long last = RecordBatchFormat.lastOffset(batch);
            throw new CorruptFileException(segment.path().toString(), scanner.position(), !sane ? problem
                    : problem + "; the batch holds offsets " + RecordBatchFormat.baseOffset(batch) + " to " + last
                            + ", and reads from offset " + (last + 1) + " on pass over it");
        }
    }
}
