package dev.cairn.log.internal;

import dev.cairn.storage.AtomicFile;
import dev.cairn.storage.fs.StorageFileSystem;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The high-watermark checkpoint of one replicated partition ({@link HighWatermarkFormat}): reads
 * it on open and writes it when the value to keep differs from the one last written, so a round
 * of checkpoints over idle partitions writes nothing.
 *
 * <p>Not thread-safe: the partition calls it under its lock.
 */
final class HighWatermarkCheckpoint {
    private final StorageFileSystem fs;
    private final Path path;
    /** The value the file holds, -1 while there is none. */
    private long written = -1;

    HighWatermarkCheckpoint(StorageFileSystem fs, Path directory) {
        this.fs = fs;
        this.path = directory.resolve(HighWatermarkFormat.FILE_NAME);
    }

    /**
     * The stored high watermark, empty if the partition was never replicated.
     *
     * @throws dev.cairn.common.CorruptFileException naming the file if it is damaged
     */
    OptionalLong read() {
        OptionalLong stored = AtomicFile.read(fs, path, HighWatermarkFormat.MAGIC, HighWatermarkFormat.VERSION)
                .map(b -> OptionalLong.of(HighWatermarkFormat.decode(path.toString(), b)))
                .orElse(OptionalLong.empty());
        written = stored.orElse(-1);
        return stored;
    }

    /** Replaces the file with {@code highWatermark}, durably, unless it holds that already. */
    void write(long highWatermark) {
        if (highWatermark != written) {
            AtomicFile.write(fs, path, HighWatermarkFormat.MAGIC, HighWatermarkFormat.VERSION,
                    HighWatermarkFormat.encode(highWatermark));
            written = highWatermark;
        }
    }
}
