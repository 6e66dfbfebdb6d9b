package dev.cairn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MovingRateTest {
    private static final long TICK = MovingRate.TICK_NANOS;

    @Test
    void aSteadyRateReadsRightFromTheSecondSample() {
        MovingRate rate = new MovingRate(0);
        rate.sample(0, 0);
        assertThat(rate.oneMinuteRate()).isZero();
        rate.sample(500, TICK); // 500 events in 5 s
        assertThat(rate.oneMinuteRate()).isCloseTo(100.0, within(1e-9));
        assertThat(rate.fiveMinuteRate()).isCloseTo(100.0, within(1e-9));
        assertThat(rate.fifteenMinuteRate()).isCloseTo(100.0, within(1e-9));
        for (int i = 2; i <= 100; i++) {
            rate.sample(500L * i, TICK * i);
        }
        assertThat(rate.oneMinuteRate()).isCloseTo(100.0, within(1e-9));
    }

    @Test
    void theAveragesDecayAsKafkasMetersDoWhenEventsStop() {
        MovingRate rate = new MovingRate(0);
        rate.sample(0, 0);
        rate.sample(500, TICK);
        // A minute of silence: twelve intervals, each moving the one-minute average by
        // 1 - e^(-5/60) towards 0, so it keeps e^(-1) of its value; the others keep more.
        rate.sample(500, 13 * TICK);
        assertThat(rate.oneMinuteRate()).isCloseTo(100 * Math.exp(-1), within(1e-9));
        assertThat(rate.fiveMinuteRate()).isCloseTo(100 * Math.exp(-1.0 / 5), within(1e-9));
        assertThat(rate.fifteenMinuteRate()).isCloseTo(100 * Math.exp(-1.0 / 15), within(1e-9));
    }

    @Test
    void aSampleWithinTheIntervalChangesNothingAndALateOneSpreadsItsEvents() {
        MovingRate rate = new MovingRate(0);
        rate.sample(0, 0);
        rate.sample(1000, TICK - 1);
        assertThat(rate.oneMinuteRate()).as("less than one interval passed").isZero();
        rate.sample(1000, 2 * TICK); // 1000 events over two intervals: 100 per second in each
        assertThat(rate.oneMinuteRate()).isCloseTo(100.0, within(1e-9));
    }

    @Test
    void aCounterThatWentDownRestartsFromItsNewValue() {
        MovingRate rate = new MovingRate(0);
        rate.sample(1000, 0);
        rate.sample(10, TICK);
        assertThat(rate.oneMinuteRate()).isZero();
        rate.sample(510, 2 * TICK);
        assertThat(rate.oneMinuteRate()).isCloseTo(100.0, within(1e-9));
    }

    @Test
    void theMeanRateIsTheCountOverTheTimeSinceTheMeterWasMade() {
        MovingRate rate = new MovingRate(1_000_000_000L);
        assertThat(rate.meanRate(50, 1_000_000_000L)).isZero();
        assertThat(rate.meanRate(50, 3_000_000_000L)).isCloseTo(25.0, within(1e-9));
    }
}
