package dev.cairn.log.internal.replica;

import dev.cairn.log.InvalidBatchException;
import dev.cairn.log.NotLeaderException;
import dev.cairn.log.OffsetOutOfRangeException;
import dev.cairn.log.ProducerRecord;
import dev.cairn.log.TopicPartition;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The simplest {@link ReplicaLog} that keeps its contract, in memory: a list of batches (base
 * offset, epoch, values) and an epoch table. The replication logic's tests run against it so a
 * failure points at the logic, not at the storage; the same tests then run against the real
 * partition storage.
 *
 * <p>Batches cross the transport as {@code [base offset 8][epoch 4][count 4]} and, per record,
 * {@code [length 4][value bytes]}. Everything here is "durable" at once, so a crash loses nothing
 * and {@link #reopen()} keeps the records, the epochs and the high watermark.
 */
final class ModelReplicaLog implements ReplicaLog {
    record Batch(long base, int epoch, List<byte[]> values) {
        long end() {
            return base + values.size();
        }
    }

    private final TopicPartition partition;
    private final List<Batch> batches;
    private final TreeMap<Integer, Long> epochs;
    private long start;
    private long highWatermark;
    private int leaderEpoch = -1;

    ModelReplicaLog(TopicPartition partition) {
        this(partition, new ArrayList<>(), new TreeMap<>(), 0, 0);
    }

    private ModelReplicaLog(TopicPartition partition, List<Batch> batches, TreeMap<Integer, Long> epochs, long start,
            long highWatermark) {
        this.partition = partition;
        this.batches = batches;
        this.epochs = epochs;
        this.start = start;
        this.highWatermark = highWatermark;
    }

    /** The same stored records, epochs and high watermark, as a process that restarted would find them. */
    synchronized ModelReplicaLog reopen() {
        return new ModelReplicaLog(partition, new ArrayList<>(batches), new TreeMap<>(epochs), start, highWatermark);
    }

    @Override
    public TopicPartition topicPartition() {
        return partition;
    }

    @Override
    public synchronized long logStartOffset() {
        return start;
    }

    @Override
    public synchronized long logEndOffset() {
        return batches.isEmpty() ? start : batches.get(batches.size() - 1).end();
    }

    @Override
    public synchronized long highWatermark() {
        return highWatermark;
    }

    @Override
    public synchronized void highWatermark(long offset) {
        highWatermark = Math.max(start, Math.min(offset, logEndOffset()));
    }

    @Override
    public synchronized void becomeLeader(int epoch) {
        if (!epochs.isEmpty() && epoch < epochs.lastKey()) {
            throw new IllegalArgumentException("epoch " + epoch + " is older than " + epochs.lastKey());
        }
        leaderEpoch = epoch;
        assign(epoch, logEndOffset());
    }

    @Override
    public synchronized void becomeFollower() {
        leaderEpoch = -1;
    }

    @Override
    public synchronized long appendAsLeader(List<ProducerRecord> records) {
        if (leaderEpoch < 0) {
            throw new NotLeaderException(partition + " is not led here");
        }
        long base = logEndOffset();
        batches.add(new Batch(base, leaderEpoch, records.stream().map(ProducerRecord::value).toList()));
        return base;
    }

    @Override
    public synchronized long appendAsFollower(ByteBuffer bytes) {
        ByteBuffer b = bytes.duplicate();
        while (b.hasRemaining()) {
            long base = b.getLong();
            int epoch = b.getInt();
            int count = b.getInt();
            if (base != logEndOffset()) {
                throw new InvalidBatchException("batch at " + base + " does not follow the log end " + logEndOffset());
            }
            List<byte[]> values = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                byte[] v = new byte[b.getInt()];
                b.get(v);
                values.add(v);
            }
            batches.add(new Batch(base, epoch, values));
            assign(epoch, base);
        }
        return logEndOffset();
    }

    private void assign(int epoch, long offset) {
        if (epochs.isEmpty() || epoch > epochs.lastKey()) {
            epochs.put(epoch, offset);
        }
    }

    @Override
    public synchronized ByteBuffer read(long offset, int maxBytes, long maxOffset) {
        if (offset < start || offset > logEndOffset()) {
            throw new OffsetOutOfRangeException(partition.topic(), partition.partition(), offset, start, logEndOffset());
        }
        ByteBuffer out = ByteBuffer.allocate(1 << 16);
        for (Batch batch : batches) {
            if (batch.end() <= offset || batch.end() > maxOffset) {
                continue;
            }
            int size = 16 + batch.values().stream().mapToInt(v -> 4 + v.length).sum();
            if (out.position() > 0 && out.position() + size > maxBytes || size > out.remaining()) {
                break;
            }
            out.putLong(batch.base()).putInt(batch.epoch()).putInt(batch.values().size());
            batch.values().forEach(v -> out.putInt(v.length).put(v));
        }
        return out.flip();
    }

    @Override
    public synchronized void advanceLogStartOffset(long offset) {
        long next = Math.min(offset, logEndOffset());
        if (next > start) {
            batches.removeIf(b -> b.end() <= next);
            start = next;
            highWatermark = Math.max(highWatermark, start);
        }
    }

    @Override
    public synchronized int latestEpoch() {
        return epochs.isEmpty() ? -1 : epochs.lastKey();
    }

    @Override
    public synchronized EpochEndOffset endOffsetFor(int epoch) {
        Map.Entry<Integer, Long> floor = epochs.floorEntry(epoch);
        if (floor == null) {
            return EpochEndOffset.UNDEFINED;
        }
        Map.Entry<Integer, Long> next = epochs.higherEntry(floor.getKey());
        return new EpochEndOffset(floor.getKey(), next == null ? logEndOffset() : next.getValue());
    }

    @Override
    public synchronized void truncateTo(long offset) {
        batches.removeIf(b -> b.end() > offset);
        long end = Math.min(offset, logEndOffset());
        epochs.entrySet().removeIf(e -> e.getValue() >= end);
        highWatermark = Math.min(highWatermark, logEndOffset());
    }

    @Override
    public synchronized void truncateFullyAndStartAt(long offset) {
        batches.clear();
        epochs.clear();
        start = offset;
        highWatermark = offset;
    }

    /** The stored values by offset, for the simulation's checks. */
    synchronized Map<Long, byte[]> values() {
        Map<Long, byte[]> all = new TreeMap<>();
        for (Batch b : batches) {
            for (int i = 0; i < b.values().size(); i++) {
                if (b.base() + i >= start) {
                    all.put(b.base() + i, b.values().get(i));
                }
            }
        }
        return all;
    }

    /** The batches with their epochs, for comparing copies. */
    synchronized List<String> describe() {
        return batches.stream().map(b -> b.base() + "@" + b.epoch() + "x" + b.values().size()).toList();
    }
}
