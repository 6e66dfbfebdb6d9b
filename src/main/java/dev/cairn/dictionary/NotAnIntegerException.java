package dev.cairn.dictionary;

/**
 * An integer command (INCR, HINCRBY, ...) found a value that is not the decimal form of a
 * signed 64-bit integer. Nothing was changed. Redis: {@code ERR value is not an integer or out
 * of range}.
 */
public class NotAnIntegerException extends DictionaryException {
    private static final long serialVersionUID = 1L;

    public NotAnIntegerException(String key, String what) {
        super("value " + what + " of key '" + key + "' is not an integer or out of range");
    }
}
