package dev.cairn.server.kafka;

import dev.cairn.log.CleanupPolicy;
import dev.cairn.log.InvalidReplicationFactorException;
import dev.cairn.log.InvalidTopicException;
import dev.cairn.log.TimestampType;
import dev.cairn.log.TopicConfig;
import dev.cairn.log.TopicExistsException;
import dev.cairn.log.UnknownTopicException;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopic;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopicConfig;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicResult;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DeleteTopicsResponseData.DeletableTopicResult;
import org.apache.kafka.common.protocol.Errors;

/**
 * CreateTopics and DeleteTopics over the log's {@code createTopic} and {@code deleteTopic}. A
 * topic is created with the partition count asked for (or the default), replication factor 1
 * (the only one a single node has), and the topic configs Cairn keeps ({@link TopicConfig}); any
 * other config, or a manual replica assignment, is refused with Kafka's error.
 *
 * <p>Stateless; thread-safe.
 */
final class TopicAdminApi {
    private TopicAdminApi() {
    }

    static CreateTopicsResponseData createTopics(ServerState state, KafkaRequest request) {
        CreateTopicsRequestData data = (CreateTopicsRequestData) request.body();
        CreateTopicsResponseData response = new CreateTopicsResponseData();
        for (CreatableTopic topic : data.topics()) {
            CreatableTopicResult result = new CreatableTopicResult().setName(topic.name());
            try {
                TopicConfig config = configOf(state, topic);
                if (!data.validateOnly()) {
                    state.log.createTopic(topic.name(), config);
                } else if (state.log.topics().contains(topic.name())) {
                    throw new TopicExistsException("topic " + topic.name() + " already exists");
                }
                result.setNumPartitions(config.partitions()).setReplicationFactor((short) config.replicationFactor());
                if (request.version() >= 7) {
                    result.setTopicId(state.topicIds.idOf(topic.name()));
                }
            } catch (TopicExistsException e) {
                fail(result, Errors.TOPIC_ALREADY_EXISTS, "Topic '" + topic.name() + "' already exists.");
            } catch (InvalidTopicException e) {
                fail(result, Errors.INVALID_TOPIC_EXCEPTION, e.getMessage());
            } catch (InvalidReplicationFactorException e) {
                fail(result, Errors.INVALID_REPLICATION_FACTOR, e.getMessage());
            } catch (RefusedException e) {
                fail(result, e.error, e.getMessage());
            }
            response.topics().add(result);
        }
        return response;
    }

    private static void fail(CreatableTopicResult result, Errors error, String message) {
        result.setErrorCode(error.code()).setErrorMessage(message).setNumPartitions(-1).setReplicationFactor((short) -1);
    }

    /** A create or config change refused with a Kafka error code. */
    static final class RefusedException extends Exception {
        private static final long serialVersionUID = 1L;
        final transient Errors error;

        RefusedException(Errors error, String message) {
            super(message, null, false, false);
            this.error = error;
        }
    }

    private static TopicConfig configOf(ServerState state, CreatableTopic topic) throws RefusedException {
        int partitions = topic.numPartitions() == -1 ? state.options.defaultPartitions() : topic.numPartitions();
        if (partitions < 1) {
            throw new RefusedException(Errors.INVALID_PARTITIONS, "Number of partitions must be larger than 0.");
        }
        if (topic.replicationFactor() == 0 || topic.replicationFactor() < -1) {
            throw new RefusedException(Errors.INVALID_REPLICATION_FACTOR, "Replication factor must be larger than 0, "
                    + "or -1 to use the default value.");
        }
        if (!topic.assignments().isEmpty()) {
            throw new RefusedException(Errors.INVALID_REQUEST, "manual replica assignments are not supported");
        }
        // A factor the log cannot keep (more than its storage roots) is refused by createTopic.
        TopicConfig config = TopicConfig.defaults().withPartitions(partitions)
                .withReplicationFactor(topic.replicationFactor() == -1 ? 1 : topic.replicationFactor());
        for (CreatableTopicConfig c : topic.configs()) {
            config = withConfig(config, c.name(), c.value());
        }
        return config;
    }

    /** {@code config} with the topic config {@code name} (Kafka's name) set to {@code value}. */
    static TopicConfig withConfig(TopicConfig config, String name, String value) throws RefusedException {
        if (value == null) {
            return config;
        }
        try {
            return switch (name) {
                case "retention.ms" -> config.withRetentionMs(Long.parseLong(value));
                case "retention.bytes" -> config.withRetentionBytes(Long.parseLong(value));
                case "segment.bytes" -> config.withSegmentBytes(Long.parseLong(value));
                case "segment.ms" -> config.withSegmentMs(Long.parseLong(value));
                case "delete.retention.ms" -> config.withDeleteRetentionMs(Long.parseLong(value));
                case "max.message.bytes" -> config.withMaxRecordBytes(Integer.parseInt(value));
                case "index.interval.bytes" -> config.withIndexIntervalBytes(Integer.parseInt(value));
                case "cleanup.policy" -> config.withCleanupPolicy(cleanupPolicy(value));
                case "message.timestamp.type" -> config.withTimestampType(TimestampType.forKafkaName(value));
                case "min.compaction.lag.ms" -> config.withMinCompactionLagMs(Long.parseLong(value));
                case "min.insync.replicas" -> config.withMinInsyncReplicas(Integer.parseInt(value));
                default -> throw new RefusedException(Errors.INVALID_CONFIG, "Unknown topic config name: " + name);
            };
        } catch (IllegalArgumentException e) {
            throw new RefusedException(Errors.INVALID_CONFIG, "Invalid value " + value + " for configuration "
                    + name + ": " + e.getMessage());
        }
    }

    private static CleanupPolicy cleanupPolicy(String value) {
        return switch (value) {
            case "delete" -> CleanupPolicy.DELETE;
            case "compact" -> CleanupPolicy.COMPACT;
            default -> throw new IllegalArgumentException("Cairn keeps delete or compact, not both or others");
        };
    }

    static DeleteTopicsResponseData deleteTopics(ServerState state, KafkaRequest request) {
        DeleteTopicsRequestData data = (DeleteTopicsRequestData) request.body();
        DeleteTopicsResponseData response = new DeleteTopicsResponseData();
        short version = request.version();
        List<DeleteTopicsRequestData.DeleteTopicState> targets = new ArrayList<>(data.topics());
        for (String name : data.topicNames()) {
            targets.add(new DeleteTopicsRequestData.DeleteTopicState().setName(name));
        }
        for (DeleteTopicsRequestData.DeleteTopicState target : targets) {
            DeletableTopicResult result = new DeletableTopicResult();
            String name = target.name();
            Uuid id = target.topicId();
            if (name == null) {
                name = state.topicIds.nameOf(id);
                result.setTopicId(id);
                if (name == null) {
                    response.responses().add(result.setErrorCode(Errors.UNKNOWN_TOPIC_ID.code())
                            .setErrorMessage(version >= 5 ? "no topic with id " + id : null));
                    continue;
                }
            }
            result.setName(name);
            if (version >= 6) {
                result.setTopicId(state.topicIds.idOf(name));
            }
            try {
                state.log.deleteTopic(name);
            } catch (UnknownTopicException e) {
                result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
                if (version >= 5) {
                    result.setErrorMessage("This server does not host this topic-partition.");
                }
            } catch (InvalidTopicException e) {
                result.setErrorCode(Errors.INVALID_TOPIC_EXCEPTION.code());
                if (version >= 5) {
                    result.setErrorMessage(e.getMessage());
                }
            }
            response.responses().add(result);
        }
        return response;
    }
}
