package dev.cairn.server.kafka;

import dev.cairn.common.CairnException;
import dev.cairn.log.ConsumerRecord;
import dev.cairn.log.Log;
import dev.cairn.log.TopicPartition;
import dev.cairn.log.UnknownTopicException;
import java.util.List;
import java.util.OptionalLong;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsPartition;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsTopic;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsPartitionResponse;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsTopicResponse;
import org.apache.kafka.common.protocol.Errors;

/**
 * ListOffsets: a partition's earliest offset (-2, and -4, the earliest kept locally), latest
 * offset (-1), the offset of its record with the largest timestamp (-3), or the earliest offset
 * whose timestamp is at or after a given one (the log's {@code offsetForTime}). There is no tiered
 * storage, so the latest tiered offset (-5) and the earliest one pending upload (-6) are not found
 * (-1), as Kafka answers without remote storage. Every record is committed, so both isolation
 * levels read the same offsets.
 *
 * <p>Stateless; thread-safe.
 */
final class ListOffsetsApi {
    static final long LATEST = -1;
    static final long EARLIEST = -2;
    static final long MAX_TIMESTAMP = -3;
    static final long EARLIEST_LOCAL = -4;
    /** Records read at once while looking for the largest timestamp. */
    private static final int SCAN_RECORDS = 1024;

    private ListOffsetsApi() {
    }

    static ListOffsetsResponseData handle(ServerState state, KafkaRequest request) {
        ListOffsetsRequestData data = (ListOffsetsRequestData) request.body();
        ListOffsetsResponseData response = new ListOffsetsResponseData();
        for (ListOffsetsTopic topic : data.topics()) {
            ListOffsetsTopicResponse topicResponse = new ListOffsetsTopicResponse().setName(topic.name());
            for (ListOffsetsPartition p : topic.partitions()) {
                ListOffsetsPartitionResponse result = lookUp(state.log, topic.name(), p);
                if (request.version() >= 4) {
                    // The one leader epoch a single copy has; the field exists from version 4 on.
                    result.setLeaderEpoch(0);
                }
                topicResponse.partitions().add(result);
            }
            response.topics().add(topicResponse);
        }
        return response;
    }

    private static ListOffsetsPartitionResponse lookUp(Log log, String topic, ListOffsetsPartition asked) {
        ListOffsetsPartitionResponse result = new ListOffsetsPartitionResponse()
                .setPartitionIndex(asked.partitionIndex());
        try {
            TopicPartition tp = new TopicPartition(topic, asked.partitionIndex());
            long timestamp = asked.timestamp();
            if (timestamp == LATEST) {
                return result.setOffset(log.endOffset(tp)).setTimestamp(-1);
            }
            if (timestamp == EARLIEST || timestamp == EARLIEST_LOCAL) {
                return result.setOffset(log.beginningOffset(tp)).setTimestamp(-1);
            }
            if (timestamp == MAX_TIMESTAMP) {
                return maxTimestamp(log, tp, result);
            }
            if (timestamp < 0) {
                return result.setOffset(-1).setTimestamp(-1);
            }
            OptionalLong offset = log.offsetForTime(tp, timestamp);
            if (offset.isEmpty()) {
                return result.setOffset(-1).setTimestamp(-1);
            }
            List<ConsumerRecord> found = log.read(tp, offset.getAsLong(), 1);
            return result.setOffset(offset.getAsLong()).setTimestamp(found.isEmpty() ? -1 : found.get(0).timestampMs());
        } catch (UnknownTopicException | IllegalArgumentException e) {
            return result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code()).setOffset(-1).setTimestamp(-1);
        } catch (CairnException e) {
            return result.setErrorCode(Errors.KAFKA_STORAGE_ERROR.code()).setOffset(-1).setTimestamp(-1);
        }
    }

    /** The first record with the partition's largest timestamp: a scan, as the log keeps no such index. */
    private static ListOffsetsPartitionResponse maxTimestamp(Log log, TopicPartition tp,
            ListOffsetsPartitionResponse result) {
        long bestOffset = -1;
        long bestTimestamp = -1;
        long next = log.beginningOffset(tp);
        while (true) {
            List<ConsumerRecord> records = log.read(tp, next, SCAN_RECORDS);
            if (records.isEmpty()) {
                break;
            }
            for (ConsumerRecord r : records) {
                if (r.timestampMs() > bestTimestamp) {
                    bestTimestamp = r.timestampMs();
                    bestOffset = r.offset();
                }
            }
            next = records.get(records.size() - 1).offset() + 1;
        }
        return result.setOffset(bestOffset).setTimestamp(bestTimestamp);
    }
}
