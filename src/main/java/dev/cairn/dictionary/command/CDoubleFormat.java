package dev.cairn.dictionary.command;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * C's {@code printf("%.17g", d)} as glibc prints it, which Redis 7.0 uses for double replies:
 * 17 significant digits, rounded half-even from the double's exact decimal value; fixed notation
 * when the decimal exponent X of the rounded value is in [-4, 17), else {@code d.ddde+XX} (at least
 * two exponent digits); trailing zeros and a trailing point removed; {@code inf}, {@code -inf},
 * {@code nan} and {@code -nan} (a NaN with its sign bit set) for the special values.
 *
 * <p>Shared by the command table (scores sent as text) and the Redis front end's reply writer.
 * Stateless; thread-safe.
 */
public final class CDoubleFormat {
    private static final int PRECISION = 17;
    private static final MathContext SIGNIFICANT_DIGITS = new MathContext(PRECISION, RoundingMode.HALF_EVEN);

    private CDoubleFormat() {
    }

    /** {@code d} as {@code %.17g} prints it. */
    public static String percent17g(double d) {
        boolean negative = Double.doubleToRawLongBits(d) < 0;
        String sign = negative ? "-" : "";
        if (Double.isNaN(d)) {
            return sign + "nan";
        }
        if (Double.isInfinite(d)) {
            return sign + "inf";
        }
        if (d == 0) {
            return sign + "0";
        }
        BigDecimal rounded = new BigDecimal(Math.abs(d)).round(SIGNIFICANT_DIGITS);
        int exponent = rounded.precision() - rounded.scale() - 1;
        if (exponent < -4 || exponent >= PRECISION) {
            String digits = rounded.unscaledValue().toString();
            String fraction = stripTrailingZeros(digits.substring(1));
            int magnitude = Math.abs(exponent);
            return sign + digits.charAt(0) + (fraction.isEmpty() ? "" : "." + fraction)
                    + (exponent < 0 ? "e-" : "e+") + (magnitude < 10 ? "0" : "") + magnitude;
        }
        return sign + rounded.stripTrailingZeros().toPlainString();
    }

    private static String stripTrailingZeros(String digits) {
        int end = digits.length();
        while (end > 0 && digits.charAt(end - 1) == '0') {
            end--;
        }
        return digits.substring(0, end);
    }
}
