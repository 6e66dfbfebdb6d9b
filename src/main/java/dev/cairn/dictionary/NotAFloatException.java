package dev.cairn.dictionary;

/**
 * A floating-point command (INCRBYFLOAT, HINCRBYFLOAT) found a value that is not a valid
 * number, or the result would be infinite or not a number. Nothing was changed. Redis:
 * {@code ERR value is not a valid float} and {@code ERR increment would produce NaN or
 * Infinity}.
 */
public class NotAFloatException extends DictionaryException {
    private static final long serialVersionUID = 1L;

    public NotAFloatException(String message) {
        super(message);
    }
}
