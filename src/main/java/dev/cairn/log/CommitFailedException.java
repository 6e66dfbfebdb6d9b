package dev.cairn.log;

import dev.cairn.common.CairnException;

/**
 * A group member's commit was refused because the member was fenced: its session expired (it did
 * not poll within {@code sessionTimeoutMs} on the log clock) and the group may have given its
 * partitions to others, or it has rejoined the group since it read what it commits. As Kafka's
 * {@code CommitFailedException} (the coordinator's {@code UNKNOWN_MEMBER_ID} /
 * {@code ILLEGAL_GENERATION}), the group's committed offsets are left as they were; the consumer's
 * next poll rejoins the group, and the partitions it gets start from the committed offsets.
 */
public class CommitFailedException extends CairnException {
    private static final long serialVersionUID = 1L;

    public CommitFailedException(String message) {
        super(message);
    }
}
