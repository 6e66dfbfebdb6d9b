package dev.cairn.dictionary;

/**
 * Commands on list values. Every method is one atomic command and throws
 * {@link WrongTypeException} (changing nothing) when a key holds another type. A list left
 * empty is removed.
 */
public interface ListCommands {
}
