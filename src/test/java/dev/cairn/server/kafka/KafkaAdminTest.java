package dev.cairn.server.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cairn.Cairn;
import dev.cairn.log.CleanupPolicy;
import dev.cairn.log.ProducerRecord;
import dev.cairn.log.TopicConfig;
import dev.cairn.log.TopicPartition;
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
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An unmodified kafka-clients {@code Admin} adding partitions, describing and changing topic
 * configs, deleting records and describing the cluster; each change is checked through the Java
 * log API.
 */
class KafkaAdminTest {
    private static final long TIMEOUT_S = 30;
    private final Cairn cairn = Cairn.inMemory();
    private final KafkaServer server = KafkaServer.start(cairn, KafkaServerOptions.DEFAULT.withPort(0));

    @AfterEach
    void tearDown() {
        cairn.close();
    }

    private Admin admin() {
        Properties props = new Properties();
        props.put("bootstrap.servers", server.bootstrapServers());
        return Admin.create(props);
    }

    private static Throwable causeOf(org.apache.kafka.common.KafkaFuture<?> future) {
        Throwable thrown = catchThrowable(() -> future.get(TIMEOUT_S, TimeUnit.SECONDS));
        assertThat(thrown).isInstanceOf(ExecutionException.class);
        return thrown.getCause();
    }

    @Test
    void createPartitionsAddsPartitionsTheLogSees() throws Exception {
        cairn.log().createTopic("t", TopicConfig.defaults().withPartitions(2));
        try (Admin admin = admin()) {
            admin.createPartitions(Map.of("t", NewPartitions.increaseTo(4)),
                    new CreatePartitionsOptions().validateOnly(true)).all().get(TIMEOUT_S, TimeUnit.SECONDS);
            assertThat(cairn.log().describeTopic("t").partitions()).as("validate only").hasSize(2);

            admin.createPartitions(Map.of("t", NewPartitions.increaseTo(5))).all().get(TIMEOUT_S, TimeUnit.SECONDS);
            assertThat(cairn.log().describeTopic("t").partitions()).hasSize(5);
            assertThat(admin.describeTopics(List.of("t")).allTopicNames().get(TIMEOUT_S, TimeUnit.SECONDS)
                    .get("t").partitions()).hasSize(5);

            assertThat(causeOf(admin.createPartitions(Map.of("t", NewPartitions.increaseTo(3))).all()))
                    .isInstanceOf(InvalidPartitionsException.class);
            assertThat(causeOf(admin.createPartitions(Map.of("missing", NewPartitions.increaseTo(3))).all()))
                    .isInstanceOf(UnknownTopicOrPartitionException.class);
            assertThat(cairn.log().describeTopic("t").partitions()).hasSize(5);
        }
    }

    @Test
    void describeConfigsGivesTheTopicsSettingsUnderKafkasNames() throws Exception {
        cairn.log().createTopic("t", TopicConfig.defaults().withRetentionMs(60_000).withCleanupPolicy(
                CleanupPolicy.COMPACT));
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "t");
        ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "1");
        try (Admin admin = admin()) {
            Map<ConfigResource, Config> configs = admin.describeConfigs(List.of(topic, broker)).all()
                    .get(TIMEOUT_S, TimeUnit.SECONDS);
            Config config = configs.get(topic);
            assertThat(config.entries()).extracting(ConfigEntry::name).containsExactlyInAnyOrder("retention.ms",
                    "retention.bytes", "segment.bytes", "segment.ms", "cleanup.policy", "delete.retention.ms",
                    "max.message.bytes", "index.interval.bytes");
            assertThat(config.get("retention.ms").value()).isEqualTo("60000");
            assertThat(config.get("retention.ms").source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
            assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(config.get("segment.bytes").value()).isEqualTo(Long.toString(1L << 30));
            assertThat(config.get("segment.bytes").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
            assertThat(config.get("segment.bytes").isDefault()).isTrue();
            assertThat(config.get("max.message.bytes").type()).isEqualTo(ConfigEntry.ConfigType.INT);
            assertThat(configs.get(broker).entries()).isEmpty();

            assertThat(causeOf(admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC,
                    "missing"))).all())).isInstanceOf(UnknownTopicOrPartitionException.class);
        }
    }

    @Test
    void incrementalAlterConfigsSetsAndDeletesThroughTheLog() throws Exception {
        cairn.log().createTopic("t", TopicConfig.defaults().withRetentionBytes(1 << 20));
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "t");
        try (Admin admin = admin()) {
            admin.incrementalAlterConfigs(Map.of(topic, List.of(
                    new AlterConfigOp(new ConfigEntry("retention.ms", "120000"), AlterConfigOp.OpType.SET),
                    new AlterConfigOp(new ConfigEntry("max.message.bytes", "2000000"), AlterConfigOp.OpType.SET),
                    new AlterConfigOp(new ConfigEntry("retention.bytes", null), AlterConfigOp.OpType.DELETE))))
                    .all().get(TIMEOUT_S, TimeUnit.SECONDS);
            TopicConfig config = cairn.log().describeTopic("t").config();
            assertThat(config.retentionMs()).isEqualTo(120_000);
            assertThat(config.maxRecordBytes()).isEqualTo(2_000_000);
            assertThat(config.retentionBytes()).as("deleted: back to the default").isEqualTo(-1);
            assertThat(admin.describeConfigs(List.of(topic)).all().get(TIMEOUT_S, TimeUnit.SECONDS).get(topic)
                    .get("retention.ms").value()).isEqualTo("120000");

            admin.incrementalAlterConfigs(Map.of(topic, List.of(new AlterConfigOp(
                    new ConfigEntry("cleanup.policy", "compact"), AlterConfigOp.OpType.SET))),
                    new AlterConfigsOptions().validateOnly(true)).all().get(TIMEOUT_S, TimeUnit.SECONDS);
            assertThat(cairn.log().describeTopic("t").config().cleanupPolicy()).as("validate only")
                    .isEqualTo(CleanupPolicy.DELETE);

            // A refused resource changes none of its settings, the valid ones with it included.
            assertThat(causeOf(admin.incrementalAlterConfigs(Map.of(topic, List.of(
                    new AlterConfigOp(new ConfigEntry("retention.ms", "1"), AlterConfigOp.OpType.SET),
                    new AlterConfigOp(new ConfigEntry("no.such.config", "1"), AlterConfigOp.OpType.SET)))).all()))
                    .isInstanceOf(InvalidConfigurationException.class);
            assertThat(causeOf(admin.incrementalAlterConfigs(Map.of(topic, List.of(new AlterConfigOp(
                    new ConfigEntry("segment.bytes", "lots"), AlterConfigOp.OpType.SET)))).all()))
                    .isInstanceOf(InvalidConfigurationException.class);
            assertThat(causeOf(admin.incrementalAlterConfigs(Map.of(topic, List.of(new AlterConfigOp(
                    new ConfigEntry("max.message.bytes", "1000"), AlterConfigOp.OpType.SET)))).all()))
                    .isInstanceOf(InvalidConfigurationException.class);
            assertThat(causeOf(admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC,
                    "missing"), List.of(new AlterConfigOp(new ConfigEntry("retention.ms", "1"),
                    AlterConfigOp.OpType.SET)))).all())).isInstanceOf(UnknownTopicOrPartitionException.class);
            assertThat(cairn.log().describeTopic("t").config()).isEqualTo(config);
        }
    }

    @Test
    void deleteRecordsMovesTheBeginningOffset() throws Exception {
        cairn.log().createTopic("t", TopicConfig.defaults().withPartitions(2));
        cairn.log().createTopic("compacted", TopicConfig.defaults().withCleanupPolicy(CleanupPolicy.COMPACT));
        for (int i = 0; i < 10; i++) {
            cairn.log().append(new ProducerRecord("t", 0, null, null, new byte[] {(byte) i}, null));
            cairn.log().append(new ProducerRecord("t", 1, null, null, new byte[] {(byte) i}, null));
        }
        cairn.log().append(ProducerRecord.of("compacted", new byte[] {1}));
        var p0 = new org.apache.kafka.common.TopicPartition("t", 0);
        var p1 = new org.apache.kafka.common.TopicPartition("t", 1);
        try (Admin admin = admin()) {
            var result = admin.deleteRecords(Map.of(p0, RecordsToDelete.beforeOffset(4),
                    p1, RecordsToDelete.beforeOffset(-1))).lowWatermarks();
            assertThat(result.get(p0).get(TIMEOUT_S, TimeUnit.SECONDS).lowWatermark()).isEqualTo(4);
            assertThat(result.get(p1).get(TIMEOUT_S, TimeUnit.SECONDS).lowWatermark()).as("-1: the high watermark")
                    .isEqualTo(10);
            assertThat(cairn.log().beginningOffset(new TopicPartition("t", 0))).isEqualTo(4);
            assertThat(cairn.log().beginningOffset(new TopicPartition("t", 1))).isEqualTo(10);

            assertThat(causeOf(admin.deleteRecords(Map.of(p0, RecordsToDelete.beforeOffset(11))).all()))
                    .isInstanceOf(OffsetOutOfRangeException.class);
            assertThat(causeOf(admin.deleteRecords(Map.of(new org.apache.kafka.common.TopicPartition("compacted", 0),
                    RecordsToDelete.beforeOffset(1))).all())).isInstanceOf(PolicyViolationException.class);
            assertThat(cairn.log().beginningOffset(new TopicPartition("t", 0))).isEqualTo(4);
            assertThat(cairn.log().beginningOffset(new TopicPartition("compacted", 0))).isZero();
        }
    }

    @Test
    void describeClusterNamesThisNodeUnderMetadatasClusterId() throws Exception {
        try (Admin admin = admin()) {
            DescribeClusterResult cluster = admin.describeCluster();
            Node node = cluster.controller().get(TIMEOUT_S, TimeUnit.SECONDS);
            assertThat(node.id()).isEqualTo(KafkaServerOptions.DEFAULT.nodeId());
            assertThat(node.port()).isEqualTo(server.port());
            assertThat(cluster.nodes().get(TIMEOUT_S, TimeUnit.SECONDS)).containsExactly(node);
            assertThat(cluster.clusterId().get(TIMEOUT_S, TimeUnit.SECONDS)).isEqualTo(server.state().clusterId);
        }
    }
}
