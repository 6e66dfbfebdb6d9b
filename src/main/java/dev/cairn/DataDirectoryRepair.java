package dev.cairn;

import dev.cairn.common.CairnException;
import dev.cairn.common.StorageException;
import dev.cairn.dictionary.SnapshotRules;
import dev.cairn.dictionary.persistence.AofEntryFormat;
import dev.cairn.log.internal.OffsetIndexFormat;
import dev.cairn.log.internal.RecordBatchFormat;
import dev.cairn.log.internal.TimeIndexFormat;
import dev.cairn.storage.AtomicFile;
import dev.cairn.storage.Storage;
import dev.cairn.storage.fs.OverlayFileSystem;
import dev.cairn.storage.segment.SegmentFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Finds what recovery would change in a data directory, lists it with what each change drops, and
 * then lets recovery make exactly those changes: the command-line tool's {@code repair}.
 *
 * <p>There is no second recovery here. {@link #plan} opens the directory through an
 * {@link OverlayFileSystem} (as a read-only open does) with truncation at corruption allowed, opens
 * the log and every dictionary database in it, so that the library's own recovery runs, and reads
 * off the overlay what it changed: a segment cut short, a file deleted or written. Each cut is
 * described from the bytes on disk it drops (the record batches and their offsets, the append-only
 * entries and their commands). {@link #apply} then opens the directory for real, with the same
 * settings, and recovery makes the same changes on disk; it checks beforehand that no file changed
 * since the plan and afterwards that each file came out as planned.
 *
 * <p>Recovery mends the damage a crash leaves: the torn or corrupt tail of a segmented file's last
 * segment, a missing or bad index, a leftover of an interrupted write. What it cannot mend is
 * reported, not changed: a problem {@link DataDirectoryCheck} finds in a file recovery leaves
 * alone (corruption in a sealed segment, a damaged snapshot or metadata file), a part that does not
 * open even when truncating at corruption (a segment missing, a manifest with no good copy), and a
 * part whose recovery would cut a segment that is not its file's last (dropping sealed segments
 * after it). Such a part is left out of {@link #apply} as a whole.
 *
 * <p>Both steps take the directory's lock (shared for the plan, exclusive for the repair), so they
 * refuse while a Cairn has it open. Stateless; a {@link Plan} is immutable.
 */
public final class DataDirectoryRepair {
    /** The clock recovery runs with: at the epoch no key has expired and no segment is due for retention. */
    private static final Instant NOTHING_DUE = Instant.EPOCH;
    private static final String LOG = "log";
    private static final String CLEAN_SHUTDOWN = "clean-shutdown";
    private static final String LOG_SUFFIX = ".log";
    private static final String AOF_SUFFIX = ".aof";
    /** Commands named per cut before the rest are only counted. */
    private static final int NAMED_COMMANDS = 10;
    /** Bytes past an unreadable entry searched for a readable one, as recovery bounds its own search. */
    private static final long RESYNC_LIMIT_BYTES = 64L << 20;

    private DataDirectoryRepair() {
    }

    /** What a repair does to one file. */
    public enum Kind {
        /** Cut the file at {@link Action#fromPosition()}, dropping the bytes to {@link Action#toPosition()}. */
        TRUNCATE,
        /** Delete the file. */
        DELETE,
        /** Write the file anew from what it is derived from (an index from its segment). */
        REBUILD,
        /** Write the file anew as recovery does (a manifest, a segment's header). */
        REWRITE
    }

    /**
     * One change a repair makes.
     *
     * @param file the file, absolute
     * @param kind what is done to it
     * @param fromPosition the first byte dropped or rewritten
     * @param toPosition the end of the bytes dropped or rewritten (the file's size on disk)
     * @param what what is dropped, in words: records and offsets, entries and commands, or why
     *     nothing of value is
     */
    public record Action(Path file, Kind kind, long fromPosition, long toPosition, String what) {
        /** Bytes dropped or rewritten. */
        public long bytes() {
            return toPosition - fromPosition;
        }
    }

    /**
     * What {@link #plan} found.
     *
     * @param root the data directory, absolute
     * @param actions what a repair does, by file
     * @param unrepairable damage a repair leaves as it is, each naming its file
     * @param parts the parts (the log, dictionary databases by directory name) a repair opens
     * @param sizesOnDisk the size on disk of each file an action names when the plan was made
     */
    public record Plan(Path root, List<Action> actions, List<DataDirectoryCheck.Problem> unrepairable,
            List<String> parts, Map<Path, Long> sizesOnDisk) {
        public Plan {
            actions = List.copyOf(actions);
            unrepairable = List.copyOf(unrepairable);
            parts = List.copyOf(parts);
            sizesOnDisk = Map.copyOf(sizesOnDisk);
        }

        /** Whether there is nothing to repair and nothing damaged. */
        public boolean clean() {
            return actions.isEmpty() && unrepairable.isEmpty();
        }
    }

    /**
     * Lists what a repair of {@code root} would do and what it cannot mend, changing nothing.
     *
     * @throws StorageException if {@code root} is not a directory, or a Cairn has it open
     * @throws IOException if a file cannot be read
     */
    public static Plan plan(Path root) throws IOException {
        Path absolute = root.toAbsolutePath().normalize();
        List<DataDirectoryCheck.Problem> problems = DataDirectoryCheck.check(absolute, bytes -> { });
        List<DataDirectoryCheck.Problem> unrepairable = new ArrayList<>();
        OverlayFileSystem overlay = new OverlayFileSystem();
        List<String> opened = new ArrayList<>();
        List<OverlayFileSystem.Change> changes;
        Storage layered = Storage.open(overlay, absolute, Storage.FLUSH_INTERVAL_MS);
        try {
            forgetCleanShutdowns(layered, parts(absolute));
        } catch (IOException | RuntimeException e) {
            layered.close();
            throw e;
        }
        try (Cairn cairn = settings(absolute).open(layered)) {
            for (String part : parts(absolute)) {
                try {
                    openPart(cairn, part);
                    opened.add(part);
                } catch (CairnException e) {
                    unrepairable.add(new DataDirectoryCheck.Problem(absolute.resolve(part), -1,
                            "does not open, even truncating at corruption, and is left as it is: " + e.getMessage()));
                }
            }
        }
        // After close, which writes what a close writes (the active segments' indexes among it).
        changes = overlay.changes();
        Map<String, List<Action>> byPart = new TreeMap<>();
        Map<Path, Long> sizes = new TreeMap<>();
        for (OverlayFileSystem.Change change : changes) {
            Action action = describe(change);
            if (action != null) {
                byPart.computeIfAbsent(partOf(absolute, change.path()), p -> new ArrayList<>()).add(action);
                sizes.put(change.path(), change.sizeOnDisk());
            }
        }
        List<Action> actions = new ArrayList<>();
        List<String> repaired = new ArrayList<>(opened);
        byPart.keySet().retainAll(opened);
        for (Map.Entry<String, List<Action>> e : byPart.entrySet()) {
            String beyondTail = cutBeforeTheTail(e.getValue());
            if (beyondTail == null) {
                actions.addAll(e.getValue());
                continue;
            }
            repaired.remove(e.getKey());
            for (Action a : e.getValue()) {
                sizes.remove(a.file());
                if (a.kind() == Kind.TRUNCATE || a.kind() == Kind.DELETE) {
                    unrepairable.add(new DataDirectoryCheck.Problem(a.file(), a.kind() == Kind.TRUNCATE
                            ? a.fromPosition() : -1, beyondTail + "; recovery would drop " + a.bytes() + " bytes here ("
                            + a.what() + "), so " + e.getKey() + " is left as it is"));
                }
            }
        }
        for (DataDirectoryCheck.Problem p : problems) {
            boolean mended = actions.stream().anyMatch(a -> a.file().equals(p.file()));
            boolean named = unrepairable.stream().anyMatch(u -> u.file().equals(p.file()));
            if (!mended && !named) {
                unrepairable.add(new DataDirectoryCheck.Problem(p.file(), p.position(), p.what()
                        + " (recovery does not mend this; it is left as it is)"));
            }
        }
        repaired.removeIf(part -> actions.stream().noneMatch(a -> partOf(absolute, a.file()).equals(part)));
        return new Plan(absolute, actions, unrepairable, repaired, sizes);
    }

    /**
     * Lets recovery make the plan's changes on disk: opens the directory with the settings the plan
     * was made with, opens the parts the plan repairs, and closes it again (cleanly, as any close).
     *
     * @throws StorageException if a file the plan names changed since (nothing is repaired then),
     *     a Cairn has the directory open, or a file did not come out as planned
     */
    public static void apply(Plan plan) throws IOException {
        for (Map.Entry<Path, Long> e : plan.sizesOnDisk().entrySet()) {
            long now = Files.isRegularFile(e.getKey()) ? Files.size(e.getKey()) : -1;
            if (now != e.getValue()) {
                throw new StorageException(e.getKey() + " changed since the repair was planned (" + e.getValue()
                        + " bytes then, " + now + " now); nothing was repaired. Plan it again");
            }
        }
        if (plan.parts().isEmpty()) {
            return;
        }
        Storage storage = Storage.open(plan.root());
        try {
            // Only the parts repaired: a part left as it is keeps its files, markers included.
            forgetCleanShutdowns(storage, plan.parts());
        } catch (IOException | RuntimeException e) {
            storage.close();
            throw e;
        }
        try (Cairn cairn = settings(plan.root()).open(storage)) {
            for (String part : plan.parts()) {
                openPart(cairn, part);
            }
        }
        for (Action a : plan.actions()) {
            boolean exists = Files.isRegularFile(a.file());
            boolean asPlanned = switch (a.kind()) {
                case TRUNCATE -> exists && Files.size(a.file()) <= a.fromPosition();
                case DELETE -> !exists;
                case REBUILD, REWRITE -> true;
            };
            if (!asPlanned) {
                throw new StorageException(a.file() + " did not come out of recovery as planned (" + a.kind() + " at "
                        + a.fromPosition() + "; now " + (exists ? Files.size(a.file()) + " bytes" : "absent") + ")");
            }
        }
    }

    /**
     * Deletes every clean-shutdown marker of {@code parts}, so that recovery scans each segmented file's last
     * segment as after a crash: a marker spares the scan of a file that was closed cleanly, but
     * damage that came after the close (a bad sector, a copy cut short) would then go unseen. Every
     * open deletes the markers it finds anyway, and every clean close writes them again.
     */
    private static void forgetCleanShutdowns(Storage storage, List<String> parts) throws IOException {
        for (String part : parts) {
            List<Path> markers;
            try (Stream<Path> all = Files.walk(storage.root().resolve(part))) {
                markers = all.filter(p -> p.getFileName().toString().equals(CLEAN_SHUTDOWN)).toList();
            }
            for (Path marker : markers) {
                storage.fs().delete(marker);
            }
        }
    }

    private static Cairn.Builder settings(Path root) {
        return Cairn.builder().directory(root).truncateOnCorruption(true).snapshotRules(SnapshotRules.ON_DEMAND)
                .clock(ManualClock.at(NOTHING_DUE)).jmx(false);
    }

    /** The parts of the directory: {@code log} if present, then each database's directory. */
    private static List<String> parts(Path root) throws IOException {
        List<String> found = new ArrayList<>();
        if (Files.isDirectory(root.resolve(LOG))) {
            found.add(LOG);
        }
        Map<Integer, String> databases = new TreeMap<>();
        try (Stream<Path> entries = Files.list(root)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                String name = p.getFileName().toString();
                int index = databaseIndex(name);
                if (index >= 0 && Files.isDirectory(p)) {
                    databases.put(index, name);
                }
            }
        }
        found.addAll(databases.values());
        return found;
    }

    /** The database a directory name holds ({@code dictionary} is 0, {@code dictionary-n} is n), or -1. */
    private static int databaseIndex(String name) {
        if (name.equals("dictionary")) {
            return 0;
        }
        if (name.matches("dictionary-\\d{1,2}")) {
            int index = Integer.parseInt(name.substring("dictionary-".length()));
            return index > 0 && index < Cairn.DATABASES ? index : -1;
        }
        return -1;
    }

    private static void openPart(Cairn cairn, String part) {
        if (part.equals(LOG)) {
            cairn.log();
        } else {
            cairn.dictionary(databaseIndex(part));
        }
    }

    private static String partOf(Path root, Path file) {
        Path relative = root.relativize(file);
        return relative.getNameCount() > 1 ? relative.getName(0).toString() : "";
    }

    /**
     * Why the actions of one part go beyond a tail, or null if they do not: a cut in a segment
     * followed by others in its directory, or a segment deleted (which recovery does only after
     * such a cut). Either drops sealed segments' entries, which a crash does not tear.
     */
    private static String cutBeforeTheTail(List<Action> actions) {
        for (Action a : actions) {
            String name = a.file().getFileName().toString();
            if (!isSegment(name)) {
                continue;
            }
            if (a.kind() == Kind.DELETE) {
                return "recovery would delete the whole segment " + a.file();
            }
            if (a.kind() == Kind.TRUNCATE && !isLastSegment(a.file())) {
                return a.file() + " is not the last segment of its directory";
            }
        }
        return null;
    }

    private static boolean isSegment(String name) {
        return SegmentFormat.parseBase(name, LOG_SUFFIX) >= 0 || SegmentFormat.parseBase(name, AOF_SUFFIX) >= 0;
    }

    private static boolean isLastSegment(Path segment) {
        String suffix = segment.getFileName().toString().endsWith(LOG_SUFFIX) ? LOG_SUFFIX : AOF_SUFFIX;
        long base = SegmentFormat.parseBase(segment.getFileName().toString(), suffix);
        try (Stream<Path> siblings = Files.list(segment.getParent())) {
            return siblings.noneMatch(p -> SegmentFormat.parseBase(p.getFileName().toString(), suffix) > base);
        } catch (IOException e) {
            throw new StorageException("cannot list " + segment.getParent() + ": " + e.getMessage(), e);
        }
    }

    /** The action a change of the overlay stands for, or null for one every open makes. */
    private static Action describe(OverlayFileSystem.Change change) throws IOException {
        Path file = change.path();
        String name = file.getFileName().toString();
        long onDisk = Math.max(0, change.sizeOnDisk());
        if (name.equals(CLEAN_SHUTDOWN)) {
            // Every open deletes it, and every clean close writes it again.
            return null;
        }
        boolean index = name.endsWith(OffsetIndexFormat.SUFFIX) || name.endsWith(TimeIndexFormat.SUFFIX);
        if (index && change.kind() != OverlayFileSystem.Change.Kind.DELETED) {
            return new Action(file, Kind.REBUILD, 0, onDisk, "rebuilt from its segment; no record is lost");
        }
        switch (change.kind()) {
            case TRUNCATED -> {
                String what = isSegment(name) ? droppedEntries(file, change.size(), onDisk)
                        : "bytes past what the file's format holds";
                return new Action(file, Kind.TRUNCATE, change.size(), onDisk, what);
            }
            case DELETED -> {
                String what = name.endsWith(AtomicFile.TEMP_SUFFIX) || name.endsWith(SegmentFormat.CLEANED_SUFFIX)
                        || name.endsWith(SegmentFormat.SWAP_SUFFIX)
                        ? "the leftover of an interrupted write; the file it was to replace is intact"
                        : isSegment(name) ? droppedEntries(file, SegmentFormat.HEADER_SIZE, onDisk)
                        : "a file recovery removes (not named by the directory's metadata)";
                return new Action(file, Kind.DELETE, 0, onDisk, what);
            }
            case CREATED, REWRITTEN -> {
                return new Action(file, Kind.REWRITE, 0, onDisk, change.kind() == OverlayFileSystem.Change.Kind.CREATED
                        ? "created by recovery" : "written anew by recovery");
            }
            default -> throw new IllegalStateException("unknown change " + change.kind());
        }
    }

    /**
     * The entries of segment {@code file} between {@code from} and {@code to} on disk, in words:
     * for the log, the record batches (records, offsets); for the append-only file, the entries
     * and their commands; and the bytes that are no readable entry.
     */
    static String droppedEntries(Path file, long from, long to) throws IOException {
        boolean log = file.getFileName().toString().endsWith(LOG_SUFFIX);
        Tally tally = new Tally(log);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long position = Math.max(from, SegmentFormat.HEADER_SIZE);
            while (position < to) {
                ByteBuffer payload = entryAt(channel, position, to);
                if (payload != null) {
                    tally.entry(payload);
                    position += SegmentFormat.FRAME_OVERHEAD + payload.remaining();
                    continue;
                }
                long next = nextEntry(channel, position + 1, to);
                tally.unreadable(position, next - position);
                position = next;
            }
        }
        return tally.toString();
    }

    /** The payload of the valid entry at {@code position} that ends by {@code to}, or null. */
    private static ByteBuffer entryAt(FileChannel channel, long position, long to) throws IOException {
        if (to - position < SegmentFormat.FRAME_OVERHEAD) {
            return null;
        }
        ByteBuffer frame = read(channel, position, SegmentFormat.FRAME_OVERHEAD);
        int length = frame.getInt(SegmentFormat.LENGTH_OFFSET);
        if (length < 0 || position + SegmentFormat.FRAME_OVERHEAD + (long) length > to) {
            return null;
        }
        ByteBuffer payload = read(channel, position + SegmentFormat.PAYLOAD_OFFSET, length);
        return SegmentFormat.entryCrc(length, payload) == frame.getInt(SegmentFormat.CRC_OFFSET) ? payload : null;
    }

    /** The first position from {@code from} where a valid entry starts, or {@code to}; bounded as recovery's search. */
    private static long nextEntry(FileChannel channel, long from, long to) throws IOException {
        long limit = Math.min(to, from + RESYNC_LIMIT_BYTES);
        for (long q = from; q < limit; q++) {
            if (entryAt(channel, q, to) != null) {
                return q;
            }
        }
        return to;
    }

    private static ByteBuffer read(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining() && channel.read(buffer, position + buffer.position()) >= 0) {
            // Until full, or the file ends.
        }
        return buffer.flip();
    }

    /** What a run of dropped bytes holds, counted as it is read. */
    private static final class Tally {
        private final boolean log;
        private long entries;
        private long records;
        private long firstOffset = -1;
        private long lastOffset = -1;
        private final List<String> commands = new ArrayList<>();
        private long moreCommands;
        private final List<ByteBuffer> fragments = new ArrayList<>();
        private final StringBuilder unreadable = new StringBuilder();

        Tally(boolean log) {
            this.log = log;
        }

        void entry(ByteBuffer payload) {
            if (log) {
                entries++;
                try {
                    long base = RecordBatchFormat.baseOffset(payload);
                    records += RecordBatchFormat.recordCount(payload);
                    firstOffset = firstOffset < 0 ? base : Math.min(firstOffset, base);
                    lastOffset = Math.max(lastOffset, RecordBatchFormat.lastOffset(payload));
                } catch (IndexOutOfBoundsException notABatch) {
                    // Counted as an entry; its records cannot be told.
                }
                return;
            }
            byte kind = payload.hasRemaining() ? payload.get(payload.position()) : 0;
            if (kind == AofEntryFormat.KIND_FRAGMENT || kind == AofEntryFormat.KIND_LAST_FRAGMENT) {
                fragments.add(payload.duplicate().position(payload.position() + AofEntryFormat.FRAGMENT_OVERHEAD));
                if (kind == AofEntryFormat.KIND_FRAGMENT) {
                    return;
                }
            }
            entries++;
            try {
                List<List<byte[]>> decoded = fragments.isEmpty() ? AofEntryFormat.decode(payload)
                        : AofEntryFormat.decode(List.copyOf(fragments));
                for (List<byte[]> command : decoded) {
                    if (commands.size() < NAMED_COMMANDS) {
                        commands.add(words(command));
                    } else {
                        moreCommands++;
                    }
                }
            } catch (IllegalArgumentException | IndexOutOfBoundsException undecodable) {
                commands.add("(an entry that does not decode)");
            }
            fragments.clear();
        }

        void unreadable(long position, long bytes) {
            unreadable.append(unreadable.length() == 0 ? "" : ", ").append(bytes).append(" unreadable bytes at ")
                    .append(position);
        }

        private static String words(List<byte[]> command) {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < Math.min(2, command.size()); i++) {
                String text = new String(command.get(i), StandardCharsets.UTF_8);
                s.append(i == 0 ? "" : " ").append(text.length() > 40 ? text.substring(0, 40) + "..." : text);
            }
            return s.toString();
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder();
            if (log) {
                s.append(entries).append(entries == 1 ? " record batch" : " record batches");
                if (entries > 0) {
                    s.append(" (").append(records).append(records == 1 ? " record" : " records")
                            .append(firstOffset >= 0 ? ", offsets " + firstOffset + ".." + lastOffset : "").append(')');
                }
            } else {
                s.append(entries).append(entries == 1 ? " append-only entry" : " append-only entries");
                if (!commands.isEmpty()) {
                    s.append(" (").append(String.join(", ", commands))
                            .append(moreCommands > 0 ? " and " + moreCommands + " more commands" : "").append(')');
                }
                if (!fragments.isEmpty()) {
                    s.append(", an unfinished write of ").append(fragments.size()).append(" fragments");
                }
            }
            if (unreadable.length() > 0) {
                s.append("; ").append(unreadable);
            }
            return s.toString();
        }
    }
}
