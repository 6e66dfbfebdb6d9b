package dev.cairn.log;

import dev.cairn.common.CairnException;

/** A partition count that a topic cannot take: adding partitions must raise the count (a topic never shrinks), as Kafka's {@code InvalidPartitionsException}. Nothing was changed. */
public class InvalidPartitionsException extends CairnException {
    private static final long serialVersionUID = 1L;

    public InvalidPartitionsException(String message) {
        super(message);
    }
}
