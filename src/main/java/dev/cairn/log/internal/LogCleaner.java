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

/**
 * Compaction of a partition with cleanup policy compact: every sealed segment is rewritten to
 * keep only the latest record of each key (unkeyed records are kept), and tombstones (null value)
 * whose timestamp is at least {@code deleteRetentionMs} old (log clock) are dropped. Offsets never
 * change: batches keep their base offset and offset range and lose records, so offsets become
 * sparse; empty batches are dropped.
 *
 * <p>The active segment is never touched. The rewrite (reading, filtering, writing and fsyncing
 * the new file) runs without the partition lock, so appends continue; only the swap of the new
 * segment into place ({@link SegmentedFile#commitReplacement}) and its index take the lock.
 *
 * <p>Thread-safety: one cleaner per partition at a time (the log's maintenance thread).
 */
final class LogCleaner {
    private LogCleaner() {
    }

    /** Compacts the sealed segments of {@code partition}. @return records removed */
    static int compact(PartitionLog partition, TopicConfig config, long nowMs) {
        SegmentedFile file = partition.file();
        List<Segment> segments = file.segments();
        if (segments.size() < 2) {
            return 0;
        }
        long end = partition.endOffset();
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
        for (Segment segment : segments.subList(0, segments.size() - 1)) {
            List<ByteBuffer> kept = new ArrayList<>();
            int[] dropped = {0};
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
                if (!survivors.isEmpty()) {
                    long base = RecordBatchFormat.baseOffset(batch);
                    int delta = (int) (RecordBatchFormat.lastOffset(batch) - base);
                    kept.add(RecordBatchFormat.encode(base, survivors, delta));
                }
            });
            if (dropped[0] == 0) {
                continue;
            }
            SegmentedFile.Replacement replacement = file.prepareReplacement(segment, kept);
            partition.swapIn(replacement);
            removed += dropped[0];
        }
        return removed;
    }

    private static void forEachBatch(Segment segment, java.util.function.Consumer<ByteBuffer> sink) {
        SegmentScanner scanner = segment.scanner(SegmentFormat.HEADER_SIZE);
        while (scanner.nextOrThrow()) {
            sink.accept(scanner.payload());
        }
    }
}
