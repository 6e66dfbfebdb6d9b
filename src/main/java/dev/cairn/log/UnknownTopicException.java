package dev.cairn.log;

import dev.cairn.common.CairnException;

/** Thrown when topic does not exist (and the log does not create topics on use). The message names the topic and the numbers. */
public class UnknownTopicException extends CairnException {
    private static final long serialVersionUID = 1L;

    public UnknownTopicException(String message) {
        super(message);
    }
}
