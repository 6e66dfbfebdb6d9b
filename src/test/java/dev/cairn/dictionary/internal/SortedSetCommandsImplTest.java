package dev.cairn.dictionary.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.common.ClosedException;
import dev.cairn.dictionary.Aggregate;
import dev.cairn.dictionary.KeyScoredMember;
import dev.cairn.dictionary.KeyType;
import dev.cairn.dictionary.LexRange;
import dev.cairn.dictionary.NotAFloatException;
import dev.cairn.dictionary.ScanArgs;
import dev.cairn.dictionary.ScanPage;
import dev.cairn.dictionary.ScoreRange;
import dev.cairn.dictionary.ScoredMember;
import dev.cairn.dictionary.SortedSetCommands;
import dev.cairn.dictionary.WrongTypeException;
import dev.cairn.dictionary.ZAddArgs;
import dev.cairn.dictionary.ZRange;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SortedSetCommandsImplTest {
    private final List<WriteEntry> entries = Collections.synchronizedList(new ArrayList<>());
    private final LocalDictionary dictionary = new LocalDictionary(new ManualClock(1_000_000),
            DictionaryOptions.DEFAULT.withoutSweeper().withSink(entries::add));
    private final SortedSetCommands z = dictionary.sortedSets();

    @AfterEach
    void close() {
        dictionary.close();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static ScoredMember e(String member, double score) {
        return new ScoredMember(b(member), score);
    }

    private static String last(List<WriteEntry> entries) {
        WriteEntry entry = entries.get(entries.size() - 1);
        List<String> out = new ArrayList<>();
        for (List<byte[]> command : entry.commands()) {
            List<String> words = new ArrayList<>();
            command.forEach(arg -> words.add(new String(arg, StandardCharsets.UTF_8)));
            out.add(String.join(" ", words));
        }
        return String.join("; ", out);
    }

    @Test
    void zaddFlagsFollowRedis() {
        assertThat(z.zadd("z", ZAddArgs.DEFAULT, e("a", 1), e("b", 2))).isEqualTo(2);
        assertThat(z.zadd("z", ZAddArgs.DEFAULT.nx(), e("a", 5), e("c", 3))).isEqualTo(1);
        assertThat(z.zscore("z", b("a"))).isEqualTo(1.0);
        assertThat(z.zadd("z", ZAddArgs.DEFAULT.xx().ch(), e("a", 5), e("d", 4))).isEqualTo(1);
        assertThat(z.zscore("z", b("d"))).isNull();
        assertThat(z.zadd("z", ZAddArgs.DEFAULT.gt().ch(), e("a", 4), e("b", 7), e("e", 1))).isEqualTo(2);
        assertThat(z.zmscore("z", b("a"), b("b"), b("e"), b("q"))).containsExactly(5.0, 7.0, 1.0, null);
        assertThat(z.zadd("z", ZAddArgs.DEFAULT.lt().ch(), e("a", 4), e("b", 9))).isEqualTo(1);
        assertThat(z.zadd("missing", ZAddArgs.DEFAULT.xx(), e("a", 1))).isZero();
        assertThat(dictionary.keys().exists("missing")).isZero();
        assertThatThrownBy(() -> ZAddArgs.DEFAULT.nx().gt()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> z.zadd("z", 1.0, (byte[]) null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> z.zadd("z", Double.NaN, b("a"))).isInstanceOf(IllegalArgumentException.class);
        assertThat(z.zscore("z", b("a"))).isEqualTo(4.0);
    }

    @Test
    void incrementsAndTheirLogEntries() {
        assertThat(z.zincrby("z", 1.5, b("a"))).isEqualTo(1.5);
        assertThat(last(entries)).isEqualTo("ZADD z 1.5 a");
        assertThat(z.zincrby("z", Double.POSITIVE_INFINITY, b("a"))).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(last(entries)).isEqualTo("ZADD z inf a");
        int before = entries.size();
        assertThatThrownBy(() -> z.zincrby("z", Double.NEGATIVE_INFINITY, b("a")))
                .isInstanceOf(NotAFloatException.class);
        assertThat(entries).hasSize(before);
        assertThat(z.zaddIncr("z", ZAddArgs.DEFAULT.nx(), 1, b("a"))).isNull();
        assertThat(z.zaddIncr("z", ZAddArgs.DEFAULT.xx(), 1, b("new"))).isNull();
        assertThat(z.zaddIncr("z", ZAddArgs.DEFAULT.lt(), 1, b("a"))).isNull();
        assertThat(z.zaddIncr("z", ZAddArgs.DEFAULT.gt(), -1, b("fresh"))).isEqualTo(-1.0);
        assertThat(z.zaddIncr("none", ZAddArgs.DEFAULT.xx(), 1, b("a"))).isNull();
        assertThat(dictionary.keys().exists("none")).isZero();
    }

    @Test
    void rangesRanksAndCounts() {
        z.zadd("z", ZAddArgs.DEFAULT, e("a", 1), e("b", 2), e("c", 3), e("d", 4));
        assertThat(z.zrange("z", ZRange.byRank(0, -1))).containsExactly(e("a", 1), e("b", 2), e("c", 3), e("d", 4));
        assertThat(z.zrange("z", ZRange.byRank(0, 1).rev())).containsExactly(e("d", 4), e("c", 3));
        assertThat(z.zrange("z", ZRange.byScore(ScoreRange.parse("(1", "3")).rev()))
                .containsExactly(e("c", 3), e("b", 2));
        assertThat(z.zrange("z", ZRange.byScore(ScoreRange.ALL).limit(1, 2))).containsExactly(e("b", 2), e("c", 3));
        assertThat(z.zrange("z", ZRange.byLex(LexRange.parse("[b", "+")).limit(0, 1))).containsExactly(e("b", 2));
        assertThatThrownBy(() -> ZRange.byRank(0, 1).limit(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(z.zrank("z", b("c"))).isEqualTo(2);
        assertThat(z.zrevrank("z", b("c"))).isEqualTo(1);
        assertThat(z.zrank("z", b("x"))).isNull();
        assertThat(z.zcount("z", ScoreRange.parse("2", "+inf"))).isEqualTo(3);
        assertThat(z.zlexcount("z", LexRange.ALL)).isEqualTo(4);
        assertThat(z.zcard("z")).isEqualTo(4);
        assertThat(z.zrangestore("dst", "z", ZRange.byRank(1, 2))).isEqualTo(2);
        assertThat(z.zrange("dst", ZRange.byRank(0, -1))).containsExactly(e("b", 2), e("c", 3));
        assertThat(z.zrangestore("dst", "z", ZRange.byRank(10, 20))).isZero();
        assertThat(dictionary.keys().exists("dst")).isZero();
    }

    @Test
    void removalsEmptyTheKeyAndLogZrem() {
        z.zadd("z", ZAddArgs.DEFAULT, e("a", 1), e("b", 2), e("c", 3), e("d", 4), e("e", 5));
        assertThat(z.zremrangebyrank("z", 0, 0)).isEqualTo(1);
        assertThat(last(entries)).isEqualTo("ZREM z a");
        assertThat(z.zremrangebyscore("z", ScoreRange.closed(2, 3))).isEqualTo(2);
        assertThat(z.zremrangebylex("z", LexRange.parse("[d", "[d"))).isEqualTo(1);
        assertThat(z.zpopmax("z")).isEqualTo(e("e", 5));
        assertThat(dictionary.keys().exists("z")).isZero();
        assertThat(z.zpopmin("z")).isNull();
        z.zadd("z", ZAddArgs.DEFAULT, e("a", 1), e("b", 2), e("c", 3));
        assertThat(z.zpopmin("z", 2)).containsExactly(e("a", 1), e("b", 2));
        assertThat(z.zrem("z", b("c"), b("x"))).isEqualTo(1);
        assertThat(dictionary.keys().exists("z")).isZero();
        assertThatThrownBy(() -> z.zpopmin("z", -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void wrongTypeThrowsAndChangesNothing() {
        dictionary.sets().sadd("s", b("x"));
        dictionary.strings().set("k", b("v"));
        assertThatThrownBy(() -> z.zadd("s", 1, b("a"))).isInstanceOf(WrongTypeException.class);
        assertThatThrownBy(() -> z.zrange("k", ZRange.byRank(0, -1))).isInstanceOf(WrongTypeException.class);
        assertThatThrownBy(() -> z.zunionstore("out", "k")).isInstanceOf(WrongTypeException.class);
        assertThat(dictionary.keys().exists("out")).isZero();
        assertThat(dictionary.keys().type("s")).isEqualTo(KeyType.SET);
    }

    @Test
    void unionInterDiffWithWeightsAggregatesAndSets() {
        z.zadd("z1", ZAddArgs.DEFAULT, e("a", 1), e("b", 2));
        z.zadd("z2", ZAddArgs.DEFAULT, e("b", 3), e("c", Double.POSITIVE_INFINITY));
        dictionary.sets().sadd("s", b("b"), b("c"));
        assertThat(z.zunion(List.of("z1", "z2"), new double[] {2, 1}, Aggregate.SUM))
                .containsExactly(e("a", 2), e("b", 7), e("c", Double.POSITIVE_INFINITY));
        assertThat(z.zinter(List.of("z1", "z2", "s"), null, Aggregate.MAX)).containsExactly(e("b", 3));
        assertThat(z.zinter(List.of("z2", "s"), new double[] {0, 1}, Aggregate.SUM))
                .containsExactly(e("b", 1), e("c", 1));
        assertThat(z.zdiff("z1", "s")).containsExactly(e("a", 1));
        assertThat(z.zunionstore("out", List.of("z1", "z2"), null, Aggregate.MIN)).isEqualTo(3);
        assertThat(z.zscore("out", b("b"))).isEqualTo(2.0);
        assertThat(z.zinterstore("out", "z1", "missing")).isZero();
        assertThat(dictionary.keys().exists("out")).isZero();
        assertThat(z.zdiffstore("out", "z2", "z1")).isEqualTo(1);
        assertThatThrownBy(() -> z.zunion(List.of("z1"), new double[] {1, 2}, Aggregate.SUM))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void zeroTimesInfinityFollowsRedisInEachPosition() {
        // As redis-server 7 answers: the first (smallest) input's NaN counts as 0; a later one is skipped by MIN/MAX.
        z.zadd("a", Double.POSITIVE_INFINITY, b("x"));
        z.zadd("d", ZAddArgs.DEFAULT, e("x", Double.POSITIVE_INFINITY), e("y", 1), e("z", 2));
        z.zadd("b", ZAddArgs.DEFAULT, e("x", 5), e("y", 1));
        assertThat(z.zinter(List.of("a", "d"), new double[] {1, 0}, Aggregate.MIN))
                .containsExactly(e("x", Double.POSITIVE_INFINITY));
        assertThat(z.zinter(List.of("a", "b"), new double[] {0, 1}, Aggregate.MIN)).containsExactly(e("x", 0));
        assertThat(z.zinter(List.of("a", "b"), new double[] {0, 1}, Aggregate.MAX)).containsExactly(e("x", 5));
        assertThat(z.zunion(List.of("a", "b"), new double[] {0, 1}, Aggregate.MIN)).containsExactly(e("x", 0), e("y", 1));
        assertThat(z.zinter(List.of("a", "d"), new double[] {1, 0}, Aggregate.SUM)).containsExactly(e("x", 0));
    }

    @Test
    void transactionRollsBackSortedSetWrites() {
        z.zadd("z", ZAddArgs.DEFAULT, e("a", 1), e("b", 2));
        assertThatThrownBy(() -> dictionary.transaction(tx -> {
            tx.sortedSets().zadd("z", 10, b("a"));
            tx.sortedSets().zpopmax("z", 5);
            tx.sortedSets().zincrby("y", 1, b("x"));
            tx.sortedSets().zincrby("y", Double.NEGATIVE_INFINITY, b("x"));
            tx.sortedSets().zincrby("y", Double.POSITIVE_INFINITY, b("x"));
            return null;
        })).isInstanceOf(NotAFloatException.class);
        assertThat(z.zrange("z", ZRange.byRank(0, -1))).containsExactly(e("a", 1), e("b", 2));
        assertThat(dictionary.keys().exists("y")).isZero();
    }

    @Test
    void writesDirtyAWatchAndReadsDoNot() {
        z.zadd("w", 1, b("a"));
        try (dev.cairn.dictionary.Watch watch = dictionary.watch("w")) {
            z.zrange("w", ZRange.byRank(0, -1));
            z.zscore("w", b("a"));
            assertThat(dictionary.transaction(watch, tx -> tx.sortedSets().zcard("w"))).contains(1L);
        }
        try (dev.cairn.dictionary.Watch watch = dictionary.watch("w")) {
            z.zincrby("w", 1, b("a"));
            assertThat(dictionary.transaction(watch, tx -> tx.sortedSets().zcard("w"))).isEmpty();
        }
        try (dev.cairn.dictionary.Watch watch = dictionary.watch("w")) {
            dictionary.sets().sadd("other", b("x"));
            dictionary.sets().spop("other");
            z.zpopmin("w");
            assertThat(dictionary.transaction(watch, tx -> tx.sortedSets().zcard("w"))).isEmpty();
        }
    }

    @Test
    void randomMembersAndScan() {
        for (int i = 0; i < 300; i++) {
            z.zadd("z", i, b("m" + i));
        }
        assertThat(z.zrandmember("z", 50)).hasSize(50).doesNotHaveDuplicates();
        assertThat(z.zrandmember("z", -500)).hasSize(500)
                .allMatch(entry -> z.zscore("z", entry.member()) == entry.score());
        assertThat(z.zrandmember("missing")).isNull();
        Set<ScoredMember> seen = new HashSet<>();
        long cursor = 0;
        do {
            ScanPage<ScoredMember> page = z.zscan("z", cursor, ScanArgs.DEFAULT.count(7));
            seen.addAll(page.items());
            cursor = page.cursor();
        } while (cursor != 0);
        assertThat(seen).hasSize(300).contains(e("m17", 17));
    }

    @Test
    void bzpopminAnswersAtOnceWhenDataIsThereAndTimesOutOtherwise() throws Exception {
        z.zadd("b", ZAddArgs.DEFAULT, e("x", 2), e("y", 1));
        assertThat(z.bzpopmin(Duration.ofMillis(1), "a", "b")).isEqualTo(new KeyScoredMember("b", e("y", 1)));
        assertThat(z.bzpopmax(Duration.ofMillis(1), "a", "b")).isEqualTo(new KeyScoredMember("b", e("x", 2)));
        assertThat(z.bzpopmin(Duration.ofMillis(20), "a", "b")).isNull();
        dictionary.strings().set("s", b("v"));
        assertThatThrownBy(() -> z.bzpopmin(Duration.ofMillis(1), "s")).isInstanceOf(WrongTypeException.class);
        KeyScoredMember inTransaction = dictionary.transaction(tx -> {
            try {
                return tx.sortedSets().bzpopmin("a");
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(inTransaction).isNull();
    }

    @Test
    void blockedPoppersAreServedInArrivalOrder() throws Exception {
        // Three threads block on the same key one after the other; three single adds serve them in that order.
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<KeyScoredMember>> waiters = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Thread[] thread = new Thread[1];
                CountDownLatchHolder started = new CountDownLatchHolder();
                waiters.add(pool.submit(() -> {
                    thread[0] = Thread.currentThread();
                    started.latch.countDown();
                    return z.bzpopmin("q");
                }));
                started.latch.await(10, TimeUnit.SECONDS);
                awaitBlocked(thread[0]);
            }
            for (int i = 0; i < 3; i++) {
                z.zadd("q", i, b("m" + i));
                assertThat(waiters.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(new KeyScoredMember("q", e("m" + i, i)));
            }
            assertThat(last(entries)).isEqualTo("ZREM q m2");
            assertThat(last(entries.subList(0, entries.size() - 1))).isEqualTo("ZADD q 2.0 m2");
        } finally {
            pool.shutdownNow();
        }
    }

    private static final class CountDownLatchHolder {
        final java.util.concurrent.CountDownLatch latch = new java.util.concurrent.CountDownLatch(1);
    }

    /**
     * Waits until {@code thread} is parked in a blocking pop: waiting, and not in the command
     * lock's entry queue, so it waits on its waiter's condition.
     */
    private void awaitBlocked(Thread thread) {
        Engine engine = dictionary.engine();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!(thread.getState() == Thread.State.WAITING && !engine.lock.hasQueuedThread(thread)
                && !engine.lock.isLocked())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(thread + " never blocked");
            }
            Thread.onSpinWait();
        }
    }

    @Test
    void concurrentPoppersAndPushersLoseAndDuplicateNothing() throws Exception {
        // Four poppers block on two keys while two writers add 2,000 members; every member is popped exactly once.
        int perWriter = 1000;
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            Set<String> popped = Collections.synchronizedSet(new HashSet<>());
            List<String> duplicates = Collections.synchronizedList(new ArrayList<>());
            List<Future<?>> poppers = new ArrayList<>();
            for (int p = 0; p < 4; p++) {
                boolean max = p % 2 == 0;
                poppers.add(pool.submit(() -> {
                    while (true) {
                        KeyScoredMember got = max ? z.bzpopmax("k1", "k2")
                                : z.bzpopmin("k2", "k1");
                        String member = new String(got.member().member(), StandardCharsets.UTF_8);
                        if (member.startsWith("stop")) {
                            return null;
                        }
                        if (!popped.add(member)) {
                            duplicates.add(member);
                        }
                    }
                }));
            }
            List<CompletableFuture<Void>> writers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                String key = "k" + (w + 1);
                writers.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < perWriter; i++) {
                        z.zadd(key, i, b(key + "-" + i));
                    }
                }, pool));
            }
            CompletableFuture.allOf(writers.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (popped.size() < 2 * perWriter && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            for (int p = 0; p < 4; p++) {
                z.zadd("k1", 1e9, b("stop" + p));
            }
            for (Future<?> popper : poppers) {
                popper.get(30, TimeUnit.SECONDS);
            }
            assertThat(duplicates).isEmpty();
            assertThat(popped).hasSize(2 * perWriter);
            assertThat(dictionary.keys().exists("k1", "k2")).isZero();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void closeWakesABlockedPopper() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Thread[] thread = new Thread[1];
            CountDownLatchHolder started = new CountDownLatchHolder();
            Future<KeyScoredMember> waiter = pool.submit(() -> {
                thread[0] = Thread.currentThread();
                started.latch.countDown();
                return z.bzpopmin("never");
            });
            started.latch.await(10, TimeUnit.SECONDS);
            awaitBlocked(thread[0]);
            dictionary.close();
            assertThatThrownBy(() -> waiter.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(ClosedException.class);
        } finally {
            pool.shutdownNow();
        }
    }
}
