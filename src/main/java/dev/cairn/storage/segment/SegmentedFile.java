package dev.cairn.storage.segment;

import dev.cairn.common.ClosedException;
import dev.cairn.common.CorruptFileException;
import dev.cairn.common.Durability;
import dev.cairn.common.StorageException;
import dev.cairn.storage.AtomicFile;
import dev.cairn.storage.BackgroundFlusher;
import dev.cairn.storage.GroupCommit;
import dev.cairn.storage.Storage;
import dev.cairn.storage.fs.StorageFileSystem;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A segmented append-only file: a directory of {@link Segment}s named by their base (see
 * {@link SegmentFormat}), of which the last is the active one that takes appends.
 *
 * <p>The owner decides what a base means (the log: the offset of the segment's first record) and
 * when to roll ({@link #shouldRoll(int)}, {@link #roll(long)}). Entries are addressed by their
 * segment and their position in it. Whole segments are deleted from the head.
 *
 * <p>Durability follows {@link SegmentedFileOptions#durability()}: {@link #append} only writes;
 * {@link #awaitDurable(long)} with the {@link #writtenMark()} taken after the append returns when
 * the entry is as durable as the policy promises ({@code ALWAYS}: fsynced, shared with concurrent
 * appenders through {@link GroupCommit}). A roll fsyncs the segment it closes, whatever the
 * policy, so only the last segment can have a torn tail; under the other policies the background
 * flusher fsyncs the file whenever {@link #SYNC_AHEAD_BYTES} are unsynced, so that fsync finds
 * little left to write. A failed fsync makes the file refuse further appends.
 *
 * <p>On open, recovery follows {@link SegmentFormat}'s rule on the last segment, unless the file
 * was closed cleanly and is unchanged since (a marker file records the last segment and its size).
 * Before that, a replacement of segments cut short by a crash is undone (a {@code .cleaned} file)
 * or completed (a {@code .swap} file), by the rule {@link SegmentFormat} states: consecutive sealed
 * segments are replaced by one ({@link #prepareReplacement}, {@link #commitReplacement}) so that a
 * crash at any step leaves either all the old segments or the new one.
 *
 * <p>Invariants: bases strictly increase along the segments; every segment but the last has been
 * fsynced whole; {@code durableMark() <= writtenMark()}.
 *
 * <p>Thread-safety: one writer thread at a time calls the mutating methods ({@link #append},
 * {@link #roll}, {@link #truncateTo}, {@link #restartAt}, {@link #deleteSegmentsBelow}, {@link #commitReplacement},
 * {@link #close}); the owner
 * serializes them. {@link #awaitDurable}, {@link #sync} and every read method may be called from
 * any thread at any time.
 */
public final class SegmentedFile implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentedFile.class);
    /** Written on clean close: the last segment's base and size, proof that no scan is needed. */
    static final String CLEAN_MARKER = "clean-shutdown";
    static final int CLEAN_MARKER_MAGIC = 0x4352_4353; // "CRCS"
    static final short CLEAN_MARKER_VERSION = 1;
    /** Appends larger than this are written as header + payload instead of being copied. */
    private static final int COPY_LIMIT_BYTES = 256 * 1024;
    /**
     * Unsynced bytes after which the background flusher fsyncs a file not synced per append
     * ({@code EVERY_SECOND}, {@code NONE}): a roll fsyncs the segment it closes whatever the
     * policy, and without these fsyncs ahead of it the appender rolling waited for the whole
     * segment to reach the disk.
     */
    static final long SYNC_AHEAD_BYTES = 8L << 20;
    private static final VarHandle WRITTEN_MARK;

    static {
        try {
            WRITTEN_MARK = MethodHandles.lookup().findVarHandle(SegmentedFile.class, "writtenMark", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Storage storage;
    private final StorageFileSystem fs;
    private final Path directory;
    /** Replaced only by {@link #changeLimits} (writer), so appends and rolls see a live change. */
    private volatile SegmentedFileOptions options;
    private final RecoveryReport recovery;
    private final GroupCommit groupCommit;
    /** The owner's hook run before each background write-out and sync; see {@link #beforeBackgroundFlush}. */
    private volatile Runnable beforeBackgroundFlush = () -> { };
    private final BackgroundFlusher.Syncable backgroundSync = () -> {
        beforeBackgroundFlush.run();
        sync();
    };
    private final BackgroundFlusher.Syncable backgroundWriteOut = this::writeOutInBackground;
    /** The fsync {@link #SYNC_AHEAD_BYTES} of unsynced appends ask the flusher for. */
    private final BackgroundFlusher.Syncable syncAhead = this::syncAhead;
    /** Immutable, ascending by base; replaced whole on roll, truncation and deletion. */
    private volatile List<Segment> segments;
    /**
     * Removed segments whose handles stay open for readers that took the segment list before the
     * removal, until the owner's next maintenance round ({@link #closeRetired}) or close. Written
     * by the writer only.
     */
    private final List<Segment> retired = new ArrayList<>();
    /** Bytes appended since open, published after each append; accessed through {@link #WRITTEN_MARK}. */
    @SuppressWarnings("unused")
    private long writtenMark;
    private ByteBuffer frameBuffer = ByteBuffer.allocateDirect(64 * 1024);
    private volatile boolean closed;

    private SegmentedFile(Storage storage, Path directory, SegmentedFileOptions options, List<Segment> segments,
            RecoveryReport recovery) {
        this.storage = storage;
        this.fs = storage.fs();
        this.directory = directory;
        this.options = options;
        this.segments = List.copyOf(segments);
        this.recovery = recovery;
        this.groupCommit = new GroupCommit(directory.toString(), () -> active().force(), this::writtenMark,
                storage.metrics());
        if (options.durability() == Durability.EVERY_SECOND) {
            storage.flusher().register(backgroundSync);
        }
        if (options.durability() != Durability.ALWAYS && bufferBytes(fs, options) > 0) {
            storage.flusher().registerWriteOut(backgroundWriteOut);
        }
    }

    /**
     * Opens the segmented file in {@code directory}, creating it with one empty segment of base
     * {@code initialBase} if it has none, and recovering its tail.
     *
     * @throws CorruptFileException if a segment header is invalid, or corruption lies before the
     *     tail and the options ask for {@link RecoveryMode#STRICT}
     */
    public static SegmentedFile open(Storage storage, Path directory, SegmentedFileOptions options,
            long initialBase) {
        storage.ensureOpen();
        StorageFileSystem fs = storage.fs();
        List<Segment> opened = new ArrayList<>();
        try {
            fs.createDirectoryDurably(directory);
            finishReplacements(fs, directory, options);
            List<Long> bases = new ArrayList<>();
            for (Path entry : fs.list(directory)) {
                long base = SegmentFormat.parseBase(entry.getFileName().toString(), options.suffix());
                if (base >= 0) {
                    bases.add(base);
                }
            }
            bases.sort(null);
            // Read once: it both proves nothing was lost since a clean close and spares the scan.
            Optional<ByteBuffer> marker = SegmentRecovery.cleanMarker(fs, directory);
            SegmentRecovery.refuseMissingLastSegment(marker, directory, options.suffix(), bases);
            RecoveryReport report;
            if (bases.isEmpty()) {
                opened.add(createSegment(fs, directory, options, initialBase));
                report = RecoveryReport.clean(false, 0);
            } else {
                for (int i = 0; i < bases.size(); i++) {
                    opened.add(openSegment(fs, directory, options, bases.get(i), i == bases.size() - 1));
                }
                report = SegmentRecovery.recover(storage, directory, options, opened, marker);
            }
            fs.delete(directory.resolve(CLEAN_MARKER));
            return new SegmentedFile(storage, directory, options, opened, report);
        } catch (IOException e) {
            opened.forEach(Segment::close);
            throw new StorageException("cannot open " + directory + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            opened.forEach(Segment::close);
            throw e;
        }
    }

    /**
     * Resolves replacements a crash cut short (see {@link SegmentFormat}): deletes each
     * {@code .cleaned} file, and completes each {@code .swap}: deletes the segments and companion
     * files it replaces and renames it into place.
     */
    private static void finishReplacements(StorageFileSystem fs, Path directory, SegmentedFileOptions options)
            throws IOException {
        boolean changed = false;
        for (Path entry : fs.list(directory)) {
            String name = entry.getFileName().toString();
            if (SegmentFormat.isCleaned(name, options.suffix()) || isLegacyReplacement(name, options.suffix())) {
                LOG.info("deleting {}: a replacement of segments that never committed", entry);
                fs.delete(entry);
                changed = true;
            }
        }
        for (Path entry : fs.list(directory)) {
            long[] swap = SegmentFormat.parseSwap(entry.getFileName().toString(), options.suffix());
            if (swap == null) {
                continue;
            }
            int deleted = 0;
            for (Path other : fs.list(directory)) {
                long base = baseOfSegmentOrCompanion(other.getFileName().toString(), options);
                if (base >= swap[0] && base < swap[1]) {
                    fs.delete(other);
                    deleted++;
                }
            }
            fs.atomicMove(entry, directory.resolve(SegmentFormat.fileName(swap[0], options.suffix())));
            changed = true;
            LOG.info("completed the replacement of segments {} to {} in {} ({} files deleted)", swap[0], swap[1] - 1,
                    directory, deleted);
        }
        if (changed) {
            fs.syncDirectory(directory);
        }
    }

    /** The temporary file of a one-segment rewrite by earlier releases, which open deletes as a .cleaned one. */
    private static boolean isLegacyReplacement(String name, String suffix) {
        String legacy = ".replacement";
        return name.endsWith(legacy) && SegmentFormat.parseBase(name.substring(0, name.length() - legacy.length()),
                suffix) >= 0;
    }

    /** The base of a segment file or of one of its companion files, or -1 if the name is neither. */
    private static long baseOfSegmentOrCompanion(String name, SegmentedFileOptions options) {
        long base = SegmentFormat.parseBase(name, options.suffix());
        for (int i = 0; base < 0 && i < options.companionSuffixes().size(); i++) {
            base = SegmentFormat.parseBase(name, options.companionSuffixes().get(i));
        }
        return base;
    }

    /** Deletes a segment's companion files (see {@link SegmentedFileOptions#companionSuffixes()}), if any. */
    private void deleteCompanions(long base) throws IOException {
        for (String companion : options.companionSuffixes()) {
            fs.delete(directory.resolve(SegmentFormat.fileName(base, companion)));
        }
    }

    /** The write buffer of each active segment: none where writes cost no system call. */
    private static int bufferBytes(StorageFileSystem fs, SegmentedFileOptions options) {
        return fs.coalesceWrites() ? options.writeBufferBytes() : 0;
    }

    private static Segment createSegment(StorageFileSystem fs, Path directory, SegmentedFileOptions options,
            long base) throws IOException {
        Segment segment = Segment.create(fs, directory.resolve(SegmentFormat.fileName(base, options.suffix())), base,
                bufferBytes(fs, options));
        fs.syncDirectory(directory);
        return segment;
    }

    private static Segment openSegment(StorageFileSystem fs, Path directory, SegmentedFileOptions options, long base,
            boolean last) throws IOException {
        Path path = directory.resolve(SegmentFormat.fileName(base, options.suffix()));
        if (last && fs.size(path) <= SegmentFormat.HEADER_SIZE) {
            // A segment rolled just before a crash may not have its header yet; it holds no entries.
            try {
                return Segment.open(fs, path, base, bufferBytes(fs, options));
            } catch (CorruptFileException headerTorn) {
                LOG.warn("recreating {}: its header was torn ({})", path, headerTorn.getMessage());
                return Segment.create(fs, path, base, bufferBytes(fs, options));
            }
        }
        return Segment.open(fs, path, base, bufferBytes(fs, options));
    }

    /** What recovery found when this file was opened. */
    public RecoveryReport recovery() {
        return recovery;
    }

    public Path directory() {
        return directory;
    }

    public SegmentedFileOptions options() {
        return options;
    }

    /** The segments, oldest first; an immutable snapshot. */
    public List<Segment> segments() {
        return segments;
    }

    /** The segment that takes appends: the last one. */
    public Segment active() {
        List<Segment> current = segments;
        return current.get(current.size() - 1);
    }

    /** The segment with the greatest base {@code <= base}, or null if every base is greater. */
    public Segment floorSegment(long base) {
        List<Segment> current = segments;
        int low = 0;
        int high = current.size() - 1;
        Segment found = null;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            Segment s = current.get(mid);
            if (s.base() <= base) {
                found = s;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return found;
    }

    /** Total bytes of all segments, headers included. */
    public long sizeBytes() {
        long total = 0;
        for (Segment s : segments) {
            total += s.size();
        }
        return total;
    }

    /**
     * Changes the size the active segment rolls at and the largest entry {@link #append} accepts,
     * from the next append on (a live change of the owner's settings). Segments already written
     * keep their entries. Writer only.
     */
    public void changeLimits(long segmentBytes, int maxEntryBytes) {
        options = options.withSegmentBytes(segmentBytes).withMaxEntryBytes(maxEntryBytes);
    }

    /** Whether an entry of {@code payloadBytes} should go to a new segment: the active one is non-empty and would pass the segment size. */
    public boolean shouldRoll(int payloadBytes) {
        Segment current = active();
        return !current.isEmpty()
                && current.size() + SegmentFormat.FRAME_OVERHEAD + payloadBytes > options.segmentBytes();
    }

    /**
     * Appends one entry (the remaining bytes of {@code payload}) to the active segment. Writer
     * only. The entry is visible to readers on return, durable after {@link #awaitDurable}.
     *
     * @return the entry's position in {@link #active()}
     * @throws IllegalArgumentException if the payload is larger than the max entry size
     * @throws StorageException if the write fails, or an earlier fsync did
     */
    public long append(ByteBuffer payload) {
        ensureOpen();
        groupCommit.checkNotFailed();
        int length = payload.remaining();
        if (length > options.maxEntryBytes()) {
            throw new IllegalArgumentException("entry of " + length + " bytes exceeds the limit of "
                    + options.maxEntryBytes() + " bytes for " + directory);
        }
        Segment segment = active();
        int crc = SegmentFormat.entryCrc(length, payload);
        long position;
        try {
            // Into the write buffer when it takes the entry: a copy, no system call.
            position = segment.appendBuffered(length, crc, payload);
            if (position < 0 && length <= COPY_LIMIT_BYTES) {
                ByteBuffer frame = frameBuffer(SegmentFormat.FRAME_OVERHEAD + length);
                frame.putInt(length).putInt(crc).put(payload.duplicate()).flip();
                position = segment.appendFrame(frame);
            } else if (position < 0) {
                ByteBuffer head = ByteBuffer.allocate(SegmentFormat.FRAME_OVERHEAD).putInt(length).putInt(crc).flip();
                position = segment.appendFrame(head, payload.duplicate());
            }
        } catch (IOException e) {
            StorageException error = new StorageException("append to " + segment.path() + " failed: "
                    + e.getMessage(), e);
            // The bytes may be partly on disk: nothing after this point could be trusted.
            groupCommit.fail(error);
            throw error;
        }
        payload.position(payload.limit());
        WRITTEN_MARK.setRelease(this, (long) WRITTEN_MARK.getOpaque(this) + SegmentFormat.FRAME_OVERHEAD + length);
        return position;
    }

    private ByteBuffer frameBuffer(int size) {
        if (frameBuffer.capacity() < size) {
            frameBuffer = ByteBuffer.allocateDirect(Math.max(size, frameBuffer.capacity() * 2));
        }
        return frameBuffer.clear();
    }

    /** Bytes appended since open: pass the value read after an append to {@link #awaitDurable}. */
    public long writtenMark() {
        return (long) WRITTEN_MARK.getAcquire(this);
    }

    /** The highest written mark known to be durable. */
    public long durableMark() {
        return groupCommit.durableMark();
    }

    /**
     * Returns when everything up to {@code mark} is as durable as the policy promises: fsynced for
     * {@code ALWAYS} (sharing fsyncs with concurrent callers); at once for the other policies.
     *
     * @throws StorageException if an fsync failed
     */
    public void awaitDurable(long mark) {
        if (options.durability() == Durability.ALWAYS) {
            groupCommit.awaitDurable(mark);
        } else {
            groupCommit.checkNotFailed();
        }
    }

    /**
     * The non-blocking form of {@link #awaitDurable}: calls {@code callback} with null once
     * everything up to {@code mark} is as durable as the policy promises (at once, on this thread,
     * for policies other than {@code ALWAYS}, or if it is already), or with the failure of an
     * fsync. Under {@code ALWAYS} the fsync is handed to {@code syncer} (see
     * {@link GroupCommit#requestSync}), and the callback runs on the thread whose fsync covered
     * the mark.
     */
    public void whenDurable(long mark, java.util.concurrent.Executor syncer, GroupCommit.DurableCallback callback) {
        if (options.durability() == Durability.ALWAYS) {
            groupCommit.whenDurable(mark, callback);
            if (groupCommit.durableMark() < mark) {
                groupCommit.requestSync(syncer);
            }
        } else {
            callback.onDurable(groupCommit.failure());
        }
    }

    /**
     * Hands the appends still in the write buffer to the operating system (no fsync), so a crash
     * of this process cannot take them. Any thread; the background flusher calls it every
     * {@link BackgroundFlusher#WRITE_OUT_INTERVAL_MS} ms for files not synced on every append.
     *
     * @throws StorageException if the write fails; the file then refuses further appends
     */
    public void writeOut() {
        if (closed) {
            return;
        }
        Segment segment = active();
        try {
            segment.writeOut();
        } catch (IOException e) {
            StorageException error = new StorageException("write of " + segment.path() + " failed: " + e.getMessage(), e);
            groupCommit.fail(error);
            throw error;
        }
    }

    /** The flusher's write-out: the owner's hook, the write, and an fsync ahead if enough is unsynced. */
    private void writeOutInBackground() {
        beforeBackgroundFlush.run();
        writeOut();
        // Not once an fsync has failed: the file refuses writes then, and every request would fail again.
        if (groupCommit.failure() == null && writtenMark() - groupCommit.durableMark() >= SYNC_AHEAD_BYTES) {
            storage.flusher().requestSync(syncAhead);
        }
    }

    private void syncAhead() {
        if (!closed && groupCommit.failure() == null) {
            sync();
        }
    }

    /**
     * Sets what the background flusher runs before each write-out and fsync of this file: an
     * owner that holds appends back (the log's open batch) appends them there, so the flusher's
     * bounds cover them too. The hook runs on the flusher's thread.
     */
    public void beforeBackgroundFlush(Runnable hook) {
        beforeBackgroundFlush = hook;
    }

    /**
     * Throws what an {@link #append} would throw before writing anything: for an owner that takes
     * appends it hands over later, so they fail at once as a direct append would.
     *
     * @throws ClosedException if the file is closed
     * @throws StorageException if an earlier write or fsync failed
     */
    public void checkWritable() {
        ensureOpen();
        groupCommit.checkNotFailed();
    }

    /** Fsyncs everything appended so far, whatever the policy. */
    public void sync() {
        groupCommit.sync();
    }

    /**
     * Closes the active segment (fsyncing it) and starts a new one named {@code base}. Writer only.
     *
     * @return the new active segment
     * @throws IllegalArgumentException if {@code base} is not greater than the active segment's
     */
    public Segment roll(long base) {
        ensureOpen();
        groupCommit.checkNotFailed();
        Segment old = active();
        if (base <= old.base()) {
            throw new IllegalArgumentException("new segment base " + base + " must exceed the active segment's "
                    + old.base() + " in " + directory);
        }
        Segment created;
        try {
            old.seal();
            old.force();
            created = createSegment(fs, directory, options, base);
        } catch (IOException | StorageException e) {
            StorageException error = e instanceof StorageException se ? se
                    : new StorageException("roll of " + directory + " failed: " + e.getMessage(), e);
            groupCommit.fail(error);
            throw error;
        }
        List<Segment> next = new ArrayList<>(segments);
        next.add(created);
        segments = List.copyOf(next);
        return created;
    }

    /**
     * Deletes every segment whose entries all lie below {@code base}: those followed by a segment
     * whose base is {@code <= base}, with their companion files. The active segment is never deleted. The deletion is durable
     * (the directory is fsynced) when this returns. Writer only.
     *
     * @return the number of segments deleted
     */
    public int deleteSegmentsBelow(long base) {
        ensureOpen();
        List<Segment> current = segments;
        int drop = 0;
        while (drop < current.size() - 1 && current.get(drop + 1).base() <= base) {
            drop++;
        }
        if (drop == 0) {
            return 0;
        }
        List<Segment> removed = current.subList(0, drop);
        segments = List.copyOf(current.subList(drop, current.size()));
        try {
            for (Segment s : removed) {
                fs.delete(s.path());
                deleteCompanions(s.base());
            }
            // Otherwise a power loss could bring deleted segments back under the live ones.
            fs.syncDirectory(directory);
        } catch (IOException e) {
            throw new StorageException("cannot delete old segments of " + directory + ": " + e.getMessage(), e);
        } finally {
            retire(removed);
        }
        return drop;
    }

    /**
     * Cuts the file so that {@code segment} is the last one and ends at {@code position}, deleting
     * every later segment with its companion files. Writer only. For owners that must drop entries
     * they wrote (a follower diverging from its leader) and for recovery. Durable on return.
     *
     * <p>Crash order: the later segments are deleted newest first and the directory fsynced
     * before {@code segment} is cut and fsynced, so a crash at any step leaves a prefix of the
     * entries (the old ones, or fewer), never later segments after a gap.
     */
    public void truncateTo(Segment segment, long position) {
        ensureOpen();
        List<Segment> current = segments;
        int index = current.indexOf(segment);
        if (index < 0) {
            throw new IllegalArgumentException(segment.path() + " is not a live segment of " + directory);
        }
        if (position < SegmentFormat.HEADER_SIZE || position > segment.size()) {
            throw new IllegalArgumentException("cannot truncate " + segment.path() + " to position " + position
                    + " (valid: " + SegmentFormat.HEADER_SIZE + " to " + segment.size() + ")");
        }
        List<Segment> dropped = current.subList(index + 1, current.size());
        segments = List.copyOf(current.subList(0, index + 1));
        try {
            deleteNewestFirst(dropped);
            segment.truncate(position);
            segment.force();
        } catch (IOException e) {
            throw failed("cannot truncate " + directory, e);
        } finally {
            retire(dropped);
        }
    }

    /**
     * Deletes every segment (newest first, with its companion files) and starts the file anew with
     * one empty segment of base {@code base}, which may be lower or higher than any before. Writer
     * only; durable on return. A crash part way leaves a prefix of the old entries, or none (the
     * file then reopens with one empty segment of the initial base its owner opens it with).
     */
    public void restartAt(long base) {
        ensureOpen();
        groupCommit.checkNotFailed();
        List<Segment> current = segments;
        try {
            deleteNewestFirst(current);
            segments = List.of(createSegment(fs, directory, options, base));
        } catch (IOException e) {
            throw failed("cannot restart " + directory + " at " + base, e);
        } finally {
            retire(current);
        }
    }

    /** Deletes {@code removed} from the last to the first, with companions, then fsyncs the directory. */
    private void deleteNewestFirst(List<Segment> removed) throws IOException {
        for (int i = removed.size() - 1; i >= 0; i--) {
            Segment s = removed.get(i);
            fs.delete(s.path());
            deleteCompanions(s.base());
        }
        if (!removed.isEmpty()) {
            // Otherwise a power loss could bring a deleted segment back after the cut.
            fs.syncDirectory(directory);
        }
    }

    /** Marks the file failed with a {@link StorageException} for {@code what} and returns it to throw. */
    private StorageException failed(String what, IOException cause) {
        StorageException error = new StorageException(what + ": " + cause.getMessage(), cause);
        groupCommit.fail(error);
        return error;
    }

    /**
     * One segment written to replace consecutive sealed segments, durable under its temporary
     * name ({@link SegmentFormat#cleanedFileName}), waiting for {@link #commitReplacement}.
     */
    public static final class Replacement {
        private final List<Segment> old;
        private final long end;
        private final Path cleaned;
        private final boolean empty;

        private Replacement(List<Segment> old, long end, Path cleaned, boolean empty) {
            this.old = old;
            this.end = end;
            this.cleaned = cleaned;
            this.empty = empty;
        }

        /** The segments replaced, oldest first. */
        public List<Segment> old() {
            return old;
        }

        /** The base of the new segment: that of the first one replaced. */
        public long base() {
            return old.get(0).base();
        }
    }

    /**
     * Writes one segment to replace {@code old} (consecutive sealed segments, oldest first), of
     * the first one's base and holding {@code payloads}, to a temporary file, and fsyncs it; for
     * owners that rewrite old segments (compaction). Any thread, concurrently with appends: it
     * touches no live segment. Publish it with {@link #commitReplacement}.
     *
     * @throws IllegalArgumentException if {@code old} is empty, not consecutive, or takes in the
     *     active segment
     */
    public Replacement prepareReplacement(List<Segment> old, Iterable<ByteBuffer> payloads) {
        ensureOpen();
        List<Segment> replaced = List.copyOf(old);
        long end = endOfRun(segments, replaced);
        Path cleaned = directory.resolve(SegmentFormat.cleanedFileName(replaced.get(0).base(), options.suffix()));
        boolean empty = true;
        try (dev.cairn.storage.fs.StorageFile file = fs.open(cleaned)) {
            file.truncate(0);
            file.write(SegmentFormat.header(replaced.get(0).base()), 0);
            long position = SegmentFormat.HEADER_SIZE;
            for (ByteBuffer payload : payloads) {
                int length = payload.remaining();
                ByteBuffer head = ByteBuffer.allocate(SegmentFormat.FRAME_OVERHEAD).putInt(length)
                        .putInt(SegmentFormat.entryCrc(length, payload)).flip();
                file.write(head, position);
                file.write(payload.duplicate(), position + SegmentFormat.FRAME_OVERHEAD);
                position += SegmentFormat.FRAME_OVERHEAD + length;
                empty = false;
            }
            file.force();
        } catch (IOException e) {
            throw new StorageException("cannot write the replacement of " + replaced.size() + " segments from "
                    + replaced.get(0).path() + ": " + e.getMessage(), e);
        }
        return new Replacement(replaced, end, cleaned, empty);
    }

    /**
     * The base of the segment after {@code run}, which must be consecutive segments of
     * {@code current} other than its last (active) one.
     */
    private long endOfRun(List<Segment> current, List<Segment> run) {
        int first = run.isEmpty() ? -1 : current.indexOf(run.get(0));
        boolean consecutive = first >= 0 && first + run.size() < current.size();
        for (int i = 0; consecutive && i < run.size(); i++) {
            consecutive = current.get(first + i) == run.get(i);
        }
        if (!consecutive) {
            throw new IllegalArgumentException(run.size() + " segments from "
                    + (run.isEmpty() ? "none" : run.get(0).path()) + " are not consecutive sealed segments of "
                    + directory);
        }
        return current.get(first + run.size()).base();
    }

    /**
     * Puts a prepared replacement in place of its segments by the steps {@link SegmentFormat}
     * states (.cleaned renamed to .swap, the old segments and their companion files deleted, the
     * .swap renamed over the first one's name; a directory fsync after each), and swaps it into
     * {@link #segments()}. A replacement without entries leaves no segment, unless it replaces the
     * first one (whose base is where the file begins). Writer only. Readers holding an old segment
     * keep reading its file until the next deletion round.
     *
     * @return the new segment, or null if none was left
     * @throws IllegalArgumentException if the old segments are no longer consecutive sealed
     *     segments of this file followed by the same segment (nothing is changed)
     * @throws StorageException if a step fails: before the commit point nothing is changed; after
     *     it, the file refuses further appends, and the next open completes the replacement
     */
    public Segment commitReplacement(Replacement replacement) {
        ensureOpen();
        List<Segment> current = segments;
        long end;
        try {
            end = endOfRun(current, replacement.old);
            if (end != replacement.end) {
                throw new IllegalArgumentException("the segments from " + replacement.old.get(0).path()
                        + " are now followed by base " + end + ", not " + replacement.end);
            }
        } catch (IllegalArgumentException e) {
            deleteQuietly(replacement.cleaned);
            throw e;
        }
        long base = replacement.base();
        Path target = replacement.old.get(0).path();
        Path swap = directory.resolve(SegmentFormat.swapFileName(base, end, options.suffix()));
        try {
            fs.atomicMove(replacement.cleaned, swap);
            fs.syncDirectory(directory);
        } catch (IOException e) {
            deleteQuietly(replacement.cleaned);
            throw new StorageException("cannot commit the replacement of " + target + ": " + e.getMessage(), e);
        }
        boolean keep = !replacement.empty || current.get(0) == replacement.old.get(0);
        Segment fresh = null;
        try {
            for (Segment s : replacement.old) {
                if (s != replacement.old.get(0)) {
                    fs.delete(s.path());
                }
                deleteCompanions(s.base());
            }
            fs.syncDirectory(directory);
            if (keep) {
                fs.atomicMove(swap, target);
            } else {
                fs.delete(target); // first, so a crash between the two deletes leaves the swap to finish
                fs.delete(swap);
            }
            fs.syncDirectory(directory);
            if (keep) {
                fresh = Segment.open(fs, target, base, 0);
            }
        } catch (IOException | RuntimeException e) {
            StorageException error = new StorageException("replacement of " + replacement.old.size()
                    + " segments from " + target + " failed after its commit point (the next open completes it): "
                    + e.getMessage(), e);
            groupCommit.fail(error);
            throw error;
        }
        int index = current.indexOf(replacement.old.get(0));
        List<Segment> next = new ArrayList<>(current.subList(0, index));
        if (fresh != null) {
            next.add(fresh);
        }
        next.addAll(current.subList(index + replacement.old.size(), current.size()));
        segments = List.copyOf(next);
        retire(replacement.old);
        return fresh;
    }

    private void deleteQuietly(Path path) {
        try {
            fs.delete(path);
        } catch (IOException ignored) {
            // A stale temporary file is deleted on the next open.
        }
    }

    private void retire(List<Segment> removed) {
        retired.addAll(removed);
    }

    /**
     * Closes the handles of the segments removed (by deletion, truncation or replacement) before
     * this call. Writer only. Owners call it at the start of each maintenance round, so a reader
     * that took the segment list before a removal has until the next round to finish with it,
     * however many segments one round removes (a compaction pass may replace several groups).
     */
    public void closeRetired() {
        retired.forEach(Segment::close);
        retired.clear();
    }

    private void ensureOpen() {
        if (closed) {
            throw new ClosedException("segmented file " + directory);
        }
    }

    public boolean isClosed() {
        return closed;
    }

    /**
     * Fsyncs what was appended, records a clean shutdown (so the next open skips the scan) and
     * closes every segment. Idempotent. A file whose fsync failed is closed without the marker.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        storage.flusher().unregister(backgroundSync);
        storage.flusher().unregisterWriteOut(backgroundWriteOut);
        try {
            if (groupCommit.failure() == null) {
                sealActive();
                groupCommit.sync();
                Segment last = active();
                ByteBuffer marker = ByteBuffer.allocate(16).putLong(last.base()).putLong(last.size()).flip();
                AtomicFile.write(fs, directory.resolve(CLEAN_MARKER), CLEAN_MARKER_MAGIC, CLEAN_MARKER_VERSION, marker);
            }
        } finally {
            segments.forEach(Segment::close);
            retired.forEach(Segment::close);
        }
    }

    private void sealActive() {
        try {
            active().seal();
        } catch (IOException e) {
            StorageException error = new StorageException("cannot close " + active().path() + ": " + e.getMessage(), e);
            groupCommit.fail(error);
            throw error;
        }
    }

    @Override
    public String toString() {
        return "SegmentedFile[" + directory + ", " + segments.size() + " segments]";
    }
}
