package dev.cairn.log.internal;

import dev.cairn.common.StorageException;
import dev.cairn.storage.AtomicFile;
import dev.cairn.storage.fs.StorageFile;
import dev.cairn.storage.fs.StorageFileSystem;
import dev.cairn.storage.segment.ScanProgress;
import dev.cairn.storage.segment.Segment;
import dev.cairn.storage.segment.SegmentFormat;
import dev.cairn.storage.segment.SegmentScanner;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The in-memory sparse offset and time indexes of one segment, and what the partition knows of
 * it: its next offset and greatest timestamp. Persisted as {@link OffsetIndexFormat} and
 * {@link TimeIndexFormat} files when the segment is rolled and on clean close.
 *
 * <p>Invariants: offset entries have strictly increasing offsets and positions; time entries
 * strictly increasing timestamps and offsets; {@code base <= every offset here < nextOffset()}.
 *
 * <p>Thread-safety: one writer (the partition's appender, under its lock) adds entries; any number
 * of readers look up concurrently. An entry is written into the array, then the array (when it
 * grew) and the count are published through volatile writes; readers read the count first.
 */
final class SegmentIndex {
    private final long base;
    /** Packed entries: relative offset in the high 32 bits, position in the low 32. */
    private volatile long[] offsetEntries = new long[16];
    private volatile int offsetCount;
    /** Pairs: timestamp, relative offset. */
    private volatile long[] timeEntries = new long[32];
    private volatile int timeCount;
    private volatile long nextOffset;
    private volatile long maxTimestamp = -1;
    /** Writer-only: data bytes since the last index entry. */
    private long bytesSinceEntry;
    private long bytesSinceTimeEntry;

    SegmentIndex(long base) {
        this.base = base;
        this.nextOffset = base;
    }

    long base() {
        return base;
    }

    /** One past the last offset of the segment's batches (the base when empty). */
    long nextOffset() {
        return nextOffset;
    }

    /** Greatest record timestamp in the segment, -1 when empty. */
    long maxTimestamp() {
        return maxTimestamp;
    }

    /** Timestamp of the first time entry (the first batch's), or -1 when empty. */
    long firstTimestamp() {
        return timeCount == 0 ? -1 : timeEntries[0];
    }

    int offsetEntryCount() {
        return offsetCount;
    }

    /** Records a batch just appended at {@code position}. Writer only. */
    void onAppend(long batchBase, long batchLast, long batchMaxTimestamp, long position, int frameBytes,
            int intervalBytes) {
        if (offsetCount == 0 || bytesSinceEntry >= intervalBytes) {
            addOffsetEntry(batchBase, position);
            bytesSinceEntry = 0;
        }
        bytesSinceEntry += frameBytes;
        if (batchMaxTimestamp > maxTimestamp) {
            if (timeCount == 0 || bytesSinceTimeEntry >= intervalBytes) {
                addTimeEntry(batchMaxTimestamp, batchBase);
                bytesSinceTimeEntry = 0;
            }
            maxTimestamp = batchMaxTimestamp;
        }
        bytesSinceTimeEntry += frameBytes;
        nextOffset = batchLast + 1;
    }

    /** Keeps {@code timestampMs} as the greatest timestamp if larger (a compacted segment keeps its age). */
    void keepMaxTimestamp(long timestampMs) {
        if (timestampMs > maxTimestamp) {
            maxTimestamp = timestampMs;
        }
    }

    /** Adds the final time entry for the greatest timestamp; called on roll. Writer only. */
    void seal() {
        int n = timeCount;
        if (maxTimestamp >= 0 && (n == 0 || timeEntries[2 * (n - 1)] < maxTimestamp)) {
            long lastOffset = n == 0 ? base : base + timeEntries[2 * (n - 1) + 1];
            long offset = Math.max(lastOffset, offsetCount == 0 ? base : base + (offsetEntries[offsetCount - 1] >> 32));
            if (n > 0 && offset <= base + timeEntries[2 * (n - 1) + 1]) {
                // Same batch as the last entry: raise its timestamp instead of adding a second one.
                timeEntries[2 * (n - 1)] = maxTimestamp;
                timeCount = n;
            } else {
                addTimeEntry(maxTimestamp, offset);
            }
        }
    }

    private void addOffsetEntry(long offset, long position) {
        int n = offsetCount;
        long[] entries = offsetEntries;
        if (n == entries.length) {
            entries = java.util.Arrays.copyOf(entries, n * 2);
        }
        entries[n] = (offset - base) << 32 | (position & 0xffffffffL);
        offsetEntries = entries;
        offsetCount = n + 1;
    }

    private void addTimeEntry(long timestamp, long offset) {
        int n = timeCount;
        long[] entries = timeEntries;
        if (2 * n + 2 > entries.length) {
            entries = java.util.Arrays.copyOf(entries, entries.length * 2);
        }
        entries[2 * n] = timestamp;
        entries[2 * n + 1] = offset - base;
        timeEntries = entries;
        timeCount = n + 1;
    }

    /** Position of the last indexed batch whose base offset is {@code <= offset}; the first entry position if none. Binary search. */
    long floorPosition(long offset) {
        int n = offsetCount;
        long[] entries = offsetEntries;
        long target = offset - base;
        int low = 0;
        int high = n - 1;
        long found = SegmentFormat.HEADER_SIZE;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            long rel = entries[mid] >> 32;
            if (rel <= target) {
                found = entries[mid] & 0xffffffffL;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return found;
    }

    /** Offset to start scanning from for the first record with timestamp {@code >= timestampMs}. */
    long scanStartForTime(long timestampMs) {
        int n = timeCount;
        long[] entries = timeEntries;
        int low = 0;
        int high = n - 1;
        long found = base;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (entries[2 * mid] < timestampMs) {
                found = base + entries[2 * mid + 1];
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return found;
    }

    /** Rebuilds the indexes of {@code segment} by scanning it; a damaged entry throws CorruptFileException. */
    static SegmentIndex rebuild(Segment segment, int intervalBytes) {
        SegmentIndex index = new SegmentIndex(segment.base());
        ScanProgress progress = ScanProgress.start("indexing", segment.path(), segment.size());
        long batches = index.scanFrom(segment, SegmentFormat.HEADER_SIZE, intervalBytes, progress);
        progress.finish(segment.size(), batches);
        return index;
    }

    /** Indexes the batches of {@code segment} from {@code position} on. Writer only. */
    void scanFrom(Segment segment, long position, int intervalBytes) {
        scanFrom(segment, position, intervalBytes, null);
    }

    /** As {@link #scanFrom(Segment, long, int)}, telling {@code progress} (if not null); returns the batches indexed. */
    private long scanFrom(Segment segment, long position, int intervalBytes, ScanProgress progress) {
        SegmentScanner scanner = segment.scanner(position);
        long batches = 0;
        while (scanner.nextOrThrow()) {
            batches++;
            if (progress != null) {
                progress.at(scanner.nextPosition());
            }
            ByteBuffer batch = scanner.payload();
            String problem = RecordBatchFormat.validate(batch);
            if (problem != null) {
                throw new dev.cairn.common.CorruptFileException(segment.path().toString(), scanner.position(), problem);
            }
            long batchBase = RecordBatchFormat.baseOffset(batch);
            if (batchBase < nextOffset && !(batchBase == base && offsetCount == 0)) {
                if (scanner.position() == position && offsetCount > 0) {
                    continue; // the batch the loaded index ends at, already counted
                }
                throw new dev.cairn.common.CorruptFileException(segment.path().toString(), scanner.position(),
                        "batch base offset " + batchBase + " is below the previous batch's end " + nextOffset);
            }
            onAppend(batchBase, RecordBatchFormat.lastOffset(batch), RecordBatchFormat.maxTimestamp(batch),
                    scanner.position(), batch.remaining() + SegmentFormat.FRAME_OVERHEAD, intervalBytes);
        }
        return batches;
    }

    static Path offsetIndexPath(Path dir, long base) {
        return dir.resolve(SegmentFormat.fileName(base, OffsetIndexFormat.SUFFIX));
    }

    static Path timeIndexPath(Path dir, long base) {
        return dir.resolve(SegmentFormat.fileName(base, TimeIndexFormat.SUFFIX));
    }

    /** Writes both index files, each replaced atomically. */
    void write(StorageFileSystem fs, Path dir) {
        int n = offsetCount;
        long[] entries = offsetEntries;
        ByteBuffer out = ByteBuffer.allocate(OffsetIndexFormat.entryPosition(n));
        out.putInt(OffsetIndexFormat.MAGIC).putShort(OffsetIndexFormat.VERSION)
                .putShort((short) OffsetIndexFormat.ENTRY_SIZE).putLong(base);
        for (int i = 0; i < n; i++) {
            out.putInt((int) (entries[i] >> 32)).putInt((int) entries[i]);
        }
        writeWhole(fs, offsetIndexPath(dir, base), out.flip());
        int t = timeCount;
        long[] times = timeEntries;
        ByteBuffer timeOut = ByteBuffer.allocate(TimeIndexFormat.entryPosition(t));
        timeOut.putInt(TimeIndexFormat.MAGIC).putShort(TimeIndexFormat.VERSION)
                .putShort((short) TimeIndexFormat.ENTRY_SIZE).putLong(base);
        for (int i = 0; i < t; i++) {
            timeOut.putLong(times[2 * i]).putInt((int) times[2 * i + 1]);
        }
        writeWhole(fs, timeIndexPath(dir, base), timeOut.flip());
    }

    private static void writeWhole(StorageFileSystem fs, Path path, ByteBuffer bytes) {
        AtomicFile.Writer writer = AtomicFile.begin(fs, path);
        try {
            writer.write(bytes);
            writer.commit();
        } finally {
            writer.abortIfUncommitted();
        }
    }

    /**
     * Loads the index files of {@code segment} if both are present and valid against it, then
     * indexes any batches after the last indexed one.
     *
     * @return the index, or null if the files are missing or invalid (the caller rebuilds)
     */
    static SegmentIndex load(StorageFileSystem fs, Path dir, Segment segment, int intervalBytes) {
        long base = segment.base();
        ByteBuffer offsets = readAll(fs, offsetIndexPath(dir, base));
        ByteBuffer times = readAll(fs, timeIndexPath(dir, base));
        if (offsets == null || times == null
                || !validHeader(offsets, OffsetIndexFormat.MAGIC, OffsetIndexFormat.ENTRY_SIZE, base)
                || !validHeader(times, TimeIndexFormat.MAGIC, TimeIndexFormat.ENTRY_SIZE, base)
                || (offsets.limit() - OffsetIndexFormat.HEADER_SIZE) % OffsetIndexFormat.ENTRY_SIZE != 0
                || (times.limit() - TimeIndexFormat.HEADER_SIZE) % TimeIndexFormat.ENTRY_SIZE != 0) {
            return null;
        }
        SegmentIndex index = new SegmentIndex(base);
        int n = (offsets.limit() - OffsetIndexFormat.HEADER_SIZE) / OffsetIndexFormat.ENTRY_SIZE;
        long previousRel = -1;
        long previousPos = -1;
        long size = segment.size();
        for (int i = 0; i < n; i++) {
            int at = OffsetIndexFormat.entryPosition(i);
            long rel = offsets.getInt(at + OffsetIndexFormat.RELATIVE_OFFSET_OFFSET);
            long pos = offsets.getInt(at + OffsetIndexFormat.POSITION_OFFSET) & 0xffffffffL;
            if (rel <= previousRel || pos <= previousPos || pos < SegmentFormat.HEADER_SIZE
                    || pos + SegmentFormat.FRAME_OVERHEAD > size || (i == 0 && pos != SegmentFormat.HEADER_SIZE)) {
                return null;
            }
            index.addOffsetEntry(base + rel, pos);
            previousRel = rel;
            previousPos = pos;
        }
        int t = (times.limit() - TimeIndexFormat.HEADER_SIZE) / TimeIndexFormat.ENTRY_SIZE;
        long previousTs = Long.MIN_VALUE;
        long previousTimeRel = -1;
        for (int i = 0; i < t; i++) {
            int at = TimeIndexFormat.entryPosition(i);
            long ts = times.getLong(at + TimeIndexFormat.TIMESTAMP_OFFSET);
            long rel = times.getInt(at + TimeIndexFormat.RELATIVE_OFFSET_OFFSET);
            if (ts <= previousTs || rel <= previousTimeRel || rel < 0) {
                return null;
            }
            index.addTimeEntry(ts, base + rel);
            previousTs = ts;
            previousTimeRel = rel;
        }
        if (n == 0 && !segment.isEmpty()) {
            return null;
        }
        if (t > 0) {
            index.maxTimestamp = times.getLong(TimeIndexFormat.entryPosition(t - 1));
        }
        if (n > 0) {
            // Re-read from the last indexed batch to learn the segment's end offset and the bytes
            // since the last entry; a damaged or misplaced entry surfaces here.
            long lastPos = previousPos;
            long lastRel = previousRel;
            try {
                ByteBuffer batch = segment.read(lastPos);
                if (RecordBatchFormat.validate(batch) != null || RecordBatchFormat.baseOffset(batch) != base + lastRel) {
                    return null;
                }
            } catch (RuntimeException e) {
                return null;
            }
            index.nextOffset = base + lastRel;
            index.scanFrom(segment, lastPos, intervalBytes);
        }
        return index;
    }

    private static boolean validHeader(ByteBuffer b, int magic, int entrySize, long base) {
        return b.limit() >= 16 && b.getInt(0) == magic && b.getShort(4) == 1 && b.getShort(6) == entrySize
                && b.getLong(8) == base;
    }

    private static ByteBuffer readAll(StorageFileSystem fs, Path path) {
        if (!fs.exists(path)) {
            return null;
        }
        try (StorageFile file = fs.openExisting(path)) {
            long size = file.size();
            if (size > Integer.MAX_VALUE) {
                return null;
            }
            ByteBuffer bytes = ByteBuffer.allocate((int) size);
            file.read(bytes, 0);
            return bytes.flip();
        } catch (IOException e) {
            throw new StorageException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    static void deleteFiles(StorageFileSystem fs, Path dir, long base) throws IOException {
        fs.delete(offsetIndexPath(dir, base));
        fs.delete(timeIndexPath(dir, base));
    }
}
