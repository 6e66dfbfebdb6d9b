package dev.cairn.dictionary.command;

import dev.cairn.dictionary.CommandViews;
import dev.cairn.dictionary.Dictionary;
import java.util.function.Function;

/**
 * What a command runs against: the dictionary's commands (those of the running EXEC block while
 * one runs) and the dictionary itself. A front end's connection implements it and adds its own
 * state (protocol, name, subscriptions), which its own commands reach by casting.
 */
public interface Session {

    /** The commands to run: the dictionary's, or those of the running exclusive block. */
    CommandViews views();

    /** The dictionary the session works on. */
    Dictionary dictionary();

    /**
     * Runs {@code block} with no other command in between, for a command made of several of the
     * dictionary's calls (INCRBYFLOAT's increment and its stored text): inside a running block
     * directly, otherwise as an {@linkplain Dictionary#exclusive exclusive block}.
     */
    <T> T atomically(Function<CommandViews, T> block);
}
