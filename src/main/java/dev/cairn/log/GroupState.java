package dev.cairn.log;

/** The state of a consumer group, as Kafka's {@code ConsumerGroupState} names the ones that apply here. */
public enum GroupState {
    /** No live members (the group may still have committed offsets). */
    EMPTY,
    /** Partitions are moving between members: some member does not yet own what the assignment gives it. */
    PREPARING_REBALANCE,
    /**
     * Members have joined a new generation and wait for its assignment: groups whose members
     * assign partitions among themselves (consumers that joined over Kafka's protocol, see
     * {@link ExternalGroup}) only.
     */
    COMPLETING_REBALANCE,
    /** Every live member owns exactly the partitions the assignment gives it. */
    STABLE
}
