package dev.cairn.dictionary;

/**
 * A floating-point command (INCRBYFLOAT, HINCRBYFLOAT) found a value that is not a valid
 * number, or the result would be infinite or not a number; or SORT without ALPHA found a value
 * that is not a number. Nothing was changed. Redis: {@code ERR value is not a valid float},
 * {@code ERR increment would produce NaN or Infinity} and {@code ERR One or more scores can't be
 * converted into double}.
 */
public class NotAFloatException extends DictionaryException {
    private static final long serialVersionUID = 1L;

    public NotAFloatException(String message) {
        super(message);
    }
}
