package dev.cairn.server.kafka;

import dev.cairn.log.InvalidPartitionsException;
import dev.cairn.log.InvalidTopicException;
import dev.cairn.log.OffsetOutOfRangeException;
import dev.cairn.log.PolicyViolationException;
import dev.cairn.log.TopicPartition;
import dev.cairn.log.UnknownTopicException;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsRequestData.CreatePartitionsTopic;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreatePartitionsResponseData.CreatePartitionsTopicResult;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsPartitionResult;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsTopicResult;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.DescribeClusterResponseData.DescribeClusterBroker;
import org.apache.kafka.common.protocol.Errors;

/**
 * CreatePartitions and DeleteRecords over the log's {@code createPartitions} and
 * {@code deleteRecords}, and DescribeCluster: this server as the one broker and controller, under
 * the cluster id Metadata gives. Errors are Kafka's, per topic or partition.
 *
 * <p>Stateless; thread-safe.
 */
final class PartitionAdminApi {
    /** DeleteRecords' offset meaning "up to the high watermark" (here, the end offset). */
    private static final long HIGH_WATERMARK = -1;
    /** DescribeCluster's endpoint type of brokers (2 asks for controllers, which Cairn has not apart). */
    private static final byte BROKER_ENDPOINTS = 1;

    private PartitionAdminApi() {
    }

    static CreatePartitionsResponseData createPartitions(ServerState state, KafkaRequest request) {
        CreatePartitionsRequestData data = (CreatePartitionsRequestData) request.body();
        CreatePartitionsResponseData response = new CreatePartitionsResponseData();
        for (CreatePartitionsTopic topic : data.topics()) {
            CreatePartitionsTopicResult result = new CreatePartitionsTopicResult().setName(topic.name());
            try {
                if (topic.assignments() != null) {
                    result.setErrorCode(Errors.INVALID_REPLICA_ASSIGNMENT.code())
                            .setErrorMessage("manual replica assignments are not supported");
                } else if (data.validateOnly()) {
                    int current = state.log.describeTopic(topic.name()).partitions().size();
                    if (topic.count() <= current) {
                        throw new InvalidPartitionsException("Topic " + topic.name() + " currently has " + current
                                + " partitions, " + topic.count() + " would not be an increase.");
                    }
                } else {
                    state.log.createPartitions(topic.name(), topic.count());
                }
            } catch (UnknownTopicException e) {
                result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code())
                        .setErrorMessage("The topic '" + topic.name() + "' does not exist.");
            } catch (InvalidPartitionsException e) {
                result.setErrorCode(Errors.INVALID_PARTITIONS.code()).setErrorMessage(e.getMessage());
            } catch (InvalidTopicException e) {
                result.setErrorCode(Errors.INVALID_TOPIC_EXCEPTION.code()).setErrorMessage(e.getMessage());
            }
            response.results().add(result);
        }
        return response;
    }

    static DeleteRecordsResponseData deleteRecords(ServerState state, KafkaRequest request) {
        DeleteRecordsRequestData data = (DeleteRecordsRequestData) request.body();
        DeleteRecordsResponseData response = new DeleteRecordsResponseData();
        for (DeleteRecordsRequestData.DeleteRecordsTopic topic : data.topics()) {
            DeleteRecordsTopicResult topicResult = new DeleteRecordsTopicResult().setName(topic.name());
            for (DeleteRecordsRequestData.DeleteRecordsPartition p : topic.partitions()) {
                DeleteRecordsPartitionResult result = new DeleteRecordsPartitionResult()
                        .setPartitionIndex(p.partitionIndex()).setLowWatermark(-1);
                try {
                    TopicPartition partition = new TopicPartition(topic.name(), p.partitionIndex());
                    long before = p.offset() == HIGH_WATERMARK ? state.log.endOffset(partition) : p.offset();
                    result.setLowWatermark(state.log.deleteRecords(partition, before));
                } catch (UnknownTopicException e) {
                    result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
                } catch (OffsetOutOfRangeException e) {
                    result.setErrorCode(Errors.OFFSET_OUT_OF_RANGE.code());
                } catch (PolicyViolationException e) {
                    result.setErrorCode(Errors.POLICY_VIOLATION.code());
                } catch (InvalidTopicException e) {
                    result.setErrorCode(Errors.INVALID_TOPIC_EXCEPTION.code());
                } catch (IllegalArgumentException e) {
                    // A partition outside its topic.
                    result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
                }
                topicResult.partitions().add(result);
            }
            response.topics().add(topicResult);
        }
        return response;
    }

    static DescribeClusterResponseData describeCluster(ServerState state, KafkaRequest request) {
        DescribeClusterRequestData data = (DescribeClusterRequestData) request.body();
        DescribeClusterResponseData response = new DescribeClusterResponseData().setClusterId(state.clusterId)
                .setControllerId(state.nodeId()).setEndpointType(data.endpointType());
        if (data.endpointType() != BROKER_ENDPOINTS) {
            return response.setErrorCode(Errors.UNSUPPORTED_ENDPOINT_TYPE.code())
                    .setErrorMessage("only broker endpoints are served");
        }
        response.brokers().add(new DescribeClusterBroker().setBrokerId(state.nodeId())
                .setHost(state.advertisedHost()).setPort(state.port));
        return response;
    }
}
