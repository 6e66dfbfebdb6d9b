package dev.cairn.dictionary;

/**
 * A command was used on a key that holds a value of another type, such as a list command on
 * a string. Nothing was changed. Redis answers the same case with a {@code WRONGTYPE} error.
 */
public class WrongTypeException extends DictionaryException {
    private static final long serialVersionUID = 1L;

    private final String key;
    private final KeyType expected;
    private final KeyType found;

    public WrongTypeException(String key, KeyType expected, KeyType found) {
        super("key '" + key + "' holds a " + found.redisName() + ", not a " + expected.redisName());
        this.key = key;
        this.expected = expected;
        this.found = found;
    }

    /** The key that holds the other type. */
    public String key() {
        return key;
    }

    /** The type the command works on. */
    public KeyType expected() {
        return expected;
    }

    /** The type the key holds. */
    public KeyType found() {
        return found;
    }
}
