package dev.cairn.dictionary;

import java.util.List;

/**
 * An optimistic watch on keys, from {@link Dictionary#watch(String...)}: a later
 * {@link Dictionary#transaction(Watch, java.util.function.Function)} runs only if none of the
 * keys was written since the watch began (any write counts, including a delete, an expiry,
 * a flush and a write that leaves the same value).
 *
 * <p>A watch is used by one transaction; closing it (UNWATCH) releases it without running one.
 * Closing is idempotent.
 */
public interface Watch extends AutoCloseable {

    /** The watched keys. */
    List<String> keys();

    /**
     * Whether a watched key has been written since the watch began.
     *
     * @throws IllegalStateException if the watch was closed or used by a transaction (it no
     *     longer sees writes)
     */
    boolean changed();

    /** Stops watching (UNWATCH). */
    @Override
    void close();
}
