package dev.cairn.dictionary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LexRangeTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void parsesRedisSyntaxAndComparesUnsigned() {
        LexRange range = LexRange.parse("[b", "(d");
        assertThat(range.contains(b("b"))).isTrue();
        assertThat(range.contains(b("c"))).isTrue();
        assertThat(range.contains(b("d"))).isFalse();
        assertThat(range.contains(b("a"))).isFalse();
        assertThat(LexRange.parse(new byte[] {'[', 0x7f}, new byte[] {'+'}).contains(new byte[] {(byte) 0x80})).isTrue();
        assertThat(LexRange.ALL.contains(new byte[0])).isTrue();
        assertThat(range.toString()).isEqualTo("[b (d");
        assertThat(range).isEqualTo(LexRange.parse("[b", "(d")).hasSameHashCodeAs(LexRange.parse("[b", "(d"));
        for (String bad : new String[] {"b", "", "--", "++"}) {
            assertThatThrownBy(() -> LexRange.parse(bad, "+")).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void emptinessFollowsRedis() {
        assertThat(LexRange.parse("-", "+").isEmpty()).isFalse();
        assertThat(LexRange.parse("+", "-").isEmpty()).isTrue();
        assertThat(LexRange.parse("-", "-").isEmpty()).isTrue();
        assertThat(LexRange.parse("+", "+").isEmpty()).isTrue();
        assertThat(LexRange.parse("[a", "[a").isEmpty()).isFalse();
        assertThat(LexRange.parse("(a", "[a").isEmpty()).isTrue();
        assertThat(LexRange.parse("[b", "[a").isEmpty()).isTrue();
        assertThat(LexRange.parse("[a", "-").isEmpty()).isTrue();
        assertThat(LexRange.parse("+", "[a").isEmpty()).isTrue();
        assertThat(LexRange.closed(b("a"), b("c")).contains(b("c"))).isTrue();
    }
}
