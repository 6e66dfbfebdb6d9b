package dev.cairn.log.internal;

import dev.cairn.common.CorruptFileException;
import dev.cairn.common.Durability;
import dev.cairn.common.StorageException;
import dev.cairn.log.ConsumerRecord;
import dev.cairn.log.OffsetOutOfRangeException;
import dev.cairn.log.ProducerRecord;
import dev.cairn.log.RecordTooLargeException;
import dev.cairn.log.TopicConfig;
import dev.cairn.log.TopicPartition;
import dev.cairn.storage.Storage;
import dev.cairn.storage.segment.RecoveryMode;
import dev.cairn.storage.segment.Segment;
import dev.cairn.storage.segment.SegmentFormat;
import dev.cairn.storage.segment.SegmentScanner;
import dev.cairn.storage.segment.SegmentedFile;
import dev.cairn.storage.segment.SegmentedFileOptions;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One partition on disk: a {@link SegmentedFile} of record batches ({@link RecordBatchFormat}),
 * segments named by their base offset, and a {@link SegmentIndex} per segment.
 *
 * <p>Invariants: offsets are contiguous as appended ({@code endOffset()} is one past the last
 * appended offset; compaction may leave gaps below it); segment bases increase and each is
 * {@code <=} the offsets in it; {@code beginningOffset() <= endOffset()}.
 *
 * <p>Appends that do not wait for an fsync go into an {@link OpenBatch}, which reaches the
 * segment as one batch when it is sealed (see there for when); appends with {@code ALWAYS} seal it
 * at once. Offsets are assigned on append, so {@code nextOffset} runs ahead of the published end
 * while the open batch holds records.
 *
 * <p>Thread-safety: appends, seals, rolls, retention and close hold the partition lock (one
 * writer). Readers read the published end offset first and never return records at or past it;
 * they take no lock, except that a reader asking for records only the open batch holds (or for
 * the end offset) seals it first, which costs the writer one batch's copy into the write buffer.
 */
final class PartitionLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionLog.class);
    private static final VarHandle NEXT_OFFSET;

    static {
        try {
            NEXT_OFFSET = MethodHandles.lookup().findVarHandle(PartitionLog.class, "nextOffset", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final TopicPartition topicPartition;
    private final Storage storage;
    private final Path directory;
    private final TopicConfig config;
    private final InstantSource clock;
    private final Runnable appendListener;
    private final SegmentedFile file;
    /** By segment identity: a rewritten segment is a new object, so a reader never pairs it with the old index. */
    private final Map<Segment, SegmentIndex> indexes = new ConcurrentHashMap<>();
    /** The active segment's index; writer only. */
    private SegmentIndex activeIndex;
    /**
     * Log-clock time of the active segment's first append, -1 while it is empty; writer only.
     * Rolling by age measures from here rather than from record timestamps, which callers set.
     */
    private long activeSinceMs = -1;
    private final ReentrantLock lock = new ReentrantLock();
    /** Published after the batch bytes are visible: readers return only offsets below it. */
    private volatile long endOffset;
    /**
     * One past the last offset appended; ahead of {@link #endOffset} while the open batch holds
     * records. Written under the lock with release semantics (through {@link #NEXT_OFFSET}), read
     * by readers with acquire: a reader only compares it with the end to decide to seal, and the
     * records themselves pass to it under the lock, so the full fence of a volatile write, once
     * per append, buys nothing.
     */
    @SuppressWarnings("unused")
    private long nextOffset;
    /** Records appended but not yet handed to the file; guarded by the lock. */
    private final OpenBatch open = new OpenBatch();
    /** Appends wait for an fsync ({@code ALWAYS}), so each seals its batch at once. */
    private final boolean sealEveryAppend;
    /**
     * The size the open batch is sealed at: the target, or less if batches must be smaller than
     * that (maxRecordBytes), or a quarter of a segment, so small segments still roll at about their
     * configured size and retention can drop them whole.
     */
    private final int batchLimit;

    private PartitionLog(TopicPartition topicPartition, Storage storage, Path directory, TopicConfig config,
            InstantSource clock, Runnable appendListener, SegmentedFile file, Durability durability) {
        this.topicPartition = topicPartition;
        this.storage = storage;
        this.directory = directory;
        this.config = config;
        this.clock = clock;
        this.appendListener = appendListener;
        this.file = file;
        this.sealEveryAppend = durability == Durability.ALWAYS;
        this.batchLimit = Math.min(OpenBatch.TARGET_BYTES,
                Math.min(config.maxRecordBytes(), (int) Math.min(config.segmentBytes() / 4, Integer.MAX_VALUE)));
    }

    /**
     * Opens (creating if needed) the partition in {@code directory}: recovers the segments, loads
     * or rebuilds their indexes, and finds the end offset.
     *
     * @throws CorruptFileException if a segment is damaged before its tail (strict recovery), or a
     *     sealed segment is damaged where its index must be rebuilt
     */
    static PartitionLog open(Storage storage, Path directory, TopicPartition tp, TopicConfig config,
            Durability durability, boolean truncateOnCorruption, InstantSource clock, Runnable appendListener) {
        SegmentedFileOptions options = SegmentedFileOptions.defaults(".log")
                .withSegmentBytes(config.segmentBytes())
                .withMaxEntryBytes(Math.max(config.maxRecordBytes(), RecordBatchFormat.HEADER_SIZE + 64))
                .withDurability(durability)
                .withRecoveryMode(truncateOnCorruption ? RecoveryMode.TRUNCATE_AT_CORRUPTION : RecoveryMode.STRICT);
        SegmentedFile file = SegmentedFile.open(storage, directory, options, 0);
        try {
            for (Path leftover : storage.fs().list(directory)) {
                if (leftover.getFileName().toString().endsWith(SegmentedFile.REPLACEMENT_SUFFIX)) {
                    storage.fs().delete(leftover); // a compaction cut short; the original segment stands
                }
            }
            PartitionLog partition = new PartitionLog(tp, storage, directory, config, clock, appendListener, file,
                    durability);
            partition.loadIndexes();
            if (!partition.sealEveryAppend) {
                file.beforeBackgroundFlush(partition::sealIfOpen);
            }
            return partition;
        } catch (IOException e) {
            file.close();
            throw new StorageException("cannot open " + directory + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }

    private void loadIndexes() {
        List<Segment> segments = file.segments();
        boolean crashed = file.recovery().scanned();
        for (int i = 0; i < segments.size(); i++) {
            Segment segment = segments.get(i);
            boolean active = i == segments.size() - 1;
            SegmentIndex index = active && crashed ? null
                    : SegmentIndex.load(storage.fs(), directory, segment, config.indexIntervalBytes());
            if (index == null) {
                index = SegmentIndex.rebuild(segment, config.indexIntervalBytes());
                if (!active) {
                    LOG.info("rebuilt the indexes of {}", segment.path());
                    index.write(storage.fs(), directory);
                }
            }
            indexes.put(segment, index);
        }
        activeIndex = indexes.get(file.active());
        endOffset = activeIndex.nextOffset();
        NEXT_OFFSET.setRelease(this, endOffset);
        if (!file.active().isEmpty()) {
            // The first append's time is not stored; its record timestamp is the best estimate.
            activeSinceMs = Math.min(Math.max(activeIndex.firstTimestamp(), 0), clock.millis());
        }
    }

    TopicPartition topicPartition() {
        return topicPartition;
    }

    TopicConfig config() {
        return config;
    }

    /** One past the last offset appended (sealing the open batch, so reads reach it). */
    long endOffset() {
        sealIfOpen();
        return endOffset;
    }

    long beginningOffset() {
        return file.segments().get(0).base();
    }

    long sizeBytes() {
        return file.sizeBytes();
    }

    int segmentCount() {
        return file.segments().size();
    }

    /** Result of encoding: the encoded size check happens before any write. */
    static int encodedSize(List<ProducerRecord> records) {
        long size = RecordBatchFormat.HEADER_SIZE;
        // Indexed: the append path allocates nothing it can avoid (an iterator per call shows up
        // as page faults on fresh heap at a million appends a second).
        for (int i = 0; i < records.size(); i++) {
            ProducerRecord r = records.get(i);
            size += RecordBatchFormat.recordSize(r.key(), r.value(), r.headers());
        }
        return (int) Math.min(size, Integer.MAX_VALUE);
    }

    /**
     * Appends {@code records} as one batch with contiguous offsets; returns once durable per the
     * policy. Timestamps: the record's own, or {@code nowMs}.
     *
     * @return the base offset of the batch
     * @throws RecordTooLargeException if the batch exceeds maxRecordBytes; nothing is written
     */
    long append(List<ProducerRecord> records, long nowMs) {
        int size = checkSize(encodedSize(records), records.size());
        long base;
        long mark;
        lock.lock();
        try {
            base = reserve(size, nowMs);
            for (int i = 0; i < records.size(); i++) {
                ProducerRecord r = records.get(i);
                open.add(r.timestampMs() != null ? r.timestampMs() : nowMs, r.key(), r.value(), r.headers());
            }
            mark = appended(records.size());
        } finally {
            lock.unlock();
        }
        appendListener.run();
        file.awaitDurable(mark);
        return base;
    }

    /**
     * Appends one record without headers, timestamped {@code timestampMs} (the log clock's now);
     * the path of {@link dev.cairn.log.Appender}, which allocates nothing.
     *
     * @return the record's offset
     * @throws RecordTooLargeException if the record exceeds maxRecordBytes; nothing is written
     */
    long append(byte[] key, byte[] value, long timestampMs) {
        int size = checkSize(RecordBatchFormat.HEADER_SIZE + RecordBatchFormat.recordSize(key, value, List.of()), 1);
        long base;
        long mark;
        lock.lock();
        try {
            base = reserve(size, timestampMs);
            open.add(timestampMs, key, value, List.of());
            mark = appended(1);
        } finally {
            lock.unlock();
        }
        appendListener.run();
        file.awaitDurable(mark);
        return base;
    }

    private int checkSize(int size, int count) {
        if (size > config.maxRecordBytes()) {
            throw new RecordTooLargeException("batch of " + count + " records to " + topicPartition
                    + " encodes to " + size + " bytes, more than maxRecordBytes " + config.maxRecordBytes());
        }
        return size;
    }

    /**
     * Makes room in the open batch for an append that encodes to {@code batchBytes} (as a batch of
     * its own, header included) and returns the append's first offset. Seals the open batch first
     * if the append would take it past the limit, or if the log clock has moved on since it was
     * opened: then a roll by age sees each record's append time, and a batch never holds appends
     * from two milliseconds. Lock held.
     *
     * @throws dev.cairn.common.ClosedException if the partition is closed
     * @throws StorageException if an earlier write failed
     */
    private long reserve(int batchBytes, long nowMs) {
        if (!open.isEmpty()
                && (open.size() + batchBytes - RecordBatchFormat.HEADER_SIZE > batchLimit || nowMs != open.openedAtMs())) {
            sealLocked();
        }
        if (open.isEmpty()) {
            file.checkWritable();
            open.open(nextOffset, nowMs, Math.max(batchBytes, batchLimit));
        }
        return nextOffset; // the writer's own field: a plain read
    }

    /**
     * Publishes {@code count} records just added to the open batch, sealing it if it is full or
     * the append waits for an fsync. Lock held.
     *
     * @return the mark to await for durability
     */
    private long appended(int count) {
        NEXT_OFFSET.setRelease(this, nextOffset + count);
        if (sealEveryAppend || open.size() >= batchLimit) {
            sealLocked();
        }
        return file.writtenMark();
    }

    /**
     * Hands the open batch, if it holds records, to the file, so readers, write-outs and fsyncs
     * reach them. Any thread: readers call it (through {@link #endOffset()} and {@link #read}),
     * and the background flusher before each write-out.
     */
    void sealIfOpen() {
        if ((long) NEXT_OFFSET.getAcquire(this) == endOffset) {
            return;
        }
        lock.lock();
        try {
            sealLocked();
        } finally {
            lock.unlock();
        }
    }

    /** Writes the open batch to the file, indexes and publishes it. Lock held. */
    private void sealLocked() {
        if (open.isEmpty()) {
            return;
        }
        long base = open.base();
        int count = open.count();
        long openedAtMs = open.openedAtMs();
        ByteBuffer batch = open.seal();
        int size = batch.remaining();
        maybeRoll(size, openedAtMs);
        long maxTs = RecordBatchFormat.maxTimestamp(batch);
        long position = file.append(batch);
        activeIndex.onAppend(base, base + count - 1, maxTs, position, size + SegmentFormat.FRAME_OVERHEAD,
                config.indexIntervalBytes());
        endOffset = base + count;
    }

    /** Rolls when the batch would overflow the segment, or the segment is older than segmentMs. Lock held. */
    private void maybeRoll(int batchBytes, long nowMs) {
        boolean tooOld = activeSinceMs >= 0 && nowMs - activeSinceMs >= config.segmentMs();
        if (file.shouldRoll(batchBytes) || tooOld) {
            roll();
        }
        if (activeSinceMs < 0) {
            activeSinceMs = nowMs;
        }
    }

    private void roll() {
        SegmentIndex old = activeIndex;
        old.seal();
        long base = endOffset;
        SegmentIndex fresh = new SegmentIndex(base);
        indexes.put(file.roll(base), fresh);
        activeIndex = fresh;
        activeSinceMs = -1;
        // After the roll fsynced the old segment: its indexes describe durable data.
        old.write(storage.fs(), directory);
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
        long end = endOffset();
        List<Segment> segments = file.segments();
        long beginning = segments.get(0).base();
        if (offset < beginning || offset > end) {
            throw new OffsetOutOfRangeException(topicPartition.topic(), topicPartition.partition(), offset,
                    beginning, end);
        }
        cursor.clear();
        if (offset == end) {
            return end;
        }
        int i = floorIndex(segments, offset);
        long next = offset;
        for (; i < segments.size() && !sink.full() && next < end; i++) {
            Segment segment = segments.get(i);
            SegmentIndex index = indexes.get(segment);
            // No index: the segment was just rolled in or rewritten; scan it from its start.
            long start = index == null ? SegmentFormat.HEADER_SIZE : index.floorPosition(next);
            SegmentScanner scanner = segment.scanner(start, chunk).checkCrcs(checkCrcs);
            while (!sink.full() && scanner.nextOrThrow()) {
                ByteBuffer batch = scanner.payload();
                if (RecordBatchFormat.baseOffset(batch) >= end) {
                    break;
                }
                if (RecordBatchFormat.lastOffset(batch) < next) {
                    continue;
                }
                cursor.reset(topicPartition, batch, scanner.buffer(), next, end, segment.path().toString(),
                        scanner.position());
                next = drain(cursor, sink, next);
                if (cursor.hasMore()) {
                    return next;
                }
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
     * Hands the cursor's remaining records to {@code sink} until it is full.
     *
     * @param next the offset reading had reached before
     * @return the offset reading has reached: past the last record accepted, or past the batch
     *     (up to the cursor's end) once the cursor has no more records
     */
    static long drain(RecordCursor cursor, RecordSink sink, long next) {
        while (!sink.full() && cursor.next()) {
            sink.accept(cursor);
            next = cursor.offset() + 1;
        }
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
        long end = endOffset();
        for (Segment segment : file.segments()) {
            SegmentIndex index = indexes.get(segment);
            if (index != null && index.maxTimestamp() < timestampMs) {
                continue;
            }
            long start = index == null ? SegmentFormat.HEADER_SIZE
                    : index.floorPosition(index.scanStartForTime(timestampMs));
            SegmentScanner scanner = segment.scanner(start);
            while (scanner.nextOrThrow()) {
                ByteBuffer batch = scanner.payload();
                if (RecordBatchFormat.baseOffset(batch) >= end) {
                    return OptionalLong.empty();
                }
                if (RecordBatchFormat.maxTimestamp(batch) < timestampMs) {
                    continue;
                }
                for (RecordBatchFormat.Entry e : RecordBatchFormat.decode(batch)) {
                    if (e.timestampMs() >= timestampMs && e.offset() < end) {
                        return OptionalLong.of(e.offset());
                    }
                }
            }
        }
        return OptionalLong.empty();
    }

    /**
     * Applies the delete policy: drops whole sealed segments whose newest record is older than
     * retentionMs, then oldest segments while the partition is larger than retentionBytes. The
     * active segment is never deleted.
     *
     * @return segments deleted
     */
    int applyRetention(long nowMs) {
        lock.lock();
        try {
            sealLocked(); // so the sizes and segments judged include every append so far
            List<Segment> segments = file.segments();
            int drop = 0;
            long total = file.sizeBytes();
            while (drop < segments.size() - 1) {
                Segment segment = segments.get(drop);
                SegmentIndex index = indexes.get(segment);
                boolean expired = config.retentionMs() >= 0 && index != null
                        && index.maxTimestamp() < nowMs - config.retentionMs();
                boolean oversize = config.retentionBytes() >= 0 && total > config.retentionBytes();
                if (!expired && !oversize) {
                    break;
                }
                total -= segment.size();
                drop++;
            }
            if (drop == 0) {
                return 0;
            }
            long newStart = segments.get(drop).base();
            int deleted = file.deleteSegmentsBelow(newStart);
            for (int i = 0; i < drop; i++) {
                long base = segments.get(i).base();
                indexes.remove(segments.get(i));
                try {
                    SegmentIndex.deleteFiles(storage.fs(), directory, base);
                } catch (IOException e) {
                    throw new StorageException("cannot delete the indexes of segment " + base + " in " + directory
                            + ": " + e.getMessage(), e);
                }
            }
            LOG.debug("retention deleted {} segments of {}; it now starts at offset {}", deleted, topicPartition,
                    newStart);
            return deleted;
        } finally {
            lock.unlock();
        }
    }

    /** Publishes a compacted segment and its rebuilt indexes. Takes the lock for the swap only. */
    void swapIn(SegmentedFile.Replacement replacement) {
        lock.lock();
        try {
            SegmentIndex oldIndex = indexes.get(replacement.old());
            Segment fresh = file.commitReplacement(replacement);
            SegmentIndex index = SegmentIndex.rebuild(fresh, config.indexIntervalBytes());
            if (oldIndex != null) {
                index.keepMaxTimestamp(oldIndex.maxTimestamp());
            }
            index.seal();
            indexes.put(fresh, index);
            indexes.remove(replacement.old());
            index.write(storage.fs(), directory);
        } finally {
            lock.unlock();
        }
    }

    SegmentedFile file() {
        return file;
    }

    Map<Segment, SegmentIndex> indexes() {
        return indexes;
    }

    Storage storage() {
        return storage;
    }

    ReentrantLock lock() {
        return lock;
    }

    Path directory() {
        return directory;
    }

    InstantSource clock() {
        return clock;
    }

    /** Writes the active segment's indexes and closes the file cleanly. Idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (file.isClosed()) {
                return;
            }
            try {
                sealLocked();
                file.sync();
                activeIndex.write(storage.fs(), directory);
            } finally {
                file.close();
            }
        } finally {
            lock.unlock();
        }
    }
}
