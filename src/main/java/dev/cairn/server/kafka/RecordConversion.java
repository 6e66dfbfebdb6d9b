package dev.cairn.server.kafka;

import dev.cairn.log.ConsumerRecord;
import dev.cairn.log.Header;
import dev.cairn.log.ProducerRecord;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.DefaultRecordBatch;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.internals.BufferSupplier;
import org.apache.kafka.common.utils.internals.CloseableIterator;

/**
 * Between Kafka's record batches (magic 2, any codec kafka-clients has) and the log's records.
 * The log keeps its own batch format for now, so a produced batch is decoded (decompressed) into
 * records and a fetch encodes the records it reads into an uncompressed batch; offsets, keys,
 * values, headers and timestamps pass through unchanged, the batch boundaries and compression do
 * not.
 *
 * <p>Stateless; thread-safe.
 */
final class RecordConversion {
    /** Per-record overhead in a v2 batch beyond key, value and headers, at most (varints and attributes). */
    static final int RECORD_OVERHEAD_BYTES = 32;

    private RecordConversion() {
    }

    /** Decoded records would pass the limit: the batch is refused as too large. */
    static final class TooLargeException extends Exception {
        private static final long serialVersionUID = 1L;

        TooLargeException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The records of a produced batch, for {@code topic}'s {@code partition}, decompressed. A
     * record's CreateTime timestamp is kept; a batch stamped with LogAppendTime, or a record without
     * a timestamp, gets the log's clock.
     *
     * @throws TooLargeException if the decoded keys, values and headers pass {@code maxBytes}
     *     (a bound on what a small compressed batch may expand to)
     */
    static List<ProducerRecord> decode(String topic, int partition, RecordBatch batch, long maxBytes)
            throws TooLargeException {
        List<ProducerRecord> records = new ArrayList<>();
        boolean createTime = batch.timestampType() == TimestampType.CREATE_TIME;
        long bytes = 0;
        try (CloseableIterator<Record> it = batch.streamingIterator(BufferSupplier.NO_CACHING)) {
            while (it.hasNext()) {
                Record r = it.next();
                byte[] key = bytesOf(r.key());
                byte[] value = bytesOf(r.value());
                org.apache.kafka.common.header.Header[] kafkaHeaders = r.headers();
                List<Header> headers = new ArrayList<>(kafkaHeaders.length);
                bytes += RECORD_OVERHEAD_BYTES + (key == null ? 0 : key.length) + (value == null ? 0 : value.length);
                for (org.apache.kafka.common.header.Header h : kafkaHeaders) {
                    byte[] headerValue = h.value();
                    headers.add(new Header(h.key(), headerValue));
                    bytes += h.key().length() + (headerValue == null ? 0 : headerValue.length);
                }
                if (bytes > maxBytes) {
                    throw new TooLargeException("the batch's records hold more than " + maxBytes + " bytes");
                }
                Long timestamp = createTime && r.timestamp() >= 0 ? r.timestamp() : null;
                records.add(new ProducerRecord(topic, partition, timestamp, key, value, headers));
            }
        }
        return records;
    }

    private static byte[] bytesOf(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    /** Bytes {@code record} takes in a v2 batch, at most. */
    static int sizeOf(ConsumerRecord record) {
        int size = RECORD_OVERHEAD_BYTES + (record.key() == null ? 0 : record.key().length)
                + (record.value() == null ? 0 : record.value().length);
        for (Header h : record.headers()) {
            size += h.key().getBytes(StandardCharsets.UTF_8).length + 10 + (h.value() == null ? 0 : h.value().length);
        }
        return size;
    }

    /** One uncompressed v2 batch (CreateTime, no producer id) of {@code records}, in offset order. */
    static MemoryRecords encode(List<ConsumerRecord> records) {
        int estimate = DefaultRecordBatch.RECORD_BATCH_OVERHEAD;
        for (ConsumerRecord r : records) {
            estimate += sizeOf(r);
        }
        MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(estimate), Compression.NONE,
                TimestampType.CREATE_TIME, records.get(0).offset());
        for (ConsumerRecord r : records) {
            org.apache.kafka.common.header.Header[] headers = new org.apache.kafka.common.header.Header[r.headers().size()];
            for (int i = 0; i < headers.length; i++) {
                Header h = r.headers().get(i);
                headers[i] = new RecordHeader(h.key(), h.value());
            }
            builder.appendWithOffset(r.offset(), r.timestampMs(), r.key(), r.value(), headers);
        }
        return builder.build();
    }
}
