package dev.cairn.log;

/**
 * Receives the records of one {@link Consumer#poll(java.time.Duration, RecordHandler)}, in order,
 * as views valid only during the call (see {@link RecordView}).
 *
 * <p>If it throws, the poll stops and rethrows; the consumer's position is then the offset of
 * the record the handler failed on, so the next poll hands that record over again.
 */
@FunctionalInterface
public interface RecordHandler {
    void handle(RecordView record);
}
