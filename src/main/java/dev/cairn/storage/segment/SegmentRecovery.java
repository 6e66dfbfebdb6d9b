package dev.cairn.storage.segment;

import dev.cairn.common.CorruptFileException;
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

    static RecoveryReport recover(Storage storage, Path directory, SegmentedFileOptions options,
            List<Segment> segments) throws IOException {
        Segment last = segments.get(segments.size() - 1);
        if (closedCleanly(storage.fs(), directory, last)) {
            return RecoveryReport.clean(false, 0);
        }
        SegmentScanner scanner = last.scanner(SegmentFormat.HEADER_SIZE).maxEntryBytes(options.maxEntryBytes());
        long entries = 0;
        while (scanner.next()) {
            entries++;
        }
        if (scanner.problem() == null) {
            return RecoveryReport.clean(true, entries);
        }
        long badPosition = scanner.nextPosition();
        long size = last.size();
        boolean tornTail = scanner.problemFrameEnd() >= size || zerosFrom(last, scanner.problemFrameEnd(), size);
        if (!tornTail && options.recoveryMode() == RecoveryMode.STRICT) {
            throw new CorruptFileException(last.path().toString(), badPosition, scanner.problem() + "; "
                    + (size - badPosition) + " bytes from there to the end are not a torn final entry"
                    + " (open with recovery mode " + RecoveryMode.TRUNCATE_AT_CORRUPTION + " to drop them)");
        }
        long removed = size - badPosition;
        last.truncate(badPosition);
        last.force();
        storage.metrics().recordTruncation(tornTail, removed);
        LOG.warn("{} {}: truncated {} bytes at position {} after {} valid entries ({})",
                tornTail ? "dropped a torn final entry of" : "dropped corrupt entries of", last.path(), removed,
                badPosition, entries, scanner.problem());
        return new RecoveryReport(true, entries, last.path(), badPosition, removed, tornTail, scanner.problem());
    }

    private static boolean closedCleanly(StorageFileSystem fs, Path directory, Segment last) {
        Optional<ByteBuffer> marker;
        try {
            marker = AtomicFile.read(fs, directory.resolve(SegmentedFile.CLEAN_MARKER),
                    SegmentedFile.CLEAN_MARKER_MAGIC, SegmentedFile.CLEAN_MARKER_VERSION);
        } catch (CorruptFileException e) {
            LOG.warn("ignoring a damaged clean-shutdown marker; scanning instead ({})", e.getMessage());
            return false;
        }
        return marker.isPresent() && marker.get().remaining() == 16 && marker.get().getLong(0) == last.base()
                && marker.get().getLong(8) == last.size();
    }

    /** Whether every byte of {@code segment} in {@code [from, to)} is zero (an extension never written). */
    private static boolean zerosFrom(Segment segment, long from, long to) {
        ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
        for (long position = from; position < to; ) {
            chunk.clear().limit((int) Math.min(chunk.capacity(), to - position));
            int n = segment.readBytes(chunk, position);
            if (n <= 0) {
                return true;
            }
            for (int i = 0; i < n; i++) {
                if (chunk.get(i) != 0) {
                    return false;
                }
            }
            position += n;
        }
        return true;
    }
}
