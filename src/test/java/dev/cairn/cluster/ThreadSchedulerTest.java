package dev.cairn.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ThreadSchedulerTest {
    private static final String THREADS = "test-thread-scheduler";

    @Test
    void tellsTimeByItsClock() {
        InstantSource fixed = InstantSource.fixed(Instant.ofEpochMilli(123_456));
        try (ThreadScheduler scheduler = new ThreadScheduler(THREADS, 1, fixed)) {
            assertThat(scheduler.nowMs()).isEqualTo(123_456);
        }
    }

    @Test
    void runsATaskOnANamedDaemonThreadAfterItsDelay() throws Exception {
        try (ThreadScheduler scheduler = new ThreadScheduler(THREADS)) {
            CompletableFuture<Thread> ranOn = new CompletableFuture<>();
            long scheduledNanos = System.nanoTime();

            scheduler.schedule(20, () -> ranOn.complete(Thread.currentThread()));

            Thread thread = ranOn.get(10, TimeUnit.SECONDS);
            assertThat(System.nanoTime() - scheduledNanos).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(20));
            assertThat(thread.getName()).startsWith(THREADS + "-");
            assertThat(thread.isDaemon()).isTrue();
        }
    }

    @Test
    void aCancelledTaskDoesNotRunAndAFailingOneDoesNotStopTheOthers() throws Exception {
        try (ThreadScheduler scheduler = new ThreadScheduler(THREADS)) {
            CountDownLatch later = new CountDownLatch(1);
            CompletableFuture<String> cancelledRan = new CompletableFuture<>();
            // Due well after the cancel that follows, even on a loaded machine, and well before the
            // check below.
            Scheduler.Cancellable cancelled = scheduler.schedule(200, () -> cancelledRan.complete("ran"));
            cancelled.cancel();
            scheduler.execute(() -> {
                throw new IllegalStateException("a failing task (expected in this test's log)");
            });

            scheduler.schedule(400, later::countDown);

            assertThat(later.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(cancelledRan).isNotDone();
        }
    }

    @Test
    void closeStopsTheThreadsAndRefusesNewTasks() {
        ThreadScheduler scheduler = new ThreadScheduler(THREADS + "-close", 2, InstantSource.system());
        CompletableFuture<String> due = new CompletableFuture<>();
        scheduler.execute(() -> due.complete("ran"));

        scheduler.close();
        scheduler.close();

        assertThat(due).isCompletedWithValue("ran");
        assertThatThrownBy(() -> scheduler.schedule(0, () -> { })).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        RealTimeHarness.awaitCondition("no scheduler thread is left",
                () -> RealTimeHarness.liveThreads(THREADS + "-close").isEmpty());
    }

    @Test
    void aTaskMayCloseItsOwnSchedulerWithoutWaitingForItself() throws Exception {
        ThreadScheduler scheduler = new ThreadScheduler(THREADS + "-self-close");
        CompletableFuture<Long> closedAfterNanos = new CompletableFuture<>();
        scheduler.execute(() -> {
            long start = System.nanoTime();
            scheduler.close();
            closedAfterNanos.complete(System.nanoTime() - start);
        });

        assertThat(closedAfterNanos.get(10, TimeUnit.SECONDS)).isLessThan(TimeUnit.MILLISECONDS.toNanos(500));
        RealTimeHarness.awaitCondition("no scheduler thread is left",
                () -> RealTimeHarness.liveThreads(THREADS + "-self-close").isEmpty());
    }

    @Test
    void badArgumentsAreRefused() {
        assertThatThrownBy(() -> new ThreadScheduler(THREADS, 0, InstantSource.system()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1 thread");
        try (ThreadScheduler scheduler = new ThreadScheduler(THREADS)) {
            assertThatThrownBy(() -> scheduler.schedule(-5, () -> { })).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("-5");
        }
    }
}
