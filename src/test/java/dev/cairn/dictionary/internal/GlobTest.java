package dev.cairn.dictionary.internal;

import static org.assertj.core.api.Assertions.assertThat;

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
    })
    void matchesAsRedis(String pattern, String text, boolean expected) {
        assertThat(Glob.matches(pattern, text)).as("%s ~ %s", pattern, text).isEqualTo(expected);
    }
}
