package dev.cairn.log;

import dev.cairn.common.CairnException;

/** An admin call that needs a consumer group without live members (deleting it, altering its committed offsets) found members in it; as Kafka's {@code GroupNotEmptyException}, nothing was changed. The message names the group and its members. */
public class GroupNotEmptyException extends CairnException {
    private static final long serialVersionUID = 1L;

    public GroupNotEmptyException(String message) {
        super(message);
    }
}
