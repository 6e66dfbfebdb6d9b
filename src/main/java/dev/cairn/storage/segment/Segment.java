package dev.cairn.storage.segment;

import dev.cairn.common.CorruptFileException;
import dev.cairn.common.StorageException;
import dev.cairn.storage.fs.StorageFile;
import dev.cairn.storage.fs.StorageFileSystem;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;

/**
 * One segment file: a header and a run of entries (see {@link SegmentFormat}).
 *
 * <p>Invariant: {@code HEADER_SIZE <= size()}, and every byte below {@link #size()} has been
 * written; entries are read only below it. The size is published with release semantics after
 * the bytes are written, and read with acquire semantics, so a reader never sees an entry
 * before its bytes.
 *
 * <p>Appends go through a memory mapping of the file's tail when the file system offers one
 * ({@link StorageFile#mapForWrite}): copying into the page cache costs no system call, and the
 * bytes outlive a crash of the process just as written ones do. The mapped window runs ahead of
 * the entries, so while the segment is active its file is longer than {@link #size()}, ending in
 * zeros; {@link #seal()} (on roll and close) cuts it back, and recovery drops the zeros a crash
 * leaves behind. Only the writer touches the mapping; readers always read through the file, so a
 * window can be released without regard to them.
 *
 * <p>Thread-safety: one writer (the owning {@link SegmentedFile}'s writer) appends, truncates
 * and forces; any number of readers call {@link #read(long)}, {@link #readBytes(ByteBuffer, long)}
 * and {@link #scanner(long)} concurrently.
 */
public final class Segment {
    private static final VarHandle SIZE;

    static {
        try {
            SIZE = MethodHandles.lookup().findVarHandle(Segment.class, "size", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The first window's size; each later one doubles, up to {@link #MAX_WINDOW_BYTES}. */
    static final int MIN_WINDOW_BYTES = 64 * 1024;
    static final int MAX_WINDOW_BYTES = 4 * 1024 * 1024;
    private static final int PAGE_BYTES = 4096;

    private final long base;
    private final Path path;
    private final StorageFile file;
    /** The mapped window of the tail, or null; writer only. */
    private MappedByteBuffer window;
    /** File position of the window's byte 0. */
    private long windowStart;
    private int nextWindowBytes = MIN_WINDOW_BYTES;
    /** Set once the file system declines to map; appends then write. */
    private boolean mappingUnavailable;
    /** Published end of the written bytes; accessed through {@link #SIZE}. */
    @SuppressWarnings("unused")
    private long size;

    private Segment(long base, Path path, StorageFile file, long size) {
        this.base = base;
        this.path = path;
        this.file = file;
        SIZE.setRelease(this, size);
    }

    /** Creates a new segment file holding only a header, and fsyncs it. */
    static Segment create(StorageFileSystem fs, Path path, long base) {
        StorageFile file = null;
        try {
            file = fs.open(path);
            file.truncate(0);
            file.write(SegmentFormat.header(base), 0);
            file.force();
            return new Segment(base, path, file, SegmentFormat.HEADER_SIZE);
        } catch (IOException e) {
            closeQuietly(file);
            throw new StorageException("cannot create segment " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens an existing segment and checks its header; the size is the file's size until
     * recovery says otherwise.
     *
     * @throws CorruptFileException if the header is not a valid segment header for {@code base}
     */
    static Segment open(StorageFileSystem fs, Path path, long base) {
        StorageFile file = null;
        try {
            file = fs.openExisting(path);
            long fileSize = file.size();
            ByteBuffer header = ByteBuffer.allocate(SegmentFormat.HEADER_SIZE);
            file.read(header, 0);
            checkHeader(path, header, fileSize, base);
            return new Segment(base, path, file, fileSize);
        } catch (IOException e) {
            closeQuietly(file);
            throw new StorageException("cannot open segment " + path + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(file);
            throw e;
        }
    }

    private static void checkHeader(Path path, ByteBuffer header, long fileSize, long base) {
        String name = path.toString();
        if (fileSize < SegmentFormat.HEADER_SIZE) {
            throw new CorruptFileException(name, fileSize, "segment header needs " + SegmentFormat.HEADER_SIZE
                    + " bytes, file has " + fileSize);
        }
        int magic = header.getInt(SegmentFormat.MAGIC_OFFSET);
        if (magic != SegmentFormat.MAGIC) {
            throw new CorruptFileException(name, SegmentFormat.MAGIC_OFFSET, String.format(
                    "not a Cairn segment: magic 0x%08X, expected 0x%08X", magic, SegmentFormat.MAGIC));
        }
        int storedCrc = header.getInt(SegmentFormat.HEADER_CRC_OFFSET);
        int crc = SegmentFormat.crc(header, 0, SegmentFormat.HEADER_CRC_OFFSET);
        if (storedCrc != crc) {
            throw new CorruptFileException(name, SegmentFormat.HEADER_CRC_OFFSET, String.format(
                    "segment header CRC 0x%08X, computed 0x%08X", storedCrc, crc));
        }
        short version = header.getShort(SegmentFormat.VERSION_OFFSET);
        if (version != SegmentFormat.VERSION) {
            throw new CorruptFileException(name, SegmentFormat.VERSION_OFFSET, "segment format version "
                    + version + " is not supported (this build reads version " + SegmentFormat.VERSION + ")");
        }
        long storedBase = header.getLong(SegmentFormat.BASE_OFFSET);
        if (storedBase != base) {
            throw new CorruptFileException(name, SegmentFormat.BASE_OFFSET, "header base " + storedBase
                    + " does not match the file name's base " + base);
        }
    }

    /** The number this segment is named by: its first entry's offset, or its start position. */
    public long base() {
        return base;
    }

    public Path path() {
        return path;
    }

    /** The published size in bytes, header included; entries lie in {@code [HEADER_SIZE, size())}. */
    public long size() {
        return (long) SIZE.getAcquire(this);
    }

    /** Whether the segment holds no entries. */
    public boolean isEmpty() {
        return size() == SegmentFormat.HEADER_SIZE;
    }

    /**
     * Frames and appends one entry through the mapped window, and publishes it. Writer only.
     *
     * @return the entry's position, or -1 if the file cannot be mapped or the entry is too large
     *     for a window (the caller then writes it with {@link #appendFrame})
     */
    long appendMapped(int length, int crc, ByteBuffer payload) throws IOException {
        if (mappingUnavailable) {
            return -1;
        }
        long position = (long) SIZE.getOpaque(this);
        int frameBytes = SegmentFormat.FRAME_OVERHEAD + length;
        if (frameBytes > MAX_WINDOW_BYTES / 2) {
            return -1;
        }
        MappedByteBuffer target = window;
        if (target == null || position + frameBytes > windowStart + target.capacity()) {
            target = remap(position, frameBytes);
            if (target == null) {
                return -1;
            }
        }
        int at = (int) (position - windowStart);
        target.putInt(at + SegmentFormat.LENGTH_OFFSET, length);
        target.putInt(at + SegmentFormat.CRC_OFFSET, crc);
        target.put(at + SegmentFormat.PAYLOAD_OFFSET, payload, payload.position(), length);
        SIZE.setRelease(this, position + frameBytes);
        return position;
    }

    /** Moves the window to start at the page holding {@code position} and fit {@code frameBytes}. */
    private MappedByteBuffer remap(long position, int frameBytes) throws IOException {
        releaseWindow();
        long start = position - position % PAGE_BYTES;
        int size = Math.max(nextWindowBytes, (int) (position - start) + frameBytes);
        MappedByteBuffer mapped = file.mapForWrite(start, size);
        if (mapped == null) {
            mappingUnavailable = true;
            return null;
        }
        nextWindowBytes = Math.min(MAX_WINDOW_BYTES, nextWindowBytes * 2);
        window = mapped;
        windowStart = start;
        return mapped;
    }

    private void releaseWindow() {
        MappedByteBuffer old = window;
        if (old != null) {
            window = null;
            file.unmap(old);
        }
    }

    /**
     * Releases the mapped window and cuts the file back to {@link #size()}, so the file holds
     * exactly its entries. Writer only; on roll and close. The cut is durable after the next
     * {@link #force()}.
     */
    void seal() throws IOException {
        if (window != null) {
            releaseWindow();
            file.truncate(size());
        }
    }

    /**
     * Writes one already framed entry at the end and publishes it. Writer only.
     *
     * @return the entry's position
     */
    long appendFrame(ByteBuffer frame) throws IOException {
        long position = (long) SIZE.getOpaque(this);
        int length = frame.remaining();
        file.write(frame, position);
        SIZE.setRelease(this, position + length);
        return position;
    }

    /** Writes a frame's header and payload with two writes, for entries too large to copy. */
    long appendFrame(ByteBuffer frameHeader, ByteBuffer payload) throws IOException {
        long position = (long) SIZE.getOpaque(this);
        int length = frameHeader.remaining() + payload.remaining();
        file.write(frameHeader, position);
        file.write(payload, position + SegmentFormat.FRAME_OVERHEAD);
        SIZE.setRelease(this, position + length);
        return position;
    }

    /**
     * Reads and checks the entry at {@code position}.
     *
     * @return the payload, in a new buffer
     * @throws IllegalArgumentException if {@code position} is outside the written entries
     * @throws CorruptFileException if the entry's length or CRC is wrong
     */
    public ByteBuffer read(long position) {
        long end = size();
        if (position < SegmentFormat.HEADER_SIZE || position > end - SegmentFormat.FRAME_OVERHEAD) {
            throw new IllegalArgumentException("position " + position + " is not an entry of " + path
                    + " (entries span positions " + SegmentFormat.HEADER_SIZE + " to " + end + ")");
        }
        try {
            ByteBuffer head = ByteBuffer.allocate(SegmentFormat.FRAME_OVERHEAD);
            file.read(head, position);
            int length = head.getInt(SegmentFormat.LENGTH_OFFSET);
            if (length < 0 || length > end - position - SegmentFormat.FRAME_OVERHEAD) {
                throw new CorruptFileException(path.toString(), position, "entry length " + length
                        + " runs past the end of the segment (" + end + " bytes)");
            }
            ByteBuffer payload = ByteBuffer.allocate(length);
            file.read(payload, position + SegmentFormat.FRAME_OVERHEAD);
            payload.flip();
            int storedCrc = head.getInt(SegmentFormat.CRC_OFFSET);
            int crc = SegmentFormat.entryCrc(length, payload);
            if (crc != storedCrc) {
                throw new CorruptFileException(path.toString(), position, String.format(
                        "entry CRC 0x%08X, computed 0x%08X over %d payload bytes", storedCrc, crc, length));
            }
            return payload;
        } catch (IOException e) {
            throw new StorageException("cannot read " + path + " at position " + position + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads raw bytes (whole or partial frames) from {@code position}, never past the published
     * size. For owners that parse frames in bulk.
     *
     * @return bytes read
     */
    public int readBytes(ByteBuffer target, long position) {
        long end = size();
        if (position >= end) {
            return 0;
        }
        ByteBuffer window = target.remaining() > end - position
                ? target.slice(target.position(), (int) (end - position)) : target;
        try {
            int n = file.read(window, position);
            if (window != target) {
                target.position(target.position() + n);
            }
            return n;
        } catch (IOException e) {
            throw new StorageException("cannot read " + path + " at position " + position + ": " + e.getMessage(), e);
        }
    }

    /** A scanner over the entries from {@code position} (an entry position) to the published size. */
    public SegmentScanner scanner(long position) {
        return new SegmentScanner(this, position, size());
    }

    StorageFile file() {
        return file;
    }

    /** Cuts the segment to {@code newSize} bytes and publishes the new size. Writer only. */
    void truncate(long newSize) throws IOException {
        if (newSize < SegmentFormat.HEADER_SIZE) {
            throw new IllegalArgumentException("cannot truncate " + path + " into its header: " + newSize);
        }
        // The window must go first: a mapping past the end of a file faults when touched.
        releaseWindow();
        file.truncate(newSize);
        SIZE.setRelease(this, newSize);
    }

    void force() throws IOException {
        file.force();
    }

    /** Closes the file without sealing it (see {@link #seal()}); a mapped window is released. */
    void close() {
        releaseWindow();
        closeQuietly(file);
    }

    private static void closeQuietly(StorageFile file) {
        if (file != null) {
            try {
                file.close();
            } catch (IOException ignored) {
                // Closing after a failure or on shutdown; the original outcome stands.
            }
        }
    }

    @Override
    public String toString() {
        return path + " (" + size() + " bytes)";
    }
}
