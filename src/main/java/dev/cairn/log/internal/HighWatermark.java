package dev.cairn.log.internal;

import dev.cairn.storage.AtomicFile;
import dev.cairn.storage.fs.StorageFileSystem;
import java.nio.file.Path;

/**
 * A partition's high watermark and its checkpoint file ({@link HighWatermarkFormat}): the offset
 * below which a replicated partition's records are committed, which is as far as its consumers
 * read. A partition is replicated once it first becomes a leader or follower, or if it has the
 * file; until then {@link #limit()} is {@link #NOT_REPLICATED} and its end offset bounds reads.
 *
 * <p>Invariants: the value, once replicated, is at most the partition's end offset (the partition
 * clamps what it sets); the file never holds a value above the end offset of the log it describes
 * (a lower value is written before the end comes down), so after a crash the high watermark may
 * come back lower, never higher. The file is rewritten only when the value differs from the one
 * last written, so a round of checkpoints over idle partitions writes nothing.
 *
 * <p>Thread-safety: {@link #limit()} may be read on any thread (a volatile read); the rest is
 * called under the partition lock.
 */
final class HighWatermark {
    /** {@link #limit()} of a partition that is not replicated: no bound below the end offset. */
    static final long NOT_REPLICATED = Long.MAX_VALUE;

    private final StorageFileSystem fs;
    private final Path path;
    private volatile long value = NOT_REPLICATED;
    /** The value the file holds, -1 while there is none. */
    private long written = -1;

    HighWatermark(StorageFileSystem fs, Path directory) {
        this.fs = fs;
        this.path = directory.resolve(HighWatermarkFormat.FILE_NAME);
    }

    /**
     * Reads the checkpoint of a partition replicated before, if any, and takes its value clamped to
     * {@code [beginning, end]}, rewriting the file if that is lower, so that later appends cannot
     * lift the stored value into records it never covered.
     *
     * @throws dev.cairn.common.CorruptFileException naming the file if it is damaged
     */
    void load(long beginning, long end) {
        AtomicFile.read(fs, path, HighWatermarkFormat.MAGIC, HighWatermarkFormat.VERSION).ifPresent(payload -> {
            written = HighWatermarkFormat.decode(path.toString(), payload);
            set(Math.max(Math.min(written, end), beginning));
        });
    }

    /** The bound on reads: the value, or {@link #NOT_REPLICATED}. */
    long limit() {
        return value;
    }

    boolean isReplicated() {
        return value != NOT_REPLICATED;
    }

    /**
     * Makes the partition replicated with its high watermark at {@code end} (everything readable
     * until now counts as committed), written at once: a crash cannot reopen it unreplicated and
     * show records past its high watermark. Nothing if it is replicated already.
     */
    void startAt(long end) {
        if (!isReplicated()) {
            set(end);
        }
    }

    /** Sets the value (clamped by the caller); true if it advanced. Checkpointed later. */
    boolean moveTo(long clamped) {
        boolean advanced = clamped > value;
        value = clamped;
        return advanced;
    }

    /**
     * The log now starts at {@code beginning}: the value of a replicated partition comes up to it
     * if below, as Kafka's does (nothing below the log start can be read anyway). Checkpointed later.
     */
    void keepAtLeast(long beginning) {
        if (isReplicated() && value < beginning) {
            value = beginning;
        }
    }

    /** Brings the value of a replicated partition down to {@code end} if above it, in the file first. */
    void clampTo(long end) {
        if (isReplicated() && value > end) {
            set(end);
        }
    }

    /** The partition restarts empty at {@code offset}: so does the value of a replicated one. */
    void restartAt(long offset) {
        if (isReplicated()) {
            set(offset);
        }
    }

    /** Writes the value to the file if the partition is replicated and it moved since the last write. */
    void checkpoint() {
        if (isReplicated()) {
            write(value);
        }
    }

    private void set(long highWatermark) {
        write(highWatermark);
        value = highWatermark;
    }

    private void write(long highWatermark) {
        if (highWatermark != written) {
            AtomicFile.write(fs, path, HighWatermarkFormat.MAGIC, HighWatermarkFormat.VERSION,
                    HighWatermarkFormat.encode(highWatermark));
            written = highWatermark;
        }
    }
}
