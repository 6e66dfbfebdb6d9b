package dev.cairn.dictionary;

/**
 * An integer increment or decrement would leave the signed 64-bit range, or a string would
 * grow past its limit of 512 MiB. Nothing was changed. Redis: {@code ERR increment or
 * decrement would overflow} and {@code ERR string exceeds maximum allowed size}.
 */
public class OverflowException extends DictionaryException {
    private static final long serialVersionUID = 1L;

    public OverflowException(String message) {
        super(message);
    }
}
