package dev.cairn.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import dev.cairn.log.TopicConfig;
import dev.cairn.server.kafka.KafkaServer;
import dev.cairn.server.kafka.KafkaServerOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The in-process clients and unmodified kafka-clients over the Kafka server see the same records. */
class InProcessKafkaServerTest {
    private final Cairn cairn = Cairn.inMemory();
    private final KafkaServer server = KafkaServer.start(cairn, KafkaServerOptions.DEFAULT.withPort(0));

    @AfterEach
    void tearDown() {
        cairn.close();
    }

    private Properties wire() {
        Properties props = new Properties();
        props.put("bootstrap.servers", server.bootstrapServers());
        return props;
    }

    @Test
    void whatTheInProcessProducerWritesAWireConsumerReadsAndTheReverse() throws Exception {
        cairn.log().createTopic("t", TopicConfig.defaults().withPartitions(2));
        List<RecordMetadata> sent = new ArrayList<>();
        try (Producer<String, String> producer = new InProcessProducer<>(cairn.log(), Map.of(),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 20; i++) {
                var record = new ProducerRecord<>("t", "key-" + i, "value-" + i);
                record.headers().add("i", Integer.toString(i).getBytes(StandardCharsets.UTF_8));
                sent.add(producer.send(record).get(10, TimeUnit.SECONDS));
            }
        }
        List<ConsumerRecord<String, String>> got = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(wire(), new StringDeserializer(),
                new StringDeserializer())) {
            consumer.assign(List.of(new TopicPartition("t", 0), new TopicPartition("t", 1)));
            consumer.seekToBeginning(List.of());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (got.size() < 20 && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(got::add);
            }
        }
        assertThat(got).hasSize(20);
        for (ConsumerRecord<String, String> r : got) {
            int i = Integer.parseInt(r.key().substring(4));
            assertThat(r.value()).isEqualTo("value-" + i);
            assertThat(new String(r.headers().lastHeader("i").value(), StandardCharsets.UTF_8))
                    .isEqualTo(Integer.toString(i));
            RecordMetadata md = sent.get(i);
            assertThat(r.partition()).isEqualTo(md.partition());
            assertThat(r.offset()).isEqualTo(md.offset());
            assertThat(r.timestamp()).isEqualTo(md.timestamp());
        }

        Properties producerProps = wire();
        try (KafkaProducer<String, String> wireProducer = new KafkaProducer<>(producerProps, new StringSerializer(),
                new StringSerializer())) {
            wireProducer.send(new ProducerRecord<>("t", 0, 42L, "wire-key", "wire-value")).get(30, TimeUnit.SECONDS);
        }
        TopicPartition t0 = new TopicPartition("t", 0);
        try (InProcessConsumer<String, String> consumer = new InProcessConsumer<>(cairn.log(),
                Map.of("auto.offset.reset", "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(t0));
            List<ConsumerRecord<String, String>> all = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (all.stream().noneMatch(r -> "wire-key".equals(r.key())) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(all::add);
            }
            ConsumerRecord<String, String> last = all.get(all.size() - 1);
            assertThat(last.key()).isEqualTo("wire-key");
            assertThat(last.value()).isEqualTo("wire-value");
            assertThat(last.timestamp()).isEqualTo(42L);
        }
    }
}
