package dev.cairn.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import dev.cairn.kafka.InProcessConsumer;
import dev.cairn.kafka.InProcessProducer;
import dev.cairn.log.Log;
import dev.cairn.log.TopicConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The in-process Kafka clients' blocks of the README and docs/log.md, each run. */
class InProcessClientsExampleTest {
    private final List<RecordMetadata> sent = new CopyOnWriteArrayList<>();

    @Test
    void readme() {
        try (Cairn cairn = Cairn.inMemory()) {
            Log log = cairn.log();
            log.createTopic("orders", TopicConfig.defaults());
            Producer<String, String> producer = new InProcessProducer<>(log, Map.of(), new StringSerializer(), new StringSerializer());
            Consumer<String, String> consumer = new InProcessConsumer<>(log, Map.of("group.id", "billing"),
                    new StringDeserializer(), new StringDeserializer());
            producer.close();
            consumer.close();
        }
    }

    @Test
    void logGuide() {
        try (Cairn cairn = Cairn.inMemory()) {
            Log log = cairn.log();
            log.createTopic("orders", TopicConfig.defaults().withPartitions(3));
            Producer<String, String> producer = new InProcessProducer<>(log, Map.of(),
                    new StringSerializer(), new StringSerializer());       // or key.serializer / value.serializer configs
            producer.send(new ProducerRecord<>("orders", "key", "value"), (metadata, e) -> sent.add(metadata));

            Consumer<String, String> consumer = new InProcessConsumer<>(log, Map.of("group.id", "billing",
                    "auto.offset.reset", "earliest"), new StringDeserializer(), new StringDeserializer());
            consumer.subscribe(List.of("orders"));
            ConsumerRecords<String, String> records = consumer.poll(Duration.ofSeconds(1));
            producer.flush();
            assertThat(sent).hasSize(1);
            assertThat(records.count()).isEqualTo(1);
            producer.close();
            consumer.close();
        }
    }
}
