package dev.cairn.server.kafka;

import static dev.cairn.server.kafka.ClientTestSupport.TIMEOUT_S;
import static dev.cairn.server.kafka.ClientTestSupport.eventually;
import static dev.cairn.server.kafka.ClientTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.AlterConfigsOptions;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreatePartitionsOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * An unmodified kafka-clients {@code Admin} adding partitions, describing and changing topic
 * configs, deleting records and describing the cluster, every change checked through the Admin
 * again: run against Cairn ({@link KafkaAdminTest}), a real Kafka broker
 * ({@link KafkaBrokerAdminTest}) and, with kafka-clients 3.9, Cairn ({@link OlderKafkaClientsTest}).
 */
abstract class AbstractKafkaAdminTest {
    /** The server under test, as a client's bootstrap.servers. */
    protected abstract String bootstrapServers();

    /** The cluster id the server gives in Metadata and DescribeCluster. */
    protected abstract String clusterId();

    /** The node id the server gives itself. */
    protected abstract int nodeId();

    /** Checks, where the server has another view of its data (Cairn's Java API), that {@code topic} has {@code partitions}. */
    protected void checkPartitionCount(String topic, int partitions) {
    }

    /** Checks through that other view that {@code topic}'s partition's log starts at {@code offset}. */
    protected void checkBeginningOffset(TopicPartition tp, long offset) {
    }

    protected Admin admin() {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers());
        return Admin.create(props);
    }

    private static Throwable causeOf(KafkaFuture<?> future) {
        Throwable thrown = catchThrowable(() -> future.get(TIMEOUT_S, TimeUnit.SECONDS));
        assertThat(thrown).isInstanceOf(ExecutionException.class);
        return thrown.getCause();
    }

    private static String create(Admin admin, int partitions, Map<String, String> configs) throws Exception {
        String topic = unique("t");
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1).configs(configs))).all()
                .get(TIMEOUT_S, TimeUnit.SECONDS);
        awaitPartitions(admin, topic, partitions);
        return topic;
    }

    // A broker learns of a change from the metadata log a moment after the controller's reply.
    private static void awaitPartitions(Admin admin, String topic, int partitions) throws Exception {
        eventually(() -> assertThat(admin.describeTopics(List.of(topic)).allTopicNames()
                .get(TIMEOUT_S, TimeUnit.SECONDS).get(topic).partitions()).hasSize(partitions)
                .allSatisfy(p -> assertThat(p.leader()).isNotNull()));
    }

    private static long earliest(Admin admin, TopicPartition tp) throws Exception {
        return admin.listOffsets(Map.of(tp, OffsetSpec.earliest())).partitionResult(tp)
                .get(TIMEOUT_S, TimeUnit.SECONDS).offset();
    }

    private static Map<String, String> config(Admin admin, String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = admin.describeConfigs(List.of(resource)).all().get(TIMEOUT_S, TimeUnit.SECONDS).get(resource);
        return config.entries().stream().collect(java.util.stream.Collectors.toMap(ConfigEntry::name,
                e -> String.valueOf(e.value())));
    }

    @Test
    void createPartitionsAddsPartitions() throws Exception {
        try (Admin admin = admin()) {
            String t = create(admin, 2, Map.of());
            admin.createPartitions(Map.of(t, NewPartitions.increaseTo(4)),
                    new CreatePartitionsOptions().validateOnly(true)).all().get(TIMEOUT_S, TimeUnit.SECONDS);
            checkPartitionCount(t, 2);
            assertThat(admin.describeTopics(List.of(t)).allTopicNames().get(TIMEOUT_S, TimeUnit.SECONDS)
                    .get(t).partitions()).as("validate only").hasSize(2);

            admin.createPartitions(Map.of(t, NewPartitions.increaseTo(5))).all().get(TIMEOUT_S, TimeUnit.SECONDS);
            checkPartitionCount(t, 5);
            awaitPartitions(admin, t, 5);

            assertThat(causeOf(admin.createPartitions(Map.of(t, NewPartitions.increaseTo(3))).all()))
                    .isInstanceOf(InvalidPartitionsException.class);
            assertThat(causeOf(admin.createPartitions(Map.of(unique("missing"), NewPartitions.increaseTo(3))).all()))
                    .isInstanceOf(UnknownTopicOrPartitionException.class);
            assertThat(admin.describeTopics(List.of(t)).allTopicNames().get(TIMEOUT_S, TimeUnit.SECONDS)
                    .get(t).partitions()).hasSize(5);
            checkPartitionCount(t, 5);
        }
    }

    @Test
    void describeConfigsGivesTheTopicsSettingsUnderKafkasNames() throws Exception {
        try (Admin admin = admin()) {
            String t = create(admin, 1, Map.of("retention.ms", "60000", "cleanup.policy", "compact"));
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, t);
            Config config = admin.describeConfigs(List.of(topic)).all().get(TIMEOUT_S, TimeUnit.SECONDS).get(topic);
            assertThat(config.entries()).extracting(ConfigEntry::name).contains("retention.ms",
                    "retention.bytes", "segment.bytes", "segment.ms", "cleanup.policy", "delete.retention.ms",
                    "max.message.bytes", "index.interval.bytes");
            assertThat(config.get("retention.ms").value()).isEqualTo("60000");
            assertThat(config.get("retention.ms").source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
            assertThat(config.get("retention.ms").isDefault()).isFalse();
            assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(config.get("segment.bytes").value()).isEqualTo(Long.toString(1L << 30));
            assertThat(config.get("segment.bytes").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
            assertThat(config.get("segment.bytes").isDefault()).isTrue();
            assertThat(config.get("max.message.bytes").type()).isEqualTo(ConfigEntry.ConfigType.INT);
            assertThat(config.get("retention.ms").type()).isEqualTo(ConfigEntry.ConfigType.LONG);
            assertThat(config.get("cleanup.policy").type()).isEqualTo(ConfigEntry.ConfigType.LIST);

            assertThat(causeOf(admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC,
                    unique("missing")))).all())).isInstanceOf(UnknownTopicOrPartitionException.class);
        }
    }

    @Test
    void incrementalAlterConfigsSetsAndDeletes() throws Exception {
        try (Admin admin = admin()) {
            String t = create(admin, 1, Map.of("retention.bytes", Integer.toString(1 << 20)));
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, t);
            admin.incrementalAlterConfigs(Map.of(topic, List.of(
                    new AlterConfigOp(new ConfigEntry("retention.ms", "120000"), AlterConfigOp.OpType.SET),
                    new AlterConfigOp(new ConfigEntry("max.message.bytes", "2000000"), AlterConfigOp.OpType.SET),
                    new AlterConfigOp(new ConfigEntry("retention.bytes", null), AlterConfigOp.OpType.DELETE))))
                    .all().get(TIMEOUT_S, TimeUnit.SECONDS);
            eventually(() -> assertThat(config(admin, t)).containsEntry("retention.ms", "120000")
                    .containsEntry("max.message.bytes", "2000000")
                    .as("deleted: back to the default").containsEntry("retention.bytes", "-1"));

            admin.incrementalAlterConfigs(Map.of(topic, List.of(new AlterConfigOp(
                    new ConfigEntry("cleanup.policy", "compact"), AlterConfigOp.OpType.SET))),
                    new AlterConfigsOptions().validateOnly(true)).all().get(TIMEOUT_S, TimeUnit.SECONDS);

            // A refused resource changes none of its settings, the valid ones with it included.
            assertThat(causeOf(admin.incrementalAlterConfigs(Map.of(topic, List.of(
                    new AlterConfigOp(new ConfigEntry("retention.ms", "1"), AlterConfigOp.OpType.SET),
                    new AlterConfigOp(new ConfigEntry("no.such.config", "1"), AlterConfigOp.OpType.SET)))).all()))
                    .isInstanceOf(InvalidConfigurationException.class);
            assertThat(causeOf(admin.incrementalAlterConfigs(Map.of(topic, List.of(new AlterConfigOp(
                    new ConfigEntry("segment.bytes", "lots"), AlterConfigOp.OpType.SET)))).all()))
                    .isInstanceOf(InvalidConfigurationException.class);
            assertThat(causeOf(admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC,
                    unique("missing")), List.of(new AlterConfigOp(new ConfigEntry("retention.ms", "1"),
                    AlterConfigOp.OpType.SET)))).all())).isInstanceOf(UnknownTopicOrPartitionException.class);
            assertThat(config(admin, t)).as("validate only and refused changes left it as it was")
                    .containsEntry("retention.ms", "120000").containsEntry("cleanup.policy", "delete");
        }
    }

    // min.insync.replicas: 1 until set, an int settable at creation and by IncrementalAlterConfigs,
    // back to 1 on DELETE; 0 is refused with INVALID_CONFIG.
    @Test
    void minInsyncReplicasIsATopicSetting() throws Exception {
        try (Admin admin = admin()) {
            String topic = create(admin, 1, Map.of());
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config config = admin.describeConfigs(List.of(resource)).all().get(TIMEOUT_S, TimeUnit.SECONDS)
                    .get(resource);
            // Its source is the broker's: a broker started with a min.insync.replicas of its own reports that.
            assertThat(config.get("min.insync.replicas").value()).isEqualTo("1");
            assertThat(config.get("min.insync.replicas").type()).isEqualTo(ConfigEntry.ConfigType.INT);

            String set = create(admin, 1, Map.of("min.insync.replicas", "2"));
            eventually(() -> assertThat(config(admin, set)).containsEntry("min.insync.replicas", "2"));
            admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(
                    new ConfigEntry("min.insync.replicas", "3"), AlterConfigOp.OpType.SET))))
                    .all().get(TIMEOUT_S, TimeUnit.SECONDS);
            eventually(() -> assertThat(config(admin, topic)).containsEntry("min.insync.replicas", "3"));
            admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(
                    new ConfigEntry("min.insync.replicas", null), AlterConfigOp.OpType.DELETE))))
                    .all().get(TIMEOUT_S, TimeUnit.SECONDS);
            eventually(() -> assertThat(config(admin, topic)).containsEntry("min.insync.replicas", "1"));
            assertThat(causeOf(admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(
                    new ConfigEntry("min.insync.replicas", "0"), AlterConfigOp.OpType.SET)))).all()))
                    .isInstanceOf(InvalidConfigurationException.class);
        }
    }

    // message.timestamp.type and min.compaction.lag.ms: described with Kafka's defaults (CreateTime, 0)
    // until set, settable at creation and by IncrementalAlterConfigs, restored to the default by a
    // DELETE, and a bad value refused with INVALID_CONFIG, leaving the topic as it was.
    @Test
    void timestampTypeAndCompactionLagAreTopicSettings() throws Exception {
        try (Admin admin = admin()) {
            String plain = create(admin, 1, Map.of());
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, plain);
            Config config = admin.describeConfigs(List.of(resource)).all().get(TIMEOUT_S, TimeUnit.SECONDS)
                    .get(resource);
            assertThat(config.get("message.timestamp.type").value()).isEqualTo("CreateTime");
            assertThat(config.get("message.timestamp.type").isDefault()).isTrue();
            assertThat(config.get("message.timestamp.type").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
            assertThat(config.get("message.timestamp.type").type()).isEqualTo(ConfigEntry.ConfigType.STRING);
            assertThat(config.get("min.compaction.lag.ms").value()).isEqualTo("0");
            assertThat(config.get("min.compaction.lag.ms").isDefault()).isTrue();
            assertThat(config.get("min.compaction.lag.ms").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
            assertThat(config.get("min.compaction.lag.ms").type()).isEqualTo(ConfigEntry.ConfigType.LONG);

            String set = create(admin, 1, Map.of("message.timestamp.type", "LogAppendTime",
                    "min.compaction.lag.ms", "60000"));
            ConfigResource setResource = new ConfigResource(ConfigResource.Type.TOPIC, set);
            Config setConfig = admin.describeConfigs(List.of(setResource)).all().get(TIMEOUT_S, TimeUnit.SECONDS)
                    .get(setResource);
            assertThat(setConfig.get("message.timestamp.type").value()).isEqualTo("LogAppendTime");
            assertThat(setConfig.get("message.timestamp.type").isDefault()).isFalse();
            assertThat(setConfig.get("message.timestamp.type").source())
                    .isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
            assertThat(setConfig.get("min.compaction.lag.ms").value()).isEqualTo("60000");
            assertThat(setConfig.get("min.compaction.lag.ms").source())
                    .isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);

            admin.incrementalAlterConfigs(Map.of(resource, List.of(
                    new AlterConfigOp(new ConfigEntry("message.timestamp.type", "LogAppendTime"),
                            AlterConfigOp.OpType.SET),
                    new AlterConfigOp(new ConfigEntry("min.compaction.lag.ms", "1000"), AlterConfigOp.OpType.SET))))
                    .all().get(TIMEOUT_S, TimeUnit.SECONDS);
            eventually(() -> assertThat(config(admin, plain)).containsEntry("message.timestamp.type", "LogAppendTime")
                    .containsEntry("min.compaction.lag.ms", "1000"));
            admin.incrementalAlterConfigs(Map.of(setResource, List.of(
                    new AlterConfigOp(new ConfigEntry("message.timestamp.type", null), AlterConfigOp.OpType.DELETE),
                    new AlterConfigOp(new ConfigEntry("min.compaction.lag.ms", null), AlterConfigOp.OpType.DELETE))))
                    .all().get(TIMEOUT_S, TimeUnit.SECONDS);
            eventually(() -> assertThat(config(admin, set)).containsEntry("message.timestamp.type", "CreateTime")
                    .containsEntry("min.compaction.lag.ms", "0"));

            assertThat(causeOf(admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(
                    new ConfigEntry("message.timestamp.type", "Foo"), AlterConfigOp.OpType.SET)))).all()))
                    .isInstanceOf(InvalidConfigurationException.class);
            assertThat(causeOf(admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(
                    new ConfigEntry("min.compaction.lag.ms", "-1"), AlterConfigOp.OpType.SET)))).all()))
                    .isInstanceOf(InvalidConfigurationException.class);
            assertThat(causeOf(admin.createTopics(List.of(new NewTopic(unique("bad"), 1, (short) 1)
                    .configs(Map.of("message.timestamp.type", "Foo")))).all()))
                    .isInstanceOf(InvalidConfigurationException.class);
            assertThat(causeOf(admin.createTopics(List.of(new NewTopic(unique("bad"), 1, (short) 1)
                    .configs(Map.of("min.compaction.lag.ms", "-5")))).all()))
                    .isInstanceOf(InvalidConfigurationException.class);
            assertThat(config(admin, plain)).as("refused changes left it as it was")
                    .containsEntry("message.timestamp.type", "LogAppendTime").containsEntry("min.compaction.lag.ms", "1000");
        }
    }

    @Test
    void deleteRecordsMovesTheBeginningOffset() throws Exception {
        try (Admin admin = admin()) {
            String t = create(admin, 2, Map.of());
            String compacted = create(admin, 1, Map.of("cleanup.policy", "compact"));
            Properties props = new Properties();
            props.put("bootstrap.servers", bootstrapServers());
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                    new ByteArraySerializer())) {
                for (int i = 0; i < 10; i++) {
                    producer.send(new ProducerRecord<>(t, 0, null, new byte[] {(byte) i}));
                    producer.send(new ProducerRecord<>(t, 1, null, new byte[] {(byte) i}));
                }
                producer.send(new ProducerRecord<>(compacted, 0, new byte[] {1}, new byte[] {1}))
                        .get(TIMEOUT_S, TimeUnit.SECONDS);
                producer.flush();
            }
            var p0 = new TopicPartition(t, 0);
            var p1 = new TopicPartition(t, 1);
            var result = admin.deleteRecords(Map.of(p0, RecordsToDelete.beforeOffset(4),
                    p1, RecordsToDelete.beforeOffset(-1))).lowWatermarks();
            assertThat(result.get(p0).get(TIMEOUT_S, TimeUnit.SECONDS).lowWatermark()).isEqualTo(4);
            assertThat(result.get(p1).get(TIMEOUT_S, TimeUnit.SECONDS).lowWatermark()).as("-1: the high watermark")
                    .isEqualTo(10);
            assertThat(earliest(admin, p0)).isEqualTo(4);
            assertThat(earliest(admin, p1)).isEqualTo(10);
            checkBeginningOffset(p0, 4);
            checkBeginningOffset(p1, 10);

            assertThat(causeOf(admin.deleteRecords(Map.of(p0, RecordsToDelete.beforeOffset(11))).all()))
                    .isInstanceOf(OffsetOutOfRangeException.class);
            var c0 = new TopicPartition(compacted, 0);
            assertThat(causeOf(admin.deleteRecords(Map.of(c0, RecordsToDelete.beforeOffset(1))).all()))
                    .isInstanceOf(PolicyViolationException.class);
            assertThat(earliest(admin, p0)).isEqualTo(4);
            assertThat(earliest(admin, c0)).isZero();
        }
    }

    @Test
    void describeClusterNamesThisNodeUnderMetadatasClusterId() throws Exception {
        try (Admin admin = admin()) {
            DescribeClusterResult cluster = admin.describeCluster();
            Node node = cluster.controller().get(TIMEOUT_S, TimeUnit.SECONDS);
            assertThat(node.id()).isEqualTo(nodeId());
            String servers = bootstrapServers();
            assertThat(node.port()).isEqualTo(Integer.parseInt(servers.substring(servers.lastIndexOf(':') + 1)));
            assertThat(cluster.nodes().get(TIMEOUT_S, TimeUnit.SECONDS)).containsExactly(node);
            assertThat(cluster.clusterId().get(TIMEOUT_S, TimeUnit.SECONDS)).isEqualTo(clusterId());
        }
    }
}
