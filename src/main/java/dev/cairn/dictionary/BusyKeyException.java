package dev.cairn.dictionary;

/**
 * RESTORE without REPLACE found its target key already there. Nothing was changed. Redis's reply
 * for the case is {@link #REDIS_ERROR}.
 */
public class BusyKeyException extends DictionaryException {
    private static final long serialVersionUID = 1L;

    /** Redis's error reply for this case, exactly. */
    public static final String REDIS_ERROR = "BUSYKEY Target key name already exists.";

    private final String key;

    public BusyKeyException(String key) {
        super("key '" + key + "' already exists (" + REDIS_ERROR + ")");
        this.key = key;
    }

    /** The key that exists. */
    public String key() {
        return key;
    }

    /** The exact error reply Redis gives: {@value #REDIS_ERROR}. */
    public String redisError() {
        return REDIS_ERROR;
    }
}
