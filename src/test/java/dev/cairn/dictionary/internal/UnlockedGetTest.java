package dev.cairn.dictionary.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.dictionary.ExpireCondition;
import dev.cairn.dictionary.WrongTypeException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * GET reads without the command lock and validates afterwards (Engine, "Reads without the lock").
 * These tests race readers against the writes that could fool an unvalidated read: resizes that
 * rehash the chain a reader walks, a transaction's intermediate and rolled-back values, and
 * deadlines. Each would fail if the reader trusted what it read without the version check.
 */
class UnlockedGetTest {
    private final ManualClock clock = new ManualClock(1_000_000);
    private final List<WriteEntry> entries = new ArrayList<>();
    private final LocalDictionary dictionary =
            new LocalDictionary(clock, DictionaryOptions.DEFAULT.withoutSweeper().withSink(entries::add));
    private final ExecutorService threads = Executors.newFixedThreadPool(4);

    @AfterEach
    void close() throws InterruptedException {
        dictionary.close();
        threads.shutdownNow();
        assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private static long number(byte[] value) {
        return Long.parseLong(new String(value, StandardCharsets.US_ASCII));
    }

    // While one thread grows the table from 16 buckets to thousands and shrinks it back, over and
    // over, and bumps the stable keys' counters, readers must find every stable key on every GET,
    // and never see a key's counter go backwards.
    @Test
    void stableKeysAreNeverMissedAndNeverGoBackWhileTheTableResizes() throws Exception {
        int stable = 64;
        for (int i = 0; i < stable; i++) {
            dictionary.strings().set("stable" + i, "0");
        }
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong reads = new AtomicLong();
        List<Future<?>> readers = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            int offset = r;
            readers.add(threads.submit(() -> {
                long[] seen = new long[stable];
                for (int n = offset; !done.get(); n++) {
                    int i = n % stable;
                    byte[] value = dictionary.strings().get("stable" + i);
                    assertThat(value).as("stable%d after %d reads", i, reads.get()).isNotNull();
                    long counter = number(value);
                    assertThat(counter).as("stable%d", i).isGreaterThanOrEqualTo(seen[i]);
                    seen[i] = counter;
                    reads.incrementAndGet();
                }
                return null;
            }));
        }
        try {
            for (int round = 1; round <= 12; round++) {
                for (int k = 0; k < 5_000; k++) {
                    dictionary.strings().set("churn" + k, "x");
                    if (k % 100 == 0) {
                        dictionary.strings().set("stable" + (k / 100 % stable), Long.toString(round * 100L + k / 100));
                    }
                }
                for (int k = 0; k < 5_000; k++) {
                    dictionary.keys().del("churn" + k);
                }
            }
        } finally {
            done.set(true);
        }
        for (Future<?> reader : readers) {
            reader.get(1, TimeUnit.MINUTES);
        }
        assertThat(reads.get()).isPositive();
    }

    // A transaction writes an intermediate value, then either its final value or throws: readers
    // may see only the values of committed transactions, never the intermediate or rolled-back ones.
    @Test
    void readersNeverSeeATransactionsIntermediateOrRolledBackValues() throws Exception {
        dictionary.strings().set("k", "0");
        AtomicBoolean done = new AtomicBoolean();
        List<Future<?>> readers = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            readers.add(threads.submit(() -> {
                long last = 0;
                while (!done.get()) {
                    long value = number(dictionary.strings().get("k"));
                    assertThat(value).as("committed values are even and never go back").isEven()
                            .isGreaterThanOrEqualTo(last);
                    last = value;
                }
                return null;
            }));
        }
        try {
            for (long i = 1; i <= 20_000; i++) {
                long next = 2 * i;
                boolean rollBack = i % 3 == 0;
                try {
                    dictionary.transaction(tx -> {
                        tx.strings().set("k", Long.toString(next - 1));
                        tx.strings().set("churn" + next, "x");
                        if (rollBack) {
                            tx.strings().set("k", "-1");
                            throw new IllegalStateException("roll back");
                        }
                        tx.strings().set("k", Long.toString(next));
                        return null;
                    });
                } catch (IllegalStateException expected) {
                    // the block is undone
                }
            }
        } finally {
            done.set(true);
        }
        for (Future<?> reader : readers) {
            reader.get(1, TimeUnit.MINUTES);
        }
    }

    @Test
    void anExpiredKeyIsDeletedAndLoggedByGet() {
        dictionary.strings().set("k", "v");
        dictionary.keys().pexpire("k", 10, ExpireCondition.ALWAYS);
        assertThat(dictionary.strings().getString("k")).isEqualTo("v");
        int before = entries.size();
        clock.advance(11);
        assertThat(dictionary.strings().get("k")).isNull();
        assertThat(entries).hasSize(before + 1);
        assertThat(dictionary.keys().exists("k")).isZero();
    }

    @Test
    void anotherTypeStillFailsWithWrongType() {
        dictionary.lists().rpush("l", "x");
        assertThatThrownBy(() -> dictionary.strings().get("l")).isInstanceOf(WrongTypeException.class);
    }

    // "Aa" and "BB" have the same String hash, so these keys share one chain, longer than the
    // unlocked walk goes: GET must still find every one (through the locked read).
    @Test
    void keysDeepInALongCollisionChainAreFound() {
        List<String> colliding = new ArrayList<>();
        for (int bits = 0; bits < 64; bits++) {
            StringBuilder key = new StringBuilder();
            for (int b = 0; b < 6; b++) {
                key.append((bits >> b & 1) == 0 ? "Aa" : "BB");
            }
            colliding.add(key.toString());
        }
        assertThat(colliding.stream().mapToInt(String::hashCode).distinct()).hasSize(1);
        for (String key : colliding) {
            dictionary.strings().set(key, key);
        }
        for (String key : colliding) {
            assertThat(dictionary.strings().getString(key)).isEqualTo(key);
        }
        assertThat(dictionary.strings().get("AaAaAaAaAaAb")).isNull();
    }

    @Test
    void findUnlockedGivesUpPastItsBoundInsteadOfLooping() {
        StringTable<Object> table = new StringTable<>();
        Node<Object> first = new Node<>("a", "1");
        Node<Object> second = new Node<>("b", "2");
        table.insert(first);
        // A cycle, as a reader racing a rehash can see one.
        first.next = second;
        second.next = first;
        String absentInSameBucket = null;
        for (int i = 0; absentInSameBucket == null; i++) {
            String candidate = "z" + i;
            if (table.bucketOf(candidate) == table.bucketOf("a")) {
                absentInSameBucket = candidate;
            }
        }
        assertThat(table.findUnlocked(absentInSameBucket)).isSameAs(StringTable.GAVE_UP);
    }

    // The keyspace switches to the seeded hash while readers walk it: each round flushes and
    // re-creates the stable keys in one transaction (a fresh keyspace, on the fast hash), then
    // floods it with colliding keys until it switches. Stable keys, colliding ones among them
    // (in the chain being rehashed), must be found by every GET, before, during and after.
    @Test
    void stableKeysAreNeverMissedWhileTheKeyspaceSwitchesToTheSeededHash() throws Exception {
        List<String> colliding = CollidingKeys.strings("k", 10, 1024);
        // Fewer colliding stable keys than the bound, so that plain keys sharing their bucket
        // cannot make the switch happen before the flood.
        List<String> stable = new ArrayList<>(colliding.subList(0, 8));
        for (int i = 0; i < 16; i++) {
            stable.add("plain" + i);
        }
        List<String> flood = colliding.subList(8, colliding.size());
        dictionary.transaction(tx -> {
            stable.forEach(key -> tx.strings().set(key, key));
            return null;
        });
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong reads = new AtomicLong();
        List<Future<?>> readers = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            int offset = r;
            readers.add(threads.submit(() -> {
                for (int n = offset; !done.get(); n++) {
                    String key = stable.get(n % stable.size());
                    assertThat(dictionary.strings().getString(key)).as("%s after %d reads", key, reads.get())
                            .isEqualTo(key);
                    reads.incrementAndGet();
                }
                return null;
            }));
        }
        try {
            for (int round = 0; round < 30; round++) {
                dictionary.transaction(tx -> {
                    tx.keys().flush();
                    stable.forEach(key -> tx.strings().set(key, key));
                    return null;
                });
                assertThat(dictionary.engine().keyspace.table.seeded()).as("round %d", round).isFalse();
                for (String key : flood) {
                    dictionary.strings().set(key, "x");
                }
                assertThat(dictionary.engine().keyspace.table.seeded()).as("round %d", round).isTrue();
            }
        } finally {
            done.set(true);
        }
        for (Future<?> reader : readers) {
            reader.get(1, TimeUnit.MINUTES);
        }
        assertThat(reads.get()).isPositive();
    }
}
