package dev.cairn.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import dev.cairn.ManualClock;
import dev.cairn.dictionary.Dictionary;
import dev.cairn.dictionary.KeyEventClass;
import dev.cairn.dictionary.KeyValue;
import dev.cairn.dictionary.Watch;
import dev.cairn.log.Consumer;
import dev.cairn.log.ConsumerConfig;
import dev.cairn.log.ConsumerRecord;
import dev.cairn.log.Log;
import dev.cairn.log.ProducerRecord;
import dev.cairn.log.RecordMetadata;
import dev.cairn.log.TopicConfig;
import dev.cairn.log.TopicPartition;
import dev.cairn.server.redis.RedisServer;
import dev.cairn.server.redis.RedisServerOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/** The Java blocks of docs/log.md, docs/dictionary.md and docs/redis-server.md, each run. */
class GuideExamplesTest {
    private final byte[] key = "customer-1".getBytes(StandardCharsets.UTF_8);
    private final byte[] value = "2 apples".getBytes(StandardCharsets.UTF_8);
    private int billed;

    private void bill(byte[] customer, byte[] order) {
        billed++;
    }

    @Test
    void log(@TempDir Path dataDir) {
        try (Cairn cairn = Cairn.open(dataDir)) {
            Log log = cairn.log();
            log.createTopic("orders", TopicConfig.defaults().withPartitions(3));
            RecordMetadata at = log.append(ProducerRecord.of("orders", key, value));
            try (Consumer consumer = log.consumer(ConsumerConfig.group("billing"))) {
                consumer.subscribe(List.of("orders"));
                List<ConsumerRecord> records = consumer.poll(Duration.ofSeconds(1));
                records.forEach(record -> bill(record.key(), record.value()));
                consumer.commitSync();
            }
            assertThat(billed).isEqualTo(1);
            assertThat(log.committedOffsets("billing")).containsEntry(new TopicPartition("orders", at.partition()), 1L);
        }
    }

    @Test
    void dictionary(@TempDir Path dataDir) throws InterruptedException {
        try (Cairn cairn = Cairn.open(dataDir)) {                          // or Cairn.inMemory()
            Dictionary d = cairn.dictionary();
            d.strings().set("greeting", "hello");
            d.strings().incr("visits");
            d.hashes().hset("user:1", "name", "Ada");
            d.lists().rpush("queue", "job-1", "job-2");
            KeyValue job = d.lists().blpop(Duration.ofSeconds(5), "queue");   // null on timeout
            d.keys().expire("greeting", 60);

            long total = d.transaction(tx -> {                                 // all or nothing
                tx.strings().decrBy("a", 10);
                return tx.strings().incrBy("b", 10);
            });

            Watch watch = d.watch("b");                                        // optimistic
            long seen = Long.parseLong(d.strings().getString("b"));
            Optional<Long> result = d.transaction(watch, tx -> tx.strings().incrBy("b", seen));  // empty if b changed

            assertThat(job).isNotNull();
            assertThat(total).isEqualTo(10);
            assertThat(result).contains(20L);
        }
    }

    @Test
    void keyEvents() {
        ManualClock clock = ManualClock.startingNow();
        try (Cairn cairn = Cairn.builder().inMemory().clock(clock).open()) {
            Dictionary d = cairn.dictionary();
            Map<String, String> nearCache = new ConcurrentHashMap<>(Map.of("session", "s"));
            d.addKeyEventListener((eventClass, event, key) -> {
                if (eventClass == KeyEventClass.EXPIRED) {
                    nearCache.remove(key);          // quick, non-blocking work only
                }
            });
            d.strings().set("session", "s");
            d.keys().expire("session", 60);
            clock.advance(Duration.ofSeconds(61));
            assertThat(nearCache).isEmpty();
        }
    }

    @Test
    void redisServer(@TempDir Path dataDir) {
        try (Cairn cairn = Cairn.open(dataDir);
             RedisServer server = RedisServer.start(cairn, RedisServerOptions.DEFAULT.withPort(0))) {
            Jedis jedis = new Jedis("127.0.0.1", server.port());
            jedis.set("greeting", "hello");
            cairn.dictionary().strings().getString("greeting");   // "hello": the same store
            assertThat(cairn.dictionary().strings().getString("greeting")).isEqualTo("hello");
        }
    }
}
