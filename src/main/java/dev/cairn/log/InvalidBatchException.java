package dev.cairn.log;

import dev.cairn.common.CairnException;

/**
 * Thrown when a record batch handed to {@link Log#appendBatch} is not one the log takes: not
 * Kafka's v2 record batch, a CRC that does not match, compressed, transactional or a control
 * batch, no records, offsets that do not run from 0 without gaps, or a negative timestamp. The
 * message names the partition and the problem; nothing was appended.
 */
public class InvalidBatchException extends CairnException {
    private static final long serialVersionUID = 1L;

    public InvalidBatchException(String message) {
        super(message);
    }
}
