package dev.cairn.log;

import dev.cairn.common.CairnException;

/**
 * A consumer tried to join a group whose live members joined another way: a Java-API consumer
 * subscribing to a group held by a front end's members (consumers that joined over Kafka's
 * protocol), or the reverse (see {@link Log#holdGroup}). As Kafka's
 * {@code InconsistentGroupProtocolException}, the join is refused and the group is unchanged; it
 * may be joined once its live members have left. The message names the group.
 */
public class InconsistentGroupProtocolException extends CairnException {
    private static final long serialVersionUID = 1L;

    public InconsistentGroupProtocolException(String message) {
        super(message);
    }
}
