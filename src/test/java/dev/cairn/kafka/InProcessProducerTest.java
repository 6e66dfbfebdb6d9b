package dev.cairn.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.Cairn;
import dev.cairn.common.Durability;
import dev.cairn.log.ConsumerRecord;
import dev.cairn.log.Header;
import dev.cairn.log.Log;
import dev.cairn.log.TopicConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link InProcessProducer}: Kafka's producer contract over a real log, checked through the log's own API. */
class InProcessProducerTest {
    private final Cairn cairn = Cairn.inMemory();
    private final Log log = cairn.log();

    @AfterEach
    void tearDown() {
        cairn.close();
    }

    private InProcessProducer<String, String> producer() {
        return new InProcessProducer<>(log, Map.of(), new StringSerializer(), new StringSerializer());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void keyedRecordsGoWhereKafkasPartitionerSendsThemAndReadBackIdentically() throws Exception {
        log.createTopic("t", TopicConfig.defaults().withPartitions(3));
        try (Producer<String, String> producer = producer()) {
            for (int i = 0; i < 20; i++) {
                String key = "key-" + i;
                RecordMetadata md = producer.send(new ProducerRecord<>("t", key, "value-" + i)).get();
                assertThat(md.partition()).isEqualTo(Utils.toPositive(Utils.murmur2(utf8(key))) % 3);
                assertThat(md.serializedKeySize()).isEqualTo(utf8(key).length);
                assertThat(md.serializedValueSize()).isEqualTo(utf8("value-" + i).length);
                assertThat(md.hasTimestamp()).isTrue();
                ConsumerRecord stored = log.read(new dev.cairn.log.TopicPartition("t", md.partition()), md.offset(), 1)
                        .get(0);
                assertThat(stored.offset()).isEqualTo(md.offset());
                assertThat(stored.timestampMs()).isEqualTo(md.timestamp());
                assertThat(stored.key()).isEqualTo(utf8(key));
                assertThat(stored.value()).isEqualTo(utf8("value-" + i));
            }
        }
    }

    // acks is the log's: with a replicated topic whose in-sync set is below its minimum, acks=all
    // fails as a broker answers (NOT_ENOUGH_REPLICAS) and acks=1 is written; a bad value is refused.
    @Test
    void acksAreTheLogsForEverySend() throws Exception {
        try (Cairn replicated = Cairn.builder().inMemory().replicaRootsInMemory(1).jmx(false).open()) {
            replicated.log().createTopic("t", TopicConfig.defaults().withReplicationFactor(2).withMinInsyncReplicas(3));
            Map<String, Object> all = Map.of("acks", "all");
            try (Producer<String, String> producer = new InProcessProducer<>(replicated.log(), all,
                    new StringSerializer(), new StringSerializer())) {
                assertThatThrownBy(() -> producer.send(new ProducerRecord<>("t", "k", "v")).get())
                        .hasCauseInstanceOf(org.apache.kafka.common.errors.NotEnoughReplicasException.class);
            }
            try (Producer<String, String> producer = new InProcessProducer<>(replicated.log(), Map.of("acks", "1"),
                    new StringSerializer(), new StringSerializer())) {
                assertThat(producer.send(new ProducerRecord<>("t", "k", "v")).get().offset()).isZero();
            }
        }
        assertThatThrownBy(() -> new InProcessProducer<>(log, Map.of("acks", "2"), new StringSerializer(),
                new StringSerializer())).isInstanceOf(ConfigException.class).hasMessageContaining("acks");
    }

    // As with a broker: on a LogAppendTime topic the metadata's timestamp is the log's stamp, not
    // the record's own.
    @Test
    void aLogAppendTimeTopicsMetadataCarriesTheLogsStamp() throws Exception {
        log.createTopic("t", TopicConfig.defaults().withTimestampType(dev.cairn.log.TimestampType.LOG_APPEND_TIME));
        long before = System.currentTimeMillis();
        try (Producer<String, String> producer = producer()) {
            RecordMetadata md = producer.send(new ProducerRecord<>("t", 0, 42L, "k", "v")).get();
            assertThat(md.timestamp()).isBetween(before, System.currentTimeMillis());
            ConsumerRecord stored = log.read(new dev.cairn.log.TopicPartition("t", 0), md.offset(), 1).get(0);
            assertThat(stored.timestampMs()).isEqualTo(md.timestamp());
            assertThat(stored.timestampType()).isEqualTo(dev.cairn.log.TimestampType.LOG_APPEND_TIME);
        }
    }

    @Test
    void partitionTimestampHeadersAndNullsAreKept() throws Exception {
        log.createTopic("t", TopicConfig.defaults().withPartitions(3));
        RecordHeaders headers = new RecordHeaders();
        headers.add(new RecordHeader("trace", utf8("abc")));
        headers.add(new RecordHeader("empty", null));
        try (Producer<String, String> producer = producer()) {
            ProducerRecord<String, String> record = new ProducerRecord<>("t", 2, 12_345L, null, null, headers);
            RecordMetadata md = producer.send(record).get();
            // As KafkaProducer: the record's headers belong to the sent record now.
            assertThatThrownBy(() -> record.headers().add("late", null)).isInstanceOf(IllegalStateException.class);
            assertThat(md.partition()).isEqualTo(2);
            assertThat(md.timestamp()).isEqualTo(12_345L);
            assertThat(md.serializedKeySize()).isEqualTo(-1);
            assertThat(md.serializedValueSize()).isEqualTo(-1);
            ConsumerRecord stored = log.read(new dev.cairn.log.TopicPartition("t", 2), md.offset(), 1).get(0);
            assertThat(stored.timestampMs()).isEqualTo(12_345L);
            assertThat(stored.key()).isNull();
            assertThat(stored.value()).isNull();
            assertThat(stored.headers()).containsExactly(new Header("trace", utf8("abc")), new Header("empty", null));
        }
    }

    @Test
    void unkeyedRecordsSpreadOverThePartitions() throws Exception {
        log.createTopic("t", TopicConfig.defaults().withPartitions(3));
        Set<Integer> used = new HashSet<>();
        try (Producer<String, String> producer = producer()) {
            for (int i = 0; i < 6; i++) {
                used.add(producer.send(new ProducerRecord<>("t", "v" + i)).get().partition());
            }
        }
        assertThat(used).containsExactlyInAnyOrder(0, 1, 2);
    }

    @Test
    void serializersNamedByConfigsAreMadeConfiguredHandedHeadersAndClosed() throws Exception {
        log.createTopic("t", TopicConfig.defaults());
        RecordingSerde.MADE.clear();
        Map<String, Object> configs = new HashMap<>();
        configs.put("key.serializer", RecordingSerde.class);
        configs.put("value.serializer", RecordingSerde.class.getName());
        configs.put("client.id", "p1");
        configs.put("custom.setting", "x");
        InProcessProducer<String, String> producer = new InProcessProducer<>(log, configs);
        assertThat(RecordingSerde.MADE).hasSize(2);
        RecordingSerde key = RecordingSerde.MADE.get(0);
        RecordingSerde value = RecordingSerde.MADE.get(1);
        assertThat(key.isKey).isTrue();
        assertThat(value.isKey).isFalse();
        assertThat(key.configs).containsEntry("custom.setting", "x").containsEntry("client.id", "p1");
        RecordMetadata md = producer.send(new ProducerRecord<>("t", "k", "v")).get();
        List<Header> stored = log.read(new dev.cairn.log.TopicPartition("t", 0), md.offset(), 1).get(0).headers();
        assertThat(stored).extracting(Header::key).containsExactly("serialized-key", "serialized-value");
        assertThat(key.closed).isFalse();
        producer.close();
        assertThat(key.closed).isTrue();
        assertThat(value.closed).isTrue();
    }

    @Test
    void givenSerializersAreUsedAsTheyAreAndClosedWithTheProducer() {
        RecordingSerde key = new RecordingSerde();
        RecordingSerde value = new RecordingSerde();
        Properties props = new Properties();
        props.put("key.serializer", "no.such.Class"); // ignored: an instance was given, as in Kafka
        new InProcessProducer<>(log, props, key, value).close();
        assertThat(key.isKey).isNull();
        assertThat(key.closed).isTrue();
        assertThat(value.closed).isTrue();
    }

    @Test
    void badConfigsAreConfigExceptionsNamingTheConfig() {
        assertThatThrownBy(() -> new InProcessProducer<String, String>(log, Map.of("value.serializer",
                StringSerializer.class))).isInstanceOf(ConfigException.class).hasMessageContaining("key.serializer");
        assertThatThrownBy(() -> new InProcessProducer<String, String>(log, Map.of("key.serializer",
                "no.such.Serializer", "value.serializer", StringSerializer.class)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("no.such.Serializer");
        RecordingSerde.MADE.clear();
        assertThatThrownBy(() -> new InProcessProducer<String, String>(log, Map.of("key.serializer",
                RecordingSerde.class, "value.serializer", "no.such.Serializer")))
                .isInstanceOf(ConfigException.class);
        assertThat(RecordingSerde.MADE).singleElement().satisfies(made -> assertThat(made.closed).isTrue());
        assertThatThrownBy(() -> new InProcessProducer<>(log, Map.of("interceptor.classes", "com.example.Tracing"),
                new StringSerializer(), new StringSerializer()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("interceptor.classes");
    }

    @Test
    void aTransactionalIdIsRefusedAndTransactionalMethodsThrowIllegalState() {
        assertThatThrownBy(() -> new InProcessProducer<>(log, Map.of("transactional.id", "tx-1"),
                new StringSerializer(), new StringSerializer()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("transactional.id")
                .hasMessageContaining("transactions are not supported");
        try (Producer<String, String> producer = producer()) {
            assertThatThrownBy(producer::initTransactions).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(producer::beginTransaction).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(producer::commitTransaction).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(producer::abortTransaction).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> producer.sendOffsetsToTransaction(Map.of(), null))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void anUnknownTopicFailsTheFutureAndTheCallbackAndCreatesNothing() {
        AtomicReference<RecordMetadata> seenMetadata = new AtomicReference<>();
        AtomicReference<Exception> seenError = new AtomicReference<>();
        try (Producer<String, String> producer = producer()) {
            Future<RecordMetadata> f = producer.send(new ProducerRecord<>("missing", "k", "v"), (md, e) -> {
                seenMetadata.set(md);
                seenError.set(e);
            });
            assertThatThrownBy(f::get).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(UnknownTopicOrPartitionException.class);
            assertThat(seenError.get()).isInstanceOf(UnknownTopicOrPartitionException.class);
            assertThat(seenMetadata.get().offset()).isEqualTo(-1);
            assertThat(seenMetadata.get().topic()).isEqualTo("missing");
        }
        assertThat(log.topics()).doesNotContain("missing");
    }

    @Test
    void aRecordOverTheTopicsLimitIsRecordTooLargeThroughTheFuture() {
        log.createTopic("small", TopicConfig.defaults().withMaxRecordBytes(1024));
        try (Producer<String, String> producer = producer()) {
            Future<RecordMetadata> f = producer.send(new ProducerRecord<>("small", "x".repeat(4096)));
            assertThatThrownBy(f::get).hasCauseInstanceOf(RecordTooLargeException.class);
        }
        assertThat(log.endOffset(new dev.cairn.log.TopicPartition("small", 0))).isZero();
    }

    @Test
    void anInvalidPartitionAndABadTypeAreThrownBySend() {
        log.createTopic("t", TopicConfig.defaults().withPartitions(2));
        try (InProcessProducer<String, String> producer = producer()) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("t", 5, "k", "v")))
                    .isInstanceOf(KafkaException.class).hasMessageContaining("partition");
            @SuppressWarnings({"unchecked", "rawtypes"})
            Producer<Object, Object> raw = (Producer) producer;
            assertThatThrownBy(() -> raw.send(new ProducerRecord<>("t", 42, "v")))
                    .isInstanceOf(SerializationException.class);
        }
        assertThat(log.endOffset(new dev.cairn.log.TopicPartition("t", 0))).isZero();
    }

    @Test
    void callbacksRunInSendOrderAndFlushWaitsForThemUnderFsyncDurability() {
        log.createTopic("t", TopicConfig.defaults().withDurability(Durability.ALWAYS));
        List<Long> offsets = Collections.synchronizedList(new ArrayList<>());
        try (Producer<String, String> producer = producer()) {
            for (int i = 0; i < 200; i++) {
                producer.send(new ProducerRecord<>("t", "v" + i), (md, e) -> offsets.add(md.offset()));
            }
            producer.flush();
            assertThat(offsets).hasSize(200).isSorted();
        }
    }

    @Test
    void aClosedProducerRefusesSendsAndCloseIsIdempotent() {
        log.createTopic("t", TopicConfig.defaults());
        InProcessProducer<String, String> producer = producer();
        assertThatThrownBy(() -> producer.close(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        producer.close(Duration.ZERO);
        producer.close();
        assertThatThrownBy(() -> producer.send(new ProducerRecord<>("t", "v")))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void partitionsForMetricsAndTelemetry() {
        log.createTopic("t", TopicConfig.defaults().withPartitions(3));
        try (Producer<String, String> producer = producer()) {
            List<PartitionInfo> infos = producer.partitionsFor("t");
            assertThat(infos).extracting(PartitionInfo::partition).containsExactly(0, 1, 2);
            assertThat(infos).allSatisfy(i -> {
                assertThat(i.leader()).isEqualTo(Conversions.LOCAL_NODE);
                assertThat(i.inSyncReplicas()).containsExactly(Conversions.LOCAL_NODE);
            });
            assertThatThrownBy(() -> producer.partitionsFor("missing"))
                    .isInstanceOf(UnknownTopicOrPartitionException.class);
            assertThat(producer.metrics()).isEmpty();
            assertThatThrownBy(() -> producer.clientInstanceId(Duration.ZERO))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    /** A partitioner that sends everything to the last partition, and records its life. */
    public static class LastPartition implements Partitioner {
        static volatile Map<String, Object> configured;
        static volatile boolean closed;

        @Override
        public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes,
                Cluster cluster) {
            return cluster.partitionCountForTopic(topic) - 1;
        }

        @Override
        public void configure(Map<String, ?> configs) {
            configured = Map.copyOf(configs);
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void aConfiguredPartitionerPicksThePartition() throws Exception {
        log.createTopic("t", TopicConfig.defaults().withPartitions(4));
        InProcessProducer<String, String> producer = new InProcessProducer<>(log,
                Map.of("partitioner.class", LastPartition.class.getName()), new StringSerializer(),
                new StringSerializer());
        assertThat(LastPartition.configured).containsKey("partitioner.class");
        assertThat(producer.send(new ProducerRecord<>("t", "k", "v")).get(10, TimeUnit.SECONDS).partition())
                .isEqualTo(3);
        producer.close();
        assertThat(LastPartition.closed).isTrue();
    }

    @Test
    void ignoringKeysSpreadsKeyedRecords() throws Exception {
        log.createTopic("t", TopicConfig.defaults().withPartitions(3));
        Set<Integer> used = new HashSet<>();
        try (Producer<String, String> producer = new InProcessProducer<>(log,
                Map.of("partitioner.ignore.keys", "true"), new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 3; i++) {
                used.add(producer.send(new ProducerRecord<>("t", "same-key", "v")).get().partition());
            }
        }
        assertThat(used).containsExactlyInAnyOrder(0, 1, 2);
    }
}
