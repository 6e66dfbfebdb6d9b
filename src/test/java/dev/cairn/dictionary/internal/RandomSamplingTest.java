package dev.cairn.dictionary.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class RandomSamplingTest {

    @Property(tries = 300)
    void positiveCountsGiveDistinctPositionsInRange(@ForAll @IntRange(max = 200) int size,
            @ForAll @LongRange(max = 300) long count, @ForAll long seed) {
        int[] picks = RandomSampling.choose(size, count, new SplittableRandom(seed));
        assertThat(picks).hasSize((int) Math.min(count, size));
        assertThat(Arrays.stream(picks).distinct().count()).isEqualTo(picks.length);
        assertThat(Arrays.stream(picks).allMatch(p -> p >= 0 && p < size)).isTrue();
    }

    @Property(tries = 300)
    void negativeCountsGiveExactlyThatManyPositions(@ForAll @IntRange(min = 1, max = 200) int size,
            @ForAll @LongRange(min = -300, max = -1) long count, @ForAll long seed) {
        int[] picks = RandomSampling.choose(size, count, new SplittableRandom(seed));
        assertThat(picks).hasSize((int) -count);
        assertThat(Arrays.stream(picks).allMatch(p -> p >= 0 && p < size)).isTrue();
    }

    @Test
    void bothStrategiesAreRoughlyUniform() {
        // Floyd's algorithm (small share) and the partial shuffle (large share): each position chosen ~ equally often.
        for (int wanted : new int[] {3, 15}) {
            int size = 20;
            int[] counts = new int[size];
            SplittableRandom random = new SplittableRandom(11);
            int rounds = 20_000;
            for (int i = 0; i < rounds; i++) {
                for (int p : RandomSampling.choose(size, wanted, random)) {
                    counts[p]++;
                }
            }
            double expected = rounds * (double) wanted / size;
            for (int count : counts) {
                assertThat((double) count).as("share " + wanted).isBetween(expected * 0.93, expected * 1.07);
            }
        }
    }

    @Test
    void emptyAndOutOfRange() {
        assertThat(RandomSampling.choose(0, -5, new SplittableRandom())).isEmpty();
        assertThat(RandomSampling.choose(0, 5, new SplittableRandom())).isEmpty();
        assertThatThrownBy(() -> RandomSampling.choose(3, Long.MIN_VALUE, new SplittableRandom()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of range");
    }
}
