package dev.cairn.dictionary.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.dictionary.OverflowException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NumbersTest {

    private static byte[] b(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @ParameterizedTest
    @CsvSource({"0,0", "1,1", "-1,-1", "42,42", "9223372036854775807,9223372036854775807",
        "-9223372036854775808,-9223372036854775808"})
    void parsesCanonicalIntegers(String text, long expected) {
        assertThat(Numbers.parseLong(b(text))).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-", "-0", "+1", "01", " 1", "1 ", "1.0", "9223372036854775808",
        "-9223372036854775809", "123456789012345678901", "abc", "1e3"})
    void refusesWhatRedisRefuses(String text) {
        assertThat(Numbers.parseLong(b(text))).isNull();
    }

    @Test
    void additionOverflowIsAnError() {
        assertThatThrownBy(() -> Numbers.add(Long.MAX_VALUE, 1)).isInstanceOf(OverflowException.class);
        assertThat(Numbers.add(Long.MAX_VALUE, -1)).isEqualTo(Long.MAX_VALUE - 1);
    }
}
