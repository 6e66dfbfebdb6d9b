package dev.cairn.log.internal;

import dev.cairn.common.CorruptFileException;
import dev.cairn.common.Durability;
import dev.cairn.common.StorageException;
import dev.cairn.log.InvalidBatchException;
import dev.cairn.log.NotLeaderException;
import dev.cairn.log.OffsetOutOfRangeException;
import dev.cairn.log.ProducerRecord;
import dev.cairn.log.RecordMetadata;
import dev.cairn.log.RecordTooLargeException;
import dev.cairn.log.TimestampType;
import dev.cairn.log.TopicConfig;
import dev.cairn.log.TopicPartition;
import dev.cairn.log.internal.replica.EpochEndOffset;
import dev.cairn.storage.AtomicFile;
import dev.cairn.storage.GroupCommit;
import dev.cairn.storage.Storage;
import dev.cairn.storage.segment.RecoveryMode;
import dev.cairn.storage.segment.Segment;
import dev.cairn.storage.segment.SegmentFormat;
import dev.cairn.storage.segment.SegmentedFile;
import dev.cairn.storage.segment.SegmentedFileOptions;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One partition on disk: a {@link SegmentedFile} of record batches ({@link RecordBatchFormat}),
 * segments named by their base offset, and a {@link SegmentIndex} per segment.
 *
 * <p>Invariants: offsets are contiguous as appended ({@code endOffset()} is one past the last
 * appended offset; compaction may leave gaps below it); segment bases increase and each is
 * {@code <=} the offsets in it; {@code beginningOffset() <= endOffset()}. The beginning offset is
 * the larger of the first segment's base and the log start offset that {@link #deleteRecordsBefore}
 * sets ({@link LogStartOffsetFormat}); no read returns a record below it.
 *
 * <p>Appends that do not wait for an fsync go into an {@link OpenBatch}, which reaches the
 * segment as one batch when it is sealed (see there for when); appends with {@code ALWAYS} seal it
 * at once. Offsets are assigned on append, so {@code nextOffset} runs ahead of the published end
 * while the open batch holds records.
 *
 * <p>Replication ({@link PartitionReplicaLog}): a copy that leads an epoch stamps it on every
 * batch it writes, whatever the append path; a follower appends its leader's batches unchanged;
 * both record epochs in a {@link LeaderEpochCache}. Once a leader or follower, the partition's
 * consumer-facing reads stop at its {@link HighWatermark}; before that, nothing of this costs an
 * append anything (the stamp is a plain field, -1, and no volatile is written).
 *
 * <p>Thread-safety: appends, seals, rolls, retention and close hold the partition lock (one
 * writer). Reads ({@link PartitionReader}) take the published end offset first and never return
 * records at or past it; they take no lock, except that a read (or a call for the end offset)
 * that finds records in the open batch seals it first, under the lock: work the writer would do
 * anyway, one copy of the batch into the write buffer.
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
    /** Replaced under the lock by {@link #reconfigure}; volatile for maintenance and readers of settings. */
    private volatile TopicConfig config;
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
    /** Kafka's log start offset: records below it are deleted; written under the lock. */
    private volatile long logStartOffset;
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
    private final PartitionReader reader = new PartitionReader(this);
    private final PartitionCounters counters = new PartitionCounters();
    /** Appends wait for an fsync ({@code ALWAYS}), so each seals its batch at once. */
    private final boolean sealEveryAppend;
    /**
     * The size the open batch is sealed at: the target, or less if batches must be smaller than
     * that (maxRecordBytes), or a quarter of a segment, so small segments still roll at about their
     * configured size and retention can drop them whole.
     */
    private int batchLimit; // guarded by the lock
    /** The epoch new batches are stamped with: the one this copy leads, else none; guarded by the lock. */
    private int leaderEpoch = RecordBatchFormat.NO_LEADER_EPOCH;
    /** Whether this copy follows a leader: then only the leader's batches are appended; guarded by the lock. */
    private boolean following;
    private LeaderEpochCache epochs;
    /** Bounds consumers' reads once replicated: one volatile read per read, nothing per append. */
    private final HighWatermark highWatermark;

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
        this.batchLimit = batchLimit(config);
        this.highWatermark = new HighWatermark(storage.fs(), directory);
    }

    private static int batchLimit(TopicConfig config) {
        return Math.min(OpenBatch.TARGET_BYTES,
                Math.min(config.maxRecordBytes(), (int) Math.min(config.segmentBytes() / 4, Integer.MAX_VALUE)));
    }

    /** The largest stored entry the segments accept: a batch of maxRecordBytes, or an empty batch's worth more. */
    private static int maxEntryBytes(TopicConfig config) {
        return Math.max(config.maxRecordBytes(), RecordBatchFormat.HEADER_SIZE + 64);
    }

    /**
     * Applies a live topic's changed settings from the next append on: the open batch is sealed
     * under the old ones, then sizes, rolling, retention and indexing follow the new ones.
     * Segments already written are not rewritten.
     */
    void reconfigure(TopicConfig changed) {
        lock.lock();
        try {
            sealLocked();
            config = changed;
            batchLimit = batchLimit(changed);
            file.changeLimits(changed.segmentBytes(), maxEntryBytes(changed));
        } finally {
            lock.unlock();
        }
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
                .withMaxEntryBytes(maxEntryBytes(config))
                .withDurability(durability)
                .withCompanionSuffixes(List.of(OffsetIndexFormat.SUFFIX, TimeIndexFormat.SUFFIX))
                .withRecoveryMode(truncateOnCorruption ? RecoveryMode.TRUNCATE_AT_CORRUPTION : RecoveryMode.STRICT);
        SegmentedFile file = SegmentedFile.open(storage, directory, options, 0);
        try {
            PartitionLog partition = new PartitionLog(tp, storage, directory, config, clock, appendListener, file,
                    durability);
            partition.loadIndexes();
            partition.loadLogStartOffset();
            partition.loadReplicaState();
            if (!partition.sealEveryAppend) {
                file.beforeBackgroundFlush(partition::sealIfOpen);
            }
            return partition;
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

    private void loadLogStartOffset() {
        Path path = directory.resolve(LogStartOffsetFormat.FILE_NAME);
        long stored = AtomicFile.read(storage.fs(), path, LogStartOffsetFormat.MAGIC, LogStartOffsetFormat.VERSION)
                .map(b -> LogStartOffsetFormat.decode(path.toString(), b)).orElse(0L);
        if (stored > endOffset) {
            // Records up to it were deleted but the tail after them was lost (a policy without
            // fsync, or a truncation at corruption): nothing is left below the end to hide.
            LOG.warn("{}: log start offset {} is past the end offset {} after recovery; starting at the end",
                    topicPartition, stored, endOffset);
            stored = endOffset;
        }
        logStartOffset = stored;
    }

    /**
     * Loads the leader epochs (dropping those that start past the end: a tail recovery cut off)
     * and, for a partition replicated before, its high watermark.
     */
    private void loadReplicaState() {
        epochs = LeaderEpochCache.load(storage.fs(), directory, file.segments());
        epochs.truncateFromEnd(endOffset + 1);
        highWatermark.load(beginningOffset(), endOffset);
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

    /**
     * One past the last offset appended, the open batch's records included, without sealing it:
     * what an append's listener may read on every append, where {@link #endOffset()} would seal
     * each batch as soon as it opened. A reader of these records still seals first.
     */
    long appendedOffset() {
        return (long) NEXT_OFFSET.getAcquire(this);
    }

    /**
     * The end of what consumers may read: the end offset, or the high watermark below it once the
     * partition is replicated (sealing the open batch as {@link #endOffset()} does).
     */
    long visibleEnd() {
        return Math.min(endOffset(), highWatermark.limit());
    }

    /** {@code end} (an end offset read before) bounded by the high watermark, for a read. */
    long boundByHighWatermark(long end) {
        return Math.min(end, highWatermark.limit());
    }

    /**
     * {@link #appendedOffset()} bounded by the high watermark: what an append's listener tells
     * consumers waiting for records.
     */
    long visibleAppendedOffset() {
        return Math.min(appendedOffset(), highWatermark.limit());
    }

    long beginningOffset() {
        return Math.max(file.segments().get(0).base(), logStartOffset);
    }

    /** The offset below which records were deleted by {@link #deleteRecordsBefore}, 0 if never. */
    long logStartOffset() {
        return logStartOffset;
    }

    /**
     * Kafka's {@code deleteRecords}: moves the beginning offset up to {@code offset}, durably (the
     * {@link LogStartOffsetFormat} file is replaced before anything else changes), then deletes
     * the segments wholly below it (the active segment stays). An offset at or below the
     * beginning changes nothing.
     *
     * @return the beginning offset afterwards (Kafka's low watermark)
     * @throws OffsetOutOfRangeException if {@code offset} is negative or past the end offset
     */
    long deleteRecordsBefore(long offset) {
        lock.lock();
        try {
            sealLocked();
            long beginning = beginningOffset();
            if (offset < 0 || offset > endOffset) {
                throw new OffsetOutOfRangeException(topicPartition.topic(), topicPartition.partition(), offset,
                        beginning, endOffset);
            }
            if (offset <= beginning) {
                return beginning;
            }
            AtomicFile.write(storage.fs(), directory.resolve(LogStartOffsetFormat.FILE_NAME), LogStartOffsetFormat.MAGIC,
                    LogStartOffsetFormat.VERSION, LogStartOffsetFormat.encode(offset));
            logStartOffset = offset;
            epochs.truncateFromStart(offset);
            highWatermark.keepAtLeast(offset);
            List<Segment> segments = file.segments();
            int drop = 0;
            while (drop < segments.size() - 1 && segments.get(drop + 1).base() <= offset) {
                drop++;
            }
            if (drop > 0) {
                file.deleteSegmentsBelow(segments.get(drop).base()); // with their index files
                for (int i = 0; i < drop; i++) {
                    indexes.remove(segments.get(i));
                }
            }
            LOG.debug("deleted the records of {} below offset {} ({} segments)", topicPartition, offset, drop);
            return offset;
        } finally {
            lock.unlock();
        }
    }

    long sizeBytes() {
        return file.sizeBytes();
    }

    int segmentCount() {
        return file.segments().size();
    }

    /** The topic's timestamp type now: what an append that starts now is stored under. */
    TimestampType timestampType() {
        return config.timestampType();
    }

    /**
     * A record's timestamp as stored under {@code type}: its own, or {@code nowMs} if it has none;
     * {@code nowMs} whatever it has under LogAppendTime.
     */
    static long timestampOf(ProducerRecord r, long nowMs, TimestampType type) {
        return type == TimestampType.CREATE_TIME && r.timestampMs() != null ? r.timestampMs() : nowMs;
    }

    /**
     * The exact size of {@code records} encoded as a batch of their own, which is what
     * maxRecordBytes is checked against before any write, with timestamps as stored under {@code type}.
     *
     * @throws RecordTooLargeException if it exceeds maxRecordBytes
     */
    int checkedSize(List<ProducerRecord> records, long nowMs, TimestampType type) {
        return checkSize(encodedSize(records, nowMs, type), records.size());
    }

    private static int encodedSize(List<ProducerRecord> records, long nowMs, TimestampType type) {
        long size = RecordBatchFormat.HEADER_SIZE;
        long first = 0;
        // Indexed: the append path allocates nothing it can avoid (an iterator per call shows up
        // as page faults on fresh heap at a million appends a second).
        for (int i = 0; i < records.size(); i++) {
            ProducerRecord r = records.get(i);
            long ts = timestampOf(r, nowMs, type);
            if (i == 0) {
                first = ts;
            }
            size += RecordBatchFormat.recordSize(r.key(), r.value(), r.headers(), i, ts - first);
        }
        return (int) Math.min(size, Integer.MAX_VALUE);
    }

    /**
     * Appends {@code records} as one batch with contiguous offsets; returns once durable per the
     * policy. Timestamps as {@link #timestampOf} gives them under {@code type}, the topic's
     * {@link #timestampType()} when the append began (a change of the topic's type since then
     * applies from the next append), which the batch is also marked with.
     *
     * @return the base offset of the batch
     * @throws RecordTooLargeException if the batch exceeds maxRecordBytes; nothing is written
     */
    long append(List<ProducerRecord> records, long nowMs, TimestampType type) {
        return append(records, nowMs, type, checkedSize(records, nowMs, type));
    }

    /** {@link #append(List, long, TimestampType)} of records whose size {@link #checkedSize} has already checked. */
    long append(List<ProducerRecord> records, long nowMs, TimestampType type, int checkedSize) {
        return append(records, nowMs, type, checkedSize, null, null, false);
    }

    /**
     * {@link #append(List, long, TimestampType)} on a copy that must lead: checked under the lock
     * that orders it with {@link #becomeReplica}, so the batch carries the epoch it was accepted in.
     *
     * @throws dev.cairn.log.NotLeaderException if the copy does not lead an epoch
     */
    long appendAsLeader(List<ProducerRecord> records, long nowMs, TimestampType type) {
        return append(records, nowMs, type, checkedSize(records, nowMs, type), null, null, true);
    }

    /**
     * {@link #append(List, long, TimestampType)} without waiting for durability: writes the batch (readable on
     * return) and has {@code done} told when it is as durable as the policy promises, with null,
     * or with the failure of the fsync that should have covered it. Under {@code ALWAYS} the fsync
     * runs on {@code syncer}, shared with every other append waiting for one.
     *
     * @return the base offset of the batch
     * @throws RecordTooLargeException if the batch exceeds maxRecordBytes; nothing is written
     */
    long appendAsync(List<ProducerRecord> records, long nowMs, TimestampType type, Executor syncer,
            GroupCommit.DurableCallback done) {
        return append(records, nowMs, type, checkedSize(records, nowMs, type), syncer,
                Objects.requireNonNull(done, "done"), false);
    }

    /**
     * Adds checked records to the open batch and publishes them; then waits until they are
     * durable if {@code done} is null, else has {@code done} told then (see {@link #appendAsync}).
     * With {@code leaderOnly}, refuses unless the copy leads an epoch.
     */
    private long append(List<ProducerRecord> records, long nowMs, TimestampType type, int checkedSize,
            Executor syncer, GroupCommit.DurableCallback done, boolean leaderOnly) {
        long base;
        long mark;
        lock.lock();
        try {
            if (leaderOnly && leaderEpoch == RecordBatchFormat.NO_LEADER_EPOCH) {
                throw new NotLeaderException(topicPartition + " is not led by this copy");
            }
            base = reserve(checkedSize + RecordBatchFormat.JOIN_SLACK * records.size(), nowMs, false,
                    type == TimestampType.LOG_APPEND_TIME);
            for (int i = 0; i < records.size(); i++) {
                ProducerRecord r = records.get(i);
                open.add(timestampOf(r, nowMs, type), r.key(), r.value(), r.headers());
            }
            counters.appendedRecords(records.size());
            mark = appended(records.size());
        } finally {
            lock.unlock();
        }
        appendListener.run();
        if (done == null) {
            file.awaitDurable(mark);
        } else {
            file.whenDurable(mark, syncer, done);
        }
        return base;
    }

    /**
     * Appends one record without headers, the path of {@link dev.cairn.log.Appender}, which
     * allocates nothing and reads no clock: the record joins a batch stamped at seal
     * ({@link OpenBatch}), so it carries the log clock's time when its batch is written (after
     * the append began, before any reader could see it). The batch is marked with the topic's
     * timestamp type: the record has no time of its own, so under CreateTime that time stands for
     * its creation, as a producer's clock would.
     *
     * @return the record's offset
     * @throws RecordTooLargeException if the record exceeds maxRecordBytes; nothing is written
     */
    long append(byte[] key, byte[] value) {
        int size = checkSize(RecordBatchFormat.HEADER_SIZE + RecordBatchFormat.recordSize(key, value, List.of(), 0, 0), 1);
        long base;
        long mark;
        lock.lock();
        try {
            // No JOIN_SLACK: in a batch stamped at seal every record's timestamp delta is 0, as
            // alone; only its offset delta may take more bytes.
            base = reserve(size + RecordBatchFormat.OFFSET_SLACK, 0, true,
                    config.timestampType() == TimestampType.LOG_APPEND_TIME);
            open.addStampedAtSeal(key, value);
            counters.appendedRecords(1);
            mark = appended(1);
        } finally {
            lock.unlock();
        }
        appendListener.run();
        file.awaitDurable(mark);
        return base;
    }

    /**
     * Appends a producer's batch as it is ({@link dev.cairn.log.Log#appendBatch}), after the
     * records of earlier appends, whose open batch is written first; returns once durable per the
     * policy. Under the topic's LogAppendTime the batch is stamped with the log clock's time first
     * ({@link RecordBatchFormat#stampLogAppendTime}); under CreateTime a batch that came marked
     * LogAppendTime is marked CreateTime ({@link RecordBatchFormat#markCreateTime}), as Kafka's
     * broker rewrites them.
     *
     * @param batch a copy the partition may change (its base offset is set) that
     *              {@link RecordBatchFormat#producerBatchProblem} accepted, from index 0
     * @return the batch's base offset and its time: the stamp under LogAppendTime, else its max timestamp
     * @throws RecordTooLargeException if the batch exceeds maxRecordBytes; nothing is written
     */
    RecordMetadata appendBatch(ByteBuffer batch) {
        int count = RecordBatchFormat.recordCount(batch);
        int size = checkSize(batch.remaining(), count);
        long base;
        long mark;
        long maxTs;
        TimestampType type;
        lock.lock();
        try {
            sealLocked();
            checkNotFollowing();
            file.checkWritable();
            base = nextOffset;
            RecordBatchFormat.assignBaseOffset(batch, base, leaderEpoch);
            long nowMs = clock.millis();
            type = config.timestampType();
            if (type == TimestampType.LOG_APPEND_TIME) {
                RecordBatchFormat.stampLogAppendTime(batch, nowMs);
            } else if (RecordBatchFormat.isLogAppendTime(batch)) {
                RecordBatchFormat.markCreateTime(batch);
            }
            maxTs = RecordBatchFormat.maxTimestamp(batch);
            maybeRoll(size, nowMs);
            long position = file.append(batch);
            activeIndex.onAppend(base, base + count - 1, maxTs, position, size + SegmentFormat.FRAME_OVERHEAD,
                    config.indexIntervalBytes());
            NEXT_OFFSET.setRelease(this, base + count);
            endOffset = base + count;
            counters.appendedRecords(count);
            counters.appendedBytes(size);
            mark = file.writtenMark();
        } finally {
            lock.unlock();
        }
        appendListener.run();
        file.awaitDurable(mark);
        return new RecordMetadata(topicPartition.topic(), topicPartition.partition(), base, maxTs, type);
    }

    private int checkSize(int size, int count) {
        if (size > config.maxRecordBytes()) {
            throw new RecordTooLargeException("batch of " + count + " records to " + topicPartition
                    + " encodes to " + size + " bytes, more than maxRecordBytes " + config.maxRecordBytes());
        }
        return size;
    }

    /**
     * Makes room in the open batch for an append that encodes to at most {@code batchBytes} (as a
     * batch of its own, header included, plus what joining another batch may add: see
     * {@link RecordBatchFormat#JOIN_SLACK}) and returns the append's first offset. Seals the open
     * batch first if the append would take it past the limit, if its timestamp mode differs
     * ({@code stampAtSeal}) or its timestamp type ({@code logAppendTime}), or, for records stamped per append, if the log clock has moved on
     * since it was opened: then a roll by age sees each record's append time, and such a batch
     * never holds appends from two milliseconds. Lock held.
     *
     * @param nowMs the log clock's time of a per-record-stamped append; unused if {@code stampAtSeal}
     * @param logAppendTime whether the append's records are stored under LogAppendTime
     * @throws dev.cairn.common.ClosedException if the partition is closed
     * @throws StorageException if an earlier write failed
     */
    private long reserve(int batchBytes, long nowMs, boolean stampAtSeal, boolean logAppendTime) {
        if (!open.isEmpty()
                && (open.size() + batchBytes - RecordBatchFormat.HEADER_SIZE > batchLimit
                        || open.stampsAtSeal() != stampAtSeal
                        || open.logAppendTime() != logAppendTime
                        || (!stampAtSeal && nowMs != open.openedAtMs()))) {
            sealLocked();
        }
        if (open.isEmpty()) {
            // Checked only when a batch opens: becoming a follower seals the open batch.
            checkNotFollowing();
            file.checkWritable();
            open.open(nextOffset, nowMs, Math.max(batchBytes, batchLimit), stampAtSeal, logAppendTime, leaderEpoch);
        }
        return nextOffset; // the writer's own field: a plain read
    }

    /** Refuses an append of the log's own (not a leader's batch) to a follower. Lock held. */
    private void checkNotFollowing() {
        if (following) {
            throw new NotLeaderException(topicPartition + ": this copy follows another; appends go to the leader");
        }
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
     * reach them. Any thread: readers call it (through {@link #endOffset()}, which every
     * {@link PartitionReader} read starts with), and the background flusher before each
     * write-out.
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
        // The batch's time: its first append's, or, stamped at seal, the one clock read it costs.
        long batchMs = open.stampsAtSeal() ? clock.millis() : open.openedAtMs();
        ByteBuffer batch = open.seal(batchMs);
        int size = batch.remaining();
        maybeRoll(size, batchMs);
        long maxTs = RecordBatchFormat.maxTimestamp(batch);
        long position = file.append(batch);
        activeIndex.onAppend(base, base + count - 1, maxTs, position, size + SegmentFormat.FRAME_OVERHEAD,
                config.indexIntervalBytes());
        endOffset = base + count;
        counters.appendedBytes(size);
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

    /** Whether the active segment holds records, all older than retentionMs at {@code nowMs}. */
    private boolean activeExpired(long nowMs) {
        return config.retentionMs() >= 0 && endOffset > file.segments().get(file.segments().size() - 1).base()
                && activeIndex.maxTimestamp() < nowMs - config.retentionMs();
    }

    /**
     * Starts a maintenance round: closes the files of the segments the previous rounds removed
     * (readers have had a whole round to finish with them; see {@link SegmentedFile#closeRetired}).
     */
    void startMaintenanceRound() {
        lock.lock();
        try {
            if (!file.isClosed()) {
                file.closeRetired();
                highWatermark.checkpoint();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Applies the delete policy: drops whole segments, oldest first, while the oldest one's newest
     * record is older than retentionMs or the partition is larger than retentionBytes. As in Kafka,
     * when every record, the active segment's included, is past retentionMs, the active segment is
     * rolled first so that it goes too: the partition is then empty from its unchanged end offset,
     * and a topic that stops receiving records does not keep its last ones for ever. Size alone
     * never removes the active segment.
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
            if (drop == segments.size() - 1 && activeExpired(nowMs)) {
                roll();
                segments = file.segments();
                drop = segments.size() - 1;
            }
            if (drop == 0) {
                return 0;
            }
            long newStart = segments.get(drop).base();
            int deleted = file.deleteSegmentsBelow(newStart); // with their index files
            epochs.truncateFromStart(beginningOffset());
            highWatermark.keepAtLeast(beginningOffset());
            for (int i = 0; i < drop; i++) {
                indexes.remove(segments.get(i));
            }
            LOG.debug("retention deleted {} segments of {}; it now starts at offset {}", deleted, topicPartition,
                    newStart);
            return deleted;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Puts a compacted segment in place of the segments it replaces, with {@code index}, its
     * indexes as built while it was written (they take the replaced segments' greatest timestamp,
     * so the merged segment keeps their age). Takes the lock for the swap only.
     */
    void swapIn(SegmentedFile.Replacement replacement, SegmentIndex index) {
        lock.lock();
        try {
            for (Segment old : replacement.old()) {
                SegmentIndex oldIndex = indexes.get(old);
                if (oldIndex != null) {
                    index.keepMaxTimestamp(oldIndex.maxTimestamp());
                }
            }
            Segment fresh = file.commitReplacement(replacement);
            if (fresh != null) {
                index.seal();
                indexes.put(fresh, index);
                index.write(storage.fs(), directory);
            }
            replacement.old().forEach(indexes::remove);
        } finally {
            lock.unlock();
        }
    }

    boolean isReplicated() {
        return highWatermark.isReplicated();
    }

    /** The high watermark; the end offset while the partition is not replicated. */
    long highWatermark() {
        long hw = highWatermark.limit();
        return hw == HighWatermark.NOT_REPLICATED ? endOffset() : hw;
    }

    /**
     * Moves the high watermark of a replicated partition to {@code offset} clamped to
     * {@code [beginning, end]}; an advance wakes consumers waiting for records.
     *
     * @throws IllegalStateException if the partition is not replicated
     */
    void highWatermark(long offset) {
        boolean advanced;
        lock.lock();
        try {
            if (!isReplicated()) {
                throw new IllegalStateException(topicPartition + " is not replicated: its high watermark is its end "
                        + "offset until it becomes a leader or a follower");
            }
            sealLocked();
            long clamped = Math.max(Math.min(offset, endOffset), beginningOffset());
            advanced = highWatermark.moveTo(clamped);
        } finally {
            lock.unlock();
        }
        if (advanced) {
            appendListener.run();
        }
    }

    /**
     * Makes the partition a replica led at {@code epoch}: from now on batches are stamped with it
     * (the open batch is sealed first, under the epoch it was opened with), and the epoch is
     * recorded from the end offset if newer than the latest. Pass {@link RecordBatchFormat#NO_LEADER_EPOCH}
     * for a follower, which stamps nothing of its own.
     *
     * @throws IllegalArgumentException if {@code epoch} is older than the latest recorded
     */
    void becomeReplica(int epoch) {
        lock.lock();
        try {
            sealLocked();
            if (epoch != RecordBatchFormat.NO_LEADER_EPOCH) {
                if (epoch < epochs.latestEpoch()) {
                    throw new IllegalArgumentException("leader epoch " + epoch + " of " + topicPartition
                            + " is older than the latest recorded, " + epochs.latestEpoch());
                }
                epochs.assign(epoch, endOffset);
            }
            highWatermark.startAt(endOffset);
            leaderEpoch = epoch;
            following = epoch == RecordBatchFormat.NO_LEADER_EPOCH;
        } finally {
            lock.unlock();
        }
    }

    /** The latest leader epoch recorded, -1 if none. */
    int latestEpoch() {
        return epochs.latestEpoch();
    }

    /** Where {@code epoch} ends in this partition; see {@link LeaderEpochCache#endOffsetFor}. */
    EpochEndOffset endOffsetFor(int epoch) {
        return epochs.endOffsetFor(epoch, endOffset());
    }

    /** The leader epochs recorded, oldest first. */
    List<LeaderEpochFormat.Entry> leaderEpochs() {
        return epochs.entries();
    }

    /**
     * Appends a leader's batches as they are (see {@link dev.cairn.log.internal.replica.ReplicaLog#appendAsFollower}),
     * each checked first; a batch of a newer epoch records it (the epoch file is written before the
     * batch). Batches before a bad one stay appended.
     *
     * @return the end offset afterwards
     * @throws InvalidBatchException naming the partition and the problem of the first bad batch
     */
    long appendAsFollower(ByteBuffer batches) {
        ByteBuffer run = batches.duplicate();
        long mark;
        long end;
        lock.lock();
        try {
            sealLocked();
            file.checkWritable();
            StringBuilder problem = new StringBuilder();
            ByteBuffer batch;
            while ((batch = RecordBatchFormat.nextReplicaBatch(run, endOffset, problem)) != null || problem.length() > 0) {
                if (problem.length() > 0) {
                    throw new InvalidBatchException("batch at offset " + endOffset + " for " + topicPartition
                            + " refused: " + problem);
                }
                int count = RecordBatchFormat.recordCount(batch);
                checkSize(batch.remaining(), count);
                int epoch = RecordBatchFormat.leaderEpoch(batch);
                if (epoch > epochs.latestEpoch()) {
                    epochs.assign(epoch, endOffset);
                }
                long base = endOffset;
                long last = RecordBatchFormat.lastOffset(batch);
                int size = batch.remaining();
                long maxTs = RecordBatchFormat.maxTimestamp(batch);
                maybeRoll(size, clock.millis());
                long position = file.append(batch);
                activeIndex.onAppend(base, last, maxTs, position, size + SegmentFormat.FRAME_OVERHEAD,
                        config.indexIntervalBytes());
                NEXT_OFFSET.setRelease(this, last + 1);
                endOffset = last + 1;
                counters.appendedRecords(count);
                counters.appendedBytes(size);
            }
            mark = file.writtenMark();
            end = endOffset;
        } finally {
            lock.unlock();
        }
        appendListener.run();
        file.awaitDurable(mark);
        batches.position(batches.limit());
        return end;
    }

    /**
     * Removes every record at or after {@code offset}, cutting at the start of the batch that holds
     * it (so the end may fall below {@code offset}); see {@link PartitionTruncation}. Durable on
     * return. An offset below the beginning empties the partition as
     * {@link #truncateFullyAndStartAt} does.
     *
     * @return the end offset afterwards
     */
    long truncateTo(long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("cannot truncate " + topicPartition + " to negative offset " + offset);
        }
        lock.lock();
        try {
            sealLocked();
            if (offset >= endOffset) {
                // No record to remove; an epoch begun at the end with no record yet still goes.
                epochs.truncateFromEnd(offset);
                return endOffset;
            }
            if (offset < beginningOffset()) {
                restartLocked(offset);
                return endOffset;
            }
            PartitionTruncation.Cut cut = PartitionTruncation.find(file.segments(), indexes, offset);
            file.truncateTo(cut.segment(), cut.position());
            for (Segment gone : List.copyOf(indexes.keySet())) {
                if (gone.base() > cut.segment().base()) {
                    indexes.remove(gone);
                }
            }
            // Rebuilt rather than cut back: one segment's scan, on a rare path.
            SegmentIndex index = SegmentIndex.rebuild(cut.segment(), config.indexIntervalBytes());
            indexes.put(cut.segment(), index);
            activeIndex = index;
            long end = index.nextOffset();
            if (end < logStartOffset) {
                // The cut batch also held the records from the log start up: nothing is left.
                restartLocked(logStartOffset);
                return endOffset;
            }
            endOffset = end;
            NEXT_OFFSET.setRelease(this, end);
            activeSinceMs = cut.segment().isEmpty() ? -1 : Math.min(Math.max(index.firstTimestamp(), 0), clock.millis());
            epochs.truncateFromEnd(end);
            highWatermark.clampTo(end);
            LOG.info("truncated {} to offset {} (asked {})", topicPartition, end, offset);
            return end;
        } finally {
            lock.unlock();
        }
    }

    /** Empties the partition and restarts it at {@code offset}, durably (see {@link #restartLocked}). */
    void truncateFullyAndStartAt(long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("cannot restart " + topicPartition + " at negative offset " + offset);
        }
        lock.lock();
        try {
            sealLocked();
            restartLocked(offset);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Deletes every segment, starts one empty segment at {@code offset}, makes it the log start
     * offset and drops every leader epoch. Crash order: the epoch file is emptied first (a copy
     * that claims no epoch makes a follower cut more, never less), then the segments go newest
     * first (a crash leaves a prefix of the old records), then the log start offset file is written.
     * Lock held.
     */
    private void restartLocked(long offset) {
        epochs.clear();
        file.restartAt(offset);
        indexes.clear();
        activeIndex = new SegmentIndex(offset);
        indexes.put(file.active(), activeIndex);
        activeSinceMs = -1;
        endOffset = offset;
        NEXT_OFFSET.setRelease(this, offset);
        AtomicFile.write(storage.fs(), directory.resolve(LogStartOffsetFormat.FILE_NAME), LogStartOffsetFormat.MAGIC,
                LogStartOffsetFormat.VERSION, LogStartOffsetFormat.encode(offset));
        logStartOffset = offset;
        highWatermark.restartAt(offset);
        LOG.info("emptied {}: it restarts at offset {}", topicPartition, offset);
    }

    SegmentedFile file() {
        return file;
    }

    /** What this partition has served since it opened. */
    PartitionCounters counters() {
        return counters;
    }

    /** Reads of this partition (lock-free up to the end offset). */
    PartitionReader reader() {
        return reader;
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
                highWatermark.checkpoint();
            } finally {
                file.close();
            }
        } finally {
            lock.unlock();
        }
    }
}
