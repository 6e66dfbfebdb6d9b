package dev.cairn.dictionary.internal;

/**
 * The rule for keys: 0 to {@value #MAX_KEY_LENGTH} characters, each printable ASCII (0x20 space
 * to 0x7E tilde). The empty key is allowed, as in Redis. Keys are compared as exact strings.
 *
 * <p>Stateless; thread-safe.
 */
public final class KeyRules {
    /** The longest key, in characters (= bytes, since keys are ASCII). */
    public static final int MAX_KEY_LENGTH = 65_535;

    private KeyRules() {
    }

    /**
     * Checks one key.
     *
     * @return the key
     * @throws IllegalArgumentException naming the index and code of the first bad character, or
     *                                  the length of a key that is too long, or a null key
     */
    public static String check(String key) {
        checkNotNull(key);
        int length = key.length();
        if (length > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException(
                    "key of " + length + " characters is longer than " + MAX_KEY_LENGTH);
        }
        for (int i = 0; i < length; i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                throw new IllegalArgumentException(String.format(
                        "key has a character that is not printable ASCII at index %d: code 0x%04X", i, (int) c));
            }
        }
        return key;
    }

    /**
     * Checks only that a key is not null: for a read that looks the key up first and checks its
     * characters only when nothing was found (a key that is present passed {@link #check} when it
     * was stored).
     *
     * @return the key
     * @throws IllegalArgumentException if the key is null
     */
    public static String checkNotNull(String key) {
        if (key == null) {
            throw new IllegalArgumentException("key must not be null");
        }
        return key;
    }

    /** Checks every key of an array that must not be empty. */
    public static void checkAll(String[] keys) {
        if (keys == null || keys.length == 0) {
            throw new IllegalArgumentException("at least one key is required");
        }
        for (String key : keys) {
            check(key);
        }
    }
}
