package dev.cairn.server.kafka;

import static dev.cairn.server.kafka.ClientTestSupport.TIMEOUT_S;
import static dev.cairn.server.kafka.ClientTestSupport.eventually;
import static dev.cairn.server.kafka.ClientTestSupport.pollFor;
import static dev.cairn.server.kafka.ClientTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Unmodified kafka-clients producer, consumer and admin against a server: the tests use only what
 * a client sees, so they run against Cairn's {@link KafkaServer} ({@link KafkaClientsTest}), a real
 * Kafka broker ({@link KafkaBrokerClientsTest}) and, with kafka-clients 3.9, Cairn again
 * ({@link OlderKafkaClientsTest}). Each test names its own topics, so a shared server serves them all.
 */
abstract class AbstractKafkaClientsTest {
    /** The server under test, as a client's bootstrap.servers. */
    protected abstract String bootstrapServers();

    /** Checks, where the server has another view of its data (Cairn's Java API), that {@code sent} is stored there. */
    protected void checkStored(String topic, List<ProducerRecord<byte[], byte[]>> sent) {
    }

    /** Checks through that other view that topics {@code a} (three partitions) and {@code b} (retention.ms 60000) exist. */
    protected void checkCreated(String a, String b) {
    }

    protected Properties common() {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers());
        return props;
    }

    protected KafkaProducer<byte[], byte[]> producer(Properties props) {
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    protected KafkaConsumer<byte[], byte[]> consumer() {
        return new KafkaConsumer<>(common(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    protected Admin admin() {
        return Admin.create(common());
    }

    protected static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    protected static String string(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** The port of the bootstrap address, which the server advertises as its own. */
    protected int bootstrapPort() {
        String servers = bootstrapServers();
        return Integer.parseInt(servers.substring(servers.lastIndexOf(':') + 1));
    }

    // An hour back: recent enough that a broker's time-based retention (a week) keeps it.
    private static final long BASE_TIMESTAMP = System.currentTimeMillis() - 3_600_000L;

    /** Records of every shape: keyed, null key, null value, with and without headers, explicit timestamps. */
    private static List<ProducerRecord<byte[], byte[]>> shapes(String topic, int n) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] key = i % 3 == 0 ? null : bytes("key-" + i);
            byte[] value = i % 5 == 4 ? null : bytes("value-" + i + "-" + "x".repeat(i % 50));
            var record = new ProducerRecord<>(topic, 0, BASE_TIMESTAMP + i, key, value);
            if (i % 2 == 0) {
                record.headers().add(new RecordHeader("h" + i, bytes("hv" + i)));
                record.headers().add(new RecordHeader("null-valued", (byte[]) null));
            }
            records.add(record);
        }
        return records;
    }

    // The producer's defaults (idempotent, acks all) with each codec; the topic is created by the
    // producer's metadata request.
    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void aDefaultProducerAndAnAssignedConsumerRoundTripEveryRecordShape(String compression) throws Exception {
        String topic = unique("shapes-" + compression);
        var sent = shapes(topic, 40);
        List<RecordMetadata> acked = new ArrayList<>();
        Properties props = common();
        props.put("compression.type", compression);
        props.put("linger.ms", "5");
        try (KafkaProducer<byte[], byte[]> producer = producer(props)) {
            List<Future<RecordMetadata>> futures = new ArrayList<>();
            for (var r : sent) {
                futures.add(producer.send(r));
            }
            for (Future<RecordMetadata> f : futures) {
                acked.add(f.get(TIMEOUT_S, TimeUnit.SECONDS));
            }
        }
        for (int i = 0; i < acked.size(); i++) {
            assertThat(acked.get(i).offset()).isEqualTo(i);
            assertThat(acked.get(i).timestamp()).isEqualTo(BASE_TIMESTAMP + i);
        }
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            var tp = new TopicPartition(topic, 0);
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
        checkStored(topic, sent);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1", "all"})
    void aNonIdempotentProducerWithEachAcksSettingAppendsEveryRecord(String acks) throws Exception {
        Properties props = common();
        props.put("acks", acks);
        props.put("enable.idempotence", "false");
        String topic = unique("acks-" + acks);
        List<ProducerRecord<byte[], byte[]>> sent = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = producer(props)) {
            for (int i = 0; i < 10; i++) {
                var record = new ProducerRecord<byte[], byte[]>(topic, 0, null, bytes("v" + i));
                sent.add(record);
                producer.send(record);
            }
            producer.flush();
        }
        // With acks 0 the producer learns nothing back: wait (with a deadline) for the appends.
        var tp = new TopicPartition(topic, 0);
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            eventually(() -> assertThat(consumer.endOffsets(List.of(tp))).containsEntry(tp, 10L));
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            assertThat(pollFor(consumer, 10)).extracting(r -> string(r.value()))
                    .containsExactly("v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9");
        }
        checkStored(topic, sent);
    }

    @Test
    void aConsumerAtTheEndReceivesALaterAppend() throws Exception {
        String topic = createTopic(1);
        var tp = new TopicPartition(topic, 0);
        try (KafkaConsumer<byte[], byte[]> consumer = consumer();
             KafkaProducer<byte[], byte[]> producer = producer(common())) {
            consumer.assign(List.of(tp));
            consumer.seekToEnd(List.of(tp));
            assertThat(consumer.position(tp)).isZero();
            assertThat(consumer.poll(java.time.Duration.ofMillis(100))).isEmpty();
            producer.send(new ProducerRecord<>(topic, bytes("late"))).get(TIMEOUT_S, TimeUnit.SECONDS);
            assertThat(pollFor(consumer, 1).get(0).value()).isEqualTo(bytes("late"));
        }
    }

    @Test
    void offsetsForTimesBeginningAndEndOffsetsFollowTheRecordsTimestamps() throws Exception {
        String topic = createTopic(1);
        var tp = new TopicPartition(topic, 0);
        try (KafkaProducer<byte[], byte[]> producer = producer(common())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, 0, BASE_TIMESTAMP + 100L * i, null, bytes("v" + i)))
                        .get(TIMEOUT_S, TimeUnit.SECONDS);
            }
        }
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            var found = consumer.offsetsForTimes(Map.of(tp, BASE_TIMESTAMP + 450L)).get(tp);
            assertThat(found.offset()).isEqualTo(5);
            assertThat(found.timestamp()).isEqualTo(BASE_TIMESTAMP + 500L);
            assertThat(consumer.offsetsForTimes(Map.of(tp, BASE_TIMESTAMP + 5_000L)).get(tp)).isNull();
            assertThat(consumer.endOffsets(List.of(tp))).containsEntry(tp, 10L);
            assertThat(consumer.beginningOffsets(List.of(tp))).containsEntry(tp, 0L);
        }
    }

    // message.timestamp.type=LogAppendTime: the server stamps each batch with its own clock, whatever
    // timestamp the producer gave; the producer's RecordMetadata carries that time (the produce
    // response's log append time), a consumer reads it typed LOG_APPEND_TIME, and ListOffsets by
    // timestamp finds records by it.
    @Test
    void aLogAppendTimeTopicStampsRecordsWithTheServersTime() throws Exception {
        String topic = createTopic(1, Map.of("message.timestamp.type", "LogAppendTime"));
        var tp = new TopicPartition(topic, 0);
        long before = System.currentTimeMillis();
        RecordMetadata first;
        RecordMetadata second;
        try (KafkaProducer<byte[], byte[]> producer = producer(common())) {
            first = producer.send(new ProducerRecord<>(topic, 0, BASE_TIMESTAMP, null, bytes("a")))
                    .get(TIMEOUT_S, TimeUnit.SECONDS);
            second = producer.send(new ProducerRecord<>(topic, 0, null, null, bytes("b")))
                    .get(TIMEOUT_S, TimeUnit.SECONDS);
        }
        long after = System.currentTimeMillis();
        assertThat(first.timestamp()).isBetween(before, after);
        assertThat(second.timestamp()).isBetween(first.timestamp(), after);
        List<ConsumerRecord<byte[], byte[]>> got = readAll(tp, 2);
        assertThat(got).allSatisfy(r -> {
            assertThat(r.timestampType()).isEqualTo(org.apache.kafka.common.record.TimestampType.LOG_APPEND_TIME);
            assertThat(r.timestamp()).isBetween(before, after);
        });
        assertThat(got).extracting(ConsumerRecord::timestamp).containsExactly(first.timestamp(), second.timestamp());
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            var found = consumer.offsetsForTimes(Map.of(tp, BASE_TIMESTAMP + 1)).get(tp);
            assertThat(found.offset()).as("the producer's timestamp is not what is stored").isZero();
            assertThat(found.timestamp()).isEqualTo(first.timestamp());
            assertThat(consumer.offsetsForTimes(Map.of(tp, after + 1)).get(tp)).isNull();
        }
    }

    @Test
    void aCreateTimeTopicKeepsTheProducersTimestamps() throws Exception {
        String topic = createTopic(1, Map.of("message.timestamp.type", "CreateTime"));
        RecordMetadata sent;
        try (KafkaProducer<byte[], byte[]> producer = producer(common())) {
            sent = producer.send(new ProducerRecord<>(topic, 0, BASE_TIMESTAMP, null, bytes("a")))
                    .get(TIMEOUT_S, TimeUnit.SECONDS);
        }
        assertThat(sent.timestamp()).isEqualTo(BASE_TIMESTAMP);
        assertThat(readAll(new TopicPartition(topic, 0), 1)).singleElement().satisfies(r -> {
            assertThat(r.timestampType()).isEqualTo(org.apache.kafka.common.record.TimestampType.CREATE_TIME);
            assertThat(r.timestamp()).isEqualTo(BASE_TIMESTAMP);
        });
    }

    @Test
    void adminCreatesListsDescribesAndDeletesTopics() throws Exception {
        String a = unique("a");
        String b = unique("b");
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(a, 3, (short) 1),
                    new NewTopic(b, Optional.empty(), Optional.empty()).configs(Map.of("retention.ms", "60000"))))
                    .all().get(TIMEOUT_S, TimeUnit.SECONDS);
            checkCreated(a, b);
            // A broker learns of new topics from the metadata log a moment after the controller's reply.
            eventually(() -> assertThat(admin.listTopics().names().get(TIMEOUT_S, TimeUnit.SECONDS)).contains(a, b));
            TopicDescription described = admin.describeTopics(List.of(a)).allTopicNames()
                    .get(TIMEOUT_S, TimeUnit.SECONDS).get(a);
            assertThat(described.partitions()).extracting(TopicPartitionInfo::partition).containsExactly(0, 1, 2);
            assertThat(described.partitions().get(0).leader().port()).isEqualTo(bootstrapPort());
            ConfigResource bResource = new ConfigResource(ConfigResource.Type.TOPIC, b);
            assertThat(admin.describeConfigs(List.of(bResource)).all().get(TIMEOUT_S, TimeUnit.SECONDS)
                    .get(bResource).get("retention.ms").value()).isEqualTo("60000");

            assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic(a, 1, (short) 1))).all()
                    .get(TIMEOUT_S, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TopicExistsException.class);

            admin.deleteTopics(List.of(a)).all().get(TIMEOUT_S, TimeUnit.SECONDS);
            eventually(() -> assertThat(admin.listTopics().names().get(TIMEOUT_S, TimeUnit.SECONDS))
                    .contains(b).doesNotContain(a));
            assertThatThrownBy(() -> admin.deleteTopics(List.of(a)).all().get(TIMEOUT_S, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(UnknownTopicOrPartitionException.class);
        }
    }

    /** Creates a topic of {@code partitions} partitions under a new name, and waits until the server serves it. */
    protected String createTopic(int partitions) throws Exception {
        return createTopic(partitions, Map.of());
    }

    protected String createTopic(int partitions, Map<String, String> configs) throws Exception {
        String topic = unique("t");
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1).configs(configs))).all()
                    .get(TIMEOUT_S, TimeUnit.SECONDS);
            eventually(() -> assertThat(admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(TIMEOUT_S, TimeUnit.SECONDS).get(topic).partitions()).hasSize(partitions)
                    .allSatisfy(p -> assertThat(p.leader()).isNotNull()));
        }
        return topic;
    }

    /** Records of one partition, polled from the beginning. */
    protected List<ConsumerRecord<byte[], byte[]>> readAll(TopicPartition tp, int count) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            return pollFor(consumer, count);
        }
    }
}
