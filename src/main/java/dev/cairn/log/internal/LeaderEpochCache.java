package dev.cairn.log.internal;

import dev.cairn.common.CorruptFileException;
import dev.cairn.log.internal.replica.EpochEndOffset;
import dev.cairn.storage.AtomicFile;
import dev.cairn.storage.fs.StorageFileSystem;
import dev.cairn.storage.segment.Segment;
import dev.cairn.storage.segment.SegmentFormat;
import dev.cairn.storage.segment.SegmentScanner;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A partition's leader epochs and the offset each began at, kept in memory and in the
 * {@link LeaderEpochFormat} file, replaced whole on every change: Kafka's leader-epoch cache
 * ({@code LeaderEpochFileCache}), which tells a follower where its history and the leader's part.
 *
 * <p>Invariants: epochs strictly increase along the entries and start offsets do not decrease;
 * after {@link #truncateFromEnd(long)} with the log end offset no entry starts past it.
 *
 * <p>Thread-safety: mutations are made by the partition writer under the partition lock; reads
 * ({@link #latestEpoch()}, {@link #endOffsetFor}, {@link #entries()}) may run on any thread, on
 * the immutable list the last mutation published.
 */
final class LeaderEpochCache {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderEpochCache.class);

    private final StorageFileSystem fs;
    private final Path path;
    private volatile List<LeaderEpochFormat.Entry> entries;

    private LeaderEpochCache(StorageFileSystem fs, Path path, List<LeaderEpochFormat.Entry> entries) {
        this.fs = fs;
        this.path = path;
        this.entries = List.copyOf(entries);
    }

    /**
     * Loads the file of the partition in {@code directory}: none means no epochs. A damaged file
     * is rebuilt from the leader epoch fields of the batches in {@code segments} (a warning is
     * logged) and written anew.
     */
    static LeaderEpochCache load(StorageFileSystem fs, Path directory, List<Segment> segments) {
        Path path = directory.resolve(LeaderEpochFormat.FILE_NAME);
        try {
            List<LeaderEpochFormat.Entry> stored = AtomicFile.read(fs, path, LeaderEpochFormat.MAGIC,
                    LeaderEpochFormat.VERSION).map(b -> LeaderEpochFormat.decode(path.toString(), b)).orElse(List.of());
            return new LeaderEpochCache(fs, path, stored);
        } catch (CorruptFileException e) {
            LOG.warn("rebuilding {} from the batches' leader epochs: {}", path, e.getMessage());
            LeaderEpochCache rebuilt = new LeaderEpochCache(fs, path, List.of());
            rebuilt.replace(scan(segments));
            return rebuilt;
        }
    }

    /** The epochs the batches of {@code segments} carry, each from its first batch. */
    private static List<LeaderEpochFormat.Entry> scan(List<Segment> segments) {
        List<LeaderEpochFormat.Entry> found = new ArrayList<>();
        for (Segment segment : segments) {
            SegmentScanner scanner = segment.scanner(SegmentFormat.HEADER_SIZE);
            while (scanner.nextOrThrow()) {
                ByteBuffer batch = scanner.payload();
                int epoch = RecordBatchFormat.leaderEpoch(batch);
                if (epoch >= 0 && (found.isEmpty() || epoch > found.get(found.size() - 1).epoch())) {
                    found.add(new LeaderEpochFormat.Entry(epoch, RecordBatchFormat.baseOffset(batch)));
                }
            }
        }
        return found;
    }

    /** The entries, oldest first; an immutable snapshot. */
    List<LeaderEpochFormat.Entry> entries() {
        return entries;
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The latest epoch, -1 if none. */
    int latestEpoch() {
        List<LeaderEpochFormat.Entry> current = entries;
        return current.isEmpty() ? -1 : current.get(current.size() - 1).epoch();
    }

    /**
     * Records that {@code epoch} starts at {@code startOffset}, durably, unless it is not newer
     * than the latest (then nothing changes). Entries that start at or after {@code startOffset}
     * are dropped first, as in Kafka's cache: the new epoch replaces history it overwrote.
     *
     * @return whether the list changed
     */
    boolean assign(int epoch, long startOffset) {
        if (epoch < 0 || startOffset < 0) {
            throw new IllegalArgumentException("leader epoch " + epoch + " from offset " + startOffset
                    + ": both must be >= 0");
        }
        if (epoch <= latestEpoch()) {
            return false;
        }
        List<LeaderEpochFormat.Entry> next = new ArrayList<>(entries);
        while (!next.isEmpty() && next.get(next.size() - 1).startOffset() >= startOffset) {
            next.remove(next.size() - 1);
        }
        next.add(new LeaderEpochFormat.Entry(epoch, startOffset));
        replace(next);
        return true;
    }

    /**
     * Where {@code epoch} ends: the largest epoch at most {@code epoch}, ending at the next
     * entry's start, or at {@code logEndOffset} for the latest; {@link EpochEndOffset#UNDEFINED} if
     * every epoch is greater (or there is none). Unlike Kafka's cache, which answers UNDEFINED for
     * an epoch past the latest and the requested epoch with the first start for one before the
     * first, this follows {@link EpochEndOffset}'s contract in both cases.
     */
    EpochEndOffset endOffsetFor(int epoch, long logEndOffset) {
        List<LeaderEpochFormat.Entry> current = entries;
        for (int i = current.size() - 1; i >= 0; i--) {
            if (current.get(i).epoch() <= epoch) {
                long end = i == current.size() - 1 ? logEndOffset : current.get(i + 1).startOffset();
                return new EpochEndOffset(current.get(i).epoch(), end);
            }
        }
        return EpochEndOffset.UNDEFINED;
    }

    /** Drops the entries that start at or after {@code offset} (the log was cut there), durably. */
    void truncateFromEnd(long offset) {
        List<LeaderEpochFormat.Entry> current = entries;
        int keep = current.size();
        while (keep > 0 && current.get(keep - 1).startOffset() >= offset) {
            keep--;
        }
        if (keep < current.size()) {
            replace(current.subList(0, keep));
        }
    }

    /**
     * The log now starts at {@code offset}: the entry covering it starts there and earlier ones
     * go, durably. Nothing changes if no entry starts below it.
     */
    void truncateFromStart(long offset) {
        List<LeaderEpochFormat.Entry> current = entries;
        int covering = -1;
        for (int i = 0; i < current.size() && current.get(i).startOffset() <= offset; i++) {
            covering = i;
        }
        if (covering < 0 || current.get(covering).startOffset() == offset && covering == 0) {
            return;
        }
        List<LeaderEpochFormat.Entry> next = new ArrayList<>();
        next.add(new LeaderEpochFormat.Entry(current.get(covering).epoch(), offset));
        next.addAll(current.subList(covering + 1, current.size()));
        replace(next);
    }

    /** Drops every entry, durably. */
    void clear() {
        if (!entries.isEmpty()) {
            replace(List.of());
        }
    }

    /** Writes {@code next} and then publishes it: a failed write leaves the list as it was. */
    private void replace(List<LeaderEpochFormat.Entry> next) {
        List<LeaderEpochFormat.Entry> copy = List.copyOf(next);
        write(copy);
        entries = copy;
    }

    private void write(List<LeaderEpochFormat.Entry> list) {
        AtomicFile.write(fs, path, LeaderEpochFormat.MAGIC, LeaderEpochFormat.VERSION, LeaderEpochFormat.encode(list));
    }
}
