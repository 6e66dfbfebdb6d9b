package dev.cairn.dictionary;

/**
 * LSET named an index outside the list. Nothing was changed. Redis: {@code ERR index out of
 * range}.
 */
public class IndexOutOfRangeException extends DictionaryException {
    private static final long serialVersionUID = 1L;

    public IndexOutOfRangeException(String key, long index, long length) {
        super("index " + index + " is out of range for list '" + key + "' of length " + length);
    }
}
