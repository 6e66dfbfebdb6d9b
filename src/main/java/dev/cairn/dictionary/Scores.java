package dev.cairn.dictionary;

/**
 * Parsing of score text as Redis accepts it (C's {@code strtod} restricted to decimal
 * notation): an optional sign, then {@code inf} or {@code infinity} in any case, or digits
 * with an optional fraction and exponent. Java's own {@link Double#parseDouble} accepts more
 * ({@code "1d"}, {@code "NaN"}, {@code "Infinity"}, surrounding blanks), so the text is
 * checked here first and only then converted, with the same correctly rounded result as C.
 *
 * <p>Stateless; thread-safe.
 */
public final class Scores {
    private Scores() {
    }

    /**
     * The value of {@code text}, or NaN when it is not a score.
     *
     * @param allowOverflow whether a finite number too large for a double becomes an infinity
     *                      (range ends) rather than an error (ZADD, ZINCRBY)
     */
    public static double parseOrNaN(String text, boolean allowOverflow) {
        int n = text.length();
        int i = 0;
        if (i < n && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
            i++;
        }
        String rest = text.substring(i);
        if (rest.equalsIgnoreCase("inf") || rest.equalsIgnoreCase("infinity")) {
            return text.charAt(0) == '-' ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        int mantissaDigits = 0;
        boolean nonZeroDigit = false;
        while (i < n && isDigit(text.charAt(i))) {
            nonZeroDigit |= text.charAt(i) != '0';
            i++;
            mantissaDigits++;
        }
        if (i < n && text.charAt(i) == '.') {
            i++;
            while (i < n && isDigit(text.charAt(i))) {
                nonZeroDigit |= text.charAt(i) != '0';
                i++;
                mantissaDigits++;
            }
        }
        if (mantissaDigits == 0) {
            return Double.NaN;
        }
        if (i < n && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
            i++;
            if (i < n && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
                i++;
            }
            int exponentDigits = 0;
            while (i < n && isDigit(text.charAt(i))) {
                i++;
                exponentDigits++;
            }
            if (exponentDigits == 0) {
                return Double.NaN;
            }
        }
        if (i != n) {
            return Double.NaN;
        }
        double value = Double.parseDouble(text);
        if (!allowOverflow && (Double.isInfinite(value) || (value == 0 && nonZeroDigit))) {
            // strtod reports ERANGE for these and Redis refuses them.
            return Double.NaN;
        }
        return value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
