package dev.cairn.cli;

import dev.cairn.Cairn;
import dev.cairn.dictionary.Dictionary;
import dev.cairn.dictionary.DictionaryStats;
import dev.cairn.dictionary.ScoredMember;
import dev.cairn.dictionary.ZRange;
import dev.cairn.log.Consumer;
import dev.cairn.log.ConsumerConfig;
import dev.cairn.log.ConsumerRecord;
import dev.cairn.log.Log;
import dev.cairn.log.ProducerRecord;
import dev.cairn.log.RecordMetadata;
import dev.cairn.log.TopicConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The README's demo: opens (or creates) the data directory {@code cairn-demo-data} in the working
 * directory; produces to a topic and consumes it in a group, then uses the dictionary's every type;
 * closes, reopens and shows that records, committed offsets and keys all came back from disk.
 *
 * <p>Run with {@code mvn -B -q compile exec:java} (a directory as the argument replaces the default).
 */
public final class Demo {
    private Demo() {
    }

    public static void main(String[] args) {
        Path directory = Path.of(args.length > 0 ? args[0] : "cairn-demo-data");
        long run;
        try (Cairn cairn = Cairn.open(directory)) {
            System.out.println("opened " + cairn);
            Log log = cairn.log();
            if (!log.topics().contains("orders")) {
                log.createTopic("orders", TopicConfig.defaults().withPartitions(3));
            }
            List<ProducerRecord> batch = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                batch.add(ProducerRecord.of("orders", bytes("customer-" + (i % 3)), bytes("order " + i)));
            }
            List<RecordMetadata> written = log.append(batch);
            System.out.println("log: appended " + written.size() + " records; the first went to partition "
                    + written.get(0).partition() + " at offset " + written.get(0).offset());
            try (Consumer consumer = log.consumer(ConsumerConfig.group("billing"))) {
                consumer.subscribe(List.of("orders"));
                List<ConsumerRecord> got = consumer.poll(Duration.ofSeconds(1));
                System.out.println("log: group 'billing' received " + got.size()
                        + " records this poll and committed its position");
                consumer.commitSync();
            }
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
            Log log = cairn.log();
            long total = 0;
            for (int p = 0; p < 3; p++) {
                total += log.endOffset(new dev.cairn.log.TopicPartition("orders", p));
            }
            System.out.println("reopened: topic 'orders' holds " + total + " records across 3 partitions");
            try (Consumer consumer = log.consumer(ConsumerConfig.group("billing"))) {
                consumer.subscribe(List.of("orders"));
                System.out.println("  group 'billing' resumes from its committed offsets: "
                        + consumer.poll(Duration.ofMillis(200)).size() + " new records (none were added since)");
            }
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
