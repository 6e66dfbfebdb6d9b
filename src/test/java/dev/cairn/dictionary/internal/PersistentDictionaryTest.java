package dev.cairn.dictionary.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.common.Durability;
import dev.cairn.dictionary.BinaryKeys;
import dev.cairn.dictionary.Dictionary;
import dev.cairn.dictionary.DictionaryStats;
import dev.cairn.dictionary.Expiration;
import dev.cairn.dictionary.ListEnd;
import dev.cairn.dictionary.ListInsert;
import dev.cairn.dictionary.SetArgs;
import dev.cairn.dictionary.SnapshotRules;
import dev.cairn.dictionary.WrongTypeException;
import dev.cairn.dictionary.persistence.SnapshotReader;
import dev.cairn.storage.Storage;
import dev.cairn.storage.fs.MemoryFileSystem;
import dev.cairn.storage.segment.SegmentedFileOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PersistentDictionaryTest {
    private static final Path ROOT = Path.of("/data");
    private static final Path DIR = ROOT.resolve("dictionary");
    private static final SegmentedFileOptions FILES = SegmentedFileOptions.defaults(".aof")
            .withSegmentBytes(64 * 1024).withDurability(Durability.ALWAYS);

    private final MemoryFileSystem memory = new MemoryFileSystem();
    private final ManualClock clock = new ManualClock(1_000_000);
    private Storage storage = Storage.open(memory, ROOT, 1000);
    private final List<LocalDictionary> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(LocalDictionary::close);
        storage.close();
    }

    private LocalDictionary open() {
        LocalDictionary d = LocalDictionary.open(storage, DIR, clock, DictionaryOptions.DEFAULT.withoutSweeper(), FILES,
                SnapshotRules.ON_DEMAND);
        opened.add(d);
        return d;
    }

    private LocalDictionary reopen(LocalDictionary d) {
        d.close();
        return open();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Writes some of every type, through every kind of logged command. */
    private static void writeEverything(Dictionary d, Random random, int rounds) {
        for (int i = 0; i < rounds; i++) {
            String n = Integer.toString(random.nextInt(20));
            switch (random.nextInt(16)) {
                case 0 -> d.strings().set("s" + n, b("v" + i));
                case 1 -> d.strings().incrBy("counter" + n, random.nextInt(100) - 50);
                case 2 -> d.strings().append("s" + n, b("+" + i));
                case 3 -> d.hashes().hset("h" + n, "f" + random.nextInt(5), b("x" + i));
                case 4 -> d.hashes().hincrBy("h" + n, "count", 3);
                case 5 -> d.lists().rpush("l" + n, b("r" + i), b("s" + i));
                case 6 -> d.lists().lpush("l" + n, b("l" + i));
                case 7 -> d.lists().lpop("l" + n);
                case 8 -> d.sets().sadd("set" + n, b("m" + random.nextInt(10)));
                case 9 -> d.sets().srem("set" + n, b("m" + random.nextInt(10)));
                case 10 -> d.sortedSets().zadd("z" + n, random.nextInt(1000) / 7.0, b("m" + random.nextInt(10)));
                case 11 -> d.sortedSets().zrem("z" + n, b("m" + random.nextInt(10)));
                case 12 -> d.keys().del("s" + n);
                case 13 -> d.strings().set("t" + n, b("ttl"), SetArgs.DEFAULT.with(Expiration.millis(1_000_000)));
                case 14 -> d.lists().lmove("l" + n, "l" + random.nextInt(20), ListEnd.LEFT, ListEnd.RIGHT);
                default -> d.transaction(tx -> {
                    tx.strings().incrBy("tx-a", 1);
                    tx.strings().incrBy("tx-b", -1);
                    return null;
                });
            }
        }
    }

    @Test
    void everyTypeSurvivesARestartThroughTheAppendOnlyFile() {
        LocalDictionary d = open();
        writeEverything(d, new Random(1), 3000);
        Map<String, String> before = DictionaryDump.of(d);
        LocalDictionary again = reopen(d);
        assertThat(DictionaryDump.of(again)).isEqualTo(before);
        assertThat(again.stats().entriesReplayed()).isGreaterThan(2000);
        assertThat(again.stats().snapshotKeysLoaded()).isZero();
    }

    @Test
    void aSnapshotPlusTheEntriesAfterItRebuildTheSameState() {
        LocalDictionary d = open();
        Random random = new Random(2);
        writeEverything(d, random, 2000);
        d.snapshot();
        DictionaryStats afterSnapshot = d.stats();
        assertThat(afterSnapshot.snapshotsCompleted()).isEqualTo(1);
        writeEverything(d, random, 500);
        Map<String, String> before = DictionaryDump.of(d);
        LocalDictionary again = reopen(d);
        assertThat(DictionaryDump.of(again)).isEqualTo(before);
        assertThat(again.stats().snapshotKeysLoaded()).isPositive();
        assertThat(again.stats().entriesReplayed()).isBetween(1L, 500L);
    }

    // Keys and hash fields of any bytes: text, control characters and malformed UTF-8, written
    // before and after a snapshot, are the same keys after a restart (snapshots once wrote keys as
    // ASCII, turning every other character into '?').
    @Test
    void binaryAndNonAsciiKeysAndFieldsSurviveSnapshotsAndReplay() {
        LocalDictionary d = open();
        String text = "caf\u00e9 \ud83d\ude00\n";
        String binary = BinaryKeys.fromBytes(new byte[] {(byte) 0xFF, 0, (byte) 0xC3, (byte) 0x28, '\r'});
        d.strings().set(text, b("one"));
        d.hashes().hset(binary, Map.of(text, b("field"), binary, b("other")));
        d.snapshot();
        d.lists().rpush(binary + "list", b("x"));
        d.sets().sadd(text + "set", b("y"));
        Map<String, String> before = DictionaryDump.of(d);
        LocalDictionary again = reopen(d);
        assertThat(DictionaryDump.of(again)).isEqualTo(before);
        assertThat(again.strings().getString(text)).isEqualTo("one");
        assertThat(again.hashes().hget(binary, binary)).isEqualTo(b("other"));
        assertThat(again.keys().keys("*")).containsExactlyInAnyOrder(text, binary, binary + "list", text + "set");
    }

    @Test
    void eachWriteCommandLoggedUnderItsOwnNameReplaysToTheSameState() {
        // One of each command whose logged form the recovery tests above do not write, each where
        // it changes something, so a wrong argument in its replay would show in the reopened state.
        LocalDictionary d = open();
        d.strings().set("doomed", b("gone after FLUSHALL"));
        d.keys().flush();
        Map<String, byte[]> pairs = new java.util.LinkedHashMap<>();
        pairs.put("m1", b("one"));
        pairs.put("m2", b("two"));
        pairs.put("m3", b("three"));
        d.strings().mset(pairs);
        d.keys().rename("m1", "renamed");
        assertThat(d.keys().renameNx("m2", "renamedNx")).isTrue();
        d.strings().setRange("renamed", 5, b("xyz"));
        d.hashes().hset("h", Map.of("f1", b("1"), "f2", b("2"), "f3", b("3")));
        d.hashes().hdel("h", "f2", "absent");
        d.lists().rpush("l", b("a"), b("b"), b("c"), b("b"), b("d"), b("e"), b("f"), b("g"));
        d.lists().rpop("l");
        d.lists().rpop("l", 2);
        d.lists().lset("l", 1, b("B"));
        d.lists().linsert("l", ListInsert.AFTER, b("c"), b("c2"));
        d.lists().linsert("l", ListInsert.BEFORE, b("a"), b("a0"));
        d.lists().lrem("l", -1, b("b"));
        d.lists().ltrim("l", 1, -2);
        d.sets().sadd("s1", b("x"), b("y"));
        d.sets().sadd("s2", b("y"));
        d.sets().smove("s1", "s2", b("x"));
        d.sets().smove("s1", "s2", b("y"));
        Map<String, String> before = DictionaryDump.of(d);
        assertThat(before).containsOnlyKeys("renamed", "renamedNx", "m3", "h", "l", "s2");
        assertThat(before.get("l")).endsWith("[a, B, c, c2]");
        LocalDictionary again = reopen(d);
        assertThat(DictionaryDump.of(again)).isEqualTo(before);
    }

    @Test
    void aFailedTransactionLeavesNothingInTheFile() {
        LocalDictionary d = open();
        d.strings().set("k", b("1"));
        d.lists().rpush("list", b("x"));
        assertThatThrownBy(() -> d.transaction(tx -> {
            tx.strings().set("k", b("2"));
            tx.strings().incrBy("list", 1);
            return null;
        })).isInstanceOf(WrongTypeException.class);
        LocalDictionary again = reopen(d);
        assertThat(again.strings().get("k")).isEqualTo(b("1"));
    }

    @Test
    void aKeyMadePersistentBeforeItsDeadlineSurvivesARestartAfterTheDeadline() {
        // Replay must not expire keys: PEXPIREAT then PERSIST, replayed after the deadline.
        LocalDictionary d = open();
        d.strings().set("k", b("v"), SetArgs.DEFAULT.with(Expiration.millis(1000)));
        d.strings().set("gone", b("v"), SetArgs.DEFAULT.with(Expiration.millis(1000)));
        d.keys().persist("k");
        clock.advance(5000);
        LocalDictionary again = reopen(d);
        assertThat(again.strings().get("k")).isEqualTo(b("v"));
        assertThat(again.strings().get("gone")).isNull();
    }

    @Test
    void snapshotIsRefusedInsideATransactionAndForInMemory() {
        LocalDictionary d = open();
        assertThatThrownBy(() -> d.transaction(tx -> {
            d.snapshot();
            return null;
        })).isInstanceOf(IllegalStateException.class);
        try (LocalDictionary inMemory = new LocalDictionary(clock)) {
            assertThatThrownBy(inMemory::snapshot).isInstanceOf(IllegalStateException.class);
            assertThat(inMemory.stats()).isEqualTo(DictionaryStats.IN_MEMORY);
        }
    }

    @Test
    void aSnapshotTakenWhileFourThreadsWriteIsTheStateOfOneInstant() throws Exception {
        // Each writer t moves units between a[t] and b[t] in transactions, so a[t] + b[t] == 0 at
        // every instant, and bumps its counter n[t] in the same transaction, so n[t] == a[t].
        // A snapshot mixing two instants would break these equalities.
        LocalDictionary d = open();
        int writers = 4;
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < writers; t++) {
            int id = t;
            running.add(pool.submit(() -> {
                for (int i = 0; !stop.get() || i < 200; i++) {
                    d.transaction(tx -> {
                        tx.strings().incrBy("a" + id, 1);
                        tx.strings().incrBy("b" + id, -1);
                        tx.strings().incrBy("n" + id, 1);
                        tx.lists().rpush("list" + id, b("x"));
                        return null;
                    });
                    d.strings().set("filler" + id + "-" + (i % 500), b("f" + i));
                }
            }));
        }
        for (int round = 0; round < 3; round++) {
            d.snapshot();
            Map<String, byte[]> image = readLatestSnapshot(d);
            for (int t = 0; t < writers; t++) {
                long a = number(image.get("a" + t));
                assertThat(number(image.get("b" + t))).as("b%d in snapshot %d", t, round).isEqualTo(-a);
                assertThat(number(image.get("n" + t))).as("n%d in snapshot %d", t, round).isEqualTo(a);
            }
        }
        stop.set(true);
        for (Future<?> f : running) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        for (int t = 0; t < writers; t++) {
            assertThat(d.lists().llen("list" + t)).isEqualTo(number(d.strings().get("n" + t)));
        }
        Map<String, String> before = DictionaryDump.of(d);
        assertThat(DictionaryDump.of(reopen(d))).isEqualTo(before);
    }

    private static long number(byte[] bytes) {
        return bytes == null ? 0 : Long.parseLong(new String(bytes, StandardCharsets.US_ASCII));
    }

    /** The string keys of the snapshot the manifest names, read straight from the file. */
    private Map<String, byte[]> readLatestSnapshot(LocalDictionary d) {
        Map<String, byte[]> image = new java.util.HashMap<>();
        Path snapshot = null;
        for (Path p : memory.list(DIR)) {
            if (p.getFileName().toString().endsWith(".cds")) {
                snapshot = p;
            }
        }
        assertThat(snapshot).isNotNull();
        try (SnapshotReader reader = SnapshotReader.open(memory, snapshot)) {
            while (reader.next()) {
                if (reader.elements().size() == 1 && reader.type() == 1) {
                    image.put(reader.key(), reader.elements().get(0));
                }
            }
        }
        return image;
    }
}
