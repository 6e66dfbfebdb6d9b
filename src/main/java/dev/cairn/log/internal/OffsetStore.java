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
import java.util.concurrent.ConcurrentHashMap;

/**
 * Committed offsets of consumer groups, kept as Kafka keeps them: records of the internal
 * compacted topic {@value DefaultLog#OFFSETS_TOPIC} (one partition), replayed into memory on open.
 * A commit is one batch append under the log's default durability, so it is as durable as any
 * acknowledged record; compaction keeps only the latest offset per (group, partition).
 *
 * <pre>
 * key   := 2 group length | group UTF-8 | 2 topic length | topic UTF-8 | 4 partition
 * value := 8 next offset to read
 * </pre>
 *
 * <p>Thread-safety: thread-safe; concurrent commits of one group are applied in append order.
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
    }

    private void apply(byte[] key, byte[] value, String file) {
        if (key == null || value == null || value.length != 8) {
            throw new CorruptFileException(file, 0, "committed-offset record with a key of "
                    + (key == null ? "null" : key.length + " bytes") + " and a value of "
                    + (value == null ? "null" : value.length + " bytes"));
        }
        ByteBuffer k = ByteBuffer.wrap(key);
        String group = string(k);
        String topic = string(k);
        int p = k.getInt();
        committed.computeIfAbsent(group, g -> new ConcurrentHashMap<>())
                .put(new TopicPartition(topic, p), ByteBuffer.wrap(value).getLong());
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
            if (e.getValue() < 0) {
                throw new IllegalArgumentException("committed offset must be >= 0, was " + e.getValue() + " for "
                        + e.getKey());
            }
            records.add(new ProducerRecord(DefaultLog.OFFSETS_TOPIC, 0, null, key(group, e.getKey()),
                    ByteBuffer.allocate(8).putLong(e.getValue()).array(), List.of()));
        }
        log.append(records);
        committed.computeIfAbsent(group, g -> new ConcurrentHashMap<>()).putAll(offsets);
    }

    OptionalLong committed(String group, TopicPartition tp) {
        Map<TopicPartition, Long> offsets = committed.get(group);
        Long offset = offsets == null ? null : offsets.get(tp);
        return offset == null ? OptionalLong.empty() : OptionalLong.of(offset);
    }
}
