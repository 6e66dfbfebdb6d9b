package dev.cairn.dictionary;

import dev.cairn.common.CairnException;

/**
 * The base of every user-level error a {@link Dictionary} command raises on purpose: a key of
 * the wrong type, a value that is not a number, an overflow, a missing key or index. A command
 * that throws one of these has changed nothing.
 *
 * <p>Each subclass corresponds to one class of Redis error reply; {@code docs/dictionary.md}
 * lists the mapping.
 */
public class DictionaryException extends CairnException {
    private static final long serialVersionUID = 1L;

    public DictionaryException(String message) {
        super(message);
    }
}
