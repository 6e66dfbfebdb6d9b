package dev.cairn.common;

/**
 * An operation reached a {@code Cairn}, log, dictionary, consumer or file after it was
 * closed. The message names what was closed.
 */
public class ClosedException extends CairnException {
    private static final long serialVersionUID = 1L;

    public ClosedException(String what) {
        super(what + " is closed");
    }
}
