package dev.cairn.dictionary.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.common.ClosedException;
import dev.cairn.dictionary.ExpireCondition;
import dev.cairn.dictionary.KeyType;
import dev.cairn.dictionary.StringCommands;
import dev.cairn.dictionary.Transaction;
import dev.cairn.dictionary.Watch;
import dev.cairn.dictionary.WrongTypeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LocalDictionaryTest {
    private final ManualClock clock = new ManualClock(1_000_000);
    private final List<WriteEntry> entries = new ArrayList<>();
    private final LocalDictionary dictionary =
            new LocalDictionary(clock, DictionaryOptions.DEFAULT.withoutSweeper().withSink(entries::add));

    @AfterEach
    void close() {
        dictionary.close();
    }

    /** Every key with its type, value summary and deadline: what a rolled-back block must restore. */
    private Map<String, String> state() {
        Map<String, String> state = new TreeMap<>();
        for (String key : dictionary.keys().keys("*")) {
            KeyType type = dictionary.keys().type(key);
            String value = switch (type) {
                case STRING -> dictionary.strings().getString(key);
                case LIST -> dictionary.lists().lrange(key, 0, -1).stream()
                        .map(b -> new String(b, StandardCharsets.UTF_8)).toList().toString();
                case HASH -> new TreeMap<>(dictionary.hashes().hgetAll(key)).keySet().toString();
                default -> type.name();
            };
            state.put(key, type + " " + value + " pttl " + dictionary.keys().pttl(key));
        }
        return state;
    }

    private void populate() {
        dictionary.strings().set("s", "1");
        dictionary.strings().set("t", "2");
        dictionary.keys().pexpire("t", 5_000, ExpireCondition.ALWAYS);
        dictionary.lists().rpush("l", "a", "b", "c");
        dictionary.hashes().hset("h", "f", "v");
    }

    @Test
    void setThenGetReturnsTheValue() {
        dictionary.strings().set("a", "1");
        assertThat(dictionary.strings().getString("a")).isEqualTo("1");
        assertThat(dictionary.keys().type("a")).isEqualTo(KeyType.STRING);
        assertThat(entries).hasSize(1);
    }

    @Test
    void transactionThatThrowsLeavesNoEffect() {
        populate();
        Map<String, String> before = state();
        int entriesBefore = entries.size();
        assertThatThrownBy(() -> dictionary.transaction(tx -> {
            tx.strings().set("s", "2");
            tx.strings().set("new", "3");
            tx.keys().del("t");
            tx.keys().pexpire("s", 100, ExpireCondition.ALWAYS);
            tx.lists().lpop("l");
            tx.lists().rpush("l", "z");
            tx.hashes().hset("h", "g", "w");
            tx.keys().flush();
            tx.strings().set("after-flush", "4");
            tx.lists().lpush("l", "q");
            throw new IllegalStateException("boom");
        })).isInstanceOf(IllegalStateException.class).hasMessage("boom");
        assertThat(state()).isEqualTo(before);
        assertThat(entries).hasSize(entriesBefore);
    }

    @Test
    void failingCommandRollsBackTheBlockEvenIfTheBlockCatchesIt() {
        populate();
        Map<String, String> before = state();
        assertThatThrownBy(() -> dictionary.transaction(tx -> {
            tx.strings().set("created", "x");
            tx.keys().persist("t");
            tx.lists().rpush("l", "d");
            try {
                tx.lists().lpush("s", "wrong type");
            } catch (WrongTypeException expected) {
                // swallowed by the block: the transaction still fails
            }
            tx.strings().set("later", "y");
            return "done";
        })).isInstanceOf(WrongTypeException.class);
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void expiryInsideARolledBackTransactionIsRestored() {
        populate();
        Map<String, String> before = state();
        clock.advance(10_000);
        // "t" is expired now; a transaction that touches it and fails must not resurrect or log it.
        Map<String, String> expiredView = state();
        assertThat(expiredView).doesNotContainKey("t");
        assertThatThrownBy(() -> dictionary.transaction(tx -> {
            tx.strings().set("t", "again");
            throw new IllegalArgumentException("no");
        })).isInstanceOf(IllegalArgumentException.class);
        assertThat(state()).isEqualTo(expiredView);
        assertThat(before).containsKey("t");
    }

    @Test
    void rolledBackDeadlinesAtClockEdgesAreRestored() {
        populate();
        Map<String, String> before = state();
        assertThatThrownBy(() -> dictionary.transaction(tx -> {
            tx.keys().pexpireAt("s", Long.MAX_VALUE, ExpireCondition.ALWAYS);
            tx.keys().pexpireAt("t", 0, ExpireCondition.ALWAYS);
            tx.keys().pexpire("l", -1, ExpireCondition.ALWAYS);
            tx.keys().persist("h");
            clock.set(-5);
            tx.strings().set("neg", "v", dev.cairn.dictionary.SetArgs.DEFAULT
                    .with(dev.cairn.dictionary.Expiration.atMillis(1)));
            throw new IllegalStateException("undo");
        })).isInstanceOf(IllegalStateException.class);
        clock.set(1_000_000);
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void committedTransactionIsOneEntry() {
        dictionary.transaction(tx -> {
            tx.strings().set("a", "1");
            tx.strings().incr("n");
            return null;
        });
        assertThat(entries).hasSize(1);
        assertThat(entries.get(0).commands()).hasSize(2);
    }

    @Test
    void transactionsDoNotNestAndWatchIsRefusedInside() {
        assertThatThrownBy(() -> dictionary.transaction(tx -> dictionary.transaction(inner -> 1)))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> dictionary.transaction(tx -> dictionary.watch("a")))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void blockingPopInsideATransactionDoesNotBlock() throws Exception {
        Object popped = dictionary.transaction(tx -> {
            try {
                return Optional.ofNullable(tx.lists().blpop("empty"));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(popped).isEqualTo(Optional.empty());
    }

    // Redis's MULTI/EXEC: a failing command fails alone, the rest stays, one entry is logged.
    @Test
    void anExclusiveBlockKeepsWhatSucceededWhenACommandFailsAndIsOneEntry() {
        dictionary.strings().set("s", "text");
        entries.clear();
        String result = dictionary.exclusive(tx -> {
            tx.strings().set("a", "1");
            assertThatThrownBy(() -> tx.lists().rpush("s", "x")).isInstanceOf(WrongTypeException.class);
            tx.strings().incr("n");
            return "done";
        });
        assertThat(result).isEqualTo("done");
        assertThat(dictionary.strings().getString("a")).isEqualTo("1");
        assertThat(dictionary.strings().getString("n")).isEqualTo("1");
        assertThat(entries).hasSize(1);
        assertThat(entries.get(0).commands()).hasSize(2);
    }

    @Test
    void anExclusiveBlockThatThrowsKeepsItsEarlierEffectsDoesNotBlockAndDoesNotNest() throws Exception {
        assertThatThrownBy(() -> dictionary.exclusive(tx -> {
            tx.strings().set("a", "1");
            throw new IllegalStateException("stop");
        })).hasMessage("stop");
        assertThat(dictionary.strings().getString("a")).isEqualTo("1");
        Object popped = dictionary.exclusive(tx -> {
            try {
                return Optional.ofNullable(tx.lists().blpop("empty"));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(popped).isEqualTo(Optional.empty());
        assertThatThrownBy(() -> dictionary.exclusive(tx -> dictionary.transaction(inner -> 1)))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> dictionary.transaction(tx -> dictionary.exclusive(inner -> 1)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aWatchedExclusiveBlockRunsOnlyIfNothingChanged() {
        Watch changed = dictionary.watch("a");
        dictionary.strings().set("a", "x");
        assertThat(dictionary.exclusive(changed, tx -> tx.strings().incr("b"))).isEmpty();
        assertThat(dictionary.keys().exists("b")).isZero();
        Watch quiet = dictionary.watch("a");
        assertThat(dictionary.exclusive(quiet, tx -> tx.strings().incr("b"))).contains(1L);
    }

    @Test
    void watchAbortsWhenAKeyChanged() {
        Watch watch = dictionary.watch("a");
        dictionary.strings().set("a", "x");
        assertThat(watch.changed()).isTrue();
        Optional<String> result = dictionary.transaction(watch, tx -> {
            tx.strings().set("b", "y");
            return "ran";
        });
        assertThat(result).isEmpty();
        assertThat(dictionary.keys().exists("b")).isZero();
    }

    @Test
    void watchRunsWhenNothingChangedAndOnlyOnce() {
        dictionary.strings().set("a", "1");
        Watch watch = dictionary.watch("a", "b");
        dictionary.strings().set("other", "x");
        assertThat(dictionary.transaction(watch, tx -> tx.strings().incr("a"))).contains(2L);
        assertThatThrownBy(() -> dictionary.transaction(watch, tx -> 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void watchSeesDeleteExpiryAndFlush() {
        dictionary.strings().set("d", "1");
        dictionary.strings().set("e", "1");
        dictionary.strings().set("f", "1");
        dictionary.keys().pexpire("e", 10, ExpireCondition.ALWAYS);
        Watch deleted = dictionary.watch("d");
        Watch expired = dictionary.watch("e");
        Watch flushed = dictionary.watch("f");
        Watch untouched = dictionary.watch("absent");
        dictionary.keys().del("d");
        clock.advance(11);
        assertThat(dictionary.transaction(deleted, tx -> 1)).isEmpty();
        assertThat(dictionary.transaction(expired, tx -> 1)).isEmpty();
        dictionary.keys().flush();
        assertThat(dictionary.transaction(flushed, tx -> 1)).isEmpty();
        assertThat(dictionary.transaction(untouched, tx -> 1)).contains(1);
    }

    @Test
    void ltrimThatRemovesNothingStillTouchesTheWatchedKeyAsInRedis() {
        // Redis signals LTRIM's key whenever it exists, though nothing is logged when nothing goes.
        dictionary.lists().rpush("l", "a", "b");
        Watch watch = dictionary.watch("l");
        int logged = entries.size();
        dictionary.lists().ltrim("l", 0, -1);
        dictionary.lists().ltrim("absent", 0, -1);
        assertThat(watch.changed()).isTrue();
        assertThat(dictionary.transaction(watch, tx -> 1)).isEmpty();
        assertThat(entries).hasSize(logged);
        Watch onAbsent = dictionary.watch("absent");
        dictionary.lists().ltrim("absent", 0, -1);
        assertThat(dictionary.transaction(onAbsent, tx -> 1)).contains(1);
    }

    @Test
    void smoveIntoASetThatHasTheMemberTouchesOnlyTheSourceAsInRedis() {
        dictionary.sets().sadd("src", "m".getBytes(StandardCharsets.UTF_8), "n".getBytes(StandardCharsets.UTF_8));
        dictionary.sets().sadd("dst", "m".getBytes(StandardCharsets.UTF_8));
        Watch source = dictionary.watch("src");
        Watch destination = dictionary.watch("dst");
        assertThat(dictionary.sets().smove("src", "dst", "m".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(dictionary.sets().smembers("src")).extracting(b -> new String(b, StandardCharsets.UTF_8))
                .containsExactly("n");
        assertThat(dictionary.transaction(destination, tx -> 1)).contains(1);
        assertThat(dictionary.transaction(source, tx -> 1)).isEmpty();
        // A member new to the destination touches both.
        Watch both = dictionary.watch("src", "dst");
        Watch onlyDestination = dictionary.watch("dst");
        dictionary.sets().smove("src", "dst", "n".getBytes(StandardCharsets.UTF_8));
        assertThat(dictionary.transaction(onlyDestination, tx -> 1)).isEmpty();
        assertThat(dictionary.transaction(both, tx -> 1)).isEmpty();
    }

    @Test
    void aTransactionHandleKeptAfterItsBlockIsRefused() {
        Transaction[] kept = new Transaction[1];
        StringCommands[] view = new StringCommands[1];
        dictionary.transaction(tx -> {
            kept[0] = tx;
            view[0] = tx.strings();
            tx.strings().set("inside", "1");
            return null;
        });
        assertThatThrownBy(() -> kept[0].strings()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("transaction has ended");
        assertThatThrownBy(() -> view[0].set("outside", "1")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("transaction has ended");
        assertThatThrownBy(() -> view[0].get("inside")).isInstanceOf(IllegalStateException.class);
        assertThat(dictionary.keys().exists("outside")).isZero();
        // The same for a watched transaction's handle.
        Watch watch = dictionary.watch("w");
        dictionary.transaction(watch, tx -> {
            kept[0] = tx;
            return 1;
        });
        assertThatThrownBy(() -> kept[0].keys().del("inside")).isInstanceOf(IllegalStateException.class);
        assertThat(dictionary.strings().getString("inside")).isEqualTo("1");
    }

    @Test
    void aTransactionHandleUsedFromAnotherThreadDuringItsBlockFailsAtOnce() throws Exception {
        // Before, the other thread waited for the command lock the block holds while the block
        // waited for it: a deadlock. The timeout on get only bounds a failure of this test.
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            Throwable failure = dictionary.transaction(tx -> {
                tx.strings().set("a", "1");
                StringCommands view = tx.strings();
                Future<Throwable> attempt = other.submit(() -> {
                    try {
                        view.set("b", "2");
                        return null;
                    } catch (IllegalStateException e) {
                        return e;
                    }
                });
                Future<Throwable> viaHandle = other.submit(() -> {
                    try {
                        tx.lists();
                        return null;
                    } catch (IllegalStateException e) {
                        return e;
                    }
                });
                try {
                    assertThat(viaHandle.get(30, TimeUnit.SECONDS)).hasMessageContaining("belongs to another thread");
                    return attempt.get(30, TimeUnit.SECONDS);
                } catch (InterruptedException | ExecutionException | TimeoutException e) {
                    throw new AssertionError(e);
                }
            });
            assertThat(failure).isInstanceOf(IllegalStateException.class).hasMessageContaining("belongs to another thread");
            assertThat(dictionary.strings().getString("a")).isEqualTo("1");
            assertThat(dictionary.keys().exists("b")).isZero();
        } finally {
            other.shutdownNow();
        }
    }

    // Scenario: the test thread keeps a view from its own block, then uses it while another
    // thread's block runs (the handle is shared by all blocks): refused, and that block unharmed.
    @Test
    void aViewKeptFromAnEarlierBlockIsRefusedDuringAnotherThreadsBlock() throws Exception {
        StringCommands[] kept = new StringCommands[1];
        dictionary.transaction(tx -> {
            kept[0] = tx.strings();
            return null;
        });
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            java.util.concurrent.CountDownLatch inBlock = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch tried = new java.util.concurrent.CountDownLatch(1);
            Future<Object> block = other.submit(() -> dictionary.transaction(tx -> {
                tx.strings().set("theirs", "1");
                inBlock.countDown();
                try {
                    assertThat(tried.await(30, TimeUnit.SECONDS)).isTrue();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                return null;
            }));
            assertThat(inBlock.await(30, TimeUnit.SECONDS)).isTrue();
            assertThatThrownBy(() -> kept[0].set("mine", "1")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("belongs to another thread");
            tried.countDown();
            block.get(30, TimeUnit.SECONDS);
            assertThat(dictionary.strings().getString("theirs")).isEqualTo("1");
            assertThat(dictionary.keys().exists("mine")).isZero();
            assertThatThrownBy(() -> kept[0].set("mine", "1")).hasMessageContaining("transaction has ended");
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void aWatchThatWasUsedOrClosedCannotTellChanges() {
        Watch used = dictionary.watch("a");
        dictionary.transaction(used, tx -> 1);
        assertThatThrownBy(used::changed).isInstanceOf(IllegalStateException.class).hasMessageContaining("already used");
        Watch closed = dictionary.watch("a");
        closed.close();
        assertThatThrownBy(closed::changed).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closedWatchIsRefused() {
        Watch watch = dictionary.watch("a");
        watch.close();
        watch.close();
        assertThatThrownBy(() -> dictionary.transaction(watch, tx -> 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void callsAfterCloseThrowAndCloseIsIdempotent() {
        dictionary.close();
        assertThatThrownBy(() -> dictionary.strings().get("a")).isInstanceOf(ClosedException.class);
        assertThatThrownBy(() -> dictionary.keys().dbSize()).isInstanceOf(ClosedException.class);
        assertThatThrownBy(() -> dictionary.transaction(tx -> 1)).isInstanceOf(ClosedException.class);
        dictionary.close();
    }

    @Test
    void sweeperRemovesExpiredKeysAndStopsOnClose() {
        ManualClock shared = new ManualClock(0);
        LocalDictionary swept = new LocalDictionary(shared, new DictionaryOptions(Duration.ofMillis(1), 3, WriteSink.NONE));
        for (int i = 0; i < 20; i++) {
            swept.strings().set("k" + i, "v");
            swept.keys().pexpire("k" + i, 100 + i, ExpireCondition.ALWAYS);
        }
        swept.strings().set("stays", "v");
        shared.set(1_000);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (swept.keysWithDeadline() > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(swept.keysWithDeadline()).isZero();
        assertThat(swept.engine().keyspace.size()).isEqualTo(1);
        assertThat(swept.sweeperRunning()).isTrue();
        swept.close();
        assertThat(swept.sweeperRunning()).isFalse();
    }
}
