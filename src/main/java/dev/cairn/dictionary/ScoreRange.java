package dev.cairn.dictionary;

/**
 * An interval of sorted-set scores, each end inclusive or exclusive, as ZRANGE BYSCORE,
 * ZCOUNT and ZREMRANGEBYSCORE take it. Infinite ends are
 * {@link Double#NEGATIVE_INFINITY} and {@link Double#POSITIVE_INFINITY}.
 *
 * <p>An interval whose {@code min} is above its {@code max}, or whose ends are equal with
 * either excluded, is empty: it matches nothing, which is not an error (as in Redis).
 *
 * @param min          the lower end
 * @param minExclusive whether {@code min} itself is excluded
 * @param max          the upper end
 * @param maxExclusive whether {@code max} itself is excluded
 */
public record ScoreRange(double min, boolean minExclusive, double max, boolean maxExclusive) {

    /** Every score: [-inf, +inf]. */
    public static final ScoreRange ALL =
            new ScoreRange(Double.NEGATIVE_INFINITY, false, Double.POSITIVE_INFINITY, false);

    /** @throws IllegalArgumentException if an end is NaN */
    public ScoreRange {
        if (Double.isNaN(min) || Double.isNaN(max)) {
            throw new IllegalArgumentException("score range ends must be numbers, got " + min + " and " + max);
        }
    }

    /** The closed interval [min, max]. */
    public static ScoreRange closed(double min, double max) {
        return new ScoreRange(min, false, max, false);
    }

    /**
     * Parses Redis's syntax for one pair of ends: a number, {@code inf}, {@code +inf} or
     * {@code -inf}, optionally preceded by {@code (} to exclude it.
     *
     * @throws IllegalArgumentException if an end is not a number
     *         ({@code ERR min or max is not a float})
     */
    public static ScoreRange parse(String min, String max) {
        boolean minExclusive = min.startsWith("(");
        boolean maxExclusive = max.startsWith("(");
        double lower = parseEnd(minExclusive ? min.substring(1) : min);
        double upper = parseEnd(maxExclusive ? max.substring(1) : max);
        return new ScoreRange(lower, minExclusive, upper, maxExclusive);
    }

    private static double parseEnd(String text) {
        double value = Scores.parseOrNaN(text, true);
        if (Double.isNaN(value)) {
            throw new IllegalArgumentException("min or max is not a float: '" + text + "'");
        }
        return value;
    }

    /** Whether no score is in this interval. */
    public boolean isEmpty() {
        return min > max || (min == max && (minExclusive || maxExclusive));
    }

    /** Whether {@code score} is at or above the lower end (above it when excluded). */
    public boolean aboveMin(double score) {
        return minExclusive ? score > min : score >= min;
    }

    /** Whether {@code score} is at or below the upper end (below it when excluded). */
    public boolean belowMax(double score) {
        return maxExclusive ? score < max : score <= max;
    }

    /** Whether {@code score} is in this interval. */
    public boolean contains(double score) {
        return aboveMin(score) && belowMax(score);
    }
}
