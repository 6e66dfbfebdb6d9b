package dev.cairn.server.kafka;

import dev.cairn.log.CleanupPolicy;
import dev.cairn.log.InvalidTopicException;
import dev.cairn.log.TopicConfig;
import dev.cairn.log.UnknownTopicException;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResult;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterConfigsResource;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterableConfig;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigType;

/**
 * DescribeConfigs and IncrementalAlterConfigs over a topic's {@link TopicConfig}, under Kafka's
 * names for the settings Cairn keeps. The log keeps a topic's values, not which were set: a value
 * equal to Kafka's default is described as the default ({@code DEFAULT_CONFIG}), any other as set
 * on the topic ({@code DYNAMIC_TOPIC_CONFIG}). A broker resource is answered with no configs.
 * Changes go through {@code Log.alterTopicConfig}, so concurrent changes do not lose each other's;
 * a DELETE restores the setting's default; any other setting gets {@code INVALID_CONFIG}.
 *
 * <p>Stateless; thread-safe.
 */
final class TopicConfigApi {
    /** Kafka's names of the settings Cairn keeps, in the order they are described. */
    static final List<String> NAMES = List.of("cleanup.policy", "delete.retention.ms", "index.interval.bytes",
            "max.message.bytes", "message.timestamp.type", "min.compaction.lag.ms", "min.insync.replicas", "retention.bytes",
            "retention.ms",
            "segment.bytes", "segment.ms");

    private TopicConfigApi() {
    }

    static DescribeConfigsResponseData describeConfigs(ServerState state, KafkaRequest request) {
        DescribeConfigsRequestData data = (DescribeConfigsRequestData) request.body();
        short version = request.version();
        DescribeConfigsResponseData response = new DescribeConfigsResponseData();
        for (DescribeConfigsRequestData.DescribeConfigsResource resource : data.resources()) {
            DescribeConfigsResult result = new DescribeConfigsResult().setResourceType(resource.resourceType())
                    .setResourceName(resource.resourceName());
            ConfigResource.Type type = ConfigResource.Type.forId(resource.resourceType());
            if (type == ConfigResource.Type.TOPIC) {
                try {
                    TopicConfig config = state.log.describeTopic(resource.resourceName()).config();
                    for (String name : NAMES) {
                        if (resource.configurationKeys() == null || resource.configurationKeys().contains(name)) {
                            result.configs().add(describe(name, config, version));
                        }
                    }
                } catch (UnknownTopicException e) {
                    result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code())
                            .setErrorMessage("Topic " + resource.resourceName() + " does not exist");
                }
            } else if (type != ConfigResource.Type.BROKER) {
                result.setErrorCode(Errors.INVALID_REQUEST.code())
                        .setErrorMessage("configs of " + type + " resources are not served");
            }
            response.results().add(result);
        }
        return response;
    }

    private static DescribeConfigsResourceResult describe(String name, TopicConfig config, short version) {
        String value = valueOf(config, name);
        boolean isDefault = value.equals(valueOf(TopicConfig.defaults(), name));
        DescribeConfigsResourceResult result = new DescribeConfigsResourceResult().setName(name).setValue(value)
                .setReadOnly(false).setIsSensitive(false);
        result.setConfigSource((isDefault ? ConfigSource.DEFAULT_CONFIG : ConfigSource.TOPIC_CONFIG).id());
        if (version >= 3) {
            result.setConfigType(typeOf(name).id());
        }
        return result;
    }

    private static ConfigType typeOf(String name) {
        return switch (name) {
            case "cleanup.policy" -> ConfigType.LIST;
            case "message.timestamp.type" -> ConfigType.STRING;
            case "max.message.bytes", "index.interval.bytes", "min.insync.replicas" -> ConfigType.INT;
            default -> ConfigType.LONG;
        };
    }

    private static String valueOf(TopicConfig config, String name) {
        return switch (name) {
            case "retention.ms" -> Long.toString(config.retentionMs());
            case "retention.bytes" -> Long.toString(config.retentionBytes());
            case "segment.bytes" -> Long.toString(config.segmentBytes());
            case "segment.ms" -> Long.toString(config.segmentMs());
            case "delete.retention.ms" -> Long.toString(config.deleteRetentionMs());
            case "max.message.bytes" -> Integer.toString(config.maxRecordBytes());
            case "index.interval.bytes" -> Integer.toString(config.indexIntervalBytes());
            case "cleanup.policy" -> config.cleanupPolicy() == CleanupPolicy.COMPACT ? "compact" : "delete";
            case "message.timestamp.type" -> config.timestampType().kafkaName();
            case "min.compaction.lag.ms" -> Long.toString(config.minCompactionLagMs());
            case "min.insync.replicas" -> Integer.toString(config.minInsyncReplicas());
            default -> throw new IllegalArgumentException("not a topic config Cairn keeps: " + name);
        };
    }

    static IncrementalAlterConfigsResponseData incrementalAlterConfigs(ServerState state, KafkaRequest request) {
        IncrementalAlterConfigsRequestData data = (IncrementalAlterConfigsRequestData) request.body();
        IncrementalAlterConfigsResponseData response = new IncrementalAlterConfigsResponseData();
        for (AlterConfigsResource resource : data.resources()) {
            AlterConfigsResourceResponse result = new AlterConfigsResourceResponse()
                    .setResourceType(resource.resourceType()).setResourceName(resource.resourceName());
            ConfigResource.Type type = ConfigResource.Type.forId(resource.resourceType());
            try {
                if (type != ConfigResource.Type.TOPIC) {
                    throw new TopicAdminApi.RefusedException(Errors.INVALID_REQUEST,
                            "configs of " + type + " resources cannot be changed");
                }
                List<AlterableConfig> changes = new ArrayList<>(resource.configs());
                // Checked before the log's lock, so a refused change leaves the topic as it was.
                TopicConfig current = state.log.describeTopic(resource.resourceName()).config();
                TopicConfig next = apply(current, changes);
                if (next.maxRecordBytes() < current.maxRecordBytes()) {
                    throw new TopicAdminApi.RefusedException(Errors.INVALID_CONFIG, "max.message.bytes of topic "
                            + resource.resourceName() + " can only grow (it is " + current.maxRecordBytes()
                            + "): batches stored under the old limit must stay readable");
                }
                if (!data.validateOnly()) {
                    state.log.alterTopicConfig(resource.resourceName(), old -> applyUnchecked(old, changes));
                }
            } catch (TopicAdminApi.RefusedException e) {
                result.setErrorCode(e.error.code()).setErrorMessage(e.getMessage());
            } catch (RefusedChangeException e) {
                result.setErrorCode(e.refused.error.code()).setErrorMessage(e.refused.getMessage());
            } catch (UnknownTopicException e) {
                result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code())
                        .setErrorMessage("Topic " + resource.resourceName() + " does not exist");
            } catch (InvalidTopicException e) {
                result.setErrorCode(Errors.INVALID_TOPIC_EXCEPTION.code()).setErrorMessage(e.getMessage());
            } catch (IllegalArgumentException e) {
                result.setErrorCode(Errors.INVALID_CONFIG.code()).setErrorMessage(e.getMessage());
            }
            response.responses().add(result);
        }
        return response;
    }

    private static TopicConfig apply(TopicConfig config, List<AlterableConfig> changes)
            throws TopicAdminApi.RefusedException {
        TopicConfig defaults = TopicConfig.defaults();
        for (AlterableConfig change : changes) {
            String name = change.name();
            if (!NAMES.contains(name)) {
                throw new TopicAdminApi.RefusedException(Errors.INVALID_CONFIG, "Unknown topic config name: " + name);
            }
            config = switch (change.configOperation()) {
                case 0 -> TopicAdminApi.withConfig(config, name, change.value() == null ? "" : change.value());
                case 1 -> TopicAdminApi.withConfig(config, name, valueOf(defaults, name));
                default -> throw new TopicAdminApi.RefusedException(Errors.INVALID_CONFIG, "operation "
                        + change.configOperation() + " (APPEND or SUBTRACT) on " + name
                        + " is not served: Cairn keeps one cleanup policy");
            };
        }
        return config;
    }

    /** {@link #apply} inside the log's lock, which takes no checked exception. */
    private static TopicConfig applyUnchecked(TopicConfig config, List<AlterableConfig> changes) {
        try {
            return apply(config, changes);
        } catch (TopicAdminApi.RefusedException e) {
            throw new RefusedChangeException(e);
        }
    }

    /** Carries a refusal out of the log's config change, which then changes nothing. */
    private static final class RefusedChangeException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient TopicAdminApi.RefusedException refused;

        RefusedChangeException(TopicAdminApi.RefusedException refused) {
            super(refused.getMessage(), refused, false, false);
            this.refused = refused;
        }
    }
}
