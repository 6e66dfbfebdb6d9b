package dev.cairn.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatedSchedulerTest {
    private final SimulatedScheduler scheduler = new SimulatedScheduler(1_000);
    private final List<String> ran = new ArrayList<>();

    private Scheduler.Cancellable record(long delayMs, String name) {
        return scheduler.schedule(delayMs, () -> ran.add(name + "@" + scheduler.nowMs()));
    }

    @Test
    void tasksRunByDueTimeThenInTheOrderTheyWereScheduled() {
        record(20, "c");
        record(10, "a");
        record(10, "b");
        record(0, "now");

        assertThat(scheduler.runUntilIdle()).isEqualTo(4);
        assertThat(ran).containsExactly("now@1000", "a@1010", "b@1010", "c@1020");
    }

    @Test
    void aCancelledTaskNeverRuns() {
        Scheduler.Cancellable cancelled = record(5, "cancelled");
        record(6, "kept");

        cancelled.cancel();
        cancelled.cancel();

        assertThat(scheduler.pendingTasks()).isEqualTo(1);
        scheduler.runUntilIdle();
        assertThat(ran).containsExactly("kept@1006");
    }

    @Test
    void runForRunsOnlyWhatIsDueAndLeavesTheClockAtTheEnd() {
        record(5, "due");
        record(10, "at the edge");
        record(11, "too late");

        scheduler.runFor(10);

        assertThat(ran).containsExactly("due@1005", "at the edge@1010");
        assertThat(scheduler.nowMs()).isEqualTo(1010);
        assertThat(scheduler.step()).isTrue();
        assertThat(ran).last().isEqualTo("too late@1011");
        assertThat(scheduler.step()).isFalse();
        assertThat(scheduler.nowMs()).isEqualTo(1011);
    }

    @Test
    void tasksScheduledByATaskRunInTheSameRun() {
        scheduler.schedule(1, () -> record(1, "child"));

        scheduler.runUntilIdle();

        assertThat(ran).containsExactly("child@1002");
    }

    @Test
    void anExceptionFromATaskReachesTheCaller() {
        scheduler.schedule(3, () -> {
            throw new IllegalStateException("replica diverged");
        });
        record(4, "after");

        assertThatThrownBy(scheduler::runUntilIdle).isInstanceOf(IllegalStateException.class)
                .hasMessage("replica diverged");
        assertThat(scheduler.nowMs()).isEqualTo(1003);
        scheduler.runUntilIdle();
        assertThat(ran).containsExactly("after@1004");
    }

    @Test
    void badDelaysAreRefused() {
        assertThatThrownBy(() -> scheduler.schedule(-1, () -> { })).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> scheduler.runFor(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative");
    }
}
