package dev.cairn.server.kafka;

import dev.cairn.log.InvalidTopicException;
import dev.cairn.log.TopicConfig;
import dev.cairn.log.TopicDescription;
import dev.cairn.log.TopicExistsException;
import dev.cairn.log.UnknownTopicException;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseBroker;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponsePartition;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseTopic;
import org.apache.kafka.common.protocol.Errors;

/**
 * Metadata: this server as the one broker of the cluster, leader of every partition, and the
 * topics asked for (all, or the named ones, by name or by id). A missing topic named in a request
 * that allows it is created when the options say so ({@code auto.create.topics.enable}), with the
 * default partition count.
 *
 * <p>Stateless; thread-safe.
 */
final class MetadataApi {
    private MetadataApi() {
    }

    static MetadataResponseData handle(ServerState state, KafkaRequest request) {
        MetadataRequestData data = (MetadataRequestData) request.body();
        short version = request.version();
        MetadataResponseData response = new MetadataResponseData()
                .setClusterId(state.clusterId)
                .setControllerId(state.nodeId());
        response.brokers().add(new MetadataResponseBroker().setNodeId(state.nodeId())
                .setHost(state.advertisedHost()).setPort(state.port));
        // Before version 1 an empty list meant every topic; from version 1 on, null does.
        boolean all = data.topics() == null || (version == 0 && data.topics().isEmpty());
        if (all) {
            for (String name : state.log.topics()) {
                response.topics().add(describe(state, name, version));
            }
            return response;
        }
        boolean mayCreate = state.options.autoCreateTopics() && (version < 4 || data.allowAutoTopicCreation());
        for (MetadataRequestData.MetadataRequestTopic asked : data.topics()) {
            String name = asked.name();
            if (name == null) {
                Uuid id = asked.topicId();
                name = id == null ? null : state.topicIds.nameOf(id);
                if (name == null) {
                    response.topics().add(new MetadataResponseTopic().setTopicId(id)
                            .setErrorCode(Errors.UNKNOWN_TOPIC_ID.code()));
                    continue;
                }
            }
            response.topics().add(describeOrCreate(state, name, version, mayCreate));
        }
        return response;
    }

    private static MetadataResponseTopic describeOrCreate(ServerState state, String name, short version,
            boolean mayCreate) {
        try {
            return describe(state, name, version);
        } catch (UnknownTopicException e) {
            if (!mayCreate) {
                return error(name, Errors.UNKNOWN_TOPIC_OR_PARTITION);
            }
        }
        try {
            state.log.createTopic(name, TopicConfig.defaults().withPartitions(state.options.defaultPartitions()));
        } catch (InvalidTopicException e) {
            return error(name, Errors.INVALID_TOPIC_EXCEPTION);
        } catch (TopicExistsException e) {
            // Created by another request since we looked: describe it below.
        }
        try {
            return describe(state, name, version);
        } catch (UnknownTopicException e) {
            // Deleted again at once: the client will ask again.
            return error(name, Errors.UNKNOWN_TOPIC_OR_PARTITION);
        }
    }

    private static MetadataResponseTopic error(String name, Errors error) {
        return new MetadataResponseTopic().setName(name).setErrorCode(error.code());
    }

    /** The topic as Metadata describes it; throws {@link UnknownTopicException} if it does not exist. */
    private static MetadataResponseTopic describe(ServerState state, String name, short version) {
        TopicDescription description = state.log.describeTopic(name);
        List<MetadataResponsePartition> partitions = new ArrayList<>();
        for (TopicDescription.PartitionInfo p : description.partitions()) {
            partitions.add(new MetadataResponsePartition()
                    .setPartitionIndex(p.partition())
                    .setLeaderId(state.nodeId())
                    .setLeaderEpoch(0)
                    .setReplicaNodes(List.of(state.nodeId()))
                    .setIsrNodes(List.of(state.nodeId()))
                    .setOfflineReplicas(List.of()));
        }
        MetadataResponseTopic topic = new MetadataResponseTopic().setName(name).setIsInternal(false)
                .setPartitions(partitions);
        if (version >= 10) {
            topic.setTopicId(state.topicIds.idOf(name));
        }
        return topic;
    }
}
