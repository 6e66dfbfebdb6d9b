package dev.cairn.dictionary.persistence;

import dev.cairn.common.CorruptFileException;
import dev.cairn.common.MissingFileException;
import dev.cairn.common.StorageException;
import dev.cairn.storage.Storage;
import dev.cairn.storage.segment.RecoveryMode;
import dev.cairn.storage.segment.ScanProgress;
import dev.cairn.storage.segment.Segment;
import dev.cairn.storage.segment.SegmentFormat;
import dev.cairn.storage.segment.SegmentScanner;
import dev.cairn.storage.segment.SegmentedFile;
import dev.cairn.storage.segment.SegmentedFileOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The append-only file's active part: a {@link SegmentedFile} in {@code aof-<id>/} whose entries
 * are {@link AofEntryFormat} payloads, one per committed write or transaction. Entries are
 * numbered by a <em>sequence</em> that runs on across parts and snapshots (the replication offset
 * a replica will resume from); each segment is named by the sequence of its first entry, so the
 * segments of a part follow each other without a gap (recovery checks it: a missing segment is
 * refused with a {@link MissingFileException}). An entry too large for one frame is written as a
 * run of fragments in one segment ({@link AofEntryFormat}), so no write is too large to log.
 *
 * <p>Thread-safety: {@link #append} and {@link #startPart} are called by one thread at a time
 * (under the dictionary's command lock); {@link #awaitDurable} from any thread.
 */
public final class AppendOnlyFile implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AppendOnlyFile.class);
    static final String SEGMENT_SUFFIX = ".aof";

    /**
     * The active part and the marks of the parts before it. Marks count bytes across parts, so a
     * caller that took its mark before {@link #startPart} still waits on the right file: a mark at
     * or below {@code baseMark} belongs to a part that was synced when it was closed.
     */
    private record Part(SegmentedFile file, long id, long baseMark) {
    }

    private final Storage storage;
    private final Path directory;
    private final SegmentedFileOptions options;
    private volatile Part current;
    /** Reused for every entry (appends are serialized by the command lock); grows with large ones. */
    private ByteBuffer encodeBuffer = ByteBuffer.allocate(4096);
    private static final int MAX_KEPT_ENCODE_BUFFER_BYTES = 1 << 20;
    private long nextSequence;

    private AppendOnlyFile(Storage storage, Path directory, SegmentedFileOptions options, SegmentedFile active,
            long activeId, long nextSequence) {
        this.storage = storage;
        this.directory = directory;
        this.options = options;
        this.current = new Part(active, activeId, 0);
        this.nextSequence = nextSequence;
    }

    static SegmentedFileOptions segmentOptions(SegmentedFileOptions base) {
        return new SegmentedFileOptions(SEGMENT_SUFFIX, base.segmentBytes(), base.maxEntryBytes(), base.durability(),
                base.recoveryMode(), base.writeBufferBytes());
    }

    /** What replaying one part found. */
    record Replayed(SegmentedFile part, long entries, boolean truncated) {
    }

    /**
     * Replays every entry of part {@code id}, in order, and returns it open. An entry that cannot
     * be read or decoded stops the open with a {@link CorruptFileException}, unless the options ask
     * for {@link RecoveryMode#TRUNCATE_AT_CORRUPTION}: then the part is cut there (dropping the
     * segments after it) and {@link Replayed#truncated()} tells the caller to drop later parts too.
     * A run of fragments left open at the very end of the last part is a write that never
     * completed and is cut without that option (see {@link AofEntryFormat}).
     *
     * @param firstSequence the sequence of the part's first entry
     * @param lastPart whether this is the manifest's last part, whose end may hold an unfinished write
     * @param replay receives each entry's commands
     * @throws MissingFileException if the part's directory or one of its segments is missing
     */
    static Replayed replayPart(Storage storage, Path directory, SegmentedFileOptions options, long id,
            long firstSequence, boolean lastPart, Consumer<List<List<byte[]>>> replay) {
        Path partDirectory = directory.resolve(ManifestFormat.partDirectoryName(id));
        requireSegments(storage, partDirectory, id);
        SegmentedFile part = SegmentedFile.open(storage, partDirectory, segmentOptions(options), firstSequence);
        long entries = 0;
        try {
            List<Segment> segments = part.segments();
            long totalBytes = 0;
            for (Segment segment : segments) {
                totalBytes += segment.size();
            }
            ScanProgress progress = ScanProgress.start("replaying", partDirectory, totalBytes);
            long scannedBefore = 0;
            for (int i = 0; i < segments.size(); i++) {
                Segment segment = segments.get(i);
                long expected = firstSequence + entries;
                if (segment.base() != expected) {
                    throw new MissingFileException(partDirectory.resolve(SegmentFormat.fileName(expected, SEGMENT_SUFFIX))
                            .toString(), "append-only part " + id + " holds entries up to sequence " + expected
                            + " and then a segment starting at " + segment.base() + ": the entries between are gone."
                            + " Restore the segment from a backup; the dictionary will not open with a gap in its writes");
                }
                SegmentScanner scanner = segment.scanner(SegmentFormat.HEADER_SIZE);
                Fragments run = new Fragments();
                while (true) {
                    List<List<byte[]>> commands;
                    try {
                        if (!scanner.nextOrThrow()) {
                            if (run.open()) {
                                boolean tail = lastPart && i == segments.size() - 1;
                                if (!tail) {
                                    throw new CorruptFileException(segment.path().toString(), run.start(),
                                            "a fragmented entry starting here has no last fragment before the segment ends");
                                }
                                long removed = segment.size() - run.start();
                                LOG.warn("{}: cut an unfinished write of {} bytes at position {} (its caller was never"
                                        + " answered)", segment.path(), removed, run.start());
                                part.truncateTo(segment, run.start());
                                storage.metrics().recordTruncation(true, removed);
                            }
                            break;
                        }
                        commands = run.accept(segment, scanner);
                    } catch (CorruptFileException e) {
                        if (options.recoveryMode() != RecoveryMode.TRUNCATE_AT_CORRUPTION) {
                            throw e;
                        }
                        long at = run.open() ? run.start() : scanner.nextPosition();
                        LOG.warn("truncating {} at position {} as asked, dropping everything after it: {}",
                                segment.path(), at, e.getMessage());
                        part.truncateTo(segment, at);
                        storage.metrics().recordTruncation(false, 0);
                        return new Replayed(part, entries, true);
                    }
                    if (commands != null) {
                        replay.accept(commands);
                        entries++;
                    }
                    progress.at(scannedBefore + scanner.nextPosition());
                }
                scannedBefore += segment.size();
            }
            progress.finish(scannedBefore, entries);
            return new Replayed(part, entries, false);
        } catch (RuntimeException e) {
            part.close();
            throw e;
        }
    }

    /**
     * A part the manifest names always has a segment: its first one is created before the
     * manifest names it. Without this check, opening would create an empty one and skip its writes.
     */
    private static void requireSegments(Storage storage, Path partDirectory, long id) {
        try {
            if (storage.fs().exists(partDirectory)) {
                for (Path file : storage.fs().list(partDirectory)) {
                    if (SegmentFormat.parseBase(file.getFileName().toString(), SEGMENT_SUFFIX) >= 0) {
                        return;
                    }
                }
            }
        } catch (IOException e) {
            throw new StorageException("cannot list " + partDirectory + ": " + e.getMessage(), e);
        }
        throw new MissingFileException(partDirectory.toString(), "the manifest names append-only part " + id
                + ", which holds writes made after the snapshot, but it has no segments; nothing was opened or deleted."
                + " Restore the part from a backup");
    }

    /** Whether the part in {@code partDirectory} holds any entry (a segment longer than its header). */
    static boolean holdsEntries(Storage storage, Path partDirectory) throws IOException {
        for (Path file : storage.fs().list(partDirectory)) {
            if (SegmentFormat.parseBase(file.getFileName().toString(), SEGMENT_SUFFIX) >= 0
                    && storage.fs().size(file) > SegmentFormat.HEADER_SIZE) {
                return true;
            }
        }
        return false;
    }

    /** The fragments of the entry being reassembled during a replay; see {@link AofEntryFormat}. */
    private static final class Fragments {
        private final List<ByteBuffer> pieces = new ArrayList<>();
        private long start = -1;

        boolean open() {
            return start >= 0;
        }

        long start() {
            return start;
        }

        /** Takes the scanner's current frame: the entry's commands once complete, else null. */
        List<List<byte[]>> accept(Segment segment, SegmentScanner scanner) {
            ByteBuffer payload = scanner.payload();
            byte kind = payload.hasRemaining() ? payload.get(payload.position()) : 0;
            if (kind != AofEntryFormat.KIND_FRAGMENT && kind != AofEntryFormat.KIND_LAST_FRAGMENT) {
                if (open()) {
                    throw new CorruptFileException(segment.path().toString(), scanner.position(), "an entry interrupts"
                            + " the fragmented entry that starts at position " + start);
                }
                return decode(segment, scanner.position(), List.of(payload));
            }
            if (!open()) {
                start = scanner.position();
            }
            // The scanner reuses its buffer: keep a copy of the fragment's bytes.
            ByteBuffer piece = ByteBuffer.allocate(payload.remaining() - AofEntryFormat.FRAGMENT_OVERHEAD);
            piece.put(payload.duplicate().position(payload.position() + AofEntryFormat.FRAGMENT_OVERHEAD)).flip();
            pieces.add(piece);
            if (kind == AofEntryFormat.KIND_FRAGMENT) {
                return null;
            }
            List<List<byte[]>> commands = decode(segment, start, pieces);
            pieces.clear();
            start = -1;
            return commands;
        }
    }

    private static List<List<byte[]>> decode(Segment segment, long position, List<ByteBuffer> pieces) {
        try {
            return AofEntryFormat.decode(pieces);
        } catch (IllegalArgumentException e) {
            throw new CorruptFileException(segment.path().toString(), position, e.getMessage());
        }
    }

    /** Wraps part {@code id}, already opened and replayed, as the active part. */
    static AppendOnlyFile resume(Storage storage, Path directory, SegmentedFileOptions options, SegmentedFile part,
            long id, long nextSequence) {
        return new AppendOnlyFile(storage, directory, options, part, id, nextSequence);
    }

    /**
     * Appends one committed write or transaction. Call under the command lock, in commit order.
     *
     * @return the mark to pass to {@link #awaitDurable} (outside the lock)
     */
    public long append(List<List<byte[]>> commands) {
        Part part = current;
        SegmentedFile file = part.file();
        long size = AofEntryFormat.encodedSize(commands);
        int maxFrame = options.maxEntryBytes();
        if (size <= maxFrame) {
            ByteBuffer payload = AofEntryFormat.encode(commands, size, encodeBuffer);
            if (payload != encodeBuffer && payload.capacity() <= MAX_KEPT_ENCODE_BUFFER_BYTES) {
                encodeBuffer = payload;
            }
            if (file.shouldRoll(payload.remaining())) {
                file.roll(nextSequence);
            }
            file.append(payload);
        } else {
            // All fragments go to one segment, so a segment's base stays the sequence of the
            // first entry in it; the segment may grow past its nominal size by this one entry.
            long fragments = (size + maxFrame - AofEntryFormat.FRAGMENT_OVERHEAD - 1)
                    / (maxFrame - AofEntryFormat.FRAGMENT_OVERHEAD);
            if (file.shouldRoll((int) Math.min(Integer.MAX_VALUE - SegmentFormat.FRAME_OVERHEAD,
                    size + fragments * AofEntryFormat.FRAGMENT_OVERHEAD))) {
                file.roll(nextSequence);
            }
            AofEntryFormat.encodeFragments(commands, maxFrame, file::append);
        }
        nextSequence++;
        return part.baseMark() + file.writtenMark();
    }

    /** Waits until the entries up to {@code mark} are as durable as the policy promises. */
    public void awaitDurable(long mark) {
        Part part = current;
        if (mark > part.baseMark()) {
            part.file().awaitDurable(mark - part.baseMark());
        }
    }

    /** The sequence the next entry will get: entries written since the dictionary was created. */
    public long nextSequence() {
        return nextSequence;
    }

    public long activeId() {
        return current.id();
    }

    /** Bytes in the active part. */
    public long activeSizeBytes() {
        return current.file().sizeBytes();
    }

    /**
     * Closes the active part (synced, clean) and starts part {@code id}, whose first entry will be
     * the next sequence. Call under the command lock. The caller records the new part in the
     * manifest before any entry is appended to it.
     */
    void startPart(long id) {
        Part old = current;
        if (id <= old.id()) {
            throw new IllegalArgumentException("new part " + id + " must follow part " + old.id());
        }
        SegmentedFile next = SegmentedFile.open(storage, directory.resolve(ManifestFormat.partDirectoryName(id)),
                segmentOptions(options), nextSequence);
        long baseMark = old.baseMark() + old.file().writtenMark();
        // Closing syncs the old part, so every mark up to baseMark is durable from here on.
        old.file().close();
        current = new Part(next, id, baseMark);
    }

    /** Syncs and closes the active part. Idempotent. */
    @Override
    public void close() {
        current.file().close();
    }
}
