package dev.cairn.log.internal;

import dev.cairn.common.CorruptFileException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The payload of a replicated partition's leader-epoch file, {@value #FILE_NAME} in the
 * partition's directory, written with {@link dev.cairn.storage.AtomicFile} (magic {@link #MAGIC},
 * version 1, CRC-checked): for each leader epoch the partition has seen, the offset of its first
 * record (Kafka's leader-epoch checkpoint).
 *
 * <pre>
 * offset      size  field
 *      0         4  entry count n
 *      4 + 12i   4  epoch i          strictly increasing along the entries, >= 0
 *      8 + 12i   8  start offset i   offset of the first record of epoch i; not decreasing
 * </pre>
 *
 * <p>Big-endian, {@code 4 + 12n} bytes. Absent: no epochs (a partition never replicated).
 * Replaced whole on every change, so a crash leaves the old list or the new one. The batches
 * carry their epochs too, so a damaged file is not fatal: {@link LeaderEpochCache} rebuilds the
 * list from the batches' leader epoch fields and writes it anew. Entries past the log end after
 * recovery (a tail lost under a policy without fsync) are dropped on open.
 */
final class LeaderEpochFormat {
    static final String FILE_NAME = "leader-epoch-checkpoint";
    static final int MAGIC = 0x43524C45; // "CRLE"
    static final short VERSION = 1;
    static final int COUNT_OFFSET = 0;
    static final int ENTRIES_OFFSET = COUNT_OFFSET + 4;
    static final int EPOCH_OFFSET = 0;
    static final int START_OFFSET_OFFSET = EPOCH_OFFSET + 4;
    static final int ENTRY_SIZE = START_OFFSET_OFFSET + 8;

    private LeaderEpochFormat() {
    }

    /** One entry: {@code epoch} began at offset {@code startOffset}. */
    record Entry(int epoch, long startOffset) {
    }

    static int entryPosition(int i) {
        return ENTRIES_OFFSET + i * ENTRY_SIZE;
    }

    static ByteBuffer encode(List<Entry> entries) {
        ByteBuffer b = ByteBuffer.allocate(entryPosition(entries.size())).putInt(COUNT_OFFSET, entries.size());
        for (int i = 0; i < entries.size(); i++) {
            b.putInt(entryPosition(i) + EPOCH_OFFSET, entries.get(i).epoch())
                    .putLong(entryPosition(i) + START_OFFSET_OFFSET, entries.get(i).startOffset());
        }
        return b;
    }

    /** @throws CorruptFileException naming {@code file} if the payload is not a valid list */
    static List<Entry> decode(String file, ByteBuffer payload) {
        int at = payload.position();
        if (payload.remaining() < ENTRIES_OFFSET) {
            throw new CorruptFileException(file, 0, "leader-epoch list of " + payload.remaining() + " bytes, expected at least "
                    + ENTRIES_OFFSET);
        }
        int count = payload.getInt(at + COUNT_OFFSET);
        if (count < 0 || (long) entryPosition(0) + (long) count * ENTRY_SIZE != payload.remaining()) {
            throw new CorruptFileException(file, COUNT_OFFSET, "leader-epoch list says " + count + " entries, but "
                    + payload.remaining() + " bytes hold " + (payload.remaining() - ENTRIES_OFFSET) / ENTRY_SIZE);
        }
        List<Entry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int epoch = payload.getInt(at + entryPosition(i) + EPOCH_OFFSET);
            long start = payload.getLong(at + entryPosition(i) + START_OFFSET_OFFSET);
            Entry previous = i == 0 ? null : entries.get(i - 1);
            if (epoch < 0 || start < 0 || (previous != null
                    && (epoch <= previous.epoch() || start < previous.startOffset()))) {
                throw new CorruptFileException(file, entryPosition(i), "leader-epoch entry " + i + " (epoch " + epoch
                        + " from offset " + start + ") does not follow " + previous);
            }
            entries.add(new Entry(epoch, start));
        }
        return entries;
    }
}
