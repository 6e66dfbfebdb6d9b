package dev.cairn.dictionary.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.common.StorageException;
import dev.cairn.dictionary.DictionaryStats;
import dev.cairn.dictionary.Expiration;
import dev.cairn.dictionary.SetArgs;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The keyspace counters of {@link DictionaryStats}, through the Java API and a manual clock. */
class KeyspaceStatsTest {
    private final ManualClock clock = new ManualClock(10_000);
    private final LocalDictionary dictionary =
            new LocalDictionary(clock, DictionaryOptions.DEFAULT.withoutSweeper());

    @AfterEach
    void close() {
        dictionary.close();
    }

    @Test
    void readsCountHitsAndMissesWritesDoNot() {
        dictionary.strings().set("a", "1");
        dictionary.hashes().hset("h", "f", "v");
        dictionary.strings().get("a");
        dictionary.strings().get("missing");
        dictionary.strings().mget("a", "missing", "h");
        dictionary.hashes().hget("h", "f");
        dictionary.keys().exists("a", "nope");
        dictionary.strings().incr("n");
        dictionary.strings().set("a", "2");
        DictionaryStats stats = dictionary.stats();
        assertThat(stats.keyspaceHits()).isEqualTo(5);
        assertThat(stats.keyspaceMisses()).isEqualTo(3);
        assertThat(stats.keys()).isEqualTo(3);
    }

    @Test
    void keysThatExpireAreCountedOnAccessAndBySweeping() {
        dictionary.strings().set("lazy", "v", SetArgs.DEFAULT.with(Expiration.millis(100)));
        dictionary.strings().set("swept", "v", SetArgs.DEFAULT.with(Expiration.millis(200)));
        dictionary.strings().set("later", "v", SetArgs.DEFAULT.with(Expiration.millis(10_000)));
        assertThat(dictionary.stats().keysWithDeadline()).isEqualTo(3);
        assertThat(dictionary.stats().averageTtlMs()).isEqualTo((100 + 200 + 10_000) / 3);
        clock.advance(500);
        assertThat(dictionary.strings().get("lazy")).isNull();
        assertThat(dictionary.stats().keyspaceMisses()).isEqualTo(1);
        dictionary.sweepExpired();
        DictionaryStats stats = dictionary.stats();
        assertThat(stats.expiredKeys()).isEqualTo(2);
        assertThat(stats.keysWithDeadline()).isEqualTo(1);
        assertThat(stats.averageTtlMs()).isEqualTo(9_500);
        // A key overwritten or deleted before its deadline did not expire.
        dictionary.strings().set("later", "w");
        assertThat(dictionary.stats().expiredKeys()).isEqualTo(2);
        assertThat(dictionary.stats().averageTtlMs()).isZero();
    }

    @Test
    void resetStartsTheCountersFromZero() {
        dictionary.strings().set("a", "1", SetArgs.DEFAULT.with(Expiration.millis(1)));
        dictionary.strings().set("b", "1");
        dictionary.strings().get("b");
        dictionary.strings().get("c");
        clock.advance(5);
        dictionary.strings().get("a");
        dictionary.resetStats();
        DictionaryStats stats = dictionary.stats();
        assertThat(List.of(stats.keyspaceHits(), stats.keyspaceMisses(), stats.expiredKeys())).containsOnly(0L);
        dictionary.strings().get("b");
        assertThat(dictionary.stats().keyspaceHits()).isEqualTo(1);
    }

    @Test
    void deadlinesAtTheEndOfTheClockDoNotOverflowTheAverage() {
        dictionary.strings().set("a", "1", SetArgs.DEFAULT.with(Expiration.atMillis(Long.MAX_VALUE)));
        dictionary.strings().set("b", "1", SetArgs.DEFAULT.with(Expiration.atMillis(Long.MAX_VALUE)));
        assertThat(dictionary.stats().averageTtlMs()).isEqualTo(Long.MAX_VALUE - 10_000);
    }

    /** After the append-only file failed no expiry can be logged, so stats() removes nothing but answers. */
    @Test
    void statsAnswerAfterTheAppendOnlyFileFailed() {
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        WriteSink failing = new WriteSink() {
            @Override
            public void commit(WriteEntry entry) {
            }

            @Override
            public RuntimeException failure() {
                return failure.get();
            }
        };
        try (LocalDictionary d = new LocalDictionary(clock,
                DictionaryOptions.DEFAULT.withoutSweeper().withSink(failing))) {
            d.strings().set("k", "v", SetArgs.DEFAULT.with(Expiration.millis(10)));
            failure.set(new StorageException("no space left on device"));
            clock.advance(100);
            DictionaryStats stats = d.stats();
            assertThat(stats.keys()).isEqualTo(1);
            assertThat(stats.expiredKeys()).isZero();
        }
    }

    /** GETs answered without the lock, from several threads at once, are each counted once. */
    @Test
    void concurrentGetsAreCountedExactly() throws InterruptedException {
        dictionary.strings().set("present", "v");
        int threads = 4;
        int perThread = 20_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> readers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread reader = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    dictionary.strings().get(i % 2 == 0 ? "present" : "absent");
                }
            });
            reader.start();
            readers.add(reader);
        }
        start.countDown();
        for (Thread reader : readers) {
            reader.join();
        }
        DictionaryStats stats = dictionary.stats();
        assertThat(stats.keyspaceHits()).isEqualTo(threads * perThread / 2);
        assertThat(stats.keyspaceMisses()).isEqualTo(threads * perThread / 2);
    }
}
