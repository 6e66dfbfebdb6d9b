package dev.cairn.log.internal;

import dev.cairn.common.CorruptFileException;
import dev.cairn.log.ConsumerRecord;
import dev.cairn.log.ProducerRecord;
import dev.cairn.log.TopicPartition;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Committed offsets of consumer groups, kept as Kafka keeps them: records of the internal
 * compacted topic {@value DefaultLog#OFFSETS_TOPIC} (one partition), replayed into memory on open.
 * A commit is one batch append under the log's default durability, so it is as durable as any
 * acknowledged record; compaction keeps only the latest offset per (group, partition).
 *
 * <pre>
 * key   := 2 group length | group UTF-8 | 2 topic length | topic UTF-8 | 4 partition
 * value := 8 next offset to read, or none (a tombstone: the offset was deleted with its topic)
 * </pre>
 *
 * <p>Invariant: every offset held is for a partition of an existing topic. A commit for a topic
 * that does not exist is refused; deleting a topic writes a tombstone for each of its committed
 * offsets, in every group, as Kafka deletes a deleted topic's offsets (so a topic created again
 * under the name starts without them); and open writes tombstones for offsets of topics that no
 * longer exist (a deletion cut short by a crash between removing the topic and its offsets).
 *
 * <p>Thread-safety: thread-safe; commits and deletions are serialized by this store's lock, so a
 * commit either lands before a deletion's tombstones (and is deleted by them) or finds the topic gone.
 */
final class OffsetStore {
    private final DefaultLog log;
    private final TopicPartition partition = new TopicPartition(DefaultLog.OFFSETS_TOPIC, 0);
    private final Map<String, Map<TopicPartition, Long>> committed = new ConcurrentHashMap<>();

    OffsetStore(DefaultLog log) {
        this.log = log;
        PartitionLog p = log.partition(partition);
        long offset = p.beginningOffset();
        long end = p.endOffset();
        while (offset < end) {
            PartitionReader.ReadResult result = p.reader().read(offset, 10_000);
            for (ConsumerRecord r : result.records()) {
                apply(r.key(), r.value(), p.directory().toString());
            }
            offset = result.nextOffset();
        }
        deleteWhere(tp -> log.partitionCount(tp.topic()) <= tp.partition());
    }

    private void apply(byte[] key, byte[] value, String file) {
        if (key == null || (value != null && value.length != 8)) {
            throw new CorruptFileException(file, 0, "committed-offset record with a key of "
                    + (key == null ? "null" : key.length + " bytes") + " and a value of "
                    + (value == null ? "null" : value.length + " bytes"));
        }
        ByteBuffer k = ByteBuffer.wrap(key);
        String group = string(k);
        TopicPartition tp = new TopicPartition(string(k), k.getInt());
        if (value != null) {
            committed.computeIfAbsent(group, g -> new ConcurrentHashMap<>()).put(tp, ByteBuffer.wrap(value).getLong());
        } else {
            remove(group, tp);
        }
    }

    private void remove(String group, TopicPartition tp) {
        Map<TopicPartition, Long> offsets = committed.get(group);
        if (offsets != null) {
            offsets.remove(tp);
            if (offsets.isEmpty()) {
                committed.remove(group);
            }
        }
    }

    private static String string(ByteBuffer b) {
        byte[] bytes = new byte[b.getShort() & 0xffff];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static byte[] key(String group, TopicPartition tp) {
        byte[] g = group.getBytes(StandardCharsets.UTF_8);
        byte[] t = tp.topic().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(2 + g.length + 2 + t.length + 4).putShort((short) g.length).put(g)
                .putShort((short) t.length).put(t).putInt(tp.partition()).array();
    }

    /** Durably records {@code offsets} (next offsets to read) for {@code group}. */
    synchronized void commit(String group, Map<TopicPartition, Long> offsets) {
        if (offsets.isEmpty()) {
            return;
        }
        if (group.getBytes(StandardCharsets.UTF_8).length > 0xffff) {
            throw new IllegalArgumentException("group id longer than 65535 bytes");
        }
        List<ProducerRecord> records = new ArrayList<>(offsets.size());
        for (Map.Entry<TopicPartition, Long> e : offsets.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new NullPointerException("commit of a null partition or offset: " + e.getKey() + " -> "
                        + e.getValue());
            }
            if (e.getValue() < 0) {
                throw new IllegalArgumentException("committed offset must be >= 0, was " + e.getValue() + " for "
                        + e.getKey());
            }
            // Checked under this store's lock: a topic being deleted has left the log's map before
            // its offsets are deleted here, so no commit can slip in after its tombstones.
            log.partition(e.getKey());
            records.add(new ProducerRecord(DefaultLog.OFFSETS_TOPIC, 0, null, key(group, e.getKey()),
                    ByteBuffer.allocate(8).putLong(e.getValue()).array(), List.of()));
        }
        log.append(records);
        committed.computeIfAbsent(group, g -> new ConcurrentHashMap<>()).putAll(offsets);
    }

    /**
     * Durably deletes every group's committed offsets for {@code topic}'s partitions, by writing
     * tombstones; called after the topic has left the log.
     */
    void deleteTopic(String topic) {
        deleteWhere(tp -> tp.topic().equals(topic));
    }

    private void deleteWhere(Predicate<TopicPartition> doomed) {
        deleteWhere(group -> true, doomed);
    }

    private synchronized void deleteWhere(Predicate<String> inGroup, Predicate<TopicPartition> doomed) {
        List<ProducerRecord> tombstones = new ArrayList<>();
        List<Map.Entry<String, TopicPartition>> removed = new ArrayList<>();
        committed.forEach((group, offsets) -> offsets.keySet().stream().filter(tp -> inGroup.test(group))
                .filter(doomed).sorted().forEach(tp -> {
            tombstones.add(new ProducerRecord(DefaultLog.OFFSETS_TOPIC, 0, null, key(group, tp), null, List.of()));
            removed.add(Map.entry(group, tp));
        }));
        if (tombstones.isEmpty()) {
            return;
        }
        log.append(tombstones);
        removed.forEach(e -> remove(e.getKey(), e.getValue()));
    }

    /** Durably deletes {@code group}'s committed offsets of {@code partitions} (those it has). */
    void delete(String group, java.util.Collection<TopicPartition> partitions) {
        Set<TopicPartition> doomed = Set.copyOf(partitions);
        deleteWhere(group::equals, doomed::contains);
    }

    /** Durably deletes every committed offset of {@code group}. */
    void deleteGroup(String group) {
        deleteWhere(group::equals, tp -> true);
    }

    /** The groups with at least one committed offset. */
    Set<String> groups() {
        return Set.copyOf(committed.keySet());
    }

    /** A copy of {@code group}'s committed offsets. */
    Map<TopicPartition, Long> committed(String group) {
        Map<TopicPartition, Long> offsets = committed.get(group);
        return offsets == null ? Map.of() : Map.copyOf(offsets);
    }

    OptionalLong committed(String group, TopicPartition tp) {
        Map<TopicPartition, Long> offsets = committed.get(group);
        Long offset = offsets == null ? null : offsets.get(tp);
        return offset == null ? OptionalLong.empty() : OptionalLong.of(offset);
    }
}
