package dev.cairn.log;

/**
 * How many copies of a partition must have an append before it is acknowledged (Kafka's
 * producer {@code acks}). For a topic with one replica, LEADER and ALL mean the same.
 */
public enum Acks {
    /** Acknowledged once handed to the leader, before it is durable there (Kafka's {@code acks=0}). */
    NONE,
    /** Acknowledged once the leader has it, durable under the topic's policy ({@code acks=1}). */
    LEADER,
    /**
     * Acknowledged once every in-sync replica has it (each under its own policy) and the high
     * watermark has passed it; refused at once, with nothing written, while the in-sync set is
     * smaller than the topic's {@code minInsyncReplicas} ({@code acks=all}).
     */
    ALL
}
