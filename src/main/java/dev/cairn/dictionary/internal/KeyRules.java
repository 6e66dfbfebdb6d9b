package dev.cairn.dictionary.internal;

import dev.cairn.dictionary.BinaryKeys;

/**
 * The rule for keys: at most {@value #MAX_KEY_LENGTH} characters, any characters that form a
 * {@linkplain BinaryKeys#isCanonical canonical} key name (every string without unpaired
 * surrogates is one; a key that came in as bytes is named by {@link BinaryKeys}). The empty key is
 * allowed, as in Redis. Keys are compared as exact strings.
 *
 * <p>Stateless; thread-safe.
 */
public final class KeyRules {
    /** The longest key, in characters. */
    public static final int MAX_KEY_LENGTH = 65_535;

    private KeyRules() {
    }

    /**
     * Checks one key.
     *
     * @return the key
     * @throws IllegalArgumentException naming the index and code of the first unpaired surrogate of a
     *                                  key that is not canonical, or the length of a key that is too
     *                                  long, or a null key
     */
    public static String check(String key) {
        checkNotNull(key);
        int length = key.length();
        if (length > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException(
                    "key of " + length + " characters is longer than " + MAX_KEY_LENGTH);
        }
        for (int i = 0; i < length; i++) {
            if (Character.isSurrogate(key.charAt(i))) {
                if (!BinaryKeys.isCanonical(key)) {
                    throw new IllegalArgumentException(String.format(
                            "key has an unpaired surrogate that names no byte string at or after index %d: code 0x%04X",
                            i, (int) key.charAt(i)));
                }
                break;
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
