package dev.cairn.dictionary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ScoreRangeTest {

    @Test
    void parsesRedisSyntax() {
        assertThat(ScoreRange.parse("(1", "5")).isEqualTo(new ScoreRange(1, true, 5, false));
        assertThat(ScoreRange.parse("-inf", "+inf")).isEqualTo(ScoreRange.ALL);
        assertThat(ScoreRange.parse("(-Infinity", "inf")).isEqualTo(
                new ScoreRange(Double.NEGATIVE_INFINITY, true, Double.POSITIVE_INFINITY, false));
        assertThat(ScoreRange.parse("1e400", "-1e400").min()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(ScoreRange.parse(".5", "5.").max()).isEqualTo(5.0);
        for (String bad : new String[] {"nan", "1d", " 1", "1 ", "", "(", "0x10", "1e", "--1", "NaN", "abc"}) {
            assertThatThrownBy(() -> ScoreRange.parse(bad, "1")).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> new ScoreRange(Double.NaN, false, 1, false)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void emptinessAndContainment() {
        assertThat(ScoreRange.closed(2, 1).isEmpty()).isTrue();
        assertThat(new ScoreRange(1, true, 1, false).isEmpty()).isTrue();
        assertThat(ScoreRange.closed(1, 1).isEmpty()).isFalse();
        assertThat(ScoreRange.closed(1, 1).contains(1)).isTrue();
        assertThat(new ScoreRange(1, true, 3, true).contains(1)).isFalse();
        assertThat(new ScoreRange(1, true, 3, true).contains(2)).isTrue();
        assertThat(ScoreRange.closed(-0.0, 0.0).contains(0.0)).isTrue();
    }

    @Test
    void strictScoresRefuseOverflowAndUnderflowAsRedisDoes() {
        assertThat(Scores.parseOrNaN("1e400", false)).isNaN();
        assertThat(Scores.parseOrNaN("1e-400", false)).isNaN();
        assertThat(Scores.parseOrNaN("0e-400", false)).isEqualTo(0.0);
        assertThat(Scores.parseOrNaN("-inf", false)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(Scores.parseOrNaN("12345678901234567890", false)).isEqualTo(1.2345678901234567e19);
    }
}
