package dev.cairn.dictionary.command;

import dev.cairn.dictionary.DictionaryException;

/**
 * A command was refused with a Redis error reply: {@link #errorReply()} is its exact text, its
 * code first ({@code ERR syntax error}, {@code WRONGTYPE ...}). Nothing was changed.
 */
public class CommandException extends DictionaryException {
    private static final long serialVersionUID = 1L;

    public CommandException(String errorReply) {
        super(errorReply);
    }

    /** The error line a Redis client gets, without the leading {@code -}. */
    public String errorReply() {
        return getMessage();
    }
}
