package dev.cairn.dictionary.persistence;

import dev.cairn.dictionary.BinaryKeys;
import dev.cairn.storage.AtomicFile;
import dev.cairn.storage.Varint;
import dev.cairn.storage.fs.StorageFileSystem;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * Writes a snapshot file (see {@link SnapshotFormat}) as a stream: one call per key, then one
 * per element of a collection; {@link #finish()} writes the end record and atomically moves the
 * file into place. Until then nothing is visible under the file's name, and {@link #close()}
 * without {@link #finish()} removes the partial file.
 *
 * <p>Not thread-safe: one snapshot thread owns it.
 */
public final class SnapshotWriter implements AutoCloseable {
    private static final int BUFFER_BYTES = 256 * 1024;

    private final AtomicFile.Writer file;
    private final CRC32C crc = new CRC32C();
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
    private long keys;
    /** Elements still owed by the collection being written. */
    private int pendingElements;
    private byte pendingType;
    private boolean finished;

    private SnapshotWriter(AtomicFile.Writer file) {
        this.file = file;
    }

    /** Starts snapshot {@code id}, covering {@code sequence} append-only entries, at {@code path}. */
    public static SnapshotWriter begin(StorageFileSystem fs, Path path, long id, long sequence, long createdAtMs) {
        SnapshotWriter writer = new SnapshotWriter(AtomicFile.begin(fs, path));
        ByteBuffer header = writer.buffer;
        header.putInt(SnapshotFormat.MAGIC).putShort(SnapshotFormat.VERSION).putShort((short) 0)
                .putLong(id).putLong(sequence).putLong(createdAtMs);
        return writer;
    }

    public void string(String key, long deadlineMs, byte[] value) {
        startRecord(SnapshotFormat.TYPE_STRING, key, deadlineMs);
        bytes(value);
    }

    /** Starts a hash of {@code fields} fields; follow with that many {@link #pair} calls. */
    public void hash(String key, long deadlineMs, int fields) {
        startCollection(SnapshotFormat.TYPE_HASH, key, deadlineMs, fields);
    }

    /** Starts a list of {@code elements}, head first; follow with that many {@link #element} calls. */
    public void list(String key, long deadlineMs, int elements) {
        startCollection(SnapshotFormat.TYPE_LIST, key, deadlineMs, elements);
    }

    /** Starts a set of {@code members}; follow with that many {@link #element} calls. */
    public void set(String key, long deadlineMs, int members) {
        startCollection(SnapshotFormat.TYPE_SET, key, deadlineMs, members);
    }

    /** Starts a sorted set of {@code members}; follow with that many {@link #scored} calls. */
    public void sortedSet(String key, long deadlineMs, int members) {
        startCollection(SnapshotFormat.TYPE_SORTED_SET, key, deadlineMs, members);
    }

    public void pair(byte[] field, byte[] value) {
        owe(SnapshotFormat.TYPE_HASH);
        bytes(field);
        bytes(value);
    }

    public void element(byte[] element) {
        if (pendingType != SnapshotFormat.TYPE_LIST) {
            owe(SnapshotFormat.TYPE_SET);
        } else {
            owe(SnapshotFormat.TYPE_LIST);
        }
        bytes(element);
    }

    public void scored(byte[] member, double score) {
        owe(SnapshotFormat.TYPE_SORTED_SET);
        bytes(member);
        room(8);
        buffer.putDouble(score);
    }

    /** Keys written so far. */
    public long keys() {
        return keys;
    }

    /** Writes the end record and moves the snapshot into place (fsynced). @return its size in bytes */
    public long finish() {
        if (pendingElements != 0) {
            throw new IllegalStateException(pendingElements + " elements of the last collection are missing");
        }
        room(SnapshotFormat.END_SIZE);
        buffer.put(SnapshotFormat.TYPE_END).putLong(keys);
        flushBuffer();
        ByteBuffer tail = ByteBuffer.allocate(4).putInt((int) crc.getValue()).flip();
        file.write(tail);
        file.commit();
        finished = true;
        return file.position();
    }

    /** Abandons an unfinished snapshot, removing its temporary file. Idempotent. */
    @Override
    public void close() {
        if (!finished) {
            file.abortIfUncommitted();
            finished = true;
        }
    }

    private void startCollection(byte type, String key, long deadlineMs, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("collection " + key + " must have elements, has " + count);
        }
        startRecord(type, key, deadlineMs);
        room(Varint.MAX_BYTES);
        Varint.put(buffer, count);
        pendingType = type;
        pendingElements = count;
    }

    private void startRecord(byte type, String key, long deadlineMs) {
        if (pendingElements != 0) {
            throw new IllegalStateException(pendingElements + " elements of the previous collection are missing");
        }
        room(1);
        buffer.put(type);
        bytes(BinaryKeys.toBytes(key));
        room(8);
        buffer.putLong(deadlineMs);
        keys++;
    }

    private void owe(byte type) {
        if (pendingType != type || pendingElements == 0) {
            throw new IllegalStateException("no " + type + "-type collection is waiting for elements");
        }
        pendingElements--;
    }

    private void bytes(byte[] bytes) {
        room(Varint.MAX_BYTES);
        Varint.put(buffer, bytes.length);
        if (bytes.length > buffer.remaining()) {
            flushBuffer();
            if (bytes.length > buffer.remaining()) {
                crc.update(bytes);
                file.write(ByteBuffer.wrap(bytes));
                return;
            }
        }
        buffer.put(bytes);
    }

    private void room(int bytes) {
        if (buffer.remaining() < bytes) {
            flushBuffer();
        }
    }

    private void flushBuffer() {
        buffer.flip();
        crc.update(buffer.duplicate());
        file.write(buffer);
        buffer.clear();
    }
}
