package dev.cairn.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.common.StorageException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class GroupCommitTest {
    private final AtomicLong written = new AtomicLong();
    private final AtomicInteger forces = new AtomicInteger();

    @Test
    void writersArrivingDuringAnFsyncShareTheNextOne() throws Exception {
        // Scenario: the first fsync is held open until 15 more writers have written and are
        // waiting; all of them must then be covered by exactly one more fsync.
        CountDownLatch firstForceStarted = new CountDownLatch(1);
        CountDownLatch releaseFirstForce = new CountDownLatch(1);
        GroupCommit commit = new GroupCommit("test", () -> {
            if (forces.incrementAndGet() == 1) {
                firstForceStarted.countDown();
                await(releaseFirstForce);
            }
        }, written::get, new StorageMetrics());
        int writers = 16;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<?>> done = new ArrayList<>();
        long firstMark = written.addAndGet(10);
        done.add(pool.submit(() -> commit.awaitDurable(firstMark)));
        assertThat(firstForceStarted.await(10, TimeUnit.SECONDS)).isTrue();
        CountDownLatch allWritten = new CountDownLatch(writers - 1);
        for (int i = 1; i < writers; i++) {
            done.add(pool.submit(() -> {
                long mark = written.addAndGet(10);
                allWritten.countDown();
                commit.awaitDurable(mark);
            }));
        }
        assertThat(allWritten.await(10, TimeUnit.SECONDS)).isTrue();
        releaseFirstForce.countDown();
        for (Future<?> f : done) {
            f.get(10, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(forces.get()).isEqualTo(2);
        assertThat(commit.durableMark()).isEqualTo(written.get());
    }

    @Test
    void oneFsyncCoversEverythingWrittenBeforeIt() {
        GroupCommit commit = new GroupCommit("test", forces::incrementAndGet, written::get, new StorageMetrics());
        written.addAndGet(5);
        commit.awaitDurable(5);
        commit.awaitDurable(5);
        commit.awaitDurable(3);
        assertThat(forces.get()).isEqualTo(1);
    }

    @Test
    void aFailedFsyncIsFinalAndReachesEveryone() throws Exception {
        CountDownLatch forceStarted = new CountDownLatch(1);
        CountDownLatch releaseForce = new CountDownLatch(1);
        StorageMetrics metrics = new StorageMetrics();
        GroupCommit commit = new GroupCommit("file-x", () -> {
            forceStarted.countDown();
            await(releaseForce);
            throw new IOException("EIO");
        }, written::get, metrics);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        long first = written.addAndGet(1);
        Future<?> leader = pool.submit(() -> commit.awaitDurable(first));
        assertThat(forceStarted.await(10, TimeUnit.SECONDS)).isTrue();
        long second = written.addAndGet(1);
        Future<?> follower = pool.submit(() -> commit.awaitDurable(second));
        releaseForce.countDown();
        for (Future<?> f : List.of(leader, follower)) {
            assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(StorageException.class)
                    .hasMessageContaining("file-x");
        }
        pool.shutdown();
        assertThat(commit.durableMark()).isZero();
        assertThatThrownBy(commit::checkNotFailed).isInstanceOf(StorageException.class)
                .hasMessageContaining("refuses writes");
        assertThatThrownBy(() -> commit.awaitDurable(0)).isInstanceOf(StorageException.class);
        assertThat(metrics.fsyncFailures()).isEqualTo(1);
    }

    private static void await(CountDownLatch latch) throws IOException {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IOException("test latch timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    @Test
    void callbacksRunOnceTheirMarkIsDurableInMarkOrder() {
        GroupCommit commit = new GroupCommit("test", forces::incrementAndGet, written::get, new StorageMetrics());
        List<String> told = new ArrayList<>();
        long a = written.addAndGet(10);
        long b = written.addAndGet(10);
        commit.whenDurable(b, e -> told.add("b " + e));
        commit.whenDurable(a, e -> told.add("a " + e));
        assertThat(told).isEmpty(); // no fsync has run: whenDurable starts none
        commit.whenDurable(0, e -> told.add("zero " + e)); // durable already: at once
        assertThat(told).containsExactly("zero null");
        commit.awaitDurable(a); // one fsync covers both marks
        assertThat(told).containsExactly("zero null", "a null", "b null");
        assertThat(forces.get()).isEqualTo(1);
    }

    @Test
    void aFailedFsyncFailsEveryWaitingCallbackAndEveryLaterOne() {
        GroupCommit commit = new GroupCommit("test", () -> {
            throw new IOException("disk gone");
        }, written::get, new StorageMetrics());
        List<StorageException> told = new ArrayList<>();
        long a = written.addAndGet(10);
        commit.whenDurable(a, told::add);
        commit.whenDurable(a + 10, told::add);
        assertThatThrownBy(() -> commit.awaitDurable(a)).isInstanceOf(StorageException.class);
        assertThat(told).hasSize(2).allSatisfy(e -> assertThat(e).hasMessageContaining("disk gone"));
        commit.whenDurable(a, told::add);
        assertThat(told).hasSize(3);
    }

    @Test
    void requestSyncQueuesOneTaskAtATime() {
        GroupCommit commit = new GroupCommit("test", forces::incrementAndGet, written::get, new StorageMetrics());
        ConcurrentLinkedQueue<Runnable> queued = new ConcurrentLinkedQueue<>();
        Executor executor = queued::add;
        List<Long> told = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long mark = written.addAndGet(10);
            commit.whenDurable(mark, e -> told.add(mark));
            commit.requestSync(executor);
        }
        assertThat(queued).hasSize(1);
        queued.poll().run();
        assertThat(told).containsExactly(10L, 20L, 30L, 40L, 50L);
        assertThat(forces.get()).isEqualTo(1);
        long later = written.addAndGet(10);
        commit.whenDurable(later, e -> told.add(later));
        commit.requestSync(executor); // the earlier task has started: a new one is queued
        assertThat(queued).hasSize(1);
        queued.poll().run();
        assertThat(told).endsWith(60L);
    }

    // Scenario: writers register callbacks from many threads while a sync executor runs; every
    // callback is told exactly once, with no failure, and never before its mark is durable.
    @Test
    void concurrentCallbacksAreAllToldOnceAfterTheirMarkIsDurable() throws Exception {
        GroupCommit[] holder = new GroupCommit[1];
        GroupCommit commit = new GroupCommit("test", forces::incrementAndGet, written::get, new StorageMetrics());
        holder[0] = commit;
        ExecutorService syncer = Executors.newSingleThreadExecutor();
        ExecutorService writers = Executors.newFixedThreadPool(4);
        int perWriter = 2_000;
        AtomicInteger told = new AtomicInteger();
        AtomicInteger early = new AtomicInteger();
        CountDownLatch all = new CountDownLatch(4 * perWriter);
        for (int w = 0; w < 4; w++) {
            writers.submit(() -> {
                for (int i = 0; i < perWriter; i++) {
                    long mark = written.incrementAndGet();
                    commit.whenDurable(mark, e -> {
                        if (e != null || holder[0].durableMark() < mark) {
                            early.incrementAndGet();
                        }
                        told.incrementAndGet();
                        all.countDown();
                    });
                    commit.requestSync(syncer);
                }
            });
        }
        assertThat(all.await(30, TimeUnit.SECONDS)).isTrue();
        writers.shutdown();
        syncer.shutdown();
        assertThat(syncer.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(told.get()).isEqualTo(4 * perWriter);
        assertThat(early.get()).isZero();
    }
}
