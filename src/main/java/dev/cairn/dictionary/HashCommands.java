package dev.cairn.dictionary;

/**
 * Commands on hash values (a map of string fields to binary-safe values). Every method is one
 * atomic command and throws {@link WrongTypeException} (changing nothing) when a key holds
 * another type. A hash left empty is removed.
 */
public interface HashCommands {
}
