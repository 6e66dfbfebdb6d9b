package dev.cairn.dictionary;

/**
 * When EXPIRE and its relatives set a deadline, as Redis 7's options of the same names. A key
 * without a deadline counts as having an infinite one for {@link #GT} and {@link #LT}.
 */
public enum ExpireCondition {
    /** Always. */
    ALWAYS,
    /** Only if the key has no deadline. */
    NX,
    /** Only if the key has a deadline. */
    XX,
    /** Only if the new deadline is later than the current one. */
    GT,
    /** Only if the new deadline is earlier than the current one. */
    LT
}
