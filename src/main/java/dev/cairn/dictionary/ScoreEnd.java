package dev.cairn.dictionary;

/** The end of a sorted set ZMPOP and BZMPOP pop from, as Redis's {@code MIN} and {@code MAX}. */
public enum ScoreEnd {
    /** The lowest scores first. */
    MIN,
    /** The highest scores first. */
    MAX
}
