package dev.cairn.storage.segment;

import dev.cairn.common.CorruptFileException;
import dev.cairn.common.StorageException;
import dev.cairn.storage.fs.StorageFile;
import dev.cairn.storage.fs.StorageFileSystem;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * One segment file: a header and a run of entries (see {@link SegmentFormat}).
 *
 * <p>Invariant: {@code HEADER_SIZE <= size()}; every byte below {@link #size()} has been
 * appended, and is in the file or in the write buffer; entries are read only below it. The size
 * is published with release semantics after the bytes are appended, and read with acquire
 * semantics, so a reader never sees an entry before its bytes.
 *
 * <p>Appends are coalesced in a write buffer (unless the owner asks for none) and reach the file
 * in one system call when it fills, before every {@link #force()}, on {@link #seal()}, and on
 * {@link #writeOut()} (which the background flusher calls every few milliseconds). On this
 * machine one positional write per 130-byte entry costs about 1.8 us, 64 KiB written at once
 * about 27 ns per 140 bytes, and a memory-mapped tail (also measured) about 0.5 us per 140 bytes
 * in page faults (see docs/benchmarks.md). Buffered bytes are not in the file yet, so a crash of
 * the process loses them: durability is promised only after {@link #force()}, as for written
 * bytes, and the flusher bounds the window. Readers (a consumer at the tail) copy bytes still
 * buffered out of the buffers rather than writing them out first (see {@link #readInto}).
 *
 * <p>Thread-safety: one writer (the owning {@link SegmentedFile}'s writer) appends, truncates
 * and seals; any number of readers call {@link #read(long)}, {@link #readBytes(ByteBuffer, long)}
 * and {@link #scanner(long)} concurrently. The write buffers and the file's end are guarded by the
 * segment's monitor, which readers take only when they need buffered bytes. Writes to the file
 * (write-outs, write-through appends, truncation) are serialized by a second lock, taken before
 * the monitor, and run outside the monitor: a write-out swaps the full buffer for a spare under
 * the monitor, so the writer appends into the spare while the flusher's write is in flight, and
 * readers copy from either buffer. An append waits for a write only when its own buffer is full
 * while another write is in flight. The fsync runs outside both locks.
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

    private final long base;
    private final Path path;
    private final StorageFile file;
    /** Capacity of the write buffer; 0 to write every append through at once. */
    private final int writeBufferBytes;
    /**
     * Appended bytes not yet handed to the file, ending at {@link #size()} (from its start to its
     * position); null until the first buffered append and after sealing. Guarded by this.
     */
    private ByteBuffer pending;
    /**
     * Bytes being written to the file outside the monitor, from {@link #fileEnd} (from its start
     * to its position); null when no write is in flight. Guarded by this; its contents do not
     * change while it is in flight.
     */
    private ByteBuffer inFlight;
    /** The buffer {@link #pending} is swapped with for the next write-out; null when in flight. Guarded by this. */
    private ByteBuffer spare;
    /**
     * Serializes the writes to the file, in order; taken before this (never the other way round),
     * so a write runs outside the monitor and appends and readers do not wait for it.
     */
    private final Object writeLock = new Object();
    /** End of the bytes in the file; written under this, read by readers to skip the lock. */
    private volatile long fileEnd;
    /** A failed write of buffered bytes; every later append and force fails with it. Guarded by this. */
    private IOException writeFailure;
    /** Published end of the written bytes; accessed through {@link #SIZE}. */
    @SuppressWarnings("unused")
    private long size;

    private Segment(long base, Path path, StorageFile file, long size, int writeBufferBytes) {
        this.base = base;
        this.path = path;
        this.file = file;
        this.writeBufferBytes = writeBufferBytes;
        this.fileEnd = size;
        SIZE.setRelease(this, size);
    }

    /** Creates a new segment file holding only a header, and fsyncs it. */
    static Segment create(StorageFileSystem fs, Path path, long base, int writeBufferBytes) {
        StorageFile file = null;
        try {
            file = fs.open(path);
            file.truncate(0);
            file.write(SegmentFormat.header(base), 0);
            file.force();
            return new Segment(base, path, file, SegmentFormat.HEADER_SIZE, writeBufferBytes);
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
    static Segment open(StorageFileSystem fs, Path path, long base, int writeBufferBytes) {
        StorageFile file = null;
        try {
            file = fs.openExisting(path);
            long fileSize = file.size();
            ByteBuffer header = ByteBuffer.allocate(SegmentFormat.HEADER_SIZE);
            file.read(header, 0);
            checkHeader(path, header, fileSize, base);
            return new Segment(base, path, file, fileSize, writeBufferBytes);
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
     * Frames and appends one entry into the write buffer, and publishes it. Writer only.
     *
     * @return the entry's position, or -1 if this segment writes through or the entry is larger
     *     than the buffer (the caller then writes it with {@link #appendFrame})
     */
    long appendBuffered(int length, int crc, ByteBuffer payload) throws IOException {
        int frameBytes = SegmentFormat.FRAME_OVERHEAD + length;
        if (frameBytes > writeBufferBytes) {
            return -1;
        }
        long position = (long) SIZE.getOpaque(this);
        while (!putBuffered(length, crc, payload, frameBytes)) {
            // Full: hand it to the file (outside the monitor), then append to the fresh buffer,
            // unless a write-out by another thread (the flusher) swapped it while this one waited.
            synchronized (writeLock) {
                if (!hasRoom(frameBytes)) {
                    writeOutPending();
                }
            }
        }
        SIZE.setRelease(this, position + frameBytes);
        return position;
    }

    private synchronized boolean hasRoom(int frameBytes) {
        return pending == null || pending.remaining() >= frameBytes;
    }

    /** Copies the frame into the write buffer if it has room; false if it is full. */
    private synchronized boolean putBuffered(int length, int crc, ByteBuffer payload, int frameBytes)
            throws IOException {
        checkWritable();
        ByteBuffer buffer = pending;
        if (buffer == null) {
            buffer = ByteBuffer.allocateDirect(writeBufferBytes);
            pending = buffer;
        } else if (buffer.remaining() < frameBytes) {
            return false;
        }
        buffer.putInt(length).putInt(crc).put(buffer.position(), payload, payload.position(), length);
        buffer.position(buffer.position() + length);
        return true;
    }

    /** Records a failed write (the file refuses writes from now on) and returns it to throw. */
    private synchronized IOException failed(IOException e) {
        writeFailure = e;
        inFlight = null;
        return e;
    }

    private void checkWritable() throws IOException {
        if (writeFailure != null) {
            throw new IOException("an earlier write of " + path + " failed: " + writeFailure.getMessage(), writeFailure);
        }
    }

    /**
     * Writes the buffered bytes to the file: swaps in the spare buffer under the monitor, so
     * appends go on into it, and writes the full one outside it. {@link #writeLock} held, this not.
     */
    private void writeOutPending() throws IOException {
        ByteBuffer toWrite;
        long start;
        synchronized (this) {
            checkWritable();
            toWrite = pending;
            if (toWrite == null || toWrite.position() == 0) {
                return;
            }
            start = fileEnd;
            inFlight = toWrite;
            pending = spare != null ? spare : ByteBuffer.allocateDirect(writeBufferBytes);
            spare = null;
        }
        int bytes = toWrite.position();
        try {
            // From a view: the in-flight buffer keeps its position, which readers rely on.
            file.write(toWrite.duplicate().flip(), start);
        } catch (IOException e) {
            throw failed(e);
        }
        synchronized (this) {
            fileEnd = start + bytes;
            inFlight = null;
            if (pending != null) {
                spare = toWrite.clear();
            }
        }
    }

    /**
     * Writes the buffered bytes to the file, so they outlive a crash of this process. Any
     * thread: the background flusher calls it every few milliseconds. Appends and readers go on
     * while the bytes are written.
     */
    public void writeOut() throws IOException {
        if (fileEnd >= size()) {
            return;
        }
        synchronized (writeLock) {
            writeOutPending();
        }
    }

    /**
     * Writes out the buffered bytes and frees the buffer; on roll and close. Writer only. A sealed
     * segment takes no more appends.
     */
    void seal() throws IOException {
        synchronized (writeLock) {
            writeOutPending();
            synchronized (this) {
                pending = null;
                spare = null;
            }
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
        synchronized (writeLock) {
            writeOutPending();
            writeThrough(position, length, frame, null);
        }
        SIZE.setRelease(this, position + length);
        return position;
    }

    /** Writes a frame's header and payload with two writes, for entries too large to copy. */
    long appendFrame(ByteBuffer frameHeader, ByteBuffer payload) throws IOException {
        long position = (long) SIZE.getOpaque(this);
        int length = frameHeader.remaining() + payload.remaining();
        synchronized (writeLock) {
            writeOutPending();
            writeThrough(position, length, frameHeader, payload);
        }
        SIZE.setRelease(this, position + length);
        return position;
    }

    /** Writes a frame (one or two parts) at the end of the file, nothing being buffered. {@link #writeLock} held. */
    private void writeThrough(long position, int length, ByteBuffer first, ByteBuffer second) throws IOException {
        synchronized (this) {
            checkWritable();
        }
        int firstBytes = first.remaining();
        try {
            file.write(first, position);
            if (second != null) {
                file.write(second, position + firstBytes);
            }
        } catch (IOException e) {
            throw failed(e);
        }
        synchronized (this) {
            fileEnd = position + length;
        }
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
            readInto(head, position);
            int length = head.getInt(SegmentFormat.LENGTH_OFFSET);
            if (length < 0 || length > end - position - SegmentFormat.FRAME_OVERHEAD) {
                throw new CorruptFileException(path.toString(), position, "entry length " + length
                        + " runs past the end of the segment (" + end + " bytes)");
            }
            ByteBuffer payload = ByteBuffer.allocate(length);
            readInto(payload, position + SegmentFormat.FRAME_OVERHEAD);
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
            int n = readInto(window, position);
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
        return new SegmentScanner(this, position, size(), null);
    }

    /**
     * {@link #scanner(long)} reading its chunks into {@code chunk} (a direct buffer spares the
     * copy the JDK makes from a direct buffer of its own), which the caller must not use while the
     * scanner is in use; for callers that scan often, so each scan does not allocate its chunk.
     * A null chunk is the same as {@link #scanner(long)}.
     */
    public SegmentScanner scanner(long position, ByteBuffer chunk) {
        return new SegmentScanner(this, position, size(), chunk);
    }

    /**
     * Reads the bytes from {@code position} into {@code dst}, up to its limit, which must not run
     * past {@link #size()}: those in the file with a positional read, those still in the write
     * buffer by a copy under the monitor, so a reader at the tail costs the writer no write-out
     * (no system call on its behalf). Any thread.
     *
     * @return the number of bytes read; fewer than asked only if the file is shorter than its
     *     published size
     * @throws IOException if the read fails, or a write-out failed and the bytes never reached the file
     */
    int readInto(ByteBuffer dst, long position) throws IOException {
        long want = position + dst.remaining();
        long inFile = fileEnd;
        if (want <= inFile) {
            return file.read(dst, position);
        }
        int n = position < inFile ? readFilePart(dst, position, inFile) : 0;
        if (position + n < inFile) {
            return n;
        }
        synchronized (this) {
            long from = position + n;
            long end = fileEnd;
            if (from < end) {
                // Written out since the check above.
                int m = readFilePart(dst, from, end);
                n += m;
                from += m;
                if (from < end || !dst.hasRemaining()) {
                    return n;
                }
            }
            checkWritable();
            // In file order: the buffer being written (from the file's end), then the pending one.
            int copied = copyBuffered(inFlight, end, from, dst);
            long pendingStart = inFlight == null ? end : end + inFlight.position();
            n += copied + copyBuffered(pending, pendingStart, from + copied, dst);
        }
        return n;
    }

    /**
     * Copies into {@code dst} the bytes of {@code buffer} (which holds file positions from
     * {@code bufferStart}) from file position {@code from} on, as many as fit. Monitor held.
     *
     * @return the number of bytes copied; 0 for a null buffer
     */
    private static int copyBuffered(ByteBuffer buffer, long bufferStart, long from, ByteBuffer dst) {
        if (buffer == null) {
            return 0;
        }
        int copy = (int) Math.min(Math.max(0, bufferStart + buffer.position() - from), dst.remaining());
        if (copy > 0) {
            dst.put(dst.position(), buffer, (int) (from - bufferStart), copy);
            dst.position(dst.position() + copy);
        }
        return copy;
    }

    /** Reads into {@code dst} the file's bytes from {@code position} up to {@code fileEnd} at most. */
    private int readFilePart(ByteBuffer dst, long position, long fileEnd) throws IOException {
        int limit = dst.limit();
        dst.limit(dst.position() + (int) Math.min(dst.remaining(), fileEnd - position));
        try {
            return Math.max(0, file.read(dst, position));
        } finally {
            dst.limit(limit);
        }
    }

    /** Cuts the segment to {@code newSize} bytes and publishes the new size. Writer only. */
    void truncate(long newSize) throws IOException {
        if (newSize < SegmentFormat.HEADER_SIZE) {
            throw new IllegalArgumentException("cannot truncate " + path + " into its header: " + newSize);
        }
        synchronized (writeLock) {
            writeOutPending();
            synchronized (this) {
                file.truncate(newSize);
                fileEnd = Math.min(fileEnd, newSize);
            }
        }
        SIZE.setRelease(this, newSize);
    }

    /** Writes out the buffered bytes and fsyncs the file; any thread (the fsync runs unlocked). */
    void force() throws IOException {
        synchronized (writeLock) {
            writeOutPending();
        }
        file.force();
    }

    /** Closes the file; bytes still buffered are dropped (the owner seals or forces first). */
    void close() {
        // After any write in flight, so none runs against a closed file.
        synchronized (writeLock) {
            synchronized (this) {
                pending = null;
                spare = null;
            }
        }
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
