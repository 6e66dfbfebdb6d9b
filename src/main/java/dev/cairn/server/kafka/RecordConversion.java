package dev.cairn.server.kafka;

import dev.cairn.log.Header;
import dev.cairn.log.ProducerRecord;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.internals.BufferSupplier;
import org.apache.kafka.common.utils.internals.CloseableIterator;

/**
 * From a compressed Kafka record batch (any codec kafka-clients has) to the log's records. The
 * log stores Kafka's v2 batch, but only uncompressed: it reads every batch it holds without the
 * codecs, which only this front end brings. So a compressed batch is decoded (decompressed) into
 * records appended as one uncompressed batch; keys, values, headers and CreateTime timestamps pass
 * through unchanged, the compression does not.
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
}
