package dev.cairn.server.kafka;

import dev.cairn.common.CairnException;
import dev.cairn.log.GroupDescription;
import dev.cairn.log.GroupIdNotFoundException;
import dev.cairn.log.GroupNotEmptyException;
import dev.cairn.log.GroupState;
import dev.cairn.log.GroupSubscribedToTopicException;
import dev.cairn.log.TopicPartition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResult;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroupMember;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.ListGroupsResponseData.ListedGroup;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestPartition;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestTopic;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponsePartition;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponseTopic;
import org.apache.kafka.common.protocol.Errors;

/**
 * ListGroups, DescribeGroups, DeleteGroups and OffsetDelete over both kinds of group: those whose
 * members joined over the wire (the {@link ClassicGroupCoordinator}'s) and the log's own (Java-API
 * members, or only committed offsets). Which groups exist is the log's answer
 * ({@link dev.cairn.log.Log#listGroups}), which includes the wire groups while they hold the log's
 * group; a wire group is described from the coordinator, any other from the log, with its members'
 * topics and partitions written as the consumer protocol's metadata and assignment. Every group is of
 * type {@code classic}; a group with members has protocol type {@code consumer} (or what its wire
 * members declared), one with only committed offsets none, as Kafka's simple groups.
 *
 * <p>Stateless; thread-safe.
 */
final class GroupAdminApi {
    private static final String CLASSIC = "classic";

    private GroupAdminApi() {
    }

    /** A group as ListGroups and DescribeGroups give it. */
    private record Summary(String state, String protocolType, String protocol, List<DescribedGroupMember> members) {
    }

    static ListGroupsResponseData listGroups(ServerState state, KafkaRequest request) {
        ListGroupsRequestData data = (ListGroupsRequestData) request.body();
        short version = request.version();
        Set<String> states = new HashSet<>();
        if (version >= 4) {
            data.statesFilter().forEach(s -> states.add(s.toLowerCase(Locale.ROOT)));
        }
        ListGroupsResponseData response = new ListGroupsResponseData();
        if (version >= 5 && !data.typesFilter().isEmpty()
                && data.typesFilter().stream().noneMatch(t -> t.equalsIgnoreCase(CLASSIC))) {
            return response;
        }
        Set<String> names;
        try {
            names = new TreeSet<>(state.log.listGroups());
        } catch (CairnException e) {
            return response.setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code());
        }
        names.addAll(state.groups.groupIds());
        for (String name : names) {
            Summary summary = summary(state, name, false);
            if (summary == null || (!states.isEmpty() && !states.contains(summary.state().toLowerCase(Locale.ROOT)))) {
                continue;
            }
            ListedGroup listed = new ListedGroup().setGroupId(name).setProtocolType(summary.protocolType());
            if (version >= 4) {
                listed.setGroupState(summary.state());
            }
            if (version >= 5) {
                listed.setGroupType(CLASSIC);
            }
            response.groups().add(listed);
        }
        return response;
    }

    static DescribeGroupsResponseData describeGroups(ServerState state, KafkaRequest request) {
        DescribeGroupsRequestData data = (DescribeGroupsRequestData) request.body();
        DescribeGroupsResponseData response = new DescribeGroupsResponseData();
        for (String name : data.groups()) {
            DescribedGroup described = new DescribedGroup().setGroupId(name);
            Summary summary = name == null || name.isEmpty() ? null : summary(state, name, true);
            if (summary == null) {
                // Kafka's answer for a group it does not know: Dead, no members; an error from version 6.
                described.setGroupState(ClassicGroup.State.DEAD.kafkaName).setProtocolType("").setProtocolData("");
                if (name == null || name.isEmpty()) {
                    described.setErrorCode(Errors.INVALID_GROUP_ID.code());
                } else if (request.version() >= 6) {
                    described.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code())
                            .setErrorMessage("group " + name + " not found");
                }
            } else {
                described.setGroupState(summary.state()).setProtocolType(summary.protocolType())
                        .setProtocolData(summary.protocol());
                described.members().addAll(summary.members());
            }
            response.groups().add(described);
        }
        return response;
    }

    /** The group as listed and described, or null if it does not exist. */
    private static Summary summary(ServerState state, String name, boolean withMembers) {
        Summary wire = state.groups.withGroup(name, g -> g == null ? null : wireSummary(g, withMembers));
        if (wire != null) {
            return wire;
        }
        GroupDescription d;
        try {
            d = state.log.describeGroup(name);
        } catch (GroupIdNotFoundException e) {
            return null;
        }
        String stateName = switch (d.state()) {
            case EMPTY -> ClassicGroup.State.EMPTY.kafkaName;
            case PREPARING_REBALANCE -> ClassicGroup.State.PREPARING_REBALANCE.kafkaName;
            case COMPLETING_REBALANCE -> ClassicGroup.State.COMPLETING_REBALANCE.kafkaName;
            case STABLE -> ClassicGroup.State.STABLE.kafkaName;
        };
        boolean stable = d.state() == GroupState.STABLE;
        List<DescribedGroupMember> members = new ArrayList<>();
        if (withMembers) {
            for (GroupDescription.Member m : d.members()) {
                members.add(new DescribedGroupMember().setMemberId(m.memberId()).setClientId("").setClientHost("")
                        .setMemberMetadata(stable ? ConsumerMetadata.subscription(m.topics()) : new byte[0])
                        .setMemberAssignment(stable ? ConsumerMetadata.assignment(m.assignment()) : new byte[0]));
            }
        }
        return new Summary(stateName, d.members().isEmpty() ? "" : ConsumerMetadata.CONSUMER,
                stable ? d.protocol() : "", members);
    }

    /** A wire group; as Kafka, metadata, assignments and the protocol only once Stable. */
    private static Summary wireSummary(ClassicGroup g, boolean withMembers) {
        boolean stable = g.isIn(ClassicGroup.State.STABLE);
        List<DescribedGroupMember> members = new ArrayList<>();
        if (withMembers) {
            for (ClassicGroup.Member m : g.members.values()) {
                members.add(new DescribedGroupMember().setMemberId(m.memberId).setGroupInstanceId(m.instanceId)
                        .setClientId(m.clientId == null ? "" : m.clientId).setClientHost("")
                        .setMemberMetadata(stable ? m.protocols.get(g.protocolName) : new byte[0])
                        .setMemberAssignment(stable ? m.assignment : new byte[0]));
            }
        }
        return new Summary(g.state.kafkaName, g.protocolType == null ? "" : g.protocolType,
                stable ? g.protocolName : "", members);
    }

    static DeleteGroupsResponseData deleteGroups(ServerState state, KafkaRequest request) {
        DeleteGroupsRequestData data = (DeleteGroupsRequestData) request.body();
        DeleteGroupsResponseData response = new DeleteGroupsResponseData();
        for (String name : data.groupsNames()) {
            Errors error = name == null || name.isEmpty() ? Errors.INVALID_GROUP_ID
                    : state.groups.withGroup(name, g -> g != null ? Errors.NON_EMPTY_GROUP : deleteFromLog(state, name));
            response.results().add(new DeletableGroupResult().setGroupId(name).setErrorCode(error.code()));
        }
        return response;
    }

    private static Errors deleteFromLog(ServerState state, String name) {
        try {
            state.log.deleteGroup(name);
            return Errors.NONE;
        } catch (GroupNotEmptyException e) {
            return Errors.NON_EMPTY_GROUP;
        } catch (GroupIdNotFoundException e) {
            return Errors.GROUP_ID_NOT_FOUND;
        } catch (CairnException e) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
    }

    static OffsetDeleteResponseData offsetDelete(ServerState state, KafkaRequest request) {
        OffsetDeleteRequestData data = (OffsetDeleteRequestData) request.body();
        String name = data.groupId();
        if (name == null || name.isEmpty()) {
            return new OffsetDeleteResponseData().setErrorCode(Errors.INVALID_GROUP_ID.code());
        }
        return state.groups.withGroup(name, g -> {
            OffsetDeleteResponseData response = new OffsetDeleteResponseData();
            Set<String> subscribed = new HashSet<>();
            if (g != null) {
                if (!ConsumerMetadata.CONSUMER.equals(g.protocolType)) {
                    return response.setErrorCode(Errors.NON_EMPTY_GROUP.code());
                }
                for (ClassicGroup.Member m : g.members.values()) {
                    subscribed.addAll(ConsumerMetadata.topics(g.protocolType, g.protocolName != null
                            ? m.protocols.get(g.protocolName) : m.protocols.values().iterator().next()));
                }
            } else {
                try {
                    state.log.describeGroup(name).members().forEach(m -> subscribed.addAll(m.topics()));
                } catch (GroupIdNotFoundException e) {
                    return response.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code());
                }
            }
            List<TopicPartition> deleting = new ArrayList<>();
            List<OffsetDeleteResponsePartition> deleted = new ArrayList<>();
            for (OffsetDeleteRequestTopic topic : data.topics()) {
                OffsetDeleteResponseTopic result = new OffsetDeleteResponseTopic().setName(topic.name());
                for (OffsetDeleteRequestPartition p : topic.partitions()) {
                    OffsetDeleteResponsePartition partition = new OffsetDeleteResponsePartition()
                            .setPartitionIndex(p.partitionIndex());
                    if (subscribed.contains(topic.name())) {
                        partition.setErrorCode(Errors.GROUP_SUBSCRIBED_TO_TOPIC.code());
                    } else {
                        deleting.add(new TopicPartition(topic.name(), p.partitionIndex()));
                        deleted.add(partition);
                    }
                    result.partitions().add(partition);
                }
                response.topics().add(result);
            }
            if (!deleting.isEmpty()) {
                Errors error = deleteOffsets(state, name, deleting);
                if (error == Errors.GROUP_ID_NOT_FOUND) {
                    return new OffsetDeleteResponseData().setErrorCode(error.code());
                }
                deleted.forEach(p -> p.setErrorCode(error.code()));
            }
            return response;
        });
    }

    private static Errors deleteOffsets(ServerState state, String name, List<TopicPartition> partitions) {
        try {
            state.log.deleteCommittedOffsets(name, partitions);
            return Errors.NONE;
        } catch (GroupSubscribedToTopicException e) {
            // A Java-API member subscribed since the check.
            return Errors.GROUP_SUBSCRIBED_TO_TOPIC;
        } catch (GroupIdNotFoundException e) {
            return Errors.GROUP_ID_NOT_FOUND;
        } catch (IllegalArgumentException e) {
            return Errors.UNKNOWN_TOPIC_OR_PARTITION;
        } catch (CairnException e) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
    }
}
