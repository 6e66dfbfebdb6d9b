package dev.cairn.dictionary;

/**
 * Commands on set values. Every method is one atomic command and throws
 * {@link WrongTypeException} (changing nothing) when a key holds another type. A set left
 * empty is removed.
 */
public interface SetCommands {
}
