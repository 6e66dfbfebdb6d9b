package dev.cairn.common;

/**
 * The environment failed: an I/O error, a failed fsync, a full disk, a data directory
 * already locked by another owner. The cause, when there is one, is the original
 * exception.
 *
 * <p>After a failed fsync the file that failed refuses further writes: data the operating
 * system could not confirm is never reported as durable.
 */
public class StorageException extends CairnException {
    private static final long serialVersionUID = 1L;

    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
