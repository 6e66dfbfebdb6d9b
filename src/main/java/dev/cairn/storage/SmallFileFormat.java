package dev.cairn.storage;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The layout of a small checksummed file (checkpoints, manifests, markers), always written
 * whole through {@link AtomicFile}.
 *
 * <pre>
 *  offset  size  field
 *       0     4  magic     the owner's kind of file (e.g. "CRCS" for a clean-shutdown marker)
 *       4     2  version   the owner's format version
 *       6     2  reserved  0
 *       8     4  length n  payload bytes
 *      12     4  CRC       CRC32C of bytes 0..11 followed by the n payload bytes
 *      16     n  payload
 * </pre>
 *
 * <p>Big-endian. The CRC covers the header too, so a flipped bit anywhere is detected. There is
 * no torn state to recover: the file is replaced atomically, so a reader sees the old bytes or the
 * new ones; a file failing its check is corrupt, never half-written.
 */
public final class SmallFileFormat {
    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 4;
    public static final int LENGTH_OFFSET = 8;
    public static final int CRC_OFFSET = 12;
    public static final int HEADER_SIZE = 16;

    private SmallFileFormat() {
    }

    /** Frames {@code payload} (its remaining bytes) as a complete small file. */
    public static ByteBuffer frame(int magic, short version, ByteBuffer payload) {
        ByteBuffer file = ByteBuffer.allocate(HEADER_SIZE + payload.remaining());
        file.putInt(MAGIC_OFFSET, magic);
        file.putShort(VERSION_OFFSET, version);
        file.putInt(LENGTH_OFFSET, payload.remaining());
        file.put(HEADER_SIZE, payload.duplicate(), payload.position(), payload.remaining());
        file.putInt(CRC_OFFSET, crc(file, payload.remaining()));
        return file;
    }

    static int crc(ByteBuffer file, int payloadLength) {
        CRC32C crc = new CRC32C();
        crc.update(file.duplicate().position(0).limit(CRC_OFFSET));
        crc.update(file.duplicate().position(HEADER_SIZE).limit(HEADER_SIZE + payloadLength));
        return (int) crc.getValue();
    }
}
