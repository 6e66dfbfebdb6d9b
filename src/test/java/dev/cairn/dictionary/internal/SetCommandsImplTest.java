package dev.cairn.dictionary.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.dictionary.KeyType;
import dev.cairn.dictionary.ScanArgs;
import dev.cairn.dictionary.ScanPage;
import dev.cairn.dictionary.SetCommands;
import dev.cairn.dictionary.WrongTypeException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SetCommandsImplTest {
    private final List<WriteEntry> entries = new ArrayList<>();
    private final LocalDictionary dictionary = new LocalDictionary(new ManualClock(1_000_000),
            DictionaryOptions.DEFAULT.withoutSweeper().withSink(entries::add));
    private final SetCommands sets = dictionary.sets();

    @AfterEach
    void close() {
        dictionary.close();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> text(List<byte[]> members) {
        List<String> out = new ArrayList<>();
        for (byte[] m : members) {
            out.add(new String(m, StandardCharsets.UTF_8));
        }
        out.sort(null);
        return out;
    }

    private static List<String> commands(WriteEntry entry) {
        List<String> out = new ArrayList<>();
        for (List<byte[]> command : entry.commands()) {
            List<String> words = new ArrayList<>();
            command.forEach(arg -> words.add(new String(arg, StandardCharsets.UTF_8)));
            out.add(String.join(" ", words));
        }
        return out;
    }

    @Test
    void addRemoveAndMembership() {
        assertThat(sets.sadd("s", b("a"), b("b"), b("a"))).isEqualTo(2);
        assertThat(sets.sadd("s", b("b"), b("c"))).isEqualTo(1);
        assertThat(text(sets.smembers("s"))).containsExactly("a", "b", "c");
        assertThat(sets.sismember("s", b("a"))).isTrue();
        assertThat(sets.smismember("s", b("a"), b("z"))).containsExactly(true, false);
        assertThat(sets.scard("s")).isEqualTo(3);
        assertThat(sets.srem("s", b("a"), b("z"))).isEqualTo(1);
        assertThat(sets.srem("missing", b("a"))).isZero();
        assertThat(commands(entries.get(0))).containsExactly("SADD s a b");
        assertThat(commands(entries.get(entries.size() - 1))).containsExactly("SREM s a");
    }

    @Test
    void anEmptiedSetDisappears() {
        sets.sadd("s", b("a"));
        sets.srem("s", b("a"));
        assertThat(dictionary.keys().exists("s")).isZero();
        sets.sadd("p", b("x"), b("y"));
        assertThat(sets.spop("p", 5)).hasSize(2);
        assertThat(dictionary.keys().exists("p")).isZero();
        assertThat(sets.spop("p")).isNull();
    }

    @Test
    void wrongTypeThrowsAndChangesNothing() {
        dictionary.strings().set("k", b("v"));
        int before = entries.size();
        assertThatThrownBy(() -> sets.sadd("k", b("a"))).isInstanceOf(WrongTypeException.class);
        assertThatThrownBy(() -> sets.smembers("k")).isInstanceOf(WrongTypeException.class);
        assertThatThrownBy(() -> sets.sinter("k", "other")).isInstanceOf(WrongTypeException.class);
        sets.sadd("s", b("a"));
        assertThatThrownBy(() -> sets.smove("s", "k", b("a"))).isInstanceOf(WrongTypeException.class);
        assertThat(sets.sismember("s", b("a"))).isTrue();
        assertThat(dictionary.strings().get("k")).isEqualTo(b("v"));
        assertThat(entries).hasSize(before + 1);
    }

    @Test
    void spopIsLoggedAsTheRemovalOfTheChosenMembers() {
        sets.sadd("s", b("a"), b("b"), b("c"), b("d"));
        List<byte[]> popped = sets.spop("s", 2);
        List<String> expected = new ArrayList<>();
        expected.add("SREM s " + new String(popped.get(0), StandardCharsets.UTF_8) + " "
                + new String(popped.get(1), StandardCharsets.UTF_8));
        assertThat(commands(entries.get(entries.size() - 1))).isEqualTo(expected);
        assertThat(sets.scard("s")).isEqualTo(2);
        assertThatThrownBy(() -> sets.spop("s", -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void srandmemberCountsFollowRedis() {
        sets.sadd("s", b("a"), b("b"), b("c"));
        assertThat(sets.srandmember("s", 2)).hasSize(2).doesNotHaveDuplicates();
        assertThat(text(sets.srandmember("s", 10))).containsExactly("a", "b", "c");
        assertThat(sets.srandmember("s", -7)).hasSize(7);
        assertThat(sets.srandmember("s", 0)).isEmpty();
        assertThat(sets.srandmember("missing", -3)).isEmpty();
        assertThatThrownBy(() -> sets.srandmember("s", Long.MIN_VALUE)).isInstanceOf(IllegalArgumentException.class);
        assertThat(sets.scard("s")).isEqualTo(3);
    }

    @Test
    void smoveMovesAndCreates() {
        sets.sadd("a", b("x"), b("y"));
        assertThat(sets.smove("a", "b", b("x"))).isTrue();
        assertThat(sets.smove("a", "b", b("zz"))).isFalse();
        assertThat(sets.smove("a", "a", b("y"))).isTrue();
        assertThat(sets.smove("a", "b", b("y"))).isTrue();
        assertThat(dictionary.keys().exists("a")).isZero();
        assertThat(text(sets.smembers("b"))).containsExactly("x", "y");
        dictionary.strings().set("str", b("v"));
        assertThat(sets.smove("missing", "str", b("x"))).isFalse();
    }

    @Test
    void algebraAndStoreForms() {
        sets.sadd("a", b("1"), b("2"), b("3"));
        sets.sadd("b", b("2"), b("3"), b("4"));
        assertThat(text(sets.sinter("a", "b"))).containsExactly("2", "3");
        assertThat(text(sets.sunion("a", "b"))).containsExactly("1", "2", "3", "4");
        assertThat(text(sets.sdiff("a", "b"))).containsExactly("1");
        assertThat(sets.sinter("a", "missing")).isEmpty();
        assertThat(sets.sintercard(0, "a", "b")).isEqualTo(2);
        assertThat(sets.sintercard(1, "a", "b")).isEqualTo(1);
        dictionary.strings().set("dst", b("v"));
        dictionary.keys().pexpire("dst", 100_000, dev.cairn.dictionary.ExpireCondition.ALWAYS);
        assertThat(sets.sunionstore("dst", "a", "b")).isEqualTo(4);
        assertThat(dictionary.keys().type("dst")).isEqualTo(KeyType.SET);
        assertThat(dictionary.keys().pttl("dst")).isEqualTo(-1);
        assertThat(sets.sinterstore("dst", "a", "missing")).isZero();
        assertThat(dictionary.keys().exists("dst")).isZero();
        assertThat(sets.sdiffstore("a", "a", "b")).isEqualTo(1);
        assertThat(text(sets.smembers("a"))).containsExactly("1");
        assertThatThrownBy(() -> sets.sintercard(-1, "a")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void transactionRollsBackSetWrites() {
        sets.sadd("s", b("a"), b("b"));
        assertThatThrownBy(() -> dictionary.transaction(tx -> {
            tx.sets().sadd("s", b("c"));
            tx.sets().spop("s", 3);
            tx.sets().sadd("t", b("new"));
            throw new IllegalStateException("abort");
        })).hasMessage("abort");
        assertThat(text(sets.smembers("s"))).containsExactly("a", "b");
        assertThat(dictionary.keys().exists("t")).isZero();
    }

    @Test
    void membersAreCopiedInAndOut() {
        byte[] member = b("a");
        sets.sadd("s", member);
        member[0] = 'z';
        List<byte[]> out = sets.smembers("s");
        out.get(0)[0] = 'q';
        assertThat(text(sets.smembers("s"))).containsExactly("a");
    }

    @Test
    void sscanReturnsEveryMemberWithMatch() {
        for (int i = 0; i < 500; i++) {
            sets.sadd("s", b("m" + i));
        }
        Set<String> seen = new HashSet<>();
        long cursor = 0;
        do {
            ScanPage<byte[]> page = sets.sscan("s", cursor, ScanArgs.DEFAULT.match("m1*").count(20));
            page.items().forEach(m -> seen.add(new String(m, StandardCharsets.UTF_8)));
            cursor = page.cursor();
        } while (cursor != 0);
        assertThat(seen).hasSize(111).allMatch(m -> m.startsWith("m1"));
        assertThat(sets.sscan("missing", 0).items()).isEmpty();
        assertThatThrownBy(() -> sets.sscan("s", 0, ScanArgs.DEFAULT.type(KeyType.SET)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
