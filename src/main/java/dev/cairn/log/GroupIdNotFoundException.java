package dev.cairn.log;

import dev.cairn.common.CairnException;

/** A group call named a consumer group that has no members and no committed offsets (Kafka's {@code GroupIdNotFoundException}). The message names the group. */
public class GroupIdNotFoundException extends CairnException {
    private static final long serialVersionUID = 1L;

    public GroupIdNotFoundException(String message) {
        super(message);
    }
}
