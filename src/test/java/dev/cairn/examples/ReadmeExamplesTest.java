package dev.cairn.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import dev.cairn.dictionary.Dictionary;
import dev.cairn.log.Consumer;
import dev.cairn.log.ConsumerConfig;
import dev.cairn.log.ConsumerRecord;
import dev.cairn.log.Log;
import dev.cairn.log.ProducerRecord;
import dev.cairn.log.TopicConfig;
import dev.cairn.server.kafka.KafkaServer;
import dev.cairn.server.kafka.KafkaServerOptions;
import dev.cairn.server.redis.RedisServer;
import dev.cairn.server.redis.RedisServerOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's Java blocks, each inside a test that runs it. */
class ReadmeExamplesTest {
    private final byte[] key = "customer-1".getBytes(StandardCharsets.UTF_8);
    private final byte[] value = "2 apples".getBytes(StandardCharsets.UTF_8);
    private final String job = "job-1";
    private final String id = "user-1";

    @Test
    void use(@TempDir Path dataDir) {
        try (Cairn cairn = Cairn.open(dataDir)) {                    // or Cairn.inMemory()
            Log log = cairn.log();
            log.createTopic("orders", TopicConfig.defaults().withPartitions(3));
            log.append(ProducerRecord.of("orders", key, value));      // murmur2(key) % 3, as Kafka
            try (Consumer c = log.consumer(ConsumerConfig.group("billing"))) {
                c.subscribe(List.of("orders"));
                List<ConsumerRecord> records = c.poll(Duration.ofSeconds(1));
                c.commitSync();
            }

            Dictionary d = cairn.dictionary();                        // Redis 7 semantics, typed
            d.strings().incrBy("visits", 1);
            d.transaction(tx -> { tx.lists().rpush("q", job); tx.sets().sadd("seen", id); return null; });

            assertThat(log.committedOffsets("billing")).isNotEmpty();
            assertThat(d.lists().llen("q")).isEqualTo(1);
        }
    }

    @Test
    void servers() {
        try (Cairn cairn = Cairn.inMemory()) {
            Properties props = new Properties();
            RedisServer server = RedisServer.start(cairn, RedisServerOptions.DEFAULT.withPort(0)); // server.port()
            KafkaServer kafka = KafkaServer.start(cairn, KafkaServerOptions.DEFAULT.withPort(0));
            props.put("bootstrap.servers", kafka.bootstrapServers());
            assertThat(server.port()).isPositive();
            assertThat(props.getProperty("bootstrap.servers")).endsWith(":" + kafka.port());
        }
    }
}
