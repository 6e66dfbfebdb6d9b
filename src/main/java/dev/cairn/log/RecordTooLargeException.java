package dev.cairn.log;

import dev.cairn.common.CairnException;

/** Thrown when an append's encoded batch is larger than the topic's maxRecordBytes. The message names the topic and the numbers. */
public class RecordTooLargeException extends CairnException {
    private static final long serialVersionUID = 1L;

    public RecordTooLargeException(String message) {
        super(message);
    }
}
