package dev.cairn.dictionary.persistence;

import dev.cairn.common.CorruptFileException;
import dev.cairn.common.StorageException;
import dev.cairn.dictionary.BinaryKeys;
import dev.cairn.storage.Varint;
import dev.cairn.storage.fs.StorageFile;
import dev.cairn.storage.fs.StorageFileSystem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Reads a snapshot file (see {@link SnapshotFormat}) record by record, checking every length
 * against the file and the CRC at the end. {@link #next()} returns false only after the end
 * record and the CRC have been verified, so a caller that loads records into a fresh keyspace
 * and adopts it only then never adopts a damaged snapshot.
 *
 * <p>Not thread-safe.
 */
public final class SnapshotReader implements AutoCloseable {
    private static final int CHUNK_BYTES = 256 * 1024;

    private final Path path;
    private final StorageFile file;
    private final long fileSize;
    private final CRC32C crc = new CRC32C();
    private ByteBuffer buffer = ByteBuffer.allocate(CHUNK_BYTES).limit(0);
    /** File position of the buffer's byte 0. */
    private long bufferStart;
    private final long id;
    private final long sequence;
    private final long createdAtMs;
    private long recordsRead;
    private boolean ended;
    /** Buffer index up to which consumed bytes are in the CRC. */
    private int crcMark;

    private byte type;
    private long recordPosition;
    private String key;
    private long deadlineMs;
    private final List<byte[]> elements = new ArrayList<>();
    private double[] scores = new double[16];

    private SnapshotReader(Path path, StorageFile file, long fileSize) {
        this.path = path;
        this.file = file;
        this.fileSize = fileSize;
        if (fileSize < SnapshotFormat.HEADER_SIZE + SnapshotFormat.END_SIZE) {
            throw corrupt(0, "file of " + fileSize + " bytes is too short for a snapshot");
        }
        ByteBuffer header = take(SnapshotFormat.HEADER_SIZE);
        int magic = header.getInt();
        if (magic != SnapshotFormat.MAGIC) {
            throw corrupt(SnapshotFormat.MAGIC_OFFSET,
                    String.format("not a snapshot: magic 0x%08X, expected 0x%08X", magic, SnapshotFormat.MAGIC));
        }
        short version = header.getShort();
        if (version != SnapshotFormat.VERSION) {
            throw corrupt(SnapshotFormat.VERSION_OFFSET, "snapshot format version " + version
                    + " is not readable by this build (reads " + SnapshotFormat.VERSION + ")");
        }
        header.getShort();
        this.id = header.getLong();
        this.sequence = header.getLong();
        this.createdAtMs = header.getLong();
    }

    public static SnapshotReader open(StorageFileSystem fs, Path path) {
        StorageFile file = null;
        try {
            file = fs.openExisting(path);
            return new SnapshotReader(path, file, file.size());
        } catch (IOException e) {
            close(file);
            throw new StorageException("cannot read snapshot " + path + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            close(file);
            throw e;
        }
    }

    public long id() {
        return id;
    }

    /** Append-only entries the snapshot covers: replay continues from this sequence number. */
    public long sequence() {
        return sequence;
    }

    public long createdAtMs() {
        return createdAtMs;
    }

    /**
     * Reads the next record.
     *
     * @return true with a record; false after the verified end
     * @throws CorruptFileException naming the file and position if anything is wrong
     */
    public boolean next() {
        if (ended) {
            return false;
        }
        recordPosition = position();
        type = take(1).get();
        if (type == SnapshotFormat.TYPE_END) {
            long count = take(8).getLong();
            if (count != recordsRead) {
                throw corrupt(recordPosition + 1, "end record counts " + count + " keys, file holds " + recordsRead);
            }
            updateCrc();
            int computed = (int) crc.getValue();
            int stored = take(4).getInt();
            if (stored != computed) {
                throw corrupt(recordPosition + 9, String.format("CRC 0x%08X, computed 0x%08X", stored, computed));
            }
            if (position() != fileSize) {
                throw corrupt(position(), (fileSize - position()) + " bytes follow the end record");
            }
            ended = true;
            return false;
        }
        if (type < SnapshotFormat.TYPE_STRING || type > SnapshotFormat.TYPE_SORTED_SET) {
            throw corrupt(recordPosition, "unknown record type " + type);
        }
        key = BinaryKeys.fromBytes(bytes());
        deadlineMs = take(8).getLong();
        elements.clear();
        if (type == SnapshotFormat.TYPE_STRING) {
            elements.add(bytes());
        } else {
            int count = varint();
            int perElement = type == SnapshotFormat.TYPE_HASH ? 2 : 1;
            if (count < 1 || (long) count * perElement > fileSize - position()) {
                throw corrupt(recordPosition, "collection " + key + " claims " + count + " elements");
            }
            if (type == SnapshotFormat.TYPE_SORTED_SET && scores.length < count) {
                scores = new double[Math.max(count, scores.length * 2)];
            }
            for (int i = 0; i < count; i++) {
                elements.add(bytes());
                if (perElement == 2) {
                    elements.add(bytes());
                } else if (type == SnapshotFormat.TYPE_SORTED_SET) {
                    scores[i] = take(8).getDouble();
                }
            }
        }
        recordsRead++;
        return true;
    }

    /** The record's {@code SnapshotFormat.TYPE_*} byte. */
    public byte type() {
        return type;
    }

    public String key() {
        return key;
    }

    /** Absolute expiry in ms, or {@link SnapshotFormat#NO_DEADLINE}. */
    public long deadlineMs() {
        return deadlineMs;
    }

    /**
     * The record's values: a string's single value; a hash's fields and values alternating; a
     * list's elements head first; a set's or sorted set's members. Valid until {@link #next()}.
     */
    public List<byte[]> elements() {
        return elements;
    }

    /** A sorted set's scores, index-aligned with {@link #elements()}. Valid until {@link #next()}. */
    public double score(int index) {
        return scores[index];
    }

    /** Records read so far; after the end, the snapshot's key count. */
    public long recordsRead() {
        return recordsRead;
    }

    /** Where the current record starts in the file. */
    public long recordPosition() {
        return recordPosition;
    }

    @Override
    public void close() {
        close(file);
    }

    private static void close(StorageFile file) {
        if (file != null) {
            try {
                file.close();
            } catch (IOException ignored) {
                // Reading only: nothing to lose.
            }
        }
    }

    private long position() {
        return bufferStart + buffer.position();
    }

    private byte[] bytes() {
        int length = varint();
        if (length > fileSize - position()) {
            throw corrupt(position(), "length " + length + " runs past the end of the file (" + fileSize + " bytes)");
        }
        byte[] bytes = new byte[length];
        int done = 0;
        while (done < length) {
            ensure(1);
            int n = Math.min(length - done, buffer.remaining());
            buffer.get(bytes, done, n);
            done += n;
        }
        return bytes;
    }

    private int varint() {
        ensure(Math.min(Varint.MAX_BYTES, (int) (fileSize - position())));
        long at = position();
        try {
            return Varint.get(buffer);
        } catch (IllegalArgumentException | java.nio.BufferUnderflowException e) {
            throw corrupt(at, "bad length: " + e.getMessage());
        }
    }

    /** The next {@code count} bytes. */
    private ByteBuffer take(int count) {
        ensure(count);
        ByteBuffer view = buffer.slice(buffer.position(), count);
        buffer.position(buffer.position() + count);
        return view;
    }

    /** Adds the bytes consumed since the last call to the CRC. */
    private void updateCrc() {
        ByteBuffer consumed = buffer.duplicate();
        consumed.limit(buffer.position());
        consumed.position(crcMark);
        crc.update(consumed);
        crcMark = buffer.position();
    }

    /** Makes {@code count} bytes available in the buffer, reading the next chunk if needed. */
    private void ensure(int count) {
        if (buffer.remaining() >= count) {
            return;
        }
        if (position() + count > fileSize) {
            throw corrupt(position(), "file ends inside a record (" + fileSize + " bytes)");
        }
        updateCrc();
        ByteBuffer next = ByteBuffer.allocate(Math.max(CHUNK_BYTES, count));
        long nextStart = position();
        next.put(buffer);
        try {
            next.limit((int) Math.min(next.capacity(), fileSize - nextStart));
            file.read(next, nextStart + next.position());
        } catch (IOException e) {
            throw new StorageException("cannot read snapshot " + path + ": " + e.getMessage(), e);
        }
        next.flip();
        buffer = next;
        bufferStart = nextStart;
        crcMark = 0;
    }

    private CorruptFileException corrupt(long position, String problem) {
        return new CorruptFileException(path.toString(), position, problem);
    }
}
