package dev.cairn.dictionary.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.common.ClosedException;
import dev.cairn.dictionary.KeyScoredMember;
import dev.cairn.dictionary.KeyValue;
import dev.cairn.dictionary.KeyValues;
import dev.cairn.dictionary.ListEnd;
import dev.cairn.dictionary.ScoreEnd;
import dev.cairn.dictionary.WrongTypeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The asynchronous waiters of the blocking commands: order, timeouts, cancel, close, and no lost element. */
class BlockedClientsTest {
    private final ManualClock clock = new ManualClock(0);
    private LocalDictionary dictionary = new LocalDictionary(clock, DictionaryOptions.DEFAULT.withoutSweeper());
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void close() throws InterruptedException {
        dictionary.close();
        threads.shutdownNow();
        assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private static String s(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    private int waiters(String key) {
        Engine engine = dictionary.engine();
        engine.lock.lock();
        try {
            return engine.waitersOn(key);
        } finally {
            engine.lock.unlock();
        }
    }

    private void awaitWaiters(String key, int count) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (waiters(key) != count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(waiters(key) + " waiters on " + key + ", expected " + count);
            }
            Thread.onSpinWait();
        }
    }

    @Test
    void asyncPopsAreServedInArrivalOrderAndCompletedOutsideTheLock() throws Exception {
        Engine engine = dictionary.engine();
        List<CompletableFuture<KeyValue>> pops = new ArrayList<>();
        AtomicBoolean underLock = new AtomicBoolean();
        for (int i = 0; i < 5; i++) {
            CompletableFuture<KeyValue> pop = dictionary.lists().blpopAsync("other", "q");
            pop.whenComplete((v, e) -> underLock.compareAndSet(false, engine.lock.isHeldByCurrentThread()));
            pops.add(pop);
        }
        assertThat(pops).noneMatch(CompletableFuture::isDone);
        assertThat(waiters("q")).isEqualTo(5);
        dictionary.lists().rpush("q", "e0", "e1", "e2", "e3", "e4", "e5");
        for (int i = 0; i < 5; i++) {
            // Completed by the pushing command before it returned: no thread in between.
            assertThat(pops.get(i)).isDone();
            assertThat(s(pops.get(i).get().value())).isEqualTo("e" + i);
        }
        assertThat(underLock).isFalse();
        assertThat(dictionary.lists().lrange("q", 0, -1)).hasSize(1);
        assertThat(waiters("q")).isZero();
        assertThat(waiters("other")).isZero();
    }

    @Test
    void everyBlockingCommandHasAnAsyncFormThatAnswersAtOnceWhenItCan() throws Exception {
        dictionary.lists().rpush("l", "a", "b", "c", "d");
        dictionary.sortedSets().zadd("z", 1, "x");
        dictionary.sortedSets().zadd("z", 2, "y");
        dictionary.sortedSets().zadd("z", 3, "w");
        assertThat(s(dictionary.lists().blpopAsync("l").getNow(null).value())).isEqualTo("a");
        assertThat(s(dictionary.lists().brpopAsync(Duration.ofSeconds(1), "l").getNow(null).value())).isEqualTo("d");
        assertThat(s(dictionary.lists().blmoveAsync("l", "m", ListEnd.LEFT, ListEnd.LEFT).getNow(null))).isEqualTo("b");
        KeyValues multi = dictionary.lists().blmpopAsync(ListEnd.RIGHT, 5, "none", "l").getNow(null);
        assertThat(multi.values()).hasSize(1);
        assertThat(dictionary.sortedSets().bzpopminAsync("z").getNow(null).member().score()).isEqualTo(1.0);
        assertThat(dictionary.sortedSets().bzpopmaxAsync("z").getNow(null).member().score()).isEqualTo(3.0);
        assertThat(dictionary.sortedSets().bzmpopAsync(ScoreEnd.MIN, 2, "z").getNow(null).members()).hasSize(1);
        assertThat(dictionary.lists().blpopAsync(Duration.ZERO, "none").getNow(null)).isNull();
        assertThatThrownBy(() -> dictionary.sortedSets().bzpopminAsync("m"))
                .isInstanceOf(WrongTypeException.class);
    }

    @Test
    void timeoutsCompleteWithNullFromTheTimerAndLeaveNoWaiter() throws Exception {
        Engine engine = dictionary.engine();
        AtomicReference<String> thread = new AtomicReference<>();
        CountDownLatch called = new CountDownLatch(1);
        CompletableFuture<KeyValue> pop;
        // Holding the lock keeps the timer from completing the future before the callback is attached;
        // waiting on the latch, not on the future (whose waiter may run callbacks itself), leaves the
        // callback to the completing thread.
        engine.lock.lock();
        try {
            pop = dictionary.lists().blpopAsync(Duration.ofMillis(20), "k");
            pop.whenComplete((v, e) -> {
                thread.set(Thread.currentThread().getName());
                called.countDown();
            });
        } finally {
            engine.lock.unlock();
        }
        CompletableFuture<KeyScoredMember> zpop = dictionary.sortedSets().bzpopmaxAsync(Duration.ofMillis(10), "z");
        assertThat(called.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(thread.get()).isEqualTo("cairn-dictionary-timeouts");
        assertThat(pop.getNow(null)).isNull();
        assertThat(pop).isDone();
        assertThat(zpop.get(10, TimeUnit.SECONDS)).isNull();
        assertThat(waiters("k")).isZero();
        assertThat(waiters("z")).isZero();
        dictionary.lists().rpush("k", "kept");
        assertThat(dictionary.lists().llen("k")).isEqualTo(1);
    }

    @Test
    void cancelWithdrawsTheWaiterSoThatALaterPushStaysInTheList() {
        CompletableFuture<KeyValue> first = dictionary.lists().blpopAsync("k");
        CompletableFuture<KeyValue> second = dictionary.lists().blpopAsync(Duration.ofHours(1), "k");
        assertThat(first.cancel(false)).isTrue();
        assertThat(second.completeExceptionally(new IllegalStateException("gave up"))).isTrue();
        assertThat(waiters("k")).isZero();
        dictionary.lists().rpush("k", "kept");
        assertThat(dictionary.lists().llen("k")).isEqualTo(1);
        assertThat(first).isCancelled();
    }

    /** A sink whose durability wait holds the writer until released: the window between serve and completion. */
    private static final class HeldSink implements WriteSink {
        final CountDownLatch inAwait = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger marks = new AtomicInteger();

        @Override
        public void commit(WriteEntry entry) {
            marks.incrementAndGet();
        }

        @Override
        public long lastMark() {
            return marks.get();
        }

        @Override
        public void awaitDurable(long mark) {
            inAwait.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // A waiter served by a push whose command has not yet completed its future: a cancel must fail
    // and the popped element must still arrive (it is no longer in the list).
    @Test
    void aServedWaiterKeepsItsResultWhenCancelledBeforeItsFutureCompletes() throws Exception {
        dictionary.close();
        HeldSink sink = new HeldSink();
        dictionary = new LocalDictionary(clock, DictionaryOptions.DEFAULT.withoutSweeper().withSink(sink));
        CompletableFuture<KeyValue> pop = dictionary.lists().blpopAsync("k");
        Future<Long> push = threads.submit(() -> dictionary.lists().rpush("k", "x"));
        assertThat(sink.inAwait.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(pop.cancel(false)).isFalse();
        assertThat(pop.complete(null)).isFalse();
        assertThat(pop).isNotDone();
        sink.release.countDown();
        assertThat(s(pop.get(10, TimeUnit.SECONDS).value())).isEqualTo("x");
        push.get(10, TimeUnit.SECONDS);
        assertThat(dictionary.lists().llen("k")).isZero();
    }

    // The synchronous form is a wait on the future: interrupted after being served, it returns
    // what was popped and keeps the interrupt.
    @Test
    void anInterruptAfterServingReturnsThePoppedElementWithTheInterruptKept() throws Exception {
        dictionary.close();
        HeldSink sink = new HeldSink();
        dictionary = new LocalDictionary(clock, DictionaryOptions.DEFAULT.withoutSweeper().withSink(sink));
        AtomicReference<Thread> waiter = new AtomicReference<>();
        Future<String> popped = threads.submit(() -> {
            waiter.set(Thread.currentThread());
            KeyValue value = dictionary.lists().blpop("k");
            return s(value.value()) + (Thread.currentThread().isInterrupted() ? " interrupted" : "");
        });
        awaitWaiters("k", 1);
        Future<Long> push = threads.submit(() -> dictionary.lists().rpush("k", "x"));
        assertThat(sink.inAwait.await(10, TimeUnit.SECONDS)).isTrue();
        waiter.get().interrupt();
        sink.release.countDown();
        assertThat(popped.get(10, TimeUnit.SECONDS)).isEqualTo("x interrupted");
        push.get(10, TimeUnit.SECONDS);
    }

    @Test
    void closeFailsPendingFuturesWithClosedException() {
        CompletableFuture<KeyValue> pop = dictionary.lists().blpopAsync("k");
        CompletableFuture<KeyScoredMember> zpop = dictionary.sortedSets().bzpopminAsync(Duration.ofHours(1), "z");
        CompletableFuture<byte[]> move = dictionary.lists().blmoveAsync("s", "d", ListEnd.LEFT, ListEnd.RIGHT);
        dictionary.close();
        for (CompletableFuture<?> future : List.of(pop, zpop, move)) {
            assertThatThrownBy(() -> future.get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(ClosedException.class);
        }
        assertThat(pop.cancel(false)).isFalse();
        assertThatThrownBy(() -> dictionary.lists().blpopAsync("k")).isInstanceOf(ClosedException.class);
    }

    @Test
    void aServedMoveIntoAKeyOfAnotherTypeFailsTheFuture() {
        CompletableFuture<byte[]> move = dictionary.lists().blmoveAsync("s", "d", ListEnd.LEFT, ListEnd.RIGHT);
        dictionary.strings().set("d", "text");
        dictionary.lists().rpush("s", "x");
        assertThat(move).isCompletedExceptionally();
        assertThatThrownBy(move::join).hasCauseInstanceOf(WrongTypeException.class);
        assertThat(dictionary.lists().llen("s")).isEqualTo(1);
    }

    // Property: producers push unique elements onto a few keys while asynchronous consumers pop
    // (re-issuing their pop on completion, sometimes cancelling and re-issuing it); every element
    // pushed is popped exactly once and nothing is left behind.
    @Test
    void manyProducersAndAsyncConsumersPopEveryElementExactlyOnce() throws Exception {
        long seed = System.nanoTime();
        int producers = 4;
        int perProducer = 3_000;
        int consumers = 40;
        String[] keys = {"k0", "k1", "k2"};
        int total = producers * perProducer;
        Map<String, Integer> popped = new ConcurrentHashMap<>();
        CountDownLatch allPopped = new CountDownLatch(total);
        AtomicBoolean done = new AtomicBoolean();
        List<AsyncConsumer> chains = new ArrayList<>();
        for (int c = 0; c < consumers; c++) {
            AsyncConsumer consumer = new AsyncConsumer(keys, popped, allPopped, done, new SplittableRandom(seed + c));
            chains.add(consumer);
            consumer.next();
        }
        List<Future<?>> pushes = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int producer = p;
            SplittableRandom random = new SplittableRandom(seed * 31 + p);
            pushes.add(threads.submit(() -> {
                for (int i = 0; i < perProducer; i++) {
                    String key = keys[random.nextInt(keys.length)];
                    String element = producer + ":" + i;
                    if (random.nextBoolean()) {
                        dictionary.lists().rpush(key, element);
                    } else {
                        dictionary.lists().lpush(key, element);
                    }
                    if (random.nextInt(50) == 0) {
                        // Some cancels race the pushes: a consumer gives up and asks again.
                        chains.get(random.nextInt(chains.size())).cancelAndReissue();
                    }
                }
            }));
        }
        for (Future<?> push : pushes) {
            push.get(60, TimeUnit.SECONDS);
        }
        assertThat(allPopped.await(60, TimeUnit.SECONDS)).as("seed %d: all popped", seed).isTrue();
        done.set(true);
        assertThat(popped).as("seed %d", seed).hasSize(total);
        assertThat(popped.values()).as("seed %d: popped once each", seed).allMatch(n -> n == 1);
        for (String key : keys) {
            assertThat(dictionary.lists().llen(key)).as("seed %d", seed).isZero();
        }
    }

    /** A consumer that keeps one BLPOP future outstanding, re-issued when it completes. */
    private final class AsyncConsumer {
        private final String[] keys;
        private final Map<String, Integer> popped;
        private final CountDownLatch allPopped;
        private final AtomicBoolean done;
        private final SplittableRandom random;
        private final AtomicReference<CompletableFuture<KeyValue>> current = new AtomicReference<>();

        AsyncConsumer(String[] keys, Map<String, Integer> popped, CountDownLatch allPopped, AtomicBoolean done,
                SplittableRandom random) {
            this.keys = keys;
            this.popped = popped;
            this.allPopped = allPopped;
            this.done = done;
            this.random = random;
        }

        void next() {
            if (done.get()) {
                return;
            }
            CompletableFuture<KeyValue> pop;
            synchronized (random) {
                pop = random.nextInt(4) == 0
                        ? dictionary.lists().brpopAsync(Duration.ofMillis(1 + random.nextInt(5)), keys)
                        : dictionary.lists().blpopAsync(keys);
            }
            current.set(pop);
            if (pop.isDone()) {
                // Answered at once: go on in another task rather than recursing once per element.
                threads.execute(() -> completed(pop));
            } else {
                // Completed later in the pushing thread or the timer's.
                pop.whenComplete((value, failure) -> completed(pop));
            }
        }

        private void completed(CompletableFuture<KeyValue> pop) {
            KeyValue value = pop.isCompletedExceptionally() ? null : pop.join();
            if (value != null) {
                popped.merge(s(value.value()), 1, Integer::sum);
                allPopped.countDown();
            }
            if (!pop.isCancelled()) {
                next();
            }
        }

        void cancelAndReissue() {
            CompletableFuture<KeyValue> pop = current.get();
            if (pop != null && pop.cancel(false)) {
                next();
            }
        }
    }
}
