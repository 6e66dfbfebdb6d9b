package dev.cairn.log;

import java.nio.ByteBuffer;

/**
 * Whole stored record batches of one partition, as {@link Log#readBatches} returns them: Kafka's
 * v2 record batches (magic 2, each with its own CRC-32C; the layout is in docs/formats.md), one
 * after the other, as a Kafka fetch response carries them. The first batch holds the offset asked
 * for, or is the first one after it; a consumer skips the records of that batch below the offset
 * it asked for, as a Kafka consumer does.
 *
 * @param partition       the partition read
 * @param bytes           the batches, read-only; empty if there was nothing from the offset on
 * @param nextOffset      the offset a next read should start from: past the last batch returned
 * @param beginningOffset the partition's first offset when it was read
 * @param endOffset       the partition's end offset (next offset to be appended) when it was read
 */
public record RecordBatches(TopicPartition partition, ByteBuffer bytes, long nextOffset, long beginningOffset,
        long endOffset) {
}
