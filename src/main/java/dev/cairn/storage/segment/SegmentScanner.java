package dev.cairn.storage.segment;

import dev.cairn.common.CorruptFileException;
import dev.cairn.common.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Reads a segment's entries in order, in large chunks, checking each one's length and CRC.
 * Used by recovery (which wants to know where and how the entries stop being valid), by
 * replay, and by owners rebuilding their indexes.
 *
 * <p>{@link #next()} moves to the next entry and returns false at the end of the range or at
 * the first invalid entry; {@link #problem()} tells which. The payload view returned by
 * {@link #payload()} is valid until the next call to {@link #next()}.
 *
 * <p>Not thread-safe: one scanner per thread.
 */
public final class SegmentScanner {
    /** Bytes read from the file at a time. */
    public static final int CHUNK_BYTES = 64 * 1024;

    private final Segment segment;
    private final long end;
    private int maxEntryBytes = Integer.MAX_VALUE;
    private boolean checkCrcs = true;
    /** Sized to the range when it is small, so a tail read of one entry does not allocate a whole chunk. */
    private ByteBuffer buffer;
    /** File position of {@code buffer}'s byte 0. */
    private long bufferStart;

    private long nextPosition;
    private long entryPosition = -1;
    private ByteBuffer payload;
    /** The CRC stored in the current entry's frame. */
    private int entryCrc;

    private String problem;

    /**
     * @param chunk a buffer to read chunks into, reused across scans by a caller that scans often
     *     (a consumer); null to allocate one sized to the range
     */
    SegmentScanner(Segment segment, long fromPosition, long end, ByteBuffer chunk) {
        if (fromPosition < SegmentFormat.HEADER_SIZE || fromPosition > end) {
            throw new IllegalArgumentException("scan start " + fromPosition + " is outside " + segment.path()
                    + " (entries span positions " + SegmentFormat.HEADER_SIZE + " to " + end + ")");
        }
        this.segment = segment;
        this.end = end;
        this.nextPosition = fromPosition;
        this.bufferStart = fromPosition;
        this.buffer = chunk != null ? chunk.clear().limit(0)
                : ByteBuffer.allocate((int) Math.min(CHUNK_BYTES, Math.max(SegmentFormat.FRAME_OVERHEAD,
                        end - fromPosition))).limit(0);
    }

    /**
     * Whether payloads are checked against their stored CRC (the default). Off, only the frame
     * lengths are checked: for a reader that trusts the bytes (or checks them some other way)
     * and wants to skip the work. Recovery always checks.
     */
    public SegmentScanner checkCrcs(boolean check) {
        this.checkCrcs = check;
        return this;
    }

    /** Treats any entry longer than {@code bytes} as invalid. */
    SegmentScanner maxEntryBytes(int bytes) {
        this.maxEntryBytes = bytes;
        return this;
    }

    /**
     * Moves to the next entry.
     *
     * @return true if there is one and it is valid; false at the end of the range, or at an
     *     invalid entry ({@link #problem()} is then not null)
     */
    public boolean next() {
        if (problem != null) {
            return false;
        }
        long position = nextPosition;
        long remaining = end - position;
        if (remaining == 0) {
            return false;
        }
        if (remaining < SegmentFormat.FRAME_OVERHEAD) {
            return fail(position, "entry header torn: " + remaining + " of " + SegmentFormat.FRAME_OVERHEAD
                    + " bytes before the end");
        }
        int head = buffered(position, SegmentFormat.FRAME_OVERHEAD);
        int length = buffer.getInt(head + SegmentFormat.LENGTH_OFFSET);
        int storedCrc = buffer.getInt(head + SegmentFormat.CRC_OFFSET);
        if (length < 0 || length > maxEntryBytes) {
            return fail(position, "impossible entry length " + length + " (limit " + maxEntryBytes + ")");
        }
        long frameEnd = position + SegmentFormat.FRAME_OVERHEAD + length;
        if (frameEnd > end) {
            return fail(position, "entry of " + length + " payload bytes runs " + (frameEnd - end)
                    + " bytes past the end (" + end + ")");
        }
        // The offset first: reading the chunk may replace the buffer with a larger one.
        int bodyOffset = buffered(position + SegmentFormat.FRAME_OVERHEAD, length);
        ByteBuffer body = buffer.slice(bodyOffset, length);
        if (checkCrcs) {
            int crc = SegmentFormat.entryCrc(length, body);
            if (crc != storedCrc) {
                return fail(position, String.format("entry CRC 0x%08X, computed 0x%08X over %d payload bytes",
                        storedCrc, crc, length));
            }
        }
        entryPosition = position;
        payload = body;
        entryCrc = storedCrc;
        nextPosition = frameEnd;
        return true;
    }

    /** Like {@link #next()}, but an invalid entry throws {@link CorruptFileException}. */
    public boolean nextOrThrow() {
        if (next()) {
            return true;
        }
        if (problem != null) {
            throw new CorruptFileException(segment.path().toString(), nextPosition, problem);
        }
        return false;
    }

    private boolean fail(long position, String description) {
        problem = description;
        nextPosition = position;
        payload = null;
        return false;
    }

    /** Where {@code length} file bytes from {@code position} start in the buffer, reading a chunk when needed. */
    private int buffered(long position, int length) {
        long offsetInBuffer = position - bufferStart;
        if (offsetInBuffer < 0 || offsetInBuffer + length > buffer.limit()) {
            fill(position, length);
            offsetInBuffer = 0;
        }
        return (int) offsetInBuffer;
    }

    /**
     * Makes {@code buffer} start at file position {@code position} with at least {@code atLeast}
     * bytes. Bytes from {@code position} that are already buffered move to the front rather than
     * being read again (an entry that straddles two chunks costs one read of its missing part).
     */
    private void fill(long position, int atLeast) {
        int carried = 0;
        if (buffer.capacity() < atLeast) {
            buffer = grown(atLeast, end - position);
        } else {
            long offset = position - bufferStart;
            if (offset >= 0 && offset < buffer.limit()) {
                buffer.position((int) offset);
                buffer.compact();
                carried = buffer.position();
            } else {
                buffer.clear();
            }
        }
        buffer.limit((int) Math.min(buffer.capacity(), carried + end - position));
        try {
            int n = carried + segment.readInto(buffer, position + carried);
            if (n < atLeast) {
                throw new StorageException(segment.path() + " is shorter than its published size " + end
                        + ": read " + n + " bytes at position " + position);
            }
        } catch (IOException e) {
            throw new StorageException("cannot read " + segment.path() + " at position " + position + ": "
                    + e.getMessage(), e);
        }
        buffer.flip();
        bufferStart = position;
    }

    /**
     * A buffer for an entry larger than the current one: direct if the caller's chunk was (the
     * caller may keep it, see {@link #buffer()}), with room for the next entry's frame header and
     * rounded up to whole chunks; a one-off heap buffer is no larger than what is left to scan.
     */
    private ByteBuffer grown(int atLeast, long left) {
        long room = (atLeast + SegmentFormat.FRAME_OVERHEAD + (long) CHUNK_BYTES - 1) / CHUNK_BYTES * CHUNK_BYTES;
        if (buffer.isDirect()) {
            return ByteBuffer.allocateDirect((int) Math.min(Integer.MAX_VALUE - 8, room));
        }
        return ByteBuffer.allocate((int) Math.min(room, Math.max(atLeast, left)));
    }

    /**
     * Checks the current entry's payload against its stored CRC: for a scan without CRC checks
     * ({@link #checkCrcs(boolean)}) whose owner checks only the entries it uses, and passes over
     * the others on their framing alone.
     *
     * @return null if the payload matches its CRC, else what is wrong
     */
    public String crcProblem() {
        int length = payload.remaining();
        int crc = SegmentFormat.entryCrc(length, payload);
        return crc == entryCrc ? null
                : String.format("entry CRC 0x%08X, computed 0x%08X over %d payload bytes", entryCrc, crc, length);
    }

    /** The current entry's position. */
    public long position() {
        return entryPosition;
    }

    /**
     * The buffer the current entry's payload lies in: the chunk the scan was given, or a larger
     * one it grew into for an entry that did not fit (a caller scanning often may keep that one
     * as its chunk).
     */
    public ByteBuffer buffer() {
        return buffer;
    }

    /** The current entry's payload; a view valid until the next call to {@link #next()}. */
    public ByteBuffer payload() {
        return payload;
    }

    /**
     * Where the next entry starts; after {@link #next()} returned false, the end of the valid
     * entries (the position of the invalid one, or of the end).
     */
    public long nextPosition() {
        return nextPosition;
    }

    /** Why the entry at {@link #nextPosition()} is invalid; null if none is. */
    public String problem() {
        return problem;
    }

    Segment segment() {
        return segment;
    }
}
