package dev.cairn.dictionary;

/**
 * The expiry part of SET and GETEX: relative ({@code EX}/{@code PX}), absolute
 * ({@code EXAT}/{@code PXAT}), keep the current deadline ({@code KEEPTTL}, SET only) or remove it
 * ({@code PERSIST}, GETEX only).
 *
 * <p>Relative and absolute values must be positive, as Redis requires; the deadline is
 * computed in milliseconds from the dictionary's clock when the command runs.
 *
 * @param kind  which form
 * @param value seconds or milliseconds, relative or absolute Unix time, per {@code kind};
 *              0 for {@link Kind#KEEP_TTL} and {@link Kind#PERSIST}
 */
public record Expiration(Kind kind, long value) {

    /** The forms of an expiration. */
    public enum Kind {
        /** {@code EX seconds}. */
        SECONDS,
        /** {@code PX milliseconds}. */
        MILLIS,
        /** {@code EXAT unix-seconds}. */
        AT_SECONDS,
        /** {@code PXAT unix-milliseconds}. */
        AT_MILLIS,
        /** {@code KEEPTTL}: keep the key's current deadline (SET only). */
        KEEP_TTL,
        /** {@code PERSIST}: remove the key's deadline (GETEX only). */
        PERSIST
    }

    public Expiration {
        if (kind == null) {
            throw new IllegalArgumentException("kind must not be null");
        }
        if ((kind == Kind.KEEP_TTL || kind == Kind.PERSIST) && value != 0) {
            throw new IllegalArgumentException(kind + " takes no value, got " + value);
        }
    }

    /** {@code EX seconds}. */
    public static Expiration seconds(long seconds) {
        return new Expiration(Kind.SECONDS, seconds);
    }

    /** {@code PX milliseconds}. */
    public static Expiration millis(long millis) {
        return new Expiration(Kind.MILLIS, millis);
    }

    /** {@code EXAT unix-seconds}. */
    public static Expiration atSeconds(long unixSeconds) {
        return new Expiration(Kind.AT_SECONDS, unixSeconds);
    }

    /** {@code PXAT unix-milliseconds}. */
    public static Expiration atMillis(long unixMillis) {
        return new Expiration(Kind.AT_MILLIS, unixMillis);
    }

    /** {@code KEEPTTL}. */
    public static Expiration keepTtl() {
        return new Expiration(Kind.KEEP_TTL, 0);
    }

    /** {@code PERSIST}. */
    public static Expiration persist() {
        return new Expiration(Kind.PERSIST, 0);
    }
}
