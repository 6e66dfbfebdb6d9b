package dev.cairn.examples;

import static dev.cairn.junit.CairnAssertions.assertThat;

import dev.cairn.ManualClock;
import dev.cairn.dictionary.Dictionary;
import dev.cairn.junit.CairnExtension;
import dev.cairn.junit.KafkaBootstrapServers;
import dev.cairn.log.Log;
import dev.cairn.log.ProducerRecord;
import dev.cairn.log.TopicConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The test kit as docs/testing.md shows it: each block of that page is a part of this class. */
class OrdersTest {
    @RegisterExtension
    static CairnExtension cairn = CairnExtension.inMemory()
            .withTopic("orders", TopicConfig.defaults().withPartitions(3).withRetentionMs(3_600_000))
            .withManualClock();

    @Test
    void storesAnOrder(Log log, Dictionary dictionary) {
        log.append(ProducerRecord.of("orders", bytes("o-1"), bytes("2 apples")));
        dictionary.strings().incrBy("orders:count", 1);

        assertThat(log).topic("orders").containsValues("2 apples");
        assertThat(dictionary).key("orders:count").hasValue("1");
    }

    @Test
    void oldOrdersGoAfterAnHour(Log log, ManualClock clock) {
        log.append(ProducerRecord.of("orders", bytes("o-1"), bytes("2 apples")));
        clock.advance(Duration.ofHours(1).plusMillis(1)); // retention runs before advance returns
        assertThat(log).topic("orders").isEmpty();
    }

    @Test
    void aKafkaProducerWritesToTheSameLog(@KafkaBootstrapServers String servers, Log log) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        try (var producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("orders", "o-2", "1 pear"));
        }
        assertThat(log).topic("orders").containsValues("1 pear");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
