package dev.cairn.dictionary.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UnlockedReadCountsTest {

    @Test
    void countsOfManyThreadsAddUpAndEndedThreadsAreFolded() throws InterruptedException {
        UnlockedReadCounts counts = new UnlockedReadCounts();
        // 200 short-lived threads, one after another: the cells of ended ones are folded away.
        for (int t = 0; t < 200; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 10; i++) {
                    counts.hit();
                }
                counts.miss();
            });
            thread.start();
            thread.join();
        }
        assertThat(counts.hits()).isEqualTo(2_000);
        assertThat(counts.misses()).isEqualTo(200);
        assertThat(counts.cellCount()).isLessThanOrEqualTo(32);
    }

    @Test
    void resetSubtractsWhatWasCounted() {
        UnlockedReadCounts counts = new UnlockedReadCounts();
        counts.hit();
        counts.miss();
        counts.miss();
        counts.reset();
        assertThat(counts.hits()).isZero();
        assertThat(counts.misses()).isZero();
        counts.hit();
        assertThat(counts.hits()).isEqualTo(1);
        assertThat(counts.misses()).isZero();
    }
}
