package dev.cairn.server.kafka;

import dev.cairn.common.CairnException;
import dev.cairn.log.GroupIdNotFoundException;
import dev.cairn.log.GroupNotEmptyException;
import dev.cairn.log.Log;
import dev.cairn.log.TopicPartition;
import dev.cairn.log.UnknownTopicException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.FindCoordinatorResponseData.Coordinator;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponsePartition;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponseTopic;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopic;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopics;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartition;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopic;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopics;
import org.apache.kafka.common.protocol.Errors;

/**
 * FindCoordinator, OffsetCommit and OffsetFetch. This node is the coordinator of every group.
 * Offsets are the log's committed offsets of the group, so the Java API and the wire see the same
 * ones.
 *
 * <p>A commit is checked as Kafka's classic coordinator checks it, under the
 * {@link ClassicGroupCoordinator}'s lock: to a group with wire members, it must come from a member
 * of the current generation ({@code UNKNOWN_MEMBER_ID}, {@code FENCED_INSTANCE_ID},
 * {@code ILLEGAL_GENERATION} otherwise, and {@code REBALANCE_IN_PROGRESS} between its JoinGroup and
 * SyncGroup), and is stored through the group's hold; to any other group, it must be a simple one
 * (generation -1, no member id), stored while the log's group has no live Java-API members
 * ({@code UNKNOWN_MEMBER_ID} as from a non-member otherwise), while one with a generation gets
 * {@code UNKNOWN_MEMBER_ID}, or for a group that does not exist {@code ILLEGAL_GENERATION} (from
 * version 9, {@code GROUP_ID_NOT_FOUND}). A refused commit fails for every partition. Committed
 * metadata strings are not kept (the log stores offsets only): OffsetFetch answers an empty one.
 *
 * <p>Stateless; thread-safe.
 */
final class GroupOffsetsApi {
    private static final byte GROUP_KEY = 0;
    private static final byte TRANSACTION_KEY = 1;

    private GroupOffsetsApi() {
    }

    static FindCoordinatorResponseData findCoordinator(ServerState state, KafkaRequest request) {
        FindCoordinatorRequestData data = (FindCoordinatorRequestData) request.body();
        FindCoordinatorResponseData response = new FindCoordinatorResponseData();
        if (request.version() < 4) {
            Coordinator c = coordinator(state, data.keyType(), data.key());
            return response.setErrorCode(c.errorCode()).setErrorMessage(request.version() >= 1 ? c.errorMessage() : null)
                    .setNodeId(c.nodeId()).setHost(c.host()).setPort(c.port());
        }
        for (String key : data.coordinatorKeys()) {
            response.coordinators().add(coordinator(state, data.keyType(), key));
        }
        return response;
    }

    private static Coordinator coordinator(ServerState state, byte keyType, String key) {
        Coordinator c = new Coordinator().setKey(key);
        if (keyType == GROUP_KEY) {
            return c.setNodeId(state.nodeId()).setHost(state.advertisedHost()).setPort(state.port);
        }
        // Transactions are refused the way InitProducerId refuses a transactional id; share groups
        // and unknown key types are not served.
        Errors error = keyType == TRANSACTION_KEY ? Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED : Errors.INVALID_REQUEST;
        return c.setErrorCode(error.code()).setErrorMessage("key type " + keyType + " is not served")
                .setNodeId(-1).setHost("").setPort(-1);
    }

    static OffsetCommitResponseData offsetCommit(ServerState state, KafkaRequest request) {
        OffsetCommitRequestData data = (OffsetCommitRequestData) request.body();
        short version = request.version();
        boolean byId = version >= 10;
        Log log = state.log;
        Map<TopicPartition, Long> offsets = new HashMap<>();
        List<OffsetCommitResponsePartition> all = new ArrayList<>();
        List<OffsetCommitResponsePartition> committing = new ArrayList<>();
        Map<String, Integer> partitionCounts = new HashMap<>();
        OffsetCommitResponseData response = new OffsetCommitResponseData();
        for (OffsetCommitRequestTopic topic : data.topics()) {
            OffsetCommitResponseTopic topicResponse = byId
                    ? new OffsetCommitResponseTopic().setTopicId(topic.topicId())
                    : new OffsetCommitResponseTopic().setName(topic.name());
            String name = byId ? state.topicIds.nameOf(topic.topicId()) : topic.name();
            for (OffsetCommitRequestPartition p : topic.partitions()) {
                OffsetCommitResponsePartition result = new OffsetCommitResponsePartition()
                        .setPartitionIndex(p.partitionIndex());
                topicResponse.partitions().add(result);
                all.add(result);
                Errors error = check(log, name, p, byId, partitionCounts);
                if (error != Errors.NONE) {
                    result.setErrorCode(error.code());
                } else {
                    offsets.put(new TopicPartition(name, p.partitionIndex()), p.committedOffset());
                    committing.add(result);
                }
            }
            response.topics().add(topicResponse);
        }
        String group = data.groupId();
        // The empty group id is a group like any other here, as Kafka's coordinator keeps it for
        // offset commits and fetches (older clients without a group.id committed under it).
        if (group == null) {
            all.forEach(result -> result.setErrorCode(Errors.INVALID_GROUP_ID.code()));
            return response;
        }
        String memberId = data.memberId() == null ? "" : data.memberId();
        String instanceId = version >= 7 ? data.groupInstanceId() : null;
        int generation = data.generationIdOrMemberEpoch();
        // Checked and stored under the coordinator's lock, so no member joins or leaves in between.
        state.groups.withGroup(group, g -> {
            Errors groupError = g == null ? simpleGroupError(log, group, generation, memberId, instanceId, version)
                    : memberError(g, generation, memberId, instanceId);
            if (groupError != Errors.NONE) {
                // As Kafka: a commit the group refuses fails for every partition.
                all.forEach(result -> result.setErrorCode(groupError.code()));
            } else if (!offsets.isEmpty()) {
                Errors error = store(log, g, group, offsets);
                committing.forEach(result -> result.setErrorCode(error.code()));
            }
            return null;
        });
        return response;
    }

    /**
     * Kafka's check of a commit to a group without wire members: one with a generation, a member id
     * or an instance id comes from a member the group does not have ({@code UNKNOWN_MEMBER_ID}, or
     * for a group that does not exist {@code ILLEGAL_GENERATION}, from version 9
     * {@code GROUP_ID_NOT_FOUND}); one without is a simple group's, stored if the log's group has no
     * live members.
     */
    private static Errors simpleGroupError(Log log, String group, int generation, String memberId, String instanceId,
            short version) {
        if (generation < 0 && memberId.isEmpty() && instanceId == null) {
            return Errors.NONE;
        }
        return generationError(log, group, version);
    }

    /** Kafka's check of a commit to a wire group: a member of the current generation, not between join and sync. */
    private static Errors memberError(ClassicGroup g, int generation, String memberId, String instanceId) {
        if (generation < 0 && memberId.isEmpty() && instanceId == null) {
            // A simple commit (an admin's, or an assigning consumer's) while the group has members.
            return g.members.isEmpty() ? Errors.NONE : Errors.UNKNOWN_MEMBER_ID;
        }
        Errors error = g.validateMember(memberId, instanceId);
        if (error != Errors.NONE) {
            return error;
        }
        if (generation != g.generation) {
            return Errors.ILLEGAL_GENERATION;
        }
        // Joined but not yet given the new assignment: it must finish the rebalance first.
        return g.isIn(ClassicGroup.State.COMPLETING_REBALANCE) ? Errors.REBALANCE_IN_PROGRESS : Errors.NONE;
    }

    /**
     * The error Kafka gives a commit with a generation (or member id) from a member it does not
     * know: {@code UNKNOWN_MEMBER_ID} if the group exists; if it does not, {@code ILLEGAL_GENERATION},
     * and from version 9 on {@code GROUP_ID_NOT_FOUND}.
     */
    private static Errors generationError(Log log, String group, short version) {
        try {
            log.describeGroup(group);
            return Errors.UNKNOWN_MEMBER_ID;
        } catch (GroupIdNotFoundException e) {
            return version >= 9 ? Errors.GROUP_ID_NOT_FOUND : Errors.ILLEGAL_GENERATION;
        } catch (CairnException e) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
    }

    /** Why the offset of {@code p} cannot be committed, or NONE. */
    private static Errors check(Log log, String topic, OffsetCommitRequestPartition p, boolean byId,
            Map<String, Integer> partitionCounts) {
        if (topic == null) {
            return byId ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION;
        }
        Integer count = partitionCounts.computeIfAbsent(topic, t -> {
            try {
                return log.describeTopic(t).partitions().size();
            } catch (UnknownTopicException | IllegalArgumentException e) {
                return 0;
            }
        });
        if (p.partitionIndex() < 0 || p.partitionIndex() >= count) {
            return Errors.UNKNOWN_TOPIC_OR_PARTITION;
        }
        if (p.committedOffset() < 0) {
            // Kafka keeps a negative offset as given; the log keeps only offsets that can be read from.
            return Errors.OFFSET_OUT_OF_RANGE;
        }
        return Errors.NONE;
    }

    private static Errors store(Log log, ClassicGroup g, String group, Map<TopicPartition, Long> offsets) {
        try {
            if (g != null && g.hold != null) {
                g.hold.commit(offsets);
            } else {
                log.alterCommittedOffsets(group, offsets);
            }
            return Errors.NONE;
        } catch (GroupNotEmptyException e) {
            // The group's members are the Java API's consumers: a commit from outside them is one
            // from a non-member, which Kafka refuses with UNKNOWN_MEMBER_ID.
            return Errors.UNKNOWN_MEMBER_ID;
        } catch (UnknownTopicException | IllegalArgumentException e) {
            // A topic deleted or shrunk between the check and the commit.
            return Errors.UNKNOWN_TOPIC_OR_PARTITION;
        } catch (CairnException | IllegalStateException e) {
            // As Kafka's coordinator answers a failed write of the offsets: retriable.
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
    }

    static OffsetFetchResponseData offsetFetch(ServerState state, KafkaRequest request) {
        OffsetFetchRequestData data = (OffsetFetchRequestData) request.body();
        short version = request.version();
        if (version >= 8) {
            OffsetFetchResponseData response = new OffsetFetchResponseData();
            for (OffsetFetchRequestGroup group : data.groups()) {
                response.groups().add(fetchGroup(state, group, version >= 10));
            }
            return response;
        }
        // Older versions carry one group: served as a group of version 8 and written back in the old shape.
        List<OffsetFetchRequestTopics> topics = null;
        if (data.topics() != null) {
            topics = new ArrayList<>();
            for (OffsetFetchRequestTopic t : data.topics()) {
                topics.add(new OffsetFetchRequestTopics().setName(t.name()).setPartitionIndexes(t.partitionIndexes()));
            }
        }
        OffsetFetchResponseGroup group = fetchGroup(state,
                new OffsetFetchRequestGroup().setGroupId(data.groupId()).setTopics(topics), false);
        OffsetFetchResponseData response = new OffsetFetchResponseData();
        if (version >= 2) {
            response.setErrorCode(group.errorCode());
        }
        for (OffsetFetchResponseTopics t : group.topics()) {
            OffsetFetchResponseTopic old = new OffsetFetchResponseTopic().setName(t.name());
            for (OffsetFetchResponsePartitions p : t.partitions()) {
                // Version 1 has no group error: each partition carries it.
                short error = version < 2 && group.errorCode() != 0 ? group.errorCode() : p.errorCode();
                old.partitions().add(new OffsetFetchResponsePartition().setPartitionIndex(p.partitionIndex())
                        .setCommittedOffset(p.committedOffset()).setCommittedLeaderEpoch(p.committedLeaderEpoch())
                        .setMetadata(p.metadata()).setErrorCode(error));
            }
            response.topics().add(old);
        }
        return response;
    }

    private static OffsetFetchResponseGroup fetchGroup(ServerState state, OffsetFetchRequestGroup asked, boolean byId) {
        OffsetFetchResponseGroup result = new OffsetFetchResponseGroup().setGroupId(asked.groupId());
        if (asked.groupId() == null) {
            return result.setErrorCode(Errors.INVALID_GROUP_ID.code());
        }
        Map<TopicPartition, Long> committed;
        try {
            committed = state.log.committedOffsets(asked.groupId());
        } catch (CairnException e) {
            return result.setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code());
        }
        if (asked.topics() == null) {
            // Every committed offset of the group, by topic.
            Map<String, OffsetFetchResponseTopics> byTopic = new TreeMap<>();
            new TreeMap<>(committed).forEach((tp, offset) -> byTopic.computeIfAbsent(tp.topic(), name -> byId
                    ? new OffsetFetchResponseTopics().setTopicId(state.topicIds.idOf(name))
                    : new OffsetFetchResponseTopics().setName(name))
                    .partitions().add(partition(tp.partition(), offset, Errors.NONE)));
            result.topics().addAll(byTopic.values());
            return result;
        }
        Map<Object, OffsetFetchResponseTopics> topics = new LinkedHashMap<>();
        for (OffsetFetchRequestTopics t : asked.topics()) {
            Uuid id = t.topicId();
            String name = byId ? state.topicIds.nameOf(id) : t.name();
            OffsetFetchResponseTopics topic = topics.computeIfAbsent(byId ? id : name, k -> byId
                    ? new OffsetFetchResponseTopics().setTopicId(id)
                    : new OffsetFetchResponseTopics().setName(t.name()));
            for (int index : t.partitionIndexes()) {
                if (name == null) {
                    topic.partitions().add(partition(index, -1, Errors.UNKNOWN_TOPIC_ID));
                } else {
                    // A partition without a committed offset, or of no topic, has offset -1 and no
                    // error, as Kafka answers.
                    Long offset = index < 0 ? null : committed.get(new TopicPartition(name, index));
                    topic.partitions().add(partition(index, offset == null ? -1 : offset, Errors.NONE));
                }
            }
        }
        result.topics().addAll(topics.values());
        return result;
    }

    private static OffsetFetchResponsePartitions partition(int index, long offset, Errors error) {
        return new OffsetFetchResponsePartitions().setPartitionIndex(index).setCommittedOffset(offset)
                .setCommittedLeaderEpoch(-1).setMetadata("").setErrorCode(error.code());
    }
}
