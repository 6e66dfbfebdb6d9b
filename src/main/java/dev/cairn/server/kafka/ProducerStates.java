package dev.cairn.server.kafka;

import dev.cairn.log.TopicPartition;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.kafka.common.protocol.Errors;

/**
 * The idempotent producers' state, per partition, as Kafka's broker keeps it: for each producer id
 * its epoch, the last sequence number appended, and its last {@value #RETAINED_BATCHES} batches. A
 * batch from a producer is appended only if its first sequence follows the last one appended (or
 * starts a new, higher epoch at 0); a batch equal to one of the retained ones (a retry whose
 * acknowledgement was lost) is acknowledged with the offset it got the first time and not appended
 * again; any other sequence is {@code OUT_OF_ORDER_SEQUENCE_NUMBER}, and an older epoch is
 * {@code INVALID_PRODUCER_EPOCH}. A producer id this partition has not seen is accepted at any
 * sequence, as Kafka accepts it (its state may have been removed).
 *
 * <p>The state lives in memory for the life of the server: after a restart, a producer's first
 * batch to a partition starts its state again. Thread-safe: the check, the append and the update
 * of one partition run under that partition's lock, so two producers' batches to one partition are
 * checked in the order they are appended.
 */
final class ProducerStates {
    /** Batches remembered per producer and partition for duplicate detection: Kafka's 5 (max in-flight requests). */
    static final int RETAINED_BATCHES = 5;

    private final AtomicLong nextProducerId = new AtomicLong();
    private final Map<TopicPartition, Map<Long, Producer>> partitions = new ConcurrentHashMap<>();

    /** A batch appended: its sequence range and the offset of its first record. */
    private record AppendedBatch(int firstSequence, int lastSequence, long baseOffset) {
    }

    /** One producer's state in one partition. */
    private static final class Producer {
        short epoch;
        int lastSequence;
        final ArrayDeque<AppendedBatch> retained = new ArrayDeque<>();
    }

    /**
     * The outcome of an idempotent append.
     *
     * @param error      NONE if the batch was appended or was a duplicate, else why it was refused
     * @param baseOffset the offset of the batch's first record (the first time it was appended), or -1
     * @param duplicate  whether the batch had been appended before (and was not appended again)
     */
    record Outcome(Errors error, long baseOffset, boolean duplicate) {
    }

    /** A producer id not handed out before by this server. */
    long newProducerId() {
        return nextProducerId.getAndIncrement();
    }

    /**
     * Appends a batch of an idempotent producer to {@code partition} through {@code append} (which
     * returns the offset of the batch's first record) if its sequence numbers say it is the next one.
     * If {@code append} throws, nothing is recorded and the exception propagates.
     */
    Outcome append(TopicPartition partition, long producerId, short epoch, int firstSequence, int lastSequence,
            LongSupplier append) {
        Map<Long, Producer> producers = partitions.computeIfAbsent(partition, k -> new HashMap<>());
        synchronized (producers) {
            Producer producer = producers.get(producerId);
            if (producer != null) {
                if (epoch < producer.epoch) {
                    return new Outcome(Errors.INVALID_PRODUCER_EPOCH, -1, false);
                }
                if (epoch == producer.epoch) {
                    for (AppendedBatch b : producer.retained) {
                        if (b.firstSequence() == firstSequence && b.lastSequence() == lastSequence) {
                            return new Outcome(Errors.NONE, b.baseOffset(), true);
                        }
                    }
                    if (firstSequence != next(producer.lastSequence)) {
                        return new Outcome(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, -1, false);
                    }
                } else if (firstSequence != 0) {
                    return new Outcome(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, -1, false);
                }
            }
            long baseOffset = append.getAsLong();
            if (producer == null) {
                producer = new Producer();
                producers.put(producerId, producer);
            }
            if (producer.epoch != epoch) {
                producer.retained.clear();
            }
            producer.epoch = epoch;
            producer.lastSequence = lastSequence;
            producer.retained.addLast(new AppendedBatch(firstSequence, lastSequence, baseOffset));
            if (producer.retained.size() > RETAINED_BATCHES) {
                producer.retained.removeFirst();
            }
            return new Outcome(Errors.NONE, baseOffset, false);
        }
    }

    /** The sequence after {@code sequence}: sequences wrap from Integer.MAX_VALUE to 0, as in Kafka. */
    private static int next(int sequence) {
        return sequence == Integer.MAX_VALUE ? 0 : sequence + 1;
    }
}
