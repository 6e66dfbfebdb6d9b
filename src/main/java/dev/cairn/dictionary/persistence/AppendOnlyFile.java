package dev.cairn.dictionary.persistence;

import dev.cairn.common.CorruptFileException;
import dev.cairn.storage.Storage;
import dev.cairn.storage.segment.RecoveryMode;
import dev.cairn.storage.segment.Segment;
import dev.cairn.storage.segment.SegmentFormat;
import dev.cairn.storage.segment.SegmentScanner;
import dev.cairn.storage.segment.SegmentedFile;
import dev.cairn.storage.segment.SegmentedFileOptions;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The append-only file's active part: a {@link SegmentedFile} in {@code aof-<id>/} whose entries
 * are {@link AofEntryFormat} payloads, one per committed write or transaction. Entries are
 * numbered by a <em>sequence</em> that runs on across parts and snapshots (the replication offset
 * a replica will resume from); each segment is named by the sequence of its first entry.
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
     *
     * @param firstSequence the sequence of the part's first entry
     * @param replay receives each entry's commands
     */
    static Replayed replayPart(Storage storage, Path directory, SegmentedFileOptions options, long id,
            long firstSequence, Consumer<List<List<byte[]>>> replay) {
        Path partDirectory = directory.resolve(ManifestFormat.partDirectoryName(id));
        SegmentedFile part = SegmentedFile.open(storage, partDirectory, segmentOptions(options), firstSequence);
        long entries = 0;
        try {
            for (Segment segment : part.segments()) {
                SegmentScanner scanner = segment.scanner(SegmentFormat.HEADER_SIZE);
                while (true) {
                    List<List<byte[]>> commands;
                    try {
                        if (!scanner.nextOrThrow()) {
                            break;
                        }
                        commands = decode(segment, scanner);
                    } catch (CorruptFileException e) {
                        if (options.recoveryMode() != RecoveryMode.TRUNCATE_AT_CORRUPTION) {
                            throw e;
                        }
                        long at = scanner.nextPosition();
                        LOG.warn("truncating {} at position {} as asked, dropping everything after it: {}",
                                segment.path(), at, e.getMessage());
                        part.truncateTo(segment, at);
                        storage.metrics().recordTruncation(false, 0);
                        return new Replayed(part, entries, true);
                    }
                    replay.accept(commands);
                    entries++;
                }
            }
            return new Replayed(part, entries, false);
        } catch (RuntimeException e) {
            part.close();
            throw e;
        }
    }

    private static List<List<byte[]>> decode(Segment segment, SegmentScanner scanner) {
        try {
            return AofEntryFormat.decode(scanner.payload());
        } catch (IllegalArgumentException e) {
            throw new CorruptFileException(segment.path().toString(), scanner.position(), e.getMessage());
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
        ByteBuffer payload = AofEntryFormat.encode(commands, encodeBuffer);
        if (payload != encodeBuffer && payload.capacity() <= MAX_KEPT_ENCODE_BUFFER_BYTES) {
            encodeBuffer = payload;
        }
        if (part.file().shouldRoll(payload.remaining())) {
            part.file().roll(nextSequence);
        }
        part.file().append(payload);
        nextSequence++;
        return part.baseMark() + part.file().writtenMark();
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
