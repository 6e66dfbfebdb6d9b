package dev.cairn.server.kafka;

import dev.cairn.log.GroupDescription;
import dev.cairn.log.GroupState;
import dev.cairn.log.TopicPartition;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Assignment;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.utils.Utils;

/**
 * The consumer protocol's member metadata (subscription) and assignment bytes, read for the log's
 * view of a wire group and written for the wire's view of a Java-API group, with kafka-clients'
 * {@code ConsumerProtocol}. The coordinator itself never needs them: it passes them between members.
 *
 * <p>Stateless; thread-safe.
 */
final class ConsumerMetadata {
    /** The protocol type of consumer groups. */
    static final String CONSUMER = ConsumerProtocol.PROTOCOL_TYPE;

    private ConsumerMetadata() {
    }

    /** The log's description of a wire group: its state, protocol and members with topics and assignment. */
    static GroupDescription describe(ClassicGroup g) {
        List<GroupDescription.Member> members = new ArrayList<>();
        for (ClassicGroup.Member m : g.members.values()) {
            byte[] metadata = g.protocolName != null ? m.protocols.get(g.protocolName)
                    : m.protocols.values().iterator().next();
            members.add(new GroupDescription.Member(m.memberId, topics(g.protocolType, metadata),
                    g.isIn(ClassicGroup.State.STABLE) ? partitions(g.protocolType, m.assignment) : Set.of()));
        }
        GroupState state = switch (g.state) {
            case PREPARING_REBALANCE -> GroupState.PREPARING_REBALANCE;
            case COMPLETING_REBALANCE -> GroupState.COMPLETING_REBALANCE;
            case STABLE -> GroupState.STABLE;
            default -> GroupState.EMPTY;
        };
        return new GroupDescription(g.groupId, state, g.protocolName == null ? "" : g.protocolName, members);
    }

    /** The topics a consumer's subscription names; none for another protocol type or bytes that do not parse. */
    static Set<String> topics(String protocolType, byte[] metadata) {
        if (!CONSUMER.equals(protocolType) || metadata == null || metadata.length == 0) {
            return Set.of();
        }
        try {
            return new TreeSet<>(ConsumerProtocol.deserializeSubscription(ByteBuffer.wrap(metadata)).topics());
        } catch (RuntimeException e) {
            // The members' bytes are theirs to agree on; the coordinator only passes them along.
            return Set.of();
        }
    }

    /** The partitions a consumer's assignment gives it; none for another protocol type or bytes that do not parse. */
    static Set<TopicPartition> partitions(String protocolType, byte[] assignment) {
        if (!CONSUMER.equals(protocolType) || assignment == null || assignment.length == 0) {
            return Set.of();
        }
        try {
            Set<TopicPartition> result = new TreeSet<>();
            for (org.apache.kafka.common.TopicPartition tp
                    : ConsumerProtocol.deserializeAssignment(ByteBuffer.wrap(assignment)).partitions()) {
                result.add(new TopicPartition(tp.topic(), tp.partition()));
            }
            return result;
        } catch (RuntimeException e) {
            return Set.of();
        }
    }

    /** A Java-API member's subscription as a wire consumer's metadata. */
    static byte[] subscription(Set<String> topics) {
        return Utils.toArray(ConsumerProtocol.serializeSubscription(new Subscription(List.copyOf(new TreeSet<>(topics)))));
    }

    /** A Java-API member's partitions as a wire consumer's assignment. */
    static byte[] assignment(Set<TopicPartition> partitions) {
        List<org.apache.kafka.common.TopicPartition> list = new ArrayList<>();
        for (TopicPartition tp : new TreeSet<>(partitions)) {
            list.add(new org.apache.kafka.common.TopicPartition(tp.topic(), tp.partition()));
        }
        return Utils.toArray(ConsumerProtocol.serializeAssignment(new Assignment(list)));
    }
}
