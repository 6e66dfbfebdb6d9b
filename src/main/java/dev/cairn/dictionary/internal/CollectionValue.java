package dev.cairn.dictionary.internal;

import dev.cairn.dictionary.KeyType;

/**
 * The base of every value type that is not a string (a string is stored as a bare
 * {@code byte[]} to save the wrapper). Subclasses are mutated in place by commands under the
 * command lock.
 *
 * <p>{@link #copy()} must return an independent deep copy: the transaction undo log keeps one
 * per key on the first write, and snapshots will copy on write the same way. Element byte
 * arrays may be shared between copies because commands never mutate an element in place.
 *
 * <p>Not thread-safe; guarded by the dictionary's command lock.
 */
public abstract class CollectionValue {

    /** The type this value has. */
    public abstract KeyType type();

    /** Whether it holds no element; an empty collection is removed from the keyspace. */
    public abstract boolean isEmpty();

    /** An independent deep copy (element arrays may be shared). */
    public abstract CollectionValue copy();
}
