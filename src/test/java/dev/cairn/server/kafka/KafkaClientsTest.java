package dev.cairn.server.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.Cairn;
import dev.cairn.log.ConsumerRecord;
import dev.cairn.log.Header;
import dev.cairn.log.ProducerRecord;
import dev.cairn.log.TopicConfig;
import dev.cairn.log.TopicPartition;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Unmodified kafka-clients (producer, consumer, admin) against a KafkaServer on an in-memory Cairn. */
class KafkaClientsTest {
    private final Cairn cairn = Cairn.inMemory();
    private final KafkaServer server = KafkaServer.start(cairn, KafkaServerOptions.DEFAULT.withPort(0));

    @AfterEach
    void tearDown() {
        cairn.close();
    }

    private Properties common() {
        Properties props = new Properties();
        props.put("bootstrap.servers", server.bootstrapServers());
        return props;
    }

    private KafkaProducer<byte[], byte[]> producer(String compression) {
        Properties props = common();
        props.put("compression.type", compression);
        props.put("linger.ms", "5");
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Properties props = common();
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private Admin admin() {
        return Admin.create(common());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Polls until {@code count} records arrived (or fails after 30 s). */
    private static List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> pollFor(
            KafkaConsumer<byte[], byte[]> consumer, int count) {
        List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (got.size() < count && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(500)).forEach(got::add);
        }
        assertThat(got).as("records polled").hasSize(count);
        return got;
    }

    /** Records of every shape: keyed, null key, null value, with and without headers, explicit timestamps. */
    private static List<org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]>> shapes(String topic, int n) {
        List<org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] key = i % 3 == 0 ? null : bytes("key-" + i);
            byte[] value = i % 5 == 4 ? null : bytes("value-" + i + "-" + "x".repeat(i % 50));
            var record = new org.apache.kafka.clients.producer.ProducerRecord<>(topic, 0, 1_700_000_000_000L + i, key,
                    value);
            if (i % 2 == 0) {
                record.headers().add(new RecordHeader("h" + i, bytes("hv" + i)));
                record.headers().add(new RecordHeader("null-valued", (byte[]) null));
            }
            records.add(record);
        }
        return records;
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void aDefaultProducerAndAnAssignedConsumerRoundTripEveryRecordShape(String compression) throws Exception {
        String topic = "shapes-" + compression;
        var sent = shapes(topic, 40);
        List<RecordMetadata> acked = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = producer(compression)) {
            List<Future<RecordMetadata>> futures = new ArrayList<>();
            for (var r : sent) {
                futures.add(producer.send(r));
            }
            for (Future<RecordMetadata> f : futures) {
                acked.add(f.get(30, TimeUnit.SECONDS));
            }
        }
        for (int i = 0; i < acked.size(); i++) {
            assertThat(acked.get(i).offset()).isEqualTo(i);
            assertThat(acked.get(i).timestamp()).isEqualTo(1_700_000_000_000L + i);
        }
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            var tp = new org.apache.kafka.common.TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            var got = pollFor(consumer, sent.size());
            for (int i = 0; i < sent.size(); i++) {
                var s = sent.get(i);
                var g = got.get(i);
                assertThat(g.offset()).isEqualTo(i);
                assertThat(g.timestamp()).isEqualTo(s.timestamp());
                assertThat(g.key()).isEqualTo(s.key());
                assertThat(g.value()).isEqualTo(s.value());
                assertThat(g.headers().toArray()).containsExactly(s.headers().toArray());
            }
            consumer.seek(tp, 17);
            assertThat(pollFor(consumer, sent.size() - 17).get(0).offset()).isEqualTo(17);
        }
        // The same records through the Java API.
        List<ConsumerRecord> stored = cairn.log().read(new TopicPartition(topic, 0), 0, 100);
        assertThat(stored).hasSize(sent.size());
        for (int i = 0; i < sent.size(); i++) {
            assertThat(stored.get(i).value()).isEqualTo(sent.get(i).value());
            assertThat(stored.get(i).timestampMs()).isEqualTo(sent.get(i).timestamp());
            assertThat(stored.get(i).headers()).hasSize(sent.get(i).headers().toArray().length);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1"})
    void aNonIdempotentProducerWithAcksZeroOrOneAppendsEveryRecord(String acks) throws Exception {
        Properties props = common();
        props.put("acks", acks);
        props.put("enable.idempotence", "false");
        String topic = "acks-" + acks;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, bytes("v" + i)));
            }
            producer.flush();
        }
        // With acks 0 the producer learns nothing back: wait (with a deadline) for the appends.
        TopicPartition tp = new TopicPartition(topic, 0);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while ((!cairn.log().topics().contains(topic) || cairn.log().endOffset(tp) < 10)
                && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
        assertThat(cairn.log().read(tp, 0, 100)).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactly("v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9");
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

    // The stored batches go to the client as they are: an Appender's batch is marked LogAppendTime
    // (every record of a batch has the time it was sealed), and a seek into the middle of a stored batch returns the
    // records from there on (the client skips the batch's earlier ones, as with a Kafka broker).
    @Test
    void storedBatchesAreServedAsTheyAreWithTheirTimestampType() {
        cairn.log().createTopic("stamped", TopicConfig.defaults());
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
    void offsetsForTimesAndEndOffsetsMatchTheLog() throws Exception {
        cairn.log().createTopic("times", TopicConfig.defaults());
        for (int i = 0; i < 10; i++) {
            cairn.log().append(new ProducerRecord("times", 0, 100L * i, null, bytes("v" + i), null));
        }
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            var tp = new org.apache.kafka.common.TopicPartition("times", 0);
            assertThat(consumer.offsetsForTimes(Map.of(tp, 450L)).get(tp).offset()).isEqualTo(5);
            assertThat(consumer.offsetsForTimes(Map.of(tp, 450L)).get(tp).timestamp()).isEqualTo(500);
            assertThat(consumer.offsetsForTimes(Map.of(tp, 5_000L)).get(tp)).isNull();
            assertThat(consumer.endOffsets(List.of(tp))).containsEntry(tp, 10L);
            assertThat(consumer.beginningOffsets(List.of(tp))).containsEntry(tp, 0L);
        }
    }

    @Test
    void adminCreatesListsDescribesAndDeletesTopics() throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic("a", 3, (short) 1),
                    new NewTopic("b", java.util.Optional.empty(), java.util.Optional.empty())
                            .configs(Map.of("retention.ms", "60000")))).all().get(30, TimeUnit.SECONDS);
            assertThat(cairn.log().describeTopic("a").partitions()).hasSize(3);
            assertThat(cairn.log().describeTopic("b").config().retentionMs()).isEqualTo(60_000);
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).containsExactlyInAnyOrder("a", "b");
            TopicDescription a = admin.describeTopics(List.of("a")).allTopicNames().get(30, TimeUnit.SECONDS).get("a");
            assertThat(a.partitions()).extracting(TopicPartitionInfo::partition).containsExactly(0, 1, 2);
            assertThat(a.partitions().get(0).leader().port()).isEqualTo(server.port());

            assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("a", 1, (short) 1))).all()
                    .get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TopicExistsException.class);

            admin.deleteTopics(List.of("a")).all().get(30, TimeUnit.SECONDS);
            assertThat(cairn.log().topics()).containsExactly("b");
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).containsExactly("b");
            assertThatThrownBy(() -> admin.deleteTopics(List.of("a")).all().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(UnknownTopicOrPartitionException.class);
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
