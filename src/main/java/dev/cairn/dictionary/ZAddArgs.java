package dev.cairn.dictionary;

import java.util.Objects;

/**
 * The options of ZADD: which members it may touch ({@code NX}: only new ones, {@code XX}: only
 * existing ones), when an existing member's score may change ({@code GT}: only upwards,
 * {@code LT}: only downwards; new members are added either way), and whether the answer counts
 * changed scores as well as added members ({@code CH}).
 *
 * <p>As in Redis, {@code NX} with {@code GT} or {@code LT} is refused: there would be no
 * existing member to compare with. {@code NX}/{@code XX} and {@code GT}/{@code LT} exclude
 * each other by construction.
 *
 * @param condition which members may be written
 * @param comparison when an existing member's score may change
 * @param changed whether the answer counts changed members too ({@code CH})
 */
public record ZAddArgs(Condition condition, Comparison comparison, boolean changed) {

    /** Which members ZADD may write. */
    public enum Condition {
        /** Any member. */
        ALWAYS,
        /** Only members not yet in the set ({@code NX}). */
        NX,
        /** Only members already in the set ({@code XX}). */
        XX
    }

    /** When ZADD may change an existing member's score. */
    public enum Comparison {
        /** Whatever the new score. */
        ALWAYS,
        /** Only when the new score is greater ({@code GT}). */
        GT,
        /** Only when the new score is less ({@code LT}). */
        LT
    }

    /** No option: add new members, update existing ones, count added members. */
    public static final ZAddArgs DEFAULT = new ZAddArgs(Condition.ALWAYS, Comparison.ALWAYS, false);

    /**
     * @throws IllegalArgumentException for NX with GT or LT
     *         ({@code ERR GT, LT, and/or NX options at the same time are not compatible})
     */
    public ZAddArgs {
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(comparison, "comparison");
        if (condition == Condition.NX && comparison != Comparison.ALWAYS) {
            throw new IllegalArgumentException("GT, LT, and/or NX options at the same time are not compatible");
        }
    }

    /** This with {@code NX}. */
    public ZAddArgs nx() {
        return new ZAddArgs(Condition.NX, comparison, changed);
    }

    /** This with {@code XX}. */
    public ZAddArgs xx() {
        return new ZAddArgs(Condition.XX, comparison, changed);
    }

    /** This with {@code GT}. */
    public ZAddArgs gt() {
        return new ZAddArgs(condition, Comparison.GT, changed);
    }

    /** This with {@code LT}. */
    public ZAddArgs lt() {
        return new ZAddArgs(condition, Comparison.LT, changed);
    }

    /** This with {@code CH}. */
    public ZAddArgs ch() {
        return new ZAddArgs(condition, comparison, true);
    }
}
