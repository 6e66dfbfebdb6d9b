package dev.cairn.log;

import java.util.List;
import java.util.Set;

/**
 * A consumer group at the moment it was described, as Kafka's {@code ConsumerGroupDescription}.
 *
 * @param groupId the group
 * @param state its state
 * @param protocol the assignor that splits its partitions: {@value #ROUND_ROBIN}, as Kafka's
 *     {@code RoundRobinAssignor} deals them
 * @param members the live members, by member id
 */
public record GroupDescription(String groupId, GroupState state, String protocol, List<Member> members) {
    /** The name of the one assignor groups use, as Kafka names its round-robin assignor. */
    public static final String ROUND_ROBIN = "roundrobin";

    public GroupDescription {
        members = List.copyOf(members);
    }

    /**
     * A live member.
     *
     * @param memberId the member's id
     * @param topics the topics it subscribes to (for a pattern subscription, those matched)
     * @param assignment the partitions it owns now
     */
    public record Member(String memberId, Set<String> topics, Set<TopicPartition> assignment) {
        public Member {
            topics = Set.copyOf(topics);
            assignment = Set.copyOf(assignment);
        }
    }
}
