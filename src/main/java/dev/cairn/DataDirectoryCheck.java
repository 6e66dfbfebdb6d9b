package dev.cairn;

import dev.cairn.common.StorageException;
import dev.cairn.dictionary.persistence.ManifestFormat;
import dev.cairn.dictionary.persistence.SnapshotFormat;
import dev.cairn.log.internal.OffsetIndexFormat;
import dev.cairn.log.internal.TimeIndexFormat;
import dev.cairn.storage.SmallFileFormat;
import dev.cairn.storage.fs.OverlayFileSystem;
import dev.cairn.storage.fs.StorageFileSystem;
import dev.cairn.storage.segment.SegmentFormat;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Reads every file of a data directory and checks it against its format (docs/formats.md), changing
 * nothing: every segment's header and every entry's frame and CRC32C (a torn tail shows as the
 * entry where framing ends), each log segment's offset and time index against the segment (header,
 * order, and that each offset-index entry points at the start of the batch it names), snapshots'
 * end record and CRC, and the checksummed small files (manifest, clean-shutdown markers, topic
 * configs, log start offsets). Leftovers of an interrupted write ({@code *.tmp}, {@code .cleaned},
 * {@code .swap}) are not problems: recovery settles them.
 *
 * <p>Files are opened read-only; the directory's lock is taken shared for the duration, so the
 * check refuses ({@link StorageException}) while a Cairn has the directory open, whose files may be
 * mid-write. Stateless; {@link #check} may run on several threads for different directories.
 */
public final class DataDirectoryCheck {
    private static final String LOCK_FILE = "cairn.lock";
    private static final String LOG_SUFFIX = ".log";
    private static final String AOF_SUFFIX = ".aof";

    private DataDirectoryCheck() {
    }

    /**
     * One thing found wrong.
     *
     * @param file the file
     * @param position the byte position in the file where it is, or -1 for the whole file
     * @param what what is wrong, with the numbers
     */
    public record Problem(Path file, long position, String what) {
        @Override
        public String toString() {
            return file + (position >= 0 ? " at position " + position : "") + ": " + what;
        }
    }

    /** The bytes of the regular files under {@code root}, what {@link #check} reads (for progress). */
    public static long totalBytes(Path root) throws IOException {
        long total = 0;
        for (Path file : files(root)) {
            total += Files.size(file);
        }
        return total;
    }

    /**
     * Checks every file under {@code root}, reporting each file's bytes to {@code progress} once
     * it is read, and returns the problems found, in file order.
     *
     * @throws StorageException if {@code root} is not a directory, or a Cairn has it open
     * @throws IOException if a file cannot be read
     */
    public static List<Problem> check(Path root, LongConsumer progress) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new StorageException("cannot check " + root + ": no such directory");
        }
        List<Problem> problems = new ArrayList<>();
        Closeable shared;
        try {
            shared = new OverlayFileSystem().lock(root.resolve(LOCK_FILE));
        } catch (StorageFileSystem.LockHeldException e) {
            throw new StorageException("cannot check " + root + " while it is open: " + e.getMessage(), e);
        }
        try {
            for (Path file : files(root)) {
                checkFile(file, problems);
                progress.accept(Files.size(file));
            }
        } finally {
            shared.close();
        }
        return problems;
    }

    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static void checkFile(Path file, List<Problem> problems) throws IOException {
        String name = file.getFileName().toString();
        if (name.equals(LOCK_FILE) || name.endsWith(".tmp") || name.endsWith(SegmentFormat.CLEANED_SUFFIX)
                || name.endsWith(SegmentFormat.SWAP_SUFFIX)) {
            return;
        }
        if (isSegment(name, LOG_SUFFIX)) {
            Scan scan = checkSegment(file, LOG_SUFFIX, problems);
            long base = SegmentFormat.parseBase(name, LOG_SUFFIX);
            checkOffsetIndex(file.resolveSibling(SegmentFormat.fileName(base, OffsetIndexFormat.SUFFIX)), base,
                    scan, problems);
            checkTimeIndex(file.resolveSibling(SegmentFormat.fileName(base, TimeIndexFormat.SUFFIX)), base,
                    Files.size(file), problems);
        } else if (isSegment(name, AOF_SUFFIX)) {
            checkSegment(file, AOF_SUFFIX, problems);
        } else if (name.startsWith("snapshot-") && name.endsWith(".cds")) {
            checkSnapshot(file, problems);
        } else if (name.equals(ManifestFormat.FILE_NAME)) {
            checkSmallFile(file, ManifestFormat.MAGIC, problems);
        } else if (SMALL_FILES.contains(name) || name.endsWith(".topic")) {
            checkSmallFile(file, 0, problems);
        }
    }

    /** Small checksummed files by name: the shutdown marker, partitions' and replication's checkpoints. */
    private static final java.util.Set<String> SMALL_FILES = java.util.Set.of("clean-shutdown", "log-start-offset",
            "leader-epoch-checkpoint", "high-watermark", "replication-state", "replica-root");

    private static boolean isSegment(String name, String suffix) {
        return name.length() == SegmentFormat.NAME_DIGITS + suffix.length() && name.endsWith(suffix)
                && name.chars().limit(SegmentFormat.NAME_DIGITS).allMatch(Character::isDigit);
    }

    private static ByteBuffer read(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining() && channel.read(buffer, position + buffer.position()) >= 0) {
            // Until full, or the file ends.
        }
        return buffer.flip();
    }

    /**
     * What a segment's check found: for a log segment, each entry's position to its batch's base
     * offset; and where reading stopped (the file's size when every entry was readable).
     */
    private record Scan(Map<Long, Long> batches, long readableEnd) {
    }

    private static Scan checkSegment(Path file, String suffix, List<Problem> problems) throws IOException {
        Map<Long, Long> batches = new HashMap<>();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < SegmentFormat.HEADER_SIZE) {
                problems.add(new Problem(file, 0, "shorter (" + size + " bytes) than a segment header ("
                        + SegmentFormat.HEADER_SIZE + " bytes)"));
                return new Scan(batches, 0);
            }
            ByteBuffer header = read(channel, 0, SegmentFormat.HEADER_SIZE);
            long expectedBase = SegmentFormat.parseBase(file.getFileName().toString(), suffix);
            if (header.getInt(SegmentFormat.MAGIC_OFFSET) != SegmentFormat.MAGIC
                    || header.getShort(SegmentFormat.VERSION_OFFSET) != SegmentFormat.VERSION) {
                problems.add(new Problem(file, 0, String.format("not a version %d segment: magic 0x%08X, version %d",
                        SegmentFormat.VERSION, header.getInt(SegmentFormat.MAGIC_OFFSET),
                        header.getShort(SegmentFormat.VERSION_OFFSET))));
                return new Scan(batches, 0);
            }
            int headerCrc = SegmentFormat.crc(header, 0, SegmentFormat.HEADER_CRC_OFFSET);
            if (header.getInt(SegmentFormat.HEADER_CRC_OFFSET) != headerCrc) {
                problems.add(new Problem(file, SegmentFormat.HEADER_CRC_OFFSET, "header CRC mismatch"));
            }
            if (header.getLong(SegmentFormat.BASE_OFFSET) != expectedBase) {
                problems.add(new Problem(file, SegmentFormat.BASE_OFFSET, "header names base "
                        + header.getLong(SegmentFormat.BASE_OFFSET) + ", the file name " + expectedBase));
            }
            long position = SegmentFormat.HEADER_SIZE;
            long entries = 0;
            while (position < size) {
                String wrong = null;
                if (size - position < SegmentFormat.FRAME_OVERHEAD) {
                    wrong = "incomplete entry frame (" + (size - position) + " bytes left)";
                } else {
                    ByteBuffer frame = read(channel, position, SegmentFormat.FRAME_OVERHEAD);
                    int length = frame.getInt(SegmentFormat.LENGTH_OFFSET);
                    long end = position + SegmentFormat.FRAME_OVERHEAD + (long) length;
                    if (length < 0 || end > size) {
                        wrong = "entry length " + length + " runs past the end of the file (" + size + " bytes)";
                    } else {
                        ByteBuffer payload = read(channel, position + SegmentFormat.PAYLOAD_OFFSET, length);
                        int computed = SegmentFormat.entryCrc(length, payload);
                        if (computed != frame.getInt(SegmentFormat.CRC_OFFSET)) {
                            wrong = String.format("entry CRC mismatch (stored 0x%08X, computed 0x%08X)",
                                    frame.getInt(SegmentFormat.CRC_OFFSET), computed);
                        } else {
                            if (suffix.equals(LOG_SUFFIX) && length >= Long.BYTES) {
                                batches.put(position, payload.getLong(0));
                            }
                            entries++;
                            position = end;
                        }
                    }
                }
                if (wrong != null) {
                    boolean zeros = allZero(channel, position, size);
                    problems.add(new Problem(file, position, "entry " + entries + ": " + wrong + "; "
                            + (zeros ? "only zero bytes follow" : "stops reading here") + ", " + (size - position)
                            + " bytes to the end of the file are unreadable"));
                    return new Scan(batches, position);
                }
            }
            return new Scan(batches, size);
        }
    }

    private static boolean allZero(FileChannel channel, long from, long size) throws IOException {
        for (long p = from; p < size; p += 65_536) {
            ByteBuffer chunk = read(channel, p, (int) Math.min(65_536, size - p));
            while (chunk.hasRemaining()) {
                if (chunk.get() != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * An index file's bytes if it exists and its header is what {@code base}'s index of that
     * format must have; else null, with the problem added (a missing index is one, which recovery
     * mends).
     */
    private static ByteBuffer readIndex(Path index, int magic, short version, int entrySize, int headerSize, long base,
            List<Problem> problems) throws IOException {
        if (!Files.exists(index)) {
            problems.add(new Problem(index, -1, "missing (recovery rebuilds it from the segment)"));
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(index));
        return indexHeaderOk(index, b, magic, version, entrySize, headerSize, base, problems) ? b : null;
    }

    private static void checkOffsetIndex(Path index, long base, Scan scan, List<Problem> problems)
            throws IOException {
        ByteBuffer b = readIndex(index, OffsetIndexFormat.MAGIC, OffsetIndexFormat.VERSION,
                OffsetIndexFormat.ENTRY_SIZE, OffsetIndexFormat.HEADER_SIZE, base, problems);
        if (b == null) {
            return;
        }
        int count = (b.capacity() - OffsetIndexFormat.HEADER_SIZE) / OffsetIndexFormat.ENTRY_SIZE;
        long previousOffset = -1;
        long previousPosition = -1;
        for (int i = 0; i < count; i++) {
            int at = OffsetIndexFormat.entryPosition(i);
            long relative = Integer.toUnsignedLong(b.getInt(at + OffsetIndexFormat.RELATIVE_OFFSET_OFFSET));
            long position = Integer.toUnsignedLong(b.getInt(at + OffsetIndexFormat.POSITION_OFFSET));
            Long batchBase = scan.batches().get(position);
            String wrong = null;
            if (position >= scan.readableEnd() && relative > previousOffset && position > previousPosition) {
                // Past where the segment became unreadable: the segment's problem is the one to report.
                break;
            } else if (relative <= previousOffset || position <= previousPosition) {
                wrong = "entry " + i + " (offset " + (base + relative) + ", position " + position
                        + ") does not follow the one before";
            } else if (batchBase == null) {
                wrong = "entry " + i + " points to position " + position + ", where no readable batch starts";
            } else if (batchBase != base + relative) {
                wrong = "entry " + i + " names offset " + (base + relative) + ", the batch at position " + position
                        + " starts at offset " + batchBase;
            }
            if (wrong != null) {
                problems.add(new Problem(index, at, wrong));
                return;
            }
            previousOffset = relative;
            previousPosition = position;
        }
    }

    private static void checkTimeIndex(Path index, long base, long segmentSize, List<Problem> problems)
            throws IOException {
        ByteBuffer b = readIndex(index, TimeIndexFormat.MAGIC, TimeIndexFormat.VERSION, TimeIndexFormat.ENTRY_SIZE,
                TimeIndexFormat.HEADER_SIZE, base, problems);
        if (b == null) {
            return;
        }
        int count = (b.capacity() - TimeIndexFormat.HEADER_SIZE) / TimeIndexFormat.ENTRY_SIZE;
        long previousTime = Long.MIN_VALUE;
        long previousOffset = -1;
        for (int i = 0; i < count; i++) {
            int at = TimeIndexFormat.entryPosition(i);
            long time = b.getLong(at + TimeIndexFormat.TIMESTAMP_OFFSET);
            long relative = Integer.toUnsignedLong(b.getInt(at + TimeIndexFormat.RELATIVE_OFFSET_OFFSET));
            if (time <= previousTime || relative <= previousOffset) {
                problems.add(new Problem(index, at, "entry " + i + " (time " + time + ", offset " + (base + relative)
                        + ") does not follow the one before"));
                return;
            }
            previousTime = time;
            previousOffset = relative;
        }
    }

    private static boolean indexHeaderOk(Path index, ByteBuffer b, int magic, short version, int entrySize,
            int headerSize, long base, List<Problem> problems) {
        int size = b.capacity();
        if (size < headerSize) {
            problems.add(new Problem(index, 0, "shorter (" + size + " bytes) than its header (" + headerSize + ")"));
            return false;
        }
        if (b.getInt(0) != magic || b.getShort(4) != version || b.getShort(6) != entrySize) {
            problems.add(new Problem(index, 0, String.format("wrong header: magic 0x%08X, version %d, entry size %d",
                    b.getInt(0), b.getShort(4), b.getShort(6))));
            return false;
        }
        if (b.getLong(8) != base) {
            problems.add(new Problem(index, 8, "header names base " + b.getLong(8) + ", the segment " + base));
            return false;
        }
        if ((size - headerSize) % entrySize != 0) {
            problems.add(new Problem(index, size - (size - headerSize) % entrySize, "ends inside an entry ("
                    + size + " bytes, entries of " + entrySize + ")"));
            return false;
        }
        return true;
    }

    private static void checkSnapshot(Path file, List<Problem> problems) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int min = SnapshotFormat.HEADER_SIZE + SnapshotFormat.END_SIZE;
        if (bytes.length < min) {
            problems.add(new Problem(file, 0, "shorter (" + bytes.length + " bytes) than an empty snapshot (" + min
                    + ")"));
            return;
        }
        if (b.getInt(SnapshotFormat.MAGIC_OFFSET) != SnapshotFormat.MAGIC
                || b.getShort(SnapshotFormat.VERSION_OFFSET) != SnapshotFormat.VERSION) {
            problems.add(new Problem(file, 0, String.format("not a version %d snapshot: magic 0x%08X, version %d",
                    SnapshotFormat.VERSION, b.getInt(SnapshotFormat.MAGIC_OFFSET),
                    b.getShort(SnapshotFormat.VERSION_OFFSET))));
            return;
        }
        int endAt = bytes.length - SnapshotFormat.END_SIZE;
        if (bytes[endAt] != SnapshotFormat.TYPE_END) {
            problems.add(new Problem(file, endAt, "no end record where the file's last "
                    + SnapshotFormat.END_SIZE + " bytes start (cut short?)"));
            return;
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - Integer.BYTES);
        int stored = b.getInt(bytes.length - Integer.BYTES);
        if ((int) crc.getValue() != stored) {
            problems.add(new Problem(file, bytes.length - Integer.BYTES, String.format(
                    "snapshot CRC mismatch (stored 0x%08X, computed 0x%08X)", stored, (int) crc.getValue())));
        }
    }

    /** A small checksummed file; {@code magic} 0 when any kind is accepted. */
    private static void checkSmallFile(Path file, int magic, List<Problem> problems) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(bytes);
        if (bytes.length < SmallFileFormat.HEADER_SIZE) {
            problems.add(new Problem(file, 0, "shorter (" + bytes.length + " bytes) than its header ("
                    + SmallFileFormat.HEADER_SIZE + ")"));
            return;
        }
        if (magic != 0 && b.getInt(SmallFileFormat.MAGIC_OFFSET) != magic) {
            problems.add(new Problem(file, 0, String.format("magic 0x%08X, expected 0x%08X",
                    b.getInt(SmallFileFormat.MAGIC_OFFSET), magic)));
            return;
        }
        int length = b.getInt(SmallFileFormat.LENGTH_OFFSET);
        if (length != bytes.length - SmallFileFormat.HEADER_SIZE) {
            problems.add(new Problem(file, SmallFileFormat.LENGTH_OFFSET, "payload length " + length + ", but "
                    + (bytes.length - SmallFileFormat.HEADER_SIZE) + " bytes follow the header"));
            return;
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, SmallFileFormat.CRC_OFFSET);
        crc.update(bytes, SmallFileFormat.HEADER_SIZE, length);
        if ((int) crc.getValue() != b.getInt(SmallFileFormat.CRC_OFFSET)) {
            problems.add(new Problem(file, SmallFileFormat.CRC_OFFSET, "CRC mismatch"));
        }
    }
}
