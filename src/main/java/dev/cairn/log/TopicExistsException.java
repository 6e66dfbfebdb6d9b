package dev.cairn.log;

import dev.cairn.common.CairnException;

/** Thrown when a topic of that name already exists. The message names the topic and the numbers. */
public class TopicExistsException extends CairnException {
    private static final long serialVersionUID = 1L;

    public TopicExistsException(String message) {
        super(message);
    }
}
