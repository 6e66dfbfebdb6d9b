package dev.cairn.log.internal;

import dev.cairn.log.TopicConfig;
import dev.cairn.storage.segment.Segment;
import dev.cairn.storage.segment.SegmentFormat;
import dev.cairn.storage.segment.SegmentScanner;
import dev.cairn.storage.segment.SegmentedFile;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Compaction of a partition with cleanup policy compact: the sealed segments are rewritten to
 * keep only the latest record of each key (unkeyed records are kept), and tombstones (null value)
 * whose timestamp is at least {@code deleteRetentionMs} old (log clock) are dropped.
 *
 * <p>Offsets never change: batches keep their base offset and offset range and lose records, so
 * offsets become sparse; empty batches are dropped. A reader positioned in a range whose records
 * are all gone reads on from the next offset kept, as in Kafka.
 *
 * <p>Segments are merged as they shrink, so the number of segments (and of open files) follows
 * the live data, not the history of overwrites: the sealed segments are cut into groups of
 * consecutive segments whose sizes add up to at most segmentBytes and whose offsets span at most
 * what a relative offset of the index holds (Kafka's {@code LogCleaner.groupSegmentsBySize}), and
 * each group that loses records, or holds more than one segment, is replaced by one segment with
 * the base offset of its first ({@link SegmentedFile#prepareReplacement}). A group left with no
 * records leaves no segment, unless it starts the partition, whose beginning offset an empty
 * segment then keeps. The replacement is crash-safe by the rule of
 * {@link dev.cairn.storage.segment.SegmentFormat}: a crash leaves the old segments or the new one.
 *
 * <p>Kafka's {@code min.compaction.lag.ms} ({@link TopicConfig#minCompactionLagMs()}): the first
 * segment (the active one included) whose greatest record timestamp is younger than the lag at the
 * log clock's time, and every segment after it, are left out of the round, as Kafka's cleaner
 * stops at its first uncleanable offset: their records neither lose records nor supersede older
 * ones, so a record stays uncompacted until its segment's newest record is that old. With no lag
 * (the default) every sealed segment is compacted against the keys of the whole partition.
 *
 * <p>The active segment is never touched. The rewrite (reading, filtering, writing and fsyncing
 * the new file, and building its indexes) runs without the partition lock, so appends continue;
 * only the swap of the new segment into place ({@link PartitionLog#swapIn}) takes the lock.
 *
 * <p>Thread-safety: one cleaner per partition at a time (the log's maintenance thread).
 */
final class LogCleaner {
    private LogCleaner() {
    }

    /** Compacts the sealed segments of {@code partition}. @return records removed */
    static int compact(PartitionLog partition, TopicConfig config, long nowMs) {
        SegmentedFile file = partition.file();
        long partitionEnd = partition.endOffset(); // seals the open batch, so the indexes below count it
        List<Segment> all = file.segments();
        int young = firstTooYoung(partition, all, config.minCompactionLagMs(), nowMs);
        // With a young segment the round stops there: it takes the active one's place (never
        // rewritten), and no record from its base on is read.
        List<Segment> segments = young < 0 ? all : all.subList(0, young + 1);
        long end = young < 0 ? partitionEnd : Math.min(partitionEnd, all.get(young).base());
        if (segments.size() < 2) {
            return 0;
        }
        Map<ByteBuffer, Long> latest = new HashMap<>();
        for (Segment segment : segments) {
            forEachBatch(segment, batch -> {
                if (RecordBatchFormat.baseOffset(batch) < end) {
                    RecordBatchFormat.forEach(batch, e -> {
                        if (e.key() != null && e.offset() < end) {
                            latest.put(ByteBuffer.wrap(e.key()), e.offset());
                        }
                    });
                }
            });
        }
        int removed = 0;
        long maxGroupBytes = Math.min(config.segmentBytes(), Integer.MAX_VALUE);
        for (List<Segment> group : groupBySize(segments, maxGroupBytes)) {
            List<ByteBuffer> kept = new ArrayList<>();
            SegmentIndex index = new SegmentIndex(group.get(0).base());
            long[] position = {SegmentFormat.HEADER_SIZE};
            int[] dropped = {0};
            for (Segment segment : group) {
                forEachBatch(segment, batch -> {
                    List<RecordBatchFormat.Entry> survivors = new ArrayList<>();
                    RecordBatchFormat.forEach(batch, e -> {
                        boolean superseded = e.key() != null && latest.get(ByteBuffer.wrap(e.key())) != e.offset();
                        boolean expiredTombstone = e.value() == null && e.key() != null
                                && nowMs - e.timestampMs() >= config.deleteRetentionMs();
                        if (superseded || expiredTombstone) {
                            dropped[0]++;
                        } else {
                            survivors.add(e);
                        }
                    });
                    if (survivors.isEmpty()) {
                        return;
                    }
                    long base = RecordBatchFormat.baseOffset(batch);
                    long last = RecordBatchFormat.lastOffset(batch);
                    ByteBuffer out = survivors.size() == RecordBatchFormat.recordCount(batch)
                            ? copyOf(batch) // unchanged: its bytes as they are
                            : RecordBatchFormat.encode(base, survivors, (int) (last - base),
                                    RecordBatchFormat.isLogAppendTime(batch));
                    int frameBytes = out.remaining() + SegmentFormat.FRAME_OVERHEAD;
                    index.onAppend(base, last, RecordBatchFormat.maxTimestamp(out), position[0], frameBytes,
                            config.indexIntervalBytes());
                    position[0] += frameBytes;
                    kept.add(out);
                });
            }
            if (dropped[0] == 0 && group.size() == 1) {
                continue;
            }
            partition.swapIn(file.prepareReplacement(group, kept), index);
            removed += dropped[0];
        }
        return removed;
    }

    /**
     * The index of the first segment (the active one included) holding a record younger than
     * {@code lagMs} at {@code nowMs} by its greatest timestamp, Kafka's first uncleanable segment;
     * -1 if there is none or no lag. A segment without an index counts as young.
     */
    private static int firstTooYoung(PartitionLog partition, List<Segment> segments, long lagMs, long nowMs) {
        if (lagMs <= 0) {
            return -1;
        }
        for (int i = 0; i < segments.size(); i++) {
            SegmentIndex index = partition.indexes().get(segments.get(i));
            if (index == null || index.maxTimestamp() > nowMs - lagMs) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Cuts the sealed segments (all but the last of {@code segments}) into runs of consecutive
     * segments whose merged size (one header) is at most {@code maxBytes} and whose offsets, up to
     * the next segment's base, lie within {@link Integer#MAX_VALUE} of the run's base (the index
     * stores offsets relative to the base in 4 bytes). After Kafka's
     * {@code LogCleaner.groupSegmentsBySize}.
     */
    static List<List<Segment>> groupBySize(List<Segment> segments, long maxBytes) {
        List<List<Segment>> groups = new ArrayList<>();
        int sealed = segments.size() - 1;
        int i = 0;
        while (i < sealed) {
            Segment first = segments.get(i);
            List<Segment> group = new ArrayList<>();
            group.add(first);
            long bytes = first.size();
            int j = i + 1;
            while (j < sealed) {
                Segment next = segments.get(j);
                long merged = bytes + next.size() - SegmentFormat.HEADER_SIZE;
                if (merged > maxBytes || segments.get(j + 1).base() - 1 - first.base() > Integer.MAX_VALUE) {
                    break;
                }
                group.add(next);
                bytes = merged;
                j++;
            }
            groups.add(group);
            i = j;
        }
        return groups;
    }

    private static ByteBuffer copyOf(ByteBuffer batch) {
        ByteBuffer copy = ByteBuffer.allocate(batch.remaining());
        copy.put(batch.duplicate()).flip();
        return copy;
    }

    private static void forEachBatch(Segment segment, Consumer<ByteBuffer> sink) {
        SegmentScanner scanner = segment.scanner(SegmentFormat.HEADER_SIZE);
        while (scanner.nextOrThrow()) {
            sink.accept(scanner.payload());
        }
    }
}
