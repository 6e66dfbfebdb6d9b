package dev.cairn.common;

/**
 * The root of every exception Cairn throws on purpose. Unchecked, immutable.
 *
 * <p>Caller mistakes use the JDK's {@link IllegalArgumentException} and
 * {@link IllegalStateException} instead; everything else a caller may want to catch
 * (bad bytes on disk, a failed environment, a closed store, a user-level error such as a
 * wrong type) is a subclass of this one.
 */
public class CairnException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CairnException(String message) {
        super(message);
    }

    public CairnException(String message, Throwable cause) {
        super(message, cause);
    }
}
