package dev.cairn.dictionary;

/**
 * Commands on sorted-set values. Every method is one atomic command and throws
 * {@link WrongTypeException} (changing nothing) when a key holds another type. A sorted set
 * left empty is removed.
 */
public interface SortedSetCommands {
}
