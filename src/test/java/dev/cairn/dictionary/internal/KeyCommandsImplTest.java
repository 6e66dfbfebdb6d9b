package dev.cairn.dictionary.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.dictionary.ExpireCondition;
import dev.cairn.dictionary.Expiration;
import dev.cairn.dictionary.KeyType;
import dev.cairn.dictionary.NoSuchKeyException;
import dev.cairn.dictionary.ScanArgs;
import dev.cairn.dictionary.ScanPage;
import dev.cairn.dictionary.SetArgs;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KeyCommandsImplTest {
    private final ManualClock clock = new ManualClock(1_000_000);
    private final List<WriteEntry> entries = new ArrayList<>();
    private final LocalDictionary dictionary =
            new LocalDictionary(clock, DictionaryOptions.DEFAULT.withoutSweeper().withSink(entries::add));

    @AfterEach
    void close() {
        dictionary.close();
    }

    private static String command(WriteEntry entry) {
        List<String> words = new ArrayList<>();
        for (List<byte[]> command : entry.commands()) {
            for (byte[] arg : command) {
                words.add(new String(arg, StandardCharsets.UTF_8));
            }
        }
        return String.join(" ", words);
    }

    private Set<String> scanAll(ScanArgs args) {
        Set<String> all = new HashSet<>();
        long cursor = 0;
        do {
            ScanPage<String> page = dictionary.keys().scan(cursor, args);
            all.addAll(page.items());
            cursor = page.cursor();
        } while (cursor != 0);
        return all;
    }

    @Test
    void expireTimeRoundsDeadlinesAtTheEndOfTheRangeWithoutOverflow() {
        dictionary.strings().set("k", "v");
        dictionary.keys().pexpireAt("k", Long.MAX_VALUE - 1, ExpireCondition.ALWAYS);
        assertThat(dictionary.keys().pexpireTime("k")).isEqualTo(Long.MAX_VALUE - 1);
        assertThat(dictionary.keys().expireTime("k")).isEqualTo(9_223_372_036_854_776L);
        assertThat(dictionary.keys().ttl("k")).isEqualTo((Long.MAX_VALUE - 1 - clock.millis() + 500) / 1000);
        dictionary.keys().pexpireAt("k", 9_223_372_036_854_775_307L, ExpireCondition.ALWAYS);
        assertThat(dictionary.keys().expireTime("k")).isEqualTo(9_223_372_036_854_775L);
        dictionary.strings().set("k", "v", SetArgs.DEFAULT.with(Expiration.atMillis(2_000_499)));
        assertThat(dictionary.keys().expireTime("k")).isEqualTo(2_000);
        dictionary.keys().pexpireAt("k", 2_000_500, ExpireCondition.ALWAYS);
        assertThat(dictionary.keys().expireTime("k")).isEqualTo(2_001);
    }

    @Test
    void keysAndScanMatchPatternsByTheirBytesAsRedis() {
        // Keys are ASCII, patterns need not be. Redis 7: KEYS [a-π] is the byte range from 'a' to
        // 0xCF, which compares as signed (-49), so it spans -49..'a': "A" matches, "b" does not.
        dictionary.strings().set("A", "1");
        dictionary.strings().set("b", "1");
        assertThat(dictionary.keys().keys("[a-π]")).containsExactly("A");
        assertThat(scanAll(ScanArgs.DEFAULT.match("[a-π]"))).containsExactly("A");
        assertThat(dictionary.keys().keys("[^π]")).containsExactlyInAnyOrder("A", "b");
    }

    @Test
    void expiredKeysAreInvisibleToEveryCommand() {
        dictionary.strings().set("gone", "1");
        dictionary.strings().set("kept", "2");
        dictionary.keys().pexpire("gone", 50, ExpireCondition.ALWAYS);
        clock.advance(50);
        assertThat(dictionary.keys().pttl("gone")).as("alive at its deadline, as in Redis").isZero();
        clock.advance(1);
        assertThat(dictionary.keys().keys("*")).containsExactly("kept");
        assertThat(scanAll(ScanArgs.DEFAULT)).containsExactly("kept");
        assertThat(dictionary.keys().exists("gone")).isZero();
        assertThat(dictionary.keys().type("gone")).isEqualTo(KeyType.NONE);
        for (int i = 0; i < 20; i++) {
            assertThat(dictionary.keys().randomKey()).isEqualTo("kept");
        }
        assertThat(dictionary.keys().dbSize()).isEqualTo(1);
        assertThat(dictionary.strings().get("gone")).isNull();
        assertThat(dictionary.keys().ttl("gone")).isEqualTo(-2);
    }

    @Test
    void lazyExpiryIsLoggedAsDel() {
        dictionary.strings().set("k", "v", SetArgs.DEFAULT.with(Expiration.millis(10)));
        assertThat(command(entries.get(0))).isEqualTo("SET k v PXAT 1000010");
        clock.advance(11);
        assertThat(dictionary.strings().get("k")).isNull();
        assertThat(command(entries.get(entries.size() - 1))).isEqualTo("DEL k");
    }

    @Test
    void relativeExpiryIsLoggedAsAbsolute() {
        dictionary.strings().set("k", "v");
        dictionary.keys().expire("k", 5);
        assertThat(command(entries.get(1))).isEqualTo("PEXPIREAT k 1005000");
        dictionary.keys().expire("k", -1);
        assertThat(command(entries.get(2))).isEqualTo("DEL k");
    }

    @Test
    void clockEdgesZeroNegativeAndHuge() {
        dictionary.strings().set("k", "v");
        assertThat(dictionary.keys().pexpireAt("k", Long.MAX_VALUE, ExpireCondition.ALWAYS)).isTrue();
        assertThat(dictionary.keys().pexpireTime("k")).isEqualTo(Long.MAX_VALUE);
        clock.set(Long.MAX_VALUE - 1);
        assertThat(dictionary.keys().pttl("k")).isEqualTo(1);
        clock.set(Long.MAX_VALUE);
        assertThat(dictionary.keys().pttl("k")).as("a key lives through its deadline's millisecond").isZero();

        clock.set(0);
        dictionary.strings().set("z", "v");
        assertThat(dictionary.keys().pexpireAt("z", 0, ExpireCondition.ALWAYS)).isTrue();
        assertThat(dictionary.keys().exists("z")).isZero();

        dictionary.strings().set("n", "v");
        assertThat(dictionary.keys().pexpire("n", -5, ExpireCondition.ALWAYS)).isTrue();
        assertThat(dictionary.keys().exists("n")).isZero();

        dictionary.strings().set("o", "v");
        assertThatThrownBy(() -> dictionary.keys().expire("o", Long.MAX_VALUE / 10)).isInstanceOf(IllegalArgumentException.class);
        clock.set(1000);
        assertThatThrownBy(() -> dictionary.keys().pexpire("o", Long.MAX_VALUE, ExpireCondition.ALWAYS))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(dictionary.keys().pttl("o")).isEqualTo(-1);
    }

    @Test
    void clockGoingBackwardsRevivesNothingDeletedAndDelaysTheRest() {
        dictionary.strings().set("a", "1");
        dictionary.strings().set("b", "1");
        dictionary.keys().pexpire("a", 100, ExpireCondition.ALWAYS);
        dictionary.keys().pexpire("b", 200, ExpireCondition.ALWAYS);
        clock.advance(150);
        assertThat(dictionary.keys().exists("a", "b")).isEqualTo(1);
        clock.advance(-1000);
        assertThat(dictionary.keys().exists("a", "b")).isEqualTo(1);
        assertThat(dictionary.keys().pttl("b")).isEqualTo(1050);
        clock.advance(1051);
        assertThat(dictionary.keys().exists("b")).isZero();
    }

    @Test
    void expireConditionsFollowRedis() {
        dictionary.strings().set("k", "v");
        assertThat(dictionary.keys().pexpire("k", 1000, ExpireCondition.XX)).isFalse();
        assertThat(dictionary.keys().pexpire("k", 1000, ExpireCondition.GT)).isFalse();
        assertThat(dictionary.keys().pexpire("k", 1000, ExpireCondition.LT)).isTrue();
        assertThat(dictionary.keys().pexpire("k", 500, ExpireCondition.NX)).isFalse();
        assertThat(dictionary.keys().pexpire("k", 500, ExpireCondition.GT)).isFalse();
        assertThat(dictionary.keys().pexpire("k", 2000, ExpireCondition.GT)).isTrue();
        assertThat(dictionary.keys().pexpire("k", 3000, ExpireCondition.LT)).isFalse();
        assertThat(dictionary.keys().pttl("k")).isEqualTo(2000);
        assertThat(dictionary.keys().persist("k")).isTrue();
        assertThat(dictionary.keys().persist("k")).isFalse();
        assertThat(dictionary.keys().expire("missing", 10)).isFalse();
    }

    @Test
    void renameMovesValueAndDeadline() {
        dictionary.strings().set("a", "1");
        dictionary.keys().pexpire("a", 700, ExpireCondition.ALWAYS);
        dictionary.lists().rpush("b", "x");
        dictionary.keys().rename("a", "b");
        assertThat(dictionary.strings().getString("b")).isEqualTo("1");
        assertThat(dictionary.keys().pttl("b")).isEqualTo(700);
        assertThat(dictionary.keys().exists("a")).isZero();
        assertThatThrownBy(() -> dictionary.keys().rename("a", "c")).isInstanceOf(NoSuchKeyException.class);
        dictionary.strings().set("c", "2");
        assertThat(dictionary.keys().renameNx("b", "c")).isFalse();
        assertThat(dictionary.keys().renameNx("b", "b")).isFalse();
        dictionary.keys().rename("b", "b");
        assertThat(dictionary.strings().getString("b")).isEqualTo("1");
    }

    @Test
    void scanFiltersByTypeAndPatternAndSurvivesGrowth() {
        for (int i = 0; i < 100; i++) {
            dictionary.strings().set("s" + i, "v");
            dictionary.lists().rpush("l" + i, "v");
        }
        assertThat(scanAll(ScanArgs.DEFAULT.type(KeyType.LIST))).hasSize(100).allMatch(k -> k.startsWith("l"));
        assertThat(scanAll(ScanArgs.DEFAULT.match("s1?"))).hasSize(10);

        Set<String> seen = new HashSet<>();
        long cursor = 0;
        int added = 0;
        do {
            ScanPage<String> page = dictionary.keys().scan(cursor, ScanArgs.DEFAULT.count(5));
            seen.addAll(page.items());
            cursor = page.cursor();
            for (int i = 0; i < 50 && added < 3000; i++) {
                dictionary.strings().set("new" + added++, "v");
            }
        } while (cursor != 0);
        for (int i = 0; i < 100; i++) {
            assertThat(seen).contains("s" + i, "l" + i);
        }
    }

    @Test
    void flushRemovesEverythingAndRandomKeyOfEmptyIsNull() {
        dictionary.strings().set("a", "1");
        dictionary.keys().flush();
        assertThat(dictionary.keys().dbSize()).isZero();
        assertThat(dictionary.keys().randomKey()).isNull();
    }

    @Test
    void copyIsIndependentOfTheOriginalAndKeepsItsDeadline() {
        dictionary.lists().rpush("src", "a", "b");
        dictionary.keys().pexpireAt("src", 5_000_000, ExpireCondition.ALWAYS);
        dictionary.strings().set("dst", "old");
        assertThat(dictionary.keys().copy("src", "dst", false)).isFalse();
        assertThat(dictionary.keys().copy("src", "dst", true)).isTrue();
        dictionary.lists().rpush("dst", "c");
        assertThat(dictionary.lists().llen("src")).isEqualTo(2);
        assertThat(dictionary.lists().llen("dst")).isEqualTo(3);
        assertThat(dictionary.keys().pexpireTime("dst")).isEqualTo(5_000_000);
        assertThat(dictionary.keys().copy("missing", "dst", true)).isFalse();
        assertThatThrownBy(() -> dictionary.keys().copy("src", "src", true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("source and destination objects are the same");
    }

    @Test
    void aFailedTransactionUndoesACopy() {
        dictionary.hashes().hset("src", "f", "v".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> dictionary.transaction(tx -> {
            tx.keys().copy("src", "dst", false);
            return tx.keys().copy("src", "src", false);
        })).isInstanceOf(IllegalArgumentException.class);
        assertThat(dictionary.keys().exists("dst")).isZero();
    }

    @Test
    void aDictionaryReopenedFromItsFileHoldsItsCopies() {
        try (ReplayedDictionary replayed = new ReplayedDictionary(clock)) {
            LocalDictionary live = replayed.dictionary();
            live.sortedSets().zadd("z", 1.5, "m");
            live.keys().pexpireAt("z", 9_000_000, ExpireCondition.ALWAYS);
            live.strings().set("d", "x");
            live.keys().copy("z", "d", true);
            live.sortedSets().zadd("d", 2.5, "n");
            live.sets().sadd("s", "a");
            live.keys().copy("s", "t", false);
            replayed.assertReplayRebuildsTheSameState("copies");
        }
    }
}
