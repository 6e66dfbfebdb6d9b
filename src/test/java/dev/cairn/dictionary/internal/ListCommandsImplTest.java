package dev.cairn.dictionary.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.cairn.common.ClosedException;
import dev.cairn.dictionary.KeyScoredMember;
import dev.cairn.dictionary.KeyScoredMembers;
import dev.cairn.dictionary.KeyValue;
import dev.cairn.dictionary.KeyValues;
import dev.cairn.dictionary.ListEnd;
import dev.cairn.dictionary.ScoreEnd;
import dev.cairn.dictionary.WrongTypeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ListCommandsImplTest {
    private final ManualClock clock = new ManualClock(0);
    private final LocalDictionary dictionary = new LocalDictionary(clock, DictionaryOptions.DEFAULT.withoutSweeper());
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void close() throws InterruptedException {
        dictionary.close();
        threads.shutdownNow();
        assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private static byte[] b(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    /** Waits (polling with a deadline) until {@code count} threads wait on {@code key}. */
    private void awaitWaiters(String key, int count) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (waiters(key) < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("fewer than " + count + " waiters on " + key);
            }
            Thread.onSpinWait();
        }
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

    @Test
    void emptiedListDisappears() {
        dictionary.lists().rpush("l", "a");
        assertThat(s(dictionary.lists().lpop("l"))).isEqualTo("a");
        assertThat(dictionary.keys().exists("l")).isZero();
        dictionary.lists().rpush("l", "a", "b");
        dictionary.lists().ltrim("l", 5, 10);
        assertThat(dictionary.keys().exists("l")).isZero();
    }

    @Test
    void wrongTypeChangesNothing() {
        dictionary.strings().set("s", "v");
        dictionary.lists().rpush("l", "a");
        assertThatThrownBy(() -> dictionary.lists().lmove("l", "s", ListEnd.LEFT, ListEnd.LEFT))
                .isInstanceOf(WrongTypeException.class);
        assertThat(dictionary.lists().llen("l")).isEqualTo(1);
        assertThat(dictionary.strings().getString("s")).isEqualTo("v");
    }

    @Test
    void blockedPopIsServedByThePush() throws Exception {
        Future<KeyValue> popped = threads.submit(() -> dictionary.lists().blpop("a", "b"));
        awaitWaiters("b", 1);
        dictionary.lists().rpush("b", "x", "y");
        KeyValue result = popped.get(10, TimeUnit.SECONDS);
        assertThat(result.key()).isEqualTo("b");
        assertThat(s(result.value())).isEqualTo("x");
        assertThat(dictionary.lists().lrange("b", 0, -1)).hasSize(1);
        assertThat(waiters("a")).isZero();
    }

    // Redis serves clients blocked on one key in the order they blocked.
    @Test
    void waitersAreServedInArrivalOrder() throws Exception {
        List<Future<KeyValue>> pops = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            pops.add(threads.submit(() -> dictionary.lists().brpop("q")));
            awaitWaiters("q", i + 1);
        }
        for (int i = 0; i < 5; i++) {
            dictionary.lists().lpush("q", "e" + i);
        }
        for (int i = 0; i < 5; i++) {
            assertThat(s(pops.get(i).get(10, TimeUnit.SECONDS).value())).isEqualTo("e" + i);
        }
    }

    @Test
    void aZeroTimeoutAnswersAtOnceAsTheLogsPollDoes() {
        // Duration.ZERO used to wait for ever here and return at once in the log's poll; the
        // preemptive timeout only guards against that hang.
        dictionary.lists().rpush("l", "a", "b", "c");
        dictionary.sortedSets().zadd("z", 1, b("x"));
        dictionary.sortedSets().zadd("z", 2, b("y"));
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            assertThat(dictionary.lists().blpop(Duration.ZERO, "none")).isNull();
            assertThat(dictionary.lists().brpop(Duration.ZERO, "none")).isNull();
            assertThat(dictionary.lists().blmove("none", "dst", ListEnd.LEFT, ListEnd.RIGHT, Duration.ZERO)).isNull();
            assertThat(dictionary.sortedSets().bzpopmin(Duration.ZERO, "none")).isNull();
            assertThat(dictionary.sortedSets().bzpopmax(Duration.ZERO, "none")).isNull();
            KeyValue first = dictionary.lists().blpop(Duration.ZERO, "none", "l");
            assertThat(first.key() + "=" + s(first.value())).isEqualTo("l=a");
            assertThat(s(dictionary.lists().brpop(Duration.ZERO, "l").value())).isEqualTo("c");
            assertThat(s(dictionary.lists().blmove("l", "dst", ListEnd.LEFT, ListEnd.RIGHT, Duration.ZERO))).isEqualTo("b");
            assertThat(dictionary.sortedSets().bzpopmax(Duration.ZERO, "z").member().score()).isEqualTo(2.0);
            assertThat(dictionary.sortedSets().bzpopmin(Duration.ZERO, "z").member().score()).isEqualTo(1.0);
        });
        assertThat(waiters("none")).isZero();
    }

    @Test
    void theOverloadsWithoutATimeoutWaitUntilServed() throws Exception {
        Future<KeyValue> popped = threads.submit(() -> dictionary.lists().brpop("q"));
        Future<KeyScoredMember> zpopped = threads.submit(() -> dictionary.sortedSets().bzpopmax("zq"));
        Future<byte[]> moved = threads.submit(() -> dictionary.lists().blmove("m", "dst", ListEnd.LEFT, ListEnd.LEFT));
        awaitWaiters("q", 1);
        awaitWaiters("zq", 1);
        awaitWaiters("m", 1);
        dictionary.lists().rpush("q", "x");
        dictionary.sortedSets().zadd("zq", 5, b("e"));
        dictionary.lists().rpush("m", "y");
        KeyValue served = popped.get(10, TimeUnit.SECONDS);
        assertThat(served.key() + "=" + s(served.value())).isEqualTo("q=x");
        assertThat(zpopped.get(10, TimeUnit.SECONDS).member().score()).isEqualTo(5.0);
        assertThat(s(moved.get(10, TimeUnit.SECONDS))).isEqualTo("y");
    }

    @Test
    void timeoutReturnsNullAndLeavesNoWaiter() throws Exception {
        assertThat(dictionary.lists().blpop(Duration.ofMillis(20), "none")).isNull();
        assertThat(dictionary.lists().blmove("none", "dst", ListEnd.LEFT, ListEnd.RIGHT, Duration.ofMillis(5))).isNull();
        assertThat(waiters("none")).isZero();
        assertThatThrownBy(() -> dictionary.lists().blpop(Duration.ofMillis(-1), "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void interruptEndsTheWaitWithoutPopping() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        Future<Object> waiting = threads.submit(() -> {
            started.countDown();
            try {
                return dictionary.lists().blpop("k");
            } catch (InterruptedException e) {
                return "interrupted";
            }
        });
        started.await();
        awaitWaiters("k", 1);
        waiting.cancel(true);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (waiters("k") > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(waiters("k")).isZero();
        dictionary.lists().rpush("k", "kept");
        assertThat(dictionary.lists().llen("k")).isEqualTo(1);
    }

    @Test
    void closeWakesBlockedThreadsWithClosedException() throws Exception {
        Future<KeyValue> popped = threads.submit(() -> dictionary.lists().blpop("k"));
        awaitWaiters("k", 1);
        dictionary.close();
        assertThatThrownBy(() -> popped.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(ClosedException.class);
    }

    @Test
    void blockedMoveIsServedAndWrongDestinationIsReportedToTheWaiter() throws Exception {
        Future<byte[]> moved = threads.submit(() ->
                dictionary.lists().blmove("src", "dst", ListEnd.LEFT, ListEnd.RIGHT));
        awaitWaiters("src", 1);
        dictionary.lists().rpush("src", "m");
        assertThat(s(moved.get(10, TimeUnit.SECONDS))).isEqualTo("m");
        assertThat(s(dictionary.lists().lindex("dst", 0))).isEqualTo("m");
        assertThat(dictionary.keys().exists("src")).isZero();

        dictionary.strings().set("str", "v");
        Future<byte[]> failing = threads.submit(() ->
                dictionary.lists().blmove("src", "str", ListEnd.LEFT, ListEnd.RIGHT));
        awaitWaiters("src", 1);
        dictionary.lists().rpush("src", "n");
        assertThatThrownBy(() -> failing.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(WrongTypeException.class);
        assertThat(dictionary.lists().llen("src")).isEqualTo(1);
    }

    // Producers push N unique elements; blocking consumers pop them all exactly once.
    @Test
    void blockingConsumersNeitherLoseNorDuplicate() throws Exception {
        int producers = 3;
        int consumers = 4;
        int perProducer = 500;
        List<Future<List<String>>> consumed = new ArrayList<>();
        for (int c = 0; c < consumers; c++) {
            consumed.add(threads.submit(() -> {
                List<String> got = new ArrayList<>();
                while (true) {
                    KeyValue popped = dictionary.lists().blpop("q1", "q2");
                    String value = s(popped.value());
                    if (value.equals("stop")) {
                        return got;
                    }
                    got.add(value);
                }
            }));
        }
        List<Future<?>> produced = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int producer = p;
            produced.add(threads.submit(() -> {
                for (int i = 0; i < perProducer; i++) {
                    dictionary.lists().rpush(i % 2 == 0 ? "q1" : "q2", producer + ":" + i);
                }
            }));
        }
        for (Future<?> future : produced) {
            future.get(30, TimeUnit.SECONDS);
        }
        for (int c = 0; c < consumers; c++) {
            dictionary.lists().rpush("q2", "stop");
        }
        List<String> all = new ArrayList<>();
        for (Future<List<String>> future : consumed) {
            all.addAll(future.get(30, TimeUnit.SECONDS));
        }
        Set<String> unique = new HashSet<>(all);
        assertThat(all).hasSize(producers * perProducer);
        assertThat(unique).hasSize(producers * perProducer);
        assertThat(Collections.frequency(all, "stop")).isZero();
    }

    @Test
    void blockedMultiPopsAreServedUpToTheirCountFromTheFirstKeyThatGetsElements() throws Exception {
        Future<KeyValues> listWaiter = threads.submit(() -> dictionary.lists().blmpop(ListEnd.RIGHT, 2, "a", "b"));
        Future<KeyScoredMembers> zsetWaiter = threads.submit(() -> dictionary.sortedSets().bzmpop(ScoreEnd.MAX, 5, "za", "zb"));
        awaitWaiters("b", 1);
        awaitWaiters("zb", 1);
        dictionary.lists().rpush("b", "1", "2", "3");
        dictionary.sortedSets().zadd("zb", 1, "low");
        KeyValues popped = listWaiter.get(10, TimeUnit.SECONDS);
        assertThat(popped.key()).isEqualTo("b");
        assertThat(popped.values()).containsExactly(b("3"), b("2"));
        assertThat(dictionary.lists().lrange("b", 0, -1)).containsExactly(b("1"));
        KeyScoredMembers zpopped = zsetWaiter.get(10, TimeUnit.SECONDS);
        assertThat(zpopped.key()).isEqualTo("zb");
        assertThat(zpopped.members()).hasSize(1);
        assertThat(dictionary.keys().exists("zb")).isZero();
    }

    @Test
    void multiPopsWithAZeroTimeoutOrInsideATransactionAnswerAtOnce() throws Exception {
        assertThat(dictionary.lists().blmpop(Duration.ZERO, ListEnd.LEFT, 1, "none")).isNull();
        assertThat(dictionary.sortedSets().bzmpop(Duration.ZERO, ScoreEnd.MIN, 1, "none")).isNull();
        assertThat(dictionary.<Boolean>transaction(tx -> {
            try {
                return tx.lists().blmpop(ListEnd.LEFT, 1, "none") == null
                        && tx.sortedSets().bzmpop(ScoreEnd.MIN, 1, "none") == null;
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }).booleanValue()).isTrue();
        dictionary.strings().set("s", "x");
        dictionary.lists().rpush("l", "1");
        // A key of another type before the first list fails the command; after it, it is not looked at.
        assertThatThrownBy(() -> dictionary.lists().lmpop(ListEnd.LEFT, "s", "l")).isInstanceOf(WrongTypeException.class);
        assertThat(dictionary.lists().lmpop(ListEnd.LEFT, "l", "s").values()).containsExactly(b("1"));
        assertThatThrownBy(() -> dictionary.lists().lmpop(ListEnd.LEFT, 0, "l")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> dictionary.sortedSets().zmpop(ScoreEnd.MIN, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
