package dev.cairn.server.kafka;

import static dev.cairn.server.kafka.ClientTestSupport.pollFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.Cairn;
import dev.cairn.log.ConsumerRecord;
import dev.cairn.log.Header;
import dev.cairn.log.ProducerRecord;
import dev.cairn.log.TopicConfig;
import dev.cairn.log.TopicPartition;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client-level tests against a KafkaServer on an in-memory Cairn, each check through the Java
 * log API as well; and what only Cairn has: records appended through the Java API, its Appender's
 * batches, a consumer woken by a Java-API append, the server closing with the Cairn.
 */
class KafkaClientsTest extends AbstractKafkaClientsTest {
    private final Cairn cairn = Cairn.inMemory();
    private final KafkaServer server = KafkaServer.start(cairn, KafkaServerOptions.DEFAULT.withPort(0));

    @AfterEach
    void tearDown() {
        cairn.close();
    }

    @Override
    protected String bootstrapServers() {
        return server.bootstrapServers();
    }

    @Override
    protected void checkStored(String topic, List<org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]>> sent) {
        List<ConsumerRecord> stored = cairn.log().read(new TopicPartition(topic, 0), 0, 100);
        assertThat(stored).hasSize(sent.size());
        for (int i = 0; i < sent.size(); i++) {
            assertThat(stored.get(i).value()).isEqualTo(sent.get(i).value());
            if (sent.get(i).timestamp() != null) {
                assertThat(stored.get(i).timestampMs()).isEqualTo(sent.get(i).timestamp());
            }
            assertThat(stored.get(i).headers()).hasSize(sent.get(i).headers().toArray().length);
        }
    }

    @Override
    protected void checkCreated(String a, String b) {
        assertThat(cairn.log().describeTopic(a).partitions()).hasSize(3);
        assertThat(cairn.log().describeTopic(b).config().retentionMs()).isEqualTo(60_000);
    }

    @Test
    void recordsAppendedThroughTheJavaApiAreFetchedOverTheWire() {
        cairn.log().createTopic("java", TopicConfig.defaults().withPartitions(2));
        List<org.apache.kafka.common.TopicPartition> partitions = List.of(
                new org.apache.kafka.common.TopicPartition("java", 0), new org.apache.kafka.common.TopicPartition("java", 1));
        for (int i = 0; i < 20; i++) {
            cairn.log().append(new ProducerRecord("java", i % 2, 1_000L + i, bytes("k" + i), bytes("v" + i),
                    List.of(new Header("n", bytes(Integer.toString(i))))));
        }
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var got = pollFor(consumer, 20);
            for (var r : got) {
                int i = Integer.parseInt(new String(r.headers().lastHeader("n").value(), StandardCharsets.UTF_8));
                assertThat(r.partition()).isEqualTo(i % 2);
                assertThat(r.offset()).isEqualTo(i / 2);
                assertThat(r.timestamp()).isEqualTo(1_000L + i);
                assertThat(r.key()).isEqualTo(bytes("k" + i));
                assertThat(r.value()).isEqualTo(bytes("v" + i));
            }
        }
    }

    // The stored batches go to the client as they are: an Appender's batch on a LogAppendTime topic is
    // marked LogAppendTime (every record of a batch has the time it was sealed), and a seek into the middle of a
    // stored batch returns the records from there on (the client skips the batch's earlier ones, as with a Kafka
    // broker). On a CreateTime topic the same batch is marked CreateTime.
    @Test
    void storedBatchesAreServedAsTheyAreWithTheirTimestampType() {
        cairn.log().createTopic("stamped", TopicConfig.defaults().withTimestampType(
                dev.cairn.log.TimestampType.LOG_APPEND_TIME));
        var appender = cairn.log().appender("stamped");
        long before = System.currentTimeMillis();
        for (int i = 0; i < 10; i++) {
            appender.append(0, null, bytes("a" + i));
        }
        var tp = new org.apache.kafka.common.TopicPartition("stamped", 0);
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, 4);
            var got = pollFor(consumer, 6);
            assertThat(got).extracting(r -> r.offset()).containsExactly(4L, 5L, 6L, 7L, 8L, 9L);
            // Stamped when its batch was sealed: after the appends began, before the poll ended.
            long after = System.currentTimeMillis();
            assertThat(got).allSatisfy(r -> {
                assertThat(r.timestampType()).isEqualTo(org.apache.kafka.common.record.TimestampType.LOG_APPEND_TIME);
                assertThat(r.timestamp()).isBetween(before, after);
            });
            assertThat(new String(got.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("a4");
        }
        cairn.log().createTopic("created", TopicConfig.defaults());
        cairn.log().appender("created").append(0, null, bytes("c"));
        var created = new org.apache.kafka.common.TopicPartition("created", 0);
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            consumer.assign(List.of(created));
            consumer.seekToBeginning(List.of(created));
            assertThat(pollFor(consumer, 1)).singleElement().satisfies(r -> assertThat(r.timestampType())
                    .isEqualTo(org.apache.kafka.common.record.TimestampType.CREATE_TIME));
        }
    }

    @Test
    void aParkedConsumerIsWokenByAnAppendThroughTheJavaApi() throws Exception {
        cairn.log().createTopic("later", TopicConfig.defaults());
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            var tp = new org.apache.kafka.common.TopicPartition("later", 0);
            consumer.assign(List.of(tp));
            consumer.seekToEnd(List.of(tp));
            assertThat(consumer.position(tp)).isZero();
            cairn.log().append(ProducerRecord.of("later", bytes("late")));
            var got = pollFor(consumer, 1);
            assertThat(got.get(0).value()).isEqualTo(bytes("late"));
        }
    }

    @Test
    void closingTheCairnClosesTheServer() throws Exception {
        int port = server.port();
        cairn.close();
        assertThatThrownBy(() -> new java.net.Socket("127.0.0.1", port).close())
                .isInstanceOf(java.io.IOException.class);
        assertThat(Set.of(port)).isNotEmpty();
    }
}
