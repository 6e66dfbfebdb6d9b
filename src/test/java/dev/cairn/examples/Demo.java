package dev.cairn.examples;

import dev.cairn.Cairn;
import dev.cairn.dictionary.Dictionary;
import dev.cairn.dictionary.DictionaryStats;
import dev.cairn.dictionary.ScoredMember;
import dev.cairn.dictionary.ZRange;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The README's demo: opens (or creates) the data directory {@code cairn-demo-data} in the working
 * directory, uses the dictionary's every type, closes, reopens and shows that everything came back
 * from disk.
 *
 * <p>Run with {@code mvn -B -q test-compile exec:java}.
 */
public final class Demo {
    private Demo() {
    }

    public static void main(String[] args) {
        Path directory = Path.of(args.length > 0 ? args[0] : "cairn-demo-data");
        long run;
        try (Cairn cairn = Cairn.open(directory)) {
            System.out.println("opened " + cairn);
            Dictionary d = cairn.dictionary();
            run = d.strings().incrBy("demo:runs", 1);
            d.strings().set("demo:greeting", bytes("hello from run " + run));
            d.hashes().hset("demo:user:1", Map.of("name", bytes("Ada"), "lang", bytes("Java")));
            d.lists().rpush("demo:events", bytes("started run " + run));
            d.sets().sadd("demo:tags", bytes("embedded"), bytes("durable"), bytes("fast"));
            d.sortedSets().zadd("demo:scores", run * 10.0, bytes("run-" + run));
            d.transaction(tx -> {
                tx.strings().incrBy("demo:balance:a", -5);
                tx.strings().incrBy("demo:balance:b", 5);
                return null;
            });
            System.out.println("wrote every type; this is run " + run);
        }
        try (Cairn cairn = Cairn.open(directory)) {
            Dictionary d = cairn.dictionary();
            DictionaryStats stats = d.stats();
            System.out.printf("reopened: %d keys (%d from a snapshot, %d entries replayed in %d ms)%n",
                    d.keys().dbSize(), stats.snapshotKeysLoaded(), stats.entriesReplayed(), stats.recoveryMs());
            System.out.println("  string       demo:greeting = " + text(d.strings().get("demo:greeting")));
            System.out.println("  hash         demo:user:1   = name " + text(d.hashes().hget("demo:user:1", "name"))
                    + ", lang " + text(d.hashes().hget("demo:user:1", "lang")));
            List<byte[]> events = d.lists().lrange("demo:events", 0, -1);
            System.out.println("  list         demo:events   = " + events.size() + " events, last: "
                    + text(events.get(events.size() - 1)));
            System.out.println("  set          demo:tags     = " + d.sets().scard("demo:tags") + " members");
            List<ScoredMember> top = d.sortedSets().zrange("demo:scores", ZRange.byRank(-1, -1));
            System.out.println("  sorted set   demo:scores   = best " + text(top.get(0).member()) + " ("
                    + top.get(0).score() + ")");
            System.out.println("  transaction  balances      = a " + text(d.strings().get("demo:balance:a")) + ", b "
                    + text(d.strings().get("demo:balance:b")) + " (always summing to 0)");
            d.snapshot();
            System.out.println("took a snapshot; append-only file now " + d.stats().appendOnlyBytes() + " bytes");
        }
        System.out.println("run it again: the counts grow, because they come back from " + directory.toAbsolutePath());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return b == null ? "(none)" : new String(b, StandardCharsets.UTF_8);
    }
}
