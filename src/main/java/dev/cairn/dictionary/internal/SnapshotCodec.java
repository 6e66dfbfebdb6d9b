package dev.cairn.dictionary.internal;

import dev.cairn.common.CorruptFileException;
import dev.cairn.dictionary.BinaryKeys;
import dev.cairn.dictionary.persistence.SnapshotFormat;
import dev.cairn.dictionary.persistence.SnapshotReader;
import dev.cairn.dictionary.persistence.SnapshotWriter;
import java.util.List;

/**
 * Turns values into snapshot records and back (the record layout is {@link SnapshotFormat}'s).
 * Hash fields are stored as their UTF-8 bytes, as the append-only file stores them.
 *
 * <p>Stateless.
 */
final class SnapshotCodec {
    private SnapshotCodec() {
    }

    static void write(SnapshotWriter writer, String key, Object value, long deadlineMs) {
        if (value instanceof byte[] bytes) {
            writer.string(key, deadlineMs, bytes);
        } else if (value instanceof HashValue hash) {
            writer.hash(key, deadlineMs, hash.fields.size());
            hash.fields.forEach(node -> writer.pair(BinaryKeys.toBytes(node.key), node.value));
        } else if (value instanceof ListValue list) {
            writer.list(key, deadlineMs, list.size());
            for (int i = 0; i < list.size(); i++) {
                writer.element(list.get(i));
            }
        } else if (value instanceof SetValue set) {
            writer.set(key, deadlineMs, set.size());
            set.forEach(writer::element);
        } else if (value instanceof SortedSetValue sortedSet) {
            writer.sortedSet(key, deadlineMs, sortedSet.size());
            sortedSet.rangeByRank(0, -1, false, writer::scored);
        } else {
            throw new IllegalStateException("no snapshot encoding for " + value.getClass().getName());
        }
    }

    /** The value of the reader's current record. */
    static Object restore(SnapshotReader reader, String file) {
        List<byte[]> elements = reader.elements();
        switch (reader.type()) {
            case SnapshotFormat.TYPE_STRING:
                return elements.get(0);
            case SnapshotFormat.TYPE_HASH: {
                HashValue hash = new HashValue();
                for (int i = 0; i < elements.size(); i += 2) {
                    hash.fields.put(BinaryKeys.fromBytes(elements.get(i)), elements.get(i + 1));
                }
                return hash;
            }
            case SnapshotFormat.TYPE_LIST: {
                ListValue list = new ListValue();
                elements.forEach(list::addLast);
                return list;
            }
            case SnapshotFormat.TYPE_SET: {
                SetValue set = new SetValue(elements.size());
                elements.forEach(set::add);
                return set;
            }
            case SnapshotFormat.TYPE_SORTED_SET: {
                SortedSetValue sortedSet = new SortedSetValue(elements.size());
                for (int i = 0; i < elements.size(); i++) {
                    double score = reader.score(i);
                    if (Double.isNaN(score)) {
                        throw new CorruptFileException(file, reader.recordPosition(), "NaN score in sorted set "
                                + reader.key());
                    }
                    sortedSet.put(elements.get(i), score);
                }
                return sortedSet;
            }
            default:
                throw new CorruptFileException(file, reader.recordPosition(), "unknown record type " + reader.type());
        }
    }
}
