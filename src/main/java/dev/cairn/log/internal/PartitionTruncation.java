package dev.cairn.log.internal;

import dev.cairn.storage.segment.Segment;
import dev.cairn.storage.segment.SegmentFormat;
import dev.cairn.storage.segment.SegmentScanner;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/**
 * Where a partition is cut to remove every record at or after an offset: at the start of the
 * first batch whose last offset reaches it. As in Kafka, logs are cut at batch boundaries only (a
 * follower truncates to a boundary of its leader's log, where this cuts exactly at the offset);
 * an offset inside a batch takes the whole batch, so the end afterwards may be below it.
 *
 * <p>A cut at the very start of a segment other than the first is moved to the end of the
 * segment before, so the segment goes whole and no empty segment is left with a base above the
 * new end (a segment's base is at most every offset appended to it).
 *
 * <p>Thread-safety: stateless; the partition calls it under its lock.
 */
final class PartitionTruncation {
    private PartitionTruncation() {
    }

    /** Cut {@code segment} at byte {@code position}, dropping every later segment. */
    record Cut(Segment segment, long position) {
    }

    /**
     * The cut that removes the records at or after {@code offset}, which lies in
     * {@code [first segment's base, end offset)}.
     */
    static Cut find(List<Segment> segments, Map<Segment, SegmentIndex> indexes, long offset) {
        int i = segments.size() - 1;
        while (i > 0 && segments.get(i).base() > offset) {
            i--;
        }
        Segment segment = segments.get(i);
        SegmentIndex index = indexes.get(segment);
        long position = firstBatchReaching(segment,
                index == null ? SegmentFormat.HEADER_SIZE : index.floorPosition(offset), offset);
        if (position == SegmentFormat.HEADER_SIZE && i > 0) {
            Segment before = segments.get(i - 1);
            return new Cut(before, before.size());
        }
        return new Cut(segment, position);
    }

    /**
     * The position of the first batch from {@code start} whose last offset is at least
     * {@code offset}, or the segment's size if none is (the cut then only drops later segments).
     */
    private static long firstBatchReaching(Segment segment, long start, long offset) {
        SegmentScanner scanner = segment.scanner(start);
        while (scanner.nextOrThrow()) {
            ByteBuffer batch = scanner.payload();
            if (RecordBatchFormat.lastOffset(batch) >= offset) {
                return scanner.position();
            }
        }
        return segment.size();
    }
}
