package dev.cairn.dictionary.internal;

/**
 * The seam through which committed writes leave the in-memory core: the engine calls
 * {@link #commit} once per committed write command, served blocking pop, expiry deletion or
 * transaction, in commit order, while still holding the command lock (so the order of entries
 * is the order of effects). Read-only commands and rolled-back transactions produce nothing.
 *
 * <p>In memory this is {@link #NONE} and costs nothing (commands skip building entries). The
 * persistence issue plugs in the append-only-file writer here (framing each entry and handing it
 * to the durability policy), and replication plugs the master's stream in the same way; a
 * snapshot writer will additionally need the copy-on-write hook of {@link CollectionValue#copy()}.
 *
 * <p>Implementations are called under the command lock: they must not call back into the
 * dictionary, and should be quick (hand off I/O).
 */
@FunctionalInterface
public interface WriteSink {

    /**
     * Receives one committed entry.
     *
     * @throws dev.cairn.common.StorageException if the entry could not be written; the dictionary
     *     then refuses further writes (see {@link #failure()})
     */
    void commit(WriteEntry entry);

    /** A mark covering every entry committed so far, increasing, for {@link #awaitDurable}; 0 if none. */
    default long lastMark() {
        return 0;
    }

    /**
     * Returns once every entry up to {@code mark} is as durable as the sink's policy promises.
     * Called by the committing thread after it released the command lock, so that concurrent
     * commands share fsyncs.
     */
    default void awaitDurable(long mark) {
    }

    /** The failure that stopped this sink, or null; once set, the dictionary refuses writes. */
    default RuntimeException failure() {
        return null;
    }

    /** The in-memory sink: drops every entry. */
    WriteSink NONE = entry -> { };
}
