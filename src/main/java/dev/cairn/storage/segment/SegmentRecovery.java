package dev.cairn.storage.segment;

import dev.cairn.common.CorruptFileException;
import dev.cairn.common.MissingFileException;
import dev.cairn.storage.AtomicFile;
import dev.cairn.storage.Storage;
import dev.cairn.storage.fs.StorageFileSystem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recovery rule of {@link SegmentFormat}, applied when a {@link SegmentedFile} opens: skip
 * the scan after a clean shutdown; otherwise scan the last segment, truncate a torn tail and
 * report it, and refuse (or, if asked, truncate) corruption before the tail.
 *
 * <p>Stateless; runs on the opening thread before the file is shared.
 */
final class SegmentRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentRecovery.class);

    private SegmentRecovery() {
    }

    /**
     * @param marker the clean-shutdown marker's payload, as {@link #cleanMarker} read it
     */
    static RecoveryReport recover(Storage storage, Path directory, SegmentedFileOptions options,
            List<Segment> segments, Optional<ByteBuffer> marker) throws IOException {
        Segment last = segments.get(segments.size() - 1);
        if (closedCleanly(marker, last)) {
            return RecoveryReport.clean(false, 0);
        }
        SegmentScanner scanner = last.scanner(SegmentFormat.HEADER_SIZE).maxEntryBytes(options.maxEntryBytes());
        ScanProgress progress = ScanProgress.start("recovering", last.path(), last.size());
        long entries = 0;
        while (scanner.next()) {
            entries++;
            progress.at(scanner.nextPosition());
        }
        progress.finish(scanner.nextPosition(), entries);
        if (scanner.problem() == null) {
            return RecoveryReport.clean(true, entries);
        }
        long badPosition = scanner.nextPosition();
        long size = last.size();
        long dataEnd = endOfData(last, badPosition, size);
        if (dataEnd == badPosition) {
            // Only zeros follow the entries: space the file system extended the file by without
            // the bytes reaching it before a power loss. Zeros written are indistinguishable from
            // none, and no entry is made of zeros, so nothing was torn that could be reported.
            last.truncate(badPosition);
            last.force();
            LOG.info("{}: cut {} zero bytes after the last of {} entries", last.path(), size - badPosition, entries);
            return RecoveryReport.clean(true, entries);
        }
        boolean tornTail = !validEntryAfter(last, badPosition + 1, dataEnd, size, options.maxEntryBytes());
        if (!tornTail && options.recoveryMode() == RecoveryMode.STRICT) {
            throw new CorruptFileException(last.path().toString(), badPosition, scanner.problem() + "; "
                    + (size - badPosition) + " bytes from there to the end are not a torn final entry"
                    + " (to drop them and open, use Cairn.builder().truncateOnCorruption(true))");
        }
        long removed = dataEnd - badPosition;
        last.truncate(badPosition);
        last.force();
        storage.metrics().recordTruncation(tornTail, removed);
        LOG.warn("{} {}: truncated {} bytes at position {} after {} valid entries ({})",
                tornTail ? "dropped a torn final entry of" : "dropped corrupt entries of", last.path(), removed,
                badPosition, entries, scanner.problem());
        return new RecoveryReport(true, entries, last.path(), badPosition, removed, tornTail, scanner.problem());
    }

    private static boolean closedCleanly(Optional<ByteBuffer> marker, Segment last) {
        return marker.isPresent() && marker.get().getLong(0) == last.base() && marker.get().getLong(8) == last.size();
    }

    /** The clean-shutdown marker's payload (last segment's base, its size), if there is a valid one. */
    static Optional<ByteBuffer> cleanMarker(StorageFileSystem fs, Path directory) {
        Optional<ByteBuffer> marker;
        try {
            marker = AtomicFile.read(fs, directory.resolve(SegmentedFile.CLEAN_MARKER),
                    SegmentedFile.CLEAN_MARKER_MAGIC, SegmentedFile.CLEAN_MARKER_VERSION);
        } catch (CorruptFileException e) {
            LOG.warn("ignoring a damaged clean-shutdown marker; scanning instead ({})", e.getMessage());
            return Optional.empty();
        }
        return marker.filter(m -> m.remaining() == 16);
    }

    /**
     * Refuses to open when the clean-shutdown marker names a last segment that is not there (the
     * newest segment, or all of them, deleted since): opening would quietly start again from an
     * older segment, or from nothing, and lose what was acknowledged.
     *
     * @param bases the bases of the segments present, ascending
     */
    static void refuseMissingLastSegment(Optional<ByteBuffer> marker, Path directory, String suffix,
            List<Long> bases) {
        if (marker.isEmpty()) {
            return;
        }
        long base = marker.get().getLong(0);
        long size = marker.get().getLong(8);
        if (base >= 0 && (bases.isEmpty() || base > bases.get(bases.size() - 1))) {
            throw new MissingFileException(directory.resolve(SegmentFormat.fileName(base, suffix)).toString(),
                    "the last clean shutdown recorded it as the newest segment, of " + size + " bytes, but "
                            + (bases.isEmpty() ? "no segment is left" : "the newest one left starts at "
                            + bases.get(bases.size() - 1)) + "; nothing was opened or deleted. Restore it from a backup");
        }
    }

    /** Bytes past a bad entry beyond which recovery does not search for valid entries. */
    private static final int SEARCH_LIMIT_BYTES = 64 << 20;

    private static final int ZERO_SCAN_CHUNK_BYTES = 64 * 1024;

    /**
     * The position just past the last non-zero byte in {@code [from, to)}, or {@code from} if
     * they are all zero. Scans backwards, so a long run of entries after corruption costs one
     * chunk.
     */
    static long endOfData(Segment segment, long from, long to) {
        ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(ZERO_SCAN_CHUNK_BYTES, Math.max(0, to - from)));
        long end = to;
        while (end > from) {
            int n = (int) Math.min(chunk.capacity(), end - from);
            long start = end - n;
            chunk.clear().limit(n);
            segment.readBytes(chunk, start);
            for (int i = chunk.position() - 1; i >= 0; i--) {
                if (chunk.get(i) != 0) {
                    return start + i + 1;
                }
            }
            end = start;
        }
        return from;
    }

    /**
     * Whether a complete, valid entry starts anywhere in {@code [from, dataEnd)} (and ends by
     * {@code to}). A torn tail is the last thing written, so nothing valid follows it; corruption
     * of an earlier entry leaves valid entries after it, wherever its damaged length field points.
     * Every candidate position is tried; random bytes pass the length checks rarely and the CRC
     * check almost never. Past {@code dataEnd} lie only zeros, where no entry can start (see
     * {@link SegmentFormat}).
     */
    private static boolean validEntryAfter(Segment segment, long from, long dataEnd, long to, int maxEntryBytes) {
        if (dataEnd - from > SEARCH_LIMIT_BYTES) {
            return true;
        }
        ByteBuffer rest = ByteBuffer.allocate((int) Math.max(0, Math.min(to, dataEnd + maxEntryBytes
                + (long) SegmentFormat.FRAME_OVERHEAD) - from));
        segment.readBytes(rest, from);
        rest.flip();
        int limit = rest.limit();
        int candidates = (int) Math.max(0, dataEnd - from);
        for (int q = 0; q < candidates && q + SegmentFormat.FRAME_OVERHEAD <= limit; q++) {
            int length = rest.getInt(q + SegmentFormat.LENGTH_OFFSET);
            if (length < 0 || length > maxEntryBytes || length > limit - q - SegmentFormat.FRAME_OVERHEAD) {
                continue;
            }
            ByteBuffer payload = rest.slice(q + SegmentFormat.PAYLOAD_OFFSET, length);
            if (SegmentFormat.entryCrc(length, payload) == rest.getInt(q + SegmentFormat.CRC_OFFSET)) {
                return true;
            }
        }
        return false;
    }
}
