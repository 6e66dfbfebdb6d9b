package dev.cairn.server.kafka;

import static dev.cairn.server.kafka.ClientTestSupport.TIMEOUT_S;
import static dev.cairn.server.kafka.ClientTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.RetriableCommitFailedException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * A simple group's offsets, committed and fetched by an assigned KafkaConsumer with a group.id
 * and listed by the Admin: run against Cairn ({@link KafkaGroupOffsetsTest}), a real Kafka broker
 * ({@link KafkaBrokerGroupOffsetsTest}) and, with kafka-clients 3.9, Cairn
 * ({@link OlderKafkaClientsTest}). Each test uses its own topic and groups.
 */
abstract class AbstractKafkaGroupOffsetsTest {
    /** The server under test, as a client's bootstrap.servers. */
    protected abstract String bootstrapServers();

    /**
     * The metadata string a fetch returns for an offset committed with {@code committed}: Kafka
     * keeps it, as its OffsetCommit documents.
     */
    protected String expectedMetadata(String committed) {
        return committed;
    }

    /** Checks, where the server has another view of its data (Cairn's Java API), the group's committed offsets. */
    protected void checkCommitted(String group, Map<TopicPartition, Long> offsets) {
    }

    private String topic;
    private TopicPartition k0;
    private TopicPartition k1;

    private Properties common() {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers());
        return props;
    }

    /** A topic of two partitions of ten records each. */
    private void createTopic() throws Exception {
        topic = unique("t");
        k0 = new TopicPartition(topic, 0);
        k1 = new TopicPartition(topic, 1);
        try (Admin admin = Admin.create(common())) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get(TIMEOUT_S, TimeUnit.SECONDS);
        }
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(common(), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, 0, null, new byte[] {(byte) i}));
                producer.send(new ProducerRecord<>(topic, 1, null, new byte[] {(byte) i}));
            }
            producer.flush();
        }
    }

    private KafkaConsumer<byte[], byte[]> consumer(String group) {
        Properties props = common();
        props.put("group.id", group);
        props.put("enable.auto.commit", "false");
        props.put("auto.offset.reset", "earliest");
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @Test
    void anAssignedConsumerCommitsAndANewOneResumesFromTheCommit() throws Exception {
        createTopic();
        String group = unique("g");
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(group)) {
            consumer.assign(List.of(k0, k1));
            int read = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
            while (read < 20 && System.nanoTime() < deadline) {
                read += consumer.poll(Duration.ofMillis(200)).count();
            }
            assertThat(read).isEqualTo(20);
            consumer.commitSync(Map.of(k0, new OffsetAndMetadata(4, "four"), k1, new OffsetAndMetadata(7)));
        }
        checkCommitted(group, Map.of(k0, 4L, k1, 7L));

        try (KafkaConsumer<byte[], byte[]> consumer = consumer(group)) {
            consumer.assign(List.of(k0, k1));
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.of(k0, k1));
            assertThat(committed.get(k0).offset()).isEqualTo(4);
            assertThat(committed.get(k1).offset()).isEqualTo(7);
            assertThat(committed.get(k0).metadata()).isEqualTo(expectedMetadata("four"));
            assertThat(committed.get(k1).metadata()).isEmpty();
            assertThat(consumer.position(k0)).isEqualTo(4);
            assertThat(consumer.position(k1)).isEqualTo(7);
            // commitSync() commits the positions.
            consumer.seek(k0, 9);
            consumer.commitSync();
        }
        checkCommitted(group, Map.of(k0, 9L, k1, 7L));

        try (Admin admin = Admin.create(common())) {
            assertThat(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(TIMEOUT_S, TimeUnit.SECONDS))
                    .containsOnlyKeys(k0, k1)
                    .hasEntrySatisfying(k0, o -> assertThat(o.offset()).isEqualTo(9))
                    .hasEntrySatisfying(k1, o -> assertThat(o.offset()).isEqualTo(7));
            assertThat(admin.listConsumerGroupOffsets(unique("none")).partitionsToOffsetAndMetadata()
                    .get(TIMEOUT_S, TimeUnit.SECONDS)).isEmpty();
        }
    }

    @Test
    void commitAsyncCompletesItsCallbackAndTheCommitIsFetched() throws Exception {
        createTopic();
        String group = unique("async");
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(group)) {
            consumer.assign(List.of(k0, k1));
            Map<TopicPartition, OffsetAndMetadata> offsets = Map.of(k0, new OffsetAndMetadata(3), k1,
                    new OffsetAndMetadata(5));
            // A retriable failure (a broker's offsets topic may still be loading) asks the caller to
            // commit again, as the exception says: the test does.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
            Map<TopicPartition, OffsetAndMetadata> acknowledged = null;
            while (acknowledged == null) {
                CompletableFuture<Map<TopicPartition, OffsetAndMetadata>> done = new CompletableFuture<>();
                consumer.commitAsync(offsets, (committed, e) -> {
                    if (e == null) {
                        done.complete(committed);
                    } else {
                        done.completeExceptionally(e);
                    }
                });
                // The callback runs on this thread, in a later poll (or commit).
                while (!done.isDone() && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(50));
                }
                try {
                    acknowledged = done.get(0, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof RetriableCommitFailedException) || System.nanoTime() > deadline) {
                        throw e;
                    }
                }
            }
            assertThat(acknowledged).containsOnlyKeys(k0, k1);
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.of(k0, k1));
            assertThat(committed.get(k0).offset()).isEqualTo(3);
            assertThat(committed.get(k1).offset()).isEqualTo(5);
        }
        checkCommitted(group, Map.of(k0, 3L, k1, 5L));
    }
}
