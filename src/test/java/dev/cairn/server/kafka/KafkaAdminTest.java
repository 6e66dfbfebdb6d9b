package dev.cairn.server.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cairn.Cairn;
import dev.cairn.log.CleanupPolicy;
import dev.cairn.log.TopicConfig;
import dev.cairn.log.TopicPartition;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.AlterConfigsOptions;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Admin tests against a KafkaServer on an in-memory Cairn, each change checked through the Java
 * log API as well; and where Cairn answers otherwise than a Kafka broker: it describes a topic's
 * eight settings only and no broker settings, and max.message.bytes can only grow.
 */
class KafkaAdminTest extends AbstractKafkaAdminTest {
    private static final long TIMEOUT_S = ClientTestSupport.TIMEOUT_S;
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
    protected String clusterId() {
        return server.state().clusterId;
    }

    @Override
    protected int nodeId() {
        return KafkaServerOptions.DEFAULT.nodeId();
    }

    @Override
    protected void checkPartitionCount(String topic, int partitions) {
        assertThat(cairn.log().describeTopic(topic).partitions()).hasSize(partitions);
    }

    @Override
    protected void checkBeginningOffset(org.apache.kafka.common.TopicPartition tp, long offset) {
        assertThat(cairn.log().beginningOffset(new TopicPartition(tp.topic(), tp.partition()))).isEqualTo(offset);
    }

    @Test
    void describeConfigsGivesTheElevenSettingsOfATopicAndNoneOfABroker() throws Exception {
        cairn.log().createTopic("t", TopicConfig.defaults().withRetentionMs(60_000).withCleanupPolicy(
                CleanupPolicy.COMPACT));
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "t");
        ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "1");
        try (Admin admin = admin()) {
            Map<ConfigResource, Config> configs = admin.describeConfigs(List.of(topic, broker)).all()
                    .get(TIMEOUT_S, TimeUnit.SECONDS);
            assertThat(configs.get(topic).entries()).extracting(ConfigEntry::name).containsExactlyInAnyOrder(
                    "retention.ms", "retention.bytes", "segment.bytes", "segment.ms", "cleanup.policy",
                    "delete.retention.ms", "max.message.bytes", "index.interval.bytes", "message.timestamp.type",
                    "min.compaction.lag.ms", "min.insync.replicas");
            assertThat(configs.get(topic).get("retention.ms").value()).isEqualTo("60000");
            assertThat(configs.get(broker).entries()).isEmpty();
        }
    }

    @Test
    void incrementalAlterConfigsChangesTheLogsTopicConfigOrNothing() throws Exception {
        cairn.log().createTopic("t", TopicConfig.defaults().withRetentionBytes(1 << 20));
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "t");
        try (Admin admin = admin()) {
            admin.incrementalAlterConfigs(Map.of(topic, List.of(
                    new AlterConfigOp(new ConfigEntry("retention.ms", "120000"), AlterConfigOp.OpType.SET),
                    new AlterConfigOp(new ConfigEntry("max.message.bytes", "2000000"), AlterConfigOp.OpType.SET),
                    new AlterConfigOp(new ConfigEntry("retention.bytes", null), AlterConfigOp.OpType.DELETE))))
                    .all().get(TIMEOUT_S, TimeUnit.SECONDS);
            admin.incrementalAlterConfigs(Map.of(topic, List.of(
                    new AlterConfigOp(new ConfigEntry("message.timestamp.type", "LogAppendTime"),
                            AlterConfigOp.OpType.SET),
                    new AlterConfigOp(new ConfigEntry("min.compaction.lag.ms", "5000"), AlterConfigOp.OpType.SET))))
                    .all().get(TIMEOUT_S, TimeUnit.SECONDS);
            TopicConfig config = cairn.log().describeTopic("t").config();
            assertThat(config.timestampType()).isEqualTo(dev.cairn.log.TimestampType.LOG_APPEND_TIME);
            assertThat(config.minCompactionLagMs()).isEqualTo(5_000);
            assertThat(config.retentionMs()).isEqualTo(120_000);
            assertThat(config.maxRecordBytes()).isEqualTo(2_000_000);
            assertThat(config.retentionBytes()).as("deleted: back to the default").isEqualTo(-1);

            admin.incrementalAlterConfigs(Map.of(topic, List.of(new AlterConfigOp(
                    new ConfigEntry("cleanup.policy", "compact"), AlterConfigOp.OpType.SET))),
                    new AlterConfigsOptions().validateOnly(true)).all().get(TIMEOUT_S, TimeUnit.SECONDS);
            assertThat(cairn.log().describeTopic("t").config().cleanupPolicy()).as("validate only")
                    .isEqualTo(CleanupPolicy.DELETE);

            // Unlike a Kafka broker's, the log's largest record size can only grow.
            Throwable thrown = catchThrowable(() -> admin.incrementalAlterConfigs(Map.of(topic, List.of(
                    new AlterConfigOp(new ConfigEntry("max.message.bytes", "1000"), AlterConfigOp.OpType.SET))))
                    .all().get(TIMEOUT_S, TimeUnit.SECONDS));
            assertThat(thrown).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(InvalidConfigurationException.class);
            assertThat(cairn.log().describeTopic("t").config()).isEqualTo(config);
        }
    }
}
