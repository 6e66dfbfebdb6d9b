package dev.cairn.dictionary;

/**
 * A command that needs an existing key (RENAME, LSET) found none. Nothing was changed.
 * Redis: {@code ERR no such key}.
 */
public class NoSuchKeyException extends DictionaryException {
    private static final long serialVersionUID = 1L;

    private final String key;

    public NoSuchKeyException(String key) {
        super("no such key '" + key + "'");
        this.key = key;
    }

    /** The missing key. */
    public String key() {
        return key;
    }
}
