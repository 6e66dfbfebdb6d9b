package dev.cairn.storage.fs;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * An open file of a {@link StorageFileSystem}: positional reads and writes, size, truncate
 * and fsync. Positions are byte positions from the start of the file.
 *
 * <p>Thread-safety: implementations allow concurrent positional reads alongside one writer;
 * writes, truncation and {@link #force()} are issued by one thread at a time (the file's
 * owner), except that {@link #force()} may run concurrently with writes.
 */
public interface StorageFile extends Closeable {

    /**
     * Writes all remaining bytes of {@code source} at {@code position}, growing the file if
     * needed. On return {@code source} has no bytes remaining.
     *
     * @throws IOException if the write failed; some prefix of the bytes may have been written
     */
    void write(ByteBuffer source, long position) throws IOException;

    /**
     * Reads bytes at {@code position} into {@code target} until it is full or the end of the
     * file is reached.
     *
     * @return the number of bytes read, 0 when {@code position} is at or past the end
     */
    int read(ByteBuffer target, long position) throws IOException;

    /** The file's current size in bytes. */
    long size() throws IOException;

    /** Cuts the file to {@code sizeBytes}; a no-op when it is not larger. */
    void truncate(long sizeBytes) throws IOException;

    /**
     * Makes every byte written so far durable (fsync of the data and of the size).
     *
     * @throws IOException if the operating system could not confirm it; the bytes written
     *     since the last successful force must then be treated as lost
     */
    void force() throws IOException;

    /** Closes the file; idempotent. */
    @Override
    void close() throws IOException;
}
