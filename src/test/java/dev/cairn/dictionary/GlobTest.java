package dev.cairn.dictionary;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GlobTest {

    // Cases checked against Redis 7's KEYS (the differential tests cover more at random).
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "*|anything|true",
        "*|''|true",
        "**|''|false",
        "h?llo|hello|true",
        "h?llo|hllo|false",
        "h*llo|heeeello|true",
        "h[ae]llo|hallo|true",
        "h[ae]llo|hillo|false",
        "h[^e]llo|hallo|true",
        "h[^e]llo|hello|false",
        "h[a-b]llo|hbllo|true",
        "h[b-a]llo|hbllo|true",
        "h[a-b]llo|hcllo|false",
        "h\\*llo|h*llo|true",
        "h\\*llo|hello|false",
        "a*b*c|aXbYc|true",
        "a*b*c|aXbY|false",
        "[abc|b|true",
        "[abc|d|false",
        "k[\\]]|k]|true",
        "**a|ba|true",
        "a\\|a|false",
        "a?|a|false",
        "abc|abc|true",
        "abc|abcd|false",
        "abc*|abc|true",
        "?|π|false",
        "??|π|true",
        "[π]|π|false",
        "[π]?|π|true",
        "π|π|true",
    })
    void matchesAsRedis(String pattern, String text, boolean expected) {
        assertThat(Glob.matches(pattern, text)).as("%s ~ %s", pattern, text).isEqualTo(expected);
    }

    @Test
    void rangesCompareBytesAsSignedAsRedisOnX86() {
        // Redis 7 on x86-64: KEYS "[\x01-\xff]*" matches neither "h" nor "é": the range is [-1, 1].
        byte[] pattern = {'[', 0x01, '-', (byte) 0xff, ']', '*'};
        assertThat(Glob.matches(pattern, "h".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(Glob.matches(pattern, "é".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(Glob.matches(pattern, new byte[] {(byte) 0xff, 'x'})).isTrue();
        assertThat(Glob.matches(pattern, new byte[] {0})).isTrue();
    }
}
