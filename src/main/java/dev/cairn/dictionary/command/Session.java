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

    /**
     * Whether a blocking command that must wait may leave its reply pending ({@link #block})
     * instead of waiting on the calling thread. False unless the session says otherwise (recovery's
     * replay, which never waits anyway, and sessions without a connection to answer on later).
     */
    default boolean canBlock() {
        return false;
    }

    /**
     * Takes a blocking command's pending reply: the session answers it when its future completes
     * and runs no further command of its client until then. Called only when {@link #canBlock()}
     * is true, by the command's handler, which then writes no reply itself.
     */
    default void block(PendingReply<?> pending) {
        throw new IllegalStateException("this session cannot leave " + pending.command() + "'s reply pending");
    }
}
