package dev.cairn.log;

import dev.cairn.common.CairnException;

/**
 * A read or seek asked for an offset outside a partition's range {@code [beginning, end]}
 * (the end offset itself is valid: reading there returns nothing yet). Carries the numbers.
 */
public class OffsetOutOfRangeException extends CairnException {
    private static final long serialVersionUID = 1L;

    private final String topic;
    private final int partition;
    private final long offset;
    private final long beginningOffset;
    private final long endOffset;

    public OffsetOutOfRangeException(String topic, int partition, long offset, long beginningOffset,
            long endOffset) {
        super("offset " + offset + " is out of range for " + topic + "-" + partition + ": valid offsets are "
                + beginningOffset + " to " + endOffset);
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.beginningOffset = beginningOffset;
        this.endOffset = endOffset;
    }

    public String topic() {
        return topic;
    }

    public int partition() {
        return partition;
    }

    public long offset() {
        return offset;
    }

    public long beginningOffset() {
        return beginningOffset;
    }

    public long endOffset() {
        return endOffset;
    }
}
