package dev.cairn.server.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import dev.cairn.log.ConsumerConfig;
import dev.cairn.log.ProducerRecord;
import dev.cairn.log.TopicConfig;
import dev.cairn.log.TopicPartition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * FindCoordinator, OffsetCommit and OffsetFetch against a KafkaServer on an in-memory Cairn: the
 * client-level tests with the log's committed offsets checked through the Java API, and what only
 * Cairn has (offsets committed through the Java API, Java-API group members) or needs a bare wire
 * client to send.
 */
class KafkaGroupOffsetsTest extends AbstractKafkaGroupOffsetsTest {
    private final Cairn cairn = Cairn.inMemory();
    private final KafkaServer server = KafkaServer.start(cairn, KafkaServerOptions.DEFAULT.withPort(0));
    private final org.apache.kafka.common.TopicPartition k0 = new org.apache.kafka.common.TopicPartition("t", 0);
    private final org.apache.kafka.common.TopicPartition k1 = new org.apache.kafka.common.TopicPartition("t", 1);

    KafkaGroupOffsetsTest() {
        cairn.log().createTopic("t", TopicConfig.defaults().withPartitions(2));
        for (int i = 0; i < 10; i++) {
            cairn.log().append(new ProducerRecord("t", 0, null, null, new byte[] {(byte) i}, null));
            cairn.log().append(new ProducerRecord("t", 1, null, null, new byte[] {(byte) i}, null));
        }
    }

    @AfterEach
    void tearDown() {
        cairn.close();
    }

    @Override
    protected String bootstrapServers() {
        return server.bootstrapServers();
    }

    // The log's committed offsets have no metadata string: a deviation from Kafka, which keeps it.
    @Override
    protected String expectedMetadata(String committed) {
        return "";
    }

    @Override
    protected void checkCommitted(String group, Map<org.apache.kafka.common.TopicPartition, Long> offsets) {
        Map<TopicPartition, Long> expected = new java.util.HashMap<>();
        offsets.forEach((tp, offset) -> expected.put(new TopicPartition(tp.topic(), tp.partition()), offset));
        assertThat(cairn.log().committedOffsets(group)).containsExactlyInAnyOrderEntriesOf(expected);
    }

    private KafkaConsumer<byte[], byte[]> consumer(String group) {
        Properties props = new Properties();
        props.put("bootstrap.servers", server.bootstrapServers());
        props.put("group.id", group);
        props.put("enable.auto.commit", "false");
        props.put("auto.offset.reset", "earliest");
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @Test
    void offsetsCommittedThroughTheJavaApiAreFetchedOverTheWire() {
        cairn.log().alterCommittedOffsets("j", Map.of(new TopicPartition("t", 1), 3L));
        try (KafkaConsumer<byte[], byte[]> consumer = consumer("j")) {
            consumer.assign(List.of(k0, k1));
            assertThat(consumer.position(k1)).isEqualTo(3);
            assertThat(consumer.position(k0)).as("no commit: auto.offset.reset earliest").isZero();
        }
    }

    @Test
    void aCommitToAGroupWithLiveMembersIsRefusedAsFromANonMember() throws Exception {
        cairn.log().alterCommittedOffsets("live", Map.of(new TopicPartition("t", 0), 2L));
        try (dev.cairn.log.Consumer member = cairn.log().consumer(ConsumerConfig.group("live"))) {
            member.subscribe(List.of("t"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (member.assignment().isEmpty() && System.nanoTime() < deadline) {
                member.poll(Duration.ofMillis(50));
            }
            assertThat(member.assignment()).isNotEmpty();
            try (KafkaWireClient client = new KafkaWireClient(server.port())) {
                OffsetCommitResponseData response = client.call(ApiKeys.OFFSET_COMMIT, (short) 9,
                        commit("live", -1, "t", 0, 5), OffsetCommitResponseData.class);
                assertThat(Errors.forCode(response.topics().get(0).partitions().get(0).errorCode()))
                        .isEqualTo(Errors.UNKNOWN_MEMBER_ID);
            }
        }
        assertThat(cairn.log().committedOffsets("live")).containsExactly(Map.entry(new TopicPartition("t", 0), 2L));
    }

    private static OffsetCommitRequestData commit(String group, int generation, String topic, int partition,
            long offset) {
        return new OffsetCommitRequestData().setGroupId(group).setGenerationIdOrMemberEpoch(generation).setMemberId("")
                .setTopics(List.of(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName(topic)
                        .setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                                .setPartitionIndex(partition).setCommittedOffset(offset)))));
    }

    // Kafka's coordinator keeps the empty group id's offsets (OffsetCommitWireTest checks the
    // answers against a broker); the log stores them as any group's.
    @Test
    void theEmptyGroupIdCommitsToTheLog() throws Exception {
        try (KafkaWireClient client = new KafkaWireClient(server.port())) {
            OffsetCommitResponseData response = client.call(ApiKeys.OFFSET_COMMIT, (short) 8,
                    commit("", -1, "t", 0, 6), OffsetCommitResponseData.class);
            assertThat(Errors.forCode(response.topics().get(0).partitions().get(0).errorCode())).isEqualTo(Errors.NONE);
        }
        assertThat(cairn.log().committedOffsets("")).containsExactly(Map.entry(new TopicPartition("t", 0), 6L));
    }

    @Test
    void offsetFetchAnswersSeveralGroupsAndFindCoordinatorSeveralKeys() throws Exception {
        cairn.log().alterCommittedOffsets("a", Map.of(new TopicPartition("t", 0), 1L));
        cairn.log().alterCommittedOffsets("b", Map.of(new TopicPartition("t", 1), 2L));
        try (KafkaWireClient client = new KafkaWireClient(server.port())) {
            OffsetFetchResponseData fetched = client.call(ApiKeys.OFFSET_FETCH, (short) 9, new OffsetFetchRequestData()
                    .setGroups(List.of(
                            new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("a").setTopics(null),
                            new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("b").setTopics(List.of(
                                    new OffsetFetchRequestData.OffsetFetchRequestTopics().setName("t")
                                            .setPartitionIndexes(List.of(0, 1)))))), OffsetFetchResponseData.class);
            assertThat(fetched.groups()).hasSize(2);
            var a = fetched.groups().get(0);
            assertThat(a.groupId()).isEqualTo("a");
            assertThat(a.topics().get(0).partitions()).singleElement()
                    .satisfies(p -> assertThat(p.committedOffset()).isEqualTo(1));
            var b = fetched.groups().get(1);
            assertThat(b.topics().get(0).partitions()).extracting(p -> p.committedOffset()).containsExactly(-1L, 2L);

            FindCoordinatorResponseData found = client.call(ApiKeys.FIND_COORDINATOR, (short) 4,
                    new FindCoordinatorRequestData().setKeyType((byte) 0).setCoordinatorKeys(List.of("a", "b")),
                    FindCoordinatorResponseData.class);
            assertThat(found.coordinators()).extracting(c -> c.key()).containsExactly("a", "b");
            assertThat(found.coordinators()).allSatisfy(c -> {
                assertThat(c.errorCode()).isZero();
                assertThat(c.port()).isEqualTo(server.port());
            });
            FindCoordinatorResponseData transaction = client.call(ApiKeys.FIND_COORDINATOR, (short) 4,
                    new FindCoordinatorRequestData().setKeyType((byte) 1).setCoordinatorKeys(List.of("tx")),
                    FindCoordinatorResponseData.class);
            assertThat(Errors.forCode(transaction.coordinators().get(0).errorCode()))
                    .isEqualTo(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
        }
    }
}
