package dev.cairn.dictionary;

/**
 * The options of SET: a condition ({@code NX}, {@code XX}), whether to return the old value
 * ({@code GET}) and an expiration ({@code EX}, {@code PX}, {@code EXAT}, {@code PXAT},
 * {@code KEEPTTL}; none means the key loses any deadline it had). Immutable; build with the
 * {@code with...} methods starting from {@link #DEFAULT}.
 *
 * @param condition  when to write
 * @param get        whether to return the old value
 * @param expiration the expiry to apply, or null to clear any deadline
 */
public record SetArgs(Condition condition, boolean get, Expiration expiration) {

    /** When SET writes. */
    public enum Condition {
        /** Always. */
        ALWAYS,
        /** Only if the key does not exist ({@code NX}). */
        NX,
        /** Only if the key exists ({@code XX}). */
        XX
    }

    /** Write always, return nothing, clear any deadline: plain SET. */
    public static final SetArgs DEFAULT = new SetArgs(Condition.ALWAYS, false, null);

    public SetArgs {
        if (condition == null) {
            throw new IllegalArgumentException("condition must not be null");
        }
        if (expiration != null && expiration.kind() == Expiration.Kind.PERSIST) {
            throw new IllegalArgumentException("SET takes no PERSIST option; omit the expiration instead");
        }
    }

    /** This with {@code NX}. */
    public SetArgs nx() {
        return new SetArgs(Condition.NX, get, expiration);
    }

    /** This with {@code XX}. */
    public SetArgs xx() {
        return new SetArgs(Condition.XX, get, expiration);
    }

    /** This with {@code GET}. */
    public SetArgs withGet() {
        return new SetArgs(condition, true, expiration);
    }

    /** This with the given expiration. */
    public SetArgs with(Expiration newExpiration) {
        return new SetArgs(condition, get, newExpiration);
    }
}
