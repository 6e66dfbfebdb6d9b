package dev.cairn.log.internal.replica;

import dev.cairn.common.Durability;
import dev.cairn.log.TopicConfig;
import dev.cairn.log.TopicPartition;
import dev.cairn.log.internal.PartitionReplicaLog;
import dev.cairn.log.internal.RecordBatchFormat;
import dev.cairn.storage.Storage;
import dev.cairn.storage.fs.MemoryFileSystem;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Copies on the real partition storage ({@link PartitionReplicaLog}), each node on its own
 * {@link MemoryFileSystem}: a crash drops what the node had not fsynced (and keeps a random part of
 * it, as a disk's write-back cache might), then the next start recovers the copy from what is left.
 * Appends are fsynced ({@link Durability#ALWAYS}), as an in-sync copy's acknowledgement promises.
 */
final class StorageDisks implements Disks {
    private static final TopicConfig CONFIG = TopicConfig.defaults().withSegmentBytes(4096);

    private final Random random;
    private final Map<Integer, MemoryFileSystem> fileSystems = new TreeMap<>();
    private final Map<Integer, Storage> storages = new TreeMap<>();
    private final Map<Integer, List<PartitionReplicaLog>> open = new TreeMap<>();

    StorageDisks(long seed) {
        this.random = new Random(seed ^ 0x5DEECE66DL);
    }

    @Override
    public ReplicaLog open(int node, TopicPartition partition) {
        MemoryFileSystem fs = fileSystems.computeIfAbsent(node, n -> new MemoryFileSystem());
        Storage storage = storages.computeIfAbsent(node, n -> Storage.open(fs, Path.of("/node" + n), 1000));
        PartitionReplicaLog copy = PartitionReplicaLog.open(storage,
                storage.root().resolve(partition.topic() + "-" + partition.partition()), partition, CONFIG,
                Durability.ALWAYS, () -> Instant.ofEpochMilli(1_000));
        open.computeIfAbsent(node, n -> new ArrayList<>()).add(copy);
        return copy;
    }

    @Override
    public void crash(int node) {
        open.remove(node);
        Storage storage = storages.remove(node);
        MemoryFileSystem fs = fileSystems.get(node);
        if (fs != null) {
            fs.crash(random);
        }
        if (storage != null) {
            storage.close();
        }
    }

    @Override
    public void wipe(int node) {
        fileSystems.put(node, new MemoryFileSystem());
        storages.remove(node);
    }

    @Override
    public Map<Long, byte[]> values(ReplicaLog copy) {
        return records(copy);
    }

    /** Every record of a copy on the partition storage, value by offset, read from its stored v2 batches. */
    static Map<Long, byte[]> records(ReplicaLog copy) {
        Map<Long, byte[]> values = new TreeMap<>();
        ByteBuffer all = copy.read(copy.logStartOffset(), Integer.MAX_VALUE, Long.MAX_VALUE);
        while (all.hasRemaining()) {
            // A v2 batch: 12 bytes (base offset, length) and then as many as its length says.
            int size = 12 + all.getInt(all.position() + RecordBatchFormat.BATCH_LENGTH_OFFSET);
            for (RecordBatchFormat.Entry e : RecordBatchFormat.decode(all.slice(all.position(), size))) {
                values.put(e.offset(), e.value());
            }
            all.position(all.position() + size);
        }
        return values;
    }
}
