package dev.cairn.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import dev.cairn.log.TopicPartition;
import dev.cairn.server.kafka.KafkaServer;
import dev.cairn.server.kafka.KafkaServerOptions;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The Java block of docs/kafka-server.md, run. */
class KafkaServerExampleTest {

    @Test
    void kafkaServer() throws Exception {
        try (Cairn cairn = Cairn.inMemory();
             KafkaServer server = KafkaServer.start(cairn, KafkaServerOptions.DEFAULT.withPort(0))) {
            Properties props = new Properties();
            props.put("bootstrap.servers", server.bootstrapServers());   // "127.0.0.1:<port>"
            try (var producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("orders", "k", "v")).get();
            }
            cairn.log().read(new TopicPartition("orders", 0), 0, 10);      // the same record
            assertThat(cairn.log().read(new TopicPartition("orders", 0), 0, 10)).hasSize(1);
        }
    }
}
