package dev.cairn.dictionary;

/** How ZUNIONSTORE and ZINTERSTORE combine the weighted scores of a member found in several inputs. */
public enum Aggregate {
    /** The sum of the weighted scores (Redis's default); inf + -inf counts as 0, as in Redis. */
    SUM,
    /** The lowest weighted score. */
    MIN,
    /** The highest weighted score. */
    MAX
}
