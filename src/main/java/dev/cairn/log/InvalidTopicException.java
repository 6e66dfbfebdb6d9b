package dev.cairn.log;

import dev.cairn.common.CairnException;

/** Thrown when a topic name breaks Kafka's rules: legal characters [a-zA-Z0-9._-], at most 249 of them, not "." or "..". The message names the topic and the numbers. */
public class InvalidTopicException extends CairnException {
    private static final long serialVersionUID = 1L;

    public InvalidTopicException(String message) {
        super(message);
    }
}
