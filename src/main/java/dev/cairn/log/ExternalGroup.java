package dev.cairn.log;

import java.util.Map;

/**
 * A consumer group whose membership is managed outside the log, by a front end (the Kafka
 * server's group coordinator, for consumers that join over Kafka's protocol and assign partitions
 * among themselves), obtained from {@link Log#holdGroup} and held until {@link #close}.
 *
 * <p>While held, the group counts as having live members: Java-API consumers cannot join it
 * ({@link InconsistentGroupProtocolException}); {@link Log#alterCommittedOffsets} and
 * {@link Log#deleteGroup} are refused ({@link GroupNotEmptyException}), and
 * {@link Log#deleteCommittedOffsets} for topics its members subscribe to
 * ({@link GroupSubscribedToTopicException}); {@link Log#listGroups} lists it and
 * {@link Log#describeGroup} answers what the holder last published with {@link #describeAs}. The
 * committed offsets stay the log's: the holder commits for its members with {@link #commit}, after
 * checking their membership itself, and they outlive the hold.
 *
 * <p>Thread-safe.
 */
public interface ExternalGroup extends AutoCloseable {

    /** The group held. */
    String groupId();

    /**
     * Publishes the group's state, assignor and members, as {@link Log#describeGroup} will answer
     * until the next call; the group id of {@code description} must be this group's.
     *
     * @throws IllegalStateException if the hold was closed
     */
    void describeAs(GroupDescription description);

    /**
     * Stores the group's committed offsets of the given partitions (others are kept), durably, as
     * {@link Log#alterCommittedOffsets} does but while the group is held; the holder has checked
     * that the committing member may commit.
     *
     * @throws IllegalStateException if the hold was closed (nothing is written)
     * @throws UnknownTopicException if a partition's topic does not exist (nothing is written)
     * @throws IllegalArgumentException if a partition is outside its topic or an offset is negative
     */
    void commit(Map<TopicPartition, Long> offsets);

    /** Gives the group back to the log: it has no live members until some join again. Idempotent. */
    @Override
    void close();
}
