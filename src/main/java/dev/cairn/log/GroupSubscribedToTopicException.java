package dev.cairn.log;

import dev.cairn.common.CairnException;

/** Deleting a group's committed offsets of a topic that a live member of the group is subscribed to was refused, as Kafka refuses it ({@code GROUP_SUBSCRIBED_TO_TOPIC}); nothing was deleted. */
public class GroupSubscribedToTopicException extends CairnException {
    private static final long serialVersionUID = 1L;

    public GroupSubscribedToTopicException(String message) {
        super(message);
    }
}
