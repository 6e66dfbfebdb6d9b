package dev.cairn.log;

import dev.cairn.common.CairnException;

/**
 * A call that a topic's settings forbid, as Kafka's {@code PolicyViolationException}: deleting
 * records of a topic whose cleanup policy is compact (its records leave only by compaction).
 * Nothing was changed.
 */
public class PolicyViolationException extends CairnException {
    private static final long serialVersionUID = 1L;

    public PolicyViolationException(String message) {
        super(message);
    }
}
