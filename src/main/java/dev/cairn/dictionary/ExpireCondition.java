package dev.cairn.dictionary;

import java.util.List;

/**
 * When EXPIRE and its relatives set a deadline: Redis 7's options NX, XX, GT and LT, alone or in
 * the two combinations Redis accepts ({@code XX GT}, {@code XX LT}). A key without a deadline
 * counts as having an infinite one for GT and LT, so GT never holds for it and LT always does
 * (unless XX is also given). {@link #of} turns a set of option flags into a condition, refusing the
 * combinations Redis refuses with Redis's messages.
 */
public enum ExpireCondition {
    /** Always (no option). */
    ALWAYS,
    /** Only if the key has no deadline. */
    NX,
    /** Only if the key has a deadline. */
    XX,
    /** Only if the new deadline is later than the current one (never for a key without one). */
    GT,
    /** Only if the new deadline is earlier than the current one (always for a key without one). */
    LT,
    /** {@code XX GT}: only if the key has a deadline and the new one is later (the same as {@link #GT}). */
    XX_GT,
    /** {@code XX LT}: only if the key has a deadline and the new one is earlier. */
    XX_LT;

    /**
     * The condition of a command given the options it names (repeating one changes nothing).
     *
     * @throws IllegalArgumentException for NX with any other option, or GT with LT, with Redis's
     *                                  message ({@code NX and XX, GT or LT options at the same time
     *                                  are not compatible}, {@code GT and LT options at the same
     *                                  time are not compatible})
     */
    public static ExpireCondition of(boolean nx, boolean xx, boolean gt, boolean lt) {
        // Checked in Redis's order: NX with another option is reported before GT with LT.
        if (nx && (xx || gt || lt)) {
            throw new IllegalArgumentException("NX and XX, GT or LT options at the same time are not compatible");
        }
        if (gt && lt) {
            throw new IllegalArgumentException("GT and LT options at the same time are not compatible");
        }
        if (nx) {
            return NX;
        }
        if (gt) {
            return xx ? XX_GT : GT;
        }
        if (lt) {
            return xx ? XX_LT : LT;
        }
        return xx ? XX : ALWAYS;
    }

    /** The options as Redis's command takes them, e.g. {@code [XX, GT]}; empty for {@link #ALWAYS}. */
    public List<String> options() {
        return switch (this) {
            case ALWAYS -> List.of();
            case XX_GT -> List.of("XX", "GT");
            case XX_LT -> List.of("XX", "LT");
            default -> List.of(name());
        };
    }
}
