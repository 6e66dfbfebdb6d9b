package dev.cairn.dictionary.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.cairn.dictionary.NotAFloatException;
import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LongDoubleTest {

    /** INCRBYFLOAT's arithmetic on a stored text (null: no key) and a double increment. */
    private static String incr(String current, double increment) {
        LongDouble.Value value = current == null ? LongDouble.ZERO : LongDouble.parse(current);
        if (value == null) {
            throw new NotAFloatException("value '" + current + "' is not a valid float");
        }
        LongDouble.Value addend = LongDouble.parse(Double.toString(increment));
        if (addend == null) {
            throw new NotAFloatException("increment is not a valid float");
        }
        BigDecimal sum = LongDouble.add(value, addend);
        if (sum == null) {
            throw new NotAFloatException("increment would produce NaN or Infinity");
        }
        return LongDouble.format(sum);
    }

    // Expected outputs are Redis 7.0's replies to the same INCRBYFLOAT (80-bit long double).
    @ParameterizedTest
    @CsvSource({
        "'',0.1,0.1",
        "0.1,0.2,0.3",
        "10.50,0.1,10.6",
        "5.0e3,200.0,5200",
        "1,-1.0,0",
        "3,1.0E20,100000000000000000000",
        "0,1.0E-5,0.00001",
        "-0.25,0.0,-0.25",
        "1E2,0.5,100.5",
    })
    void incrByFloatMatchesRedisFormatting(String current, double increment, String expected) {
        String value = current.isEmpty() ? null : current;
        assertThat(incr(value, increment)).isEqualTo(expected);
    }

    // A chain of INCRBYFLOATs on one key, each reply as redis-server 7.0.15 gave it.
    @Test
    void chainedIncrementsMatchRedisDigitForDigit() {
        double[] increments = {0.1, 0.2, 1.0E-5, 2.5E10, -0.001, 1.0E20};
        String[] replies = {"0.1", "0.3", "0.30001", "25000000000.30000999942421913",
            "25000000000.29900999926030636", "100000000025000000000"};
        String value = "0";
        for (int i = 0; i < increments.length; i++) {
            String reply = incr(value, increments[i]);
            assertThat(reply).as("step %d", i).isEqualTo(replies[i]);
            value = reply;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", " 1", "1 ", "nan", "0x", "0xg", "1e", "", "infinite", "in", "1\u0000", "\u0000"})
    void incrByFloatRefusesNonNumbers(String current) {
        assertThatThrownBy(() -> incr(current, 1.0)).isInstanceOf(NotAFloatException.class)
                .hasMessageContaining("is not a valid float");
    }

    // Redis 7.0.15: strtold reads an infinity, so the value is a float and the sum is refused.
    @ParameterizedTest
    @ValueSource(strings = {"inf", "-inf", "+INF", "Infinity", "-infinity"})
    void incrByFloatRefusesTheSumOfAStoredInfinity(String current) {
        assertThatThrownBy(() -> incr(current, 1.0)).isInstanceOf(NotAFloatException.class)
                .hasMessage("increment would produce NaN or Infinity");
    }

    // Redis 7.0.15: strtold's underflow to zero is refused, subnormals (down to about 1.82e-4951) are not.
    @ParameterizedTest
    @ValueSource(strings = {"1e-5000", "-1e-5000", "1e-4951", "1.8e-4951", "1e-4952", "1e-20000000",
        "1e-999999999999", "1.2e4932", "1e20000000", "1e999999999999"})
    void incrByFloatRefusesValuesOutsideTheExtendedRange(String current) {
        assertThatThrownBy(() -> incr(current, 1.0)).isInstanceOf(NotAFloatException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e-4940", "1.9e-4951", "3.6e-4951", "-1e-4940", "0e999999999999", "0e-20000000",
        "0.0e-5000", "-0e5"})
    void incrByFloatAcceptsSubnormalsAndZerosWithAnyExponent(String current) {
        assertThat(incr(current, 1.0)).isEqualTo("1");
    }

    @Test
    void theLargestDecimalPowerInRangeAddsAsRedisDoes() {
        // Redis 7.0.15: SET k 1e4932, INCRBYFLOAT k 1 answers the exact 80-bit value of 1e4932.
        String reply = incr("1e4932", 1.0);
        assertThat(reply).hasSize(4933).startsWith("100000000000000000000601894938796389132383777425453311477378");
    }

    @Test
    void valuesWithHugeExponentsAreJudgedWithoutExactPowersOfTen() {
        // Building 10^20000000 exactly took seconds under the command lock; the range check
        // comes first now. The timeout only guards against a hang.
        String manyDigits = "1" + "0".repeat(4000);
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            for (String value : new String[] {"1e20000000", "1e-20000000", "9e2147483647", "1e-2147483647",
                "123456789e-2147483000", "0.5e999999999", manyDigits + "e-9000", manyDigits + "e1000"}) {
                assertThatThrownBy(() -> incr(value, 1.0)).as(value)
                        .isInstanceOf(NotAFloatException.class);
            }
            assertThat(LongDouble.parse(("1" + "0".repeat(4900)))).isNotNull();
            assertThat(LongDouble.parse(("0." + "0".repeat(4900) + "1"))).isNotNull();
        });
    }

    @Test
    void infiniteIncrementIsRefused() {
        assertThatThrownBy(() -> incr(null, Double.POSITIVE_INFINITY))
                .isInstanceOf(NotAFloatException.class);
        assertThatThrownBy(() -> incr(null, Double.NaN)).isInstanceOf(NotAFloatException.class);
    }

    @Test
    void roundingToTheExtendedFormatKeepsSixtyFourBits() {
        // 2^64 + 1 needs 65 bits: it rounds (half to even) to 2^64.
        BigDecimal twoTo64 = new BigDecimal(java.math.BigInteger.ONE.shiftLeft(64));
        assertThat(LongDouble.round(twoTo64.add(BigDecimal.ONE))).isEqualByComparingTo(twoTo64);
        // 2^63 + 1 fits in 64 bits exactly.
        BigDecimal twoTo63 = new BigDecimal(java.math.BigInteger.ONE.shiftLeft(63));
        assertThat(LongDouble.round(twoTo63.add(BigDecimal.ONE))).isEqualByComparingTo(twoTo63.add(BigDecimal.ONE));
        assertThat(LongDouble.round(new BigDecimal("1e99999"))).isNull();
    }

    // Redis 7.0.15 (checked with redis-cli): strtold reads hexadecimal floats, binary exponent and all.
    @ParameterizedTest
    @CsvSource({"0x10,17", "0x1p-3,1.125", "0X1.8P1,4", "-0x.8p0,0.5", "0x1p-16445,1"})
    void hexadecimalValuesAreNumbers(String current, String expected) {
        assertThat(incr(current, 1.0)).isEqualTo(expected);
    }

    @Test
    void hexadecimalValuesAtTheEndsOfTheRange() {
        assertThat(LongDouble.parse("0x1p-16445")).isNotNull();
        assertThat(LongDouble.parse("0x1p-16446")).as("half the smallest subnormal rounds to zero").isNull();
        assertThat(LongDouble.parse("0x1p16383")).isNotNull();
        assertThat(LongDouble.parse("0x1p16384")).isNull();
        assertThat(LongDouble.parse("0x0p99999999999")).isEqualTo(LongDouble.ZERO);
    }

    @Test
    void formattingRoundsTheExactValueToSeventeenDecimalsHalfToEven() {
        assertThat(LongDouble.format(new BigDecimal("0.000000000000000015"))).isEqualTo("0.00000000000000002");
        assertThat(LongDouble.format(new BigDecimal("0.000000000000000025"))).isEqualTo("0.00000000000000002");
        assertThat(LongDouble.format(new BigDecimal("-0.000000000000000004"))).isEqualTo("0");
        assertThat(LongDouble.format(new BigDecimal("1e20"))).isEqualTo("100000000000000000000");
    }
}
