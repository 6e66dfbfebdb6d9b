package dev.cairn.server.kafka;

import static dev.cairn.server.kafka.ClientTestSupport.TIMEOUT_S;
import static dev.cairn.server.kafka.ClientTestSupport.eventually;
import static dev.cairn.server.kafka.ClientTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/**
 * OffsetCommit's answers to what a KafkaConsumer would not send (unknown partitions, a
 * generation without a member, the empty group id), sent with a bare wire client: run against
 * Cairn ({@link OffsetCommitWireTest}) and a real Kafka broker ({@link KafkaBrokerOffsetCommitWireTest}).
 */
abstract class AbstractOffsetCommitWireTest {
    /** The server under test, as a client's bootstrap.servers. */
    protected abstract String bootstrapServers();

    /** The port of the server's listener on 127.0.0.1. */
    protected abstract int port();

    private static OffsetCommitRequestData commit(String group, int generation, String topic, int partition,
            long offset) {
        return new OffsetCommitRequestData().setGroupId(group).setGenerationIdOrMemberEpoch(generation).setMemberId("")
                .setTopics(List.of(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName(topic)
                        .setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                                .setPartitionIndex(partition).setCommittedOffset(offset)))));
    }

    /** Each partition's error, as topic-partition to error. */
    private static Map<String, Errors> errors(OffsetCommitResponseData response) {
        Map<String, Errors> errors = new HashMap<>();
        response.topics().forEach(t -> t.partitions().forEach(p -> errors.put(t.name() + "-" + p.partitionIndex(),
                Errors.forCode(p.errorCode()))));
        return errors;
    }

    private static Map<String, Long> fetch(KafkaWireClient client, String group, String topic) throws Exception {
        OffsetFetchResponseData fetched = client.call(ApiKeys.OFFSET_FETCH, (short) 8, new OffsetFetchRequestData()
                .setGroups(List.of(new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId(group).setTopics(
                        List.of(new OffsetFetchRequestData.OffsetFetchRequestTopics().setName(topic)
                                .setPartitionIndexes(List.of(0, 1)))))), OffsetFetchResponseData.class);
        assertThat(Errors.forCode(fetched.groups().get(0).errorCode())).isEqualTo(Errors.NONE);
        Map<String, Long> offsets = new HashMap<>();
        fetched.groups().get(0).topics().forEach(t -> t.partitions().forEach(p ->
                offsets.put(t.name() + "-" + p.partitionIndex(), p.committedOffset())));
        return offsets;
    }

    @Test
    void offsetCommitRefusesWhatItCannotCommitPartitionByPartition() throws Exception {
        String topic = unique("t");
        String missing = unique("missing");
        String group = unique("g");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get(TIMEOUT_S, TimeUnit.SECONDS);
            eventually(() -> assertThat(admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(TIMEOUT_S, TimeUnit.SECONDS).get(topic).partitions()).hasSize(2));
        }
        try (KafkaWireClient client = new KafkaWireClient(port())) {
            // A broker's group coordinator is there once its offsets topic is.
            eventually(() -> assertThat(client.call(ApiKeys.FIND_COORDINATOR, (short) 4,
                    new FindCoordinatorRequestData().setKeyType((byte) 0).setCoordinatorKeys(List.of(group)),
                    FindCoordinatorResponseData.class).coordinators().get(0).errorCode()).isZero());

            OffsetCommitRequestData request = new OffsetCommitRequestData().setGroupId(group)
                    .setGenerationIdOrMemberEpoch(-1).setMemberId("").setTopics(List.of(
                            new OffsetCommitRequestData.OffsetCommitRequestTopic().setName(topic).setPartitions(List.of(
                                    new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(0)
                                            .setCommittedOffset(5),
                                    new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(2)
                                            .setCommittedOffset(5))),
                            new OffsetCommitRequestData.OffsetCommitRequestTopic().setName(missing).setPartitions(
                                    List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                                            .setPartitionIndex(0).setCommittedOffset(1)))));
            // ... and answers for the group once it has loaded it (NOT_COORDINATOR until then): the
            // request is sent again until then, as a client would.
            eventually(() -> assertThat(errors(client.call(ApiKeys.OFFSET_COMMIT, (short) 8, request,
                    OffsetCommitResponseData.class)))
                    .containsExactlyInAnyOrderEntriesOf(Map.of(topic + "-0", Errors.NONE,
                            topic + "-2", Errors.UNKNOWN_TOPIC_OR_PARTITION,
                            missing + "-0", Errors.UNKNOWN_TOPIC_OR_PARTITION)));
            assertThat(fetch(client, group, topic)).containsExactlyInAnyOrderEntriesOf(
                    Map.of(topic + "-0", 5L, topic + "-1", -1L));

            assertThat(errors(client.call(ApiKeys.OFFSET_COMMIT, (short) 8, commit(group, 3, topic, 0, 6),
                    OffsetCommitResponseData.class))).as("no member joined the group")
                    .containsExactly(Map.entry(topic + "-0", Errors.UNKNOWN_MEMBER_ID));
            String none = unique("none");
            assertThat(errors(client.call(ApiKeys.OFFSET_COMMIT, (short) 8, commit(none, 3, topic, 0, 6),
                    OffsetCommitResponseData.class))).containsExactly(Map.entry(topic + "-0", Errors.ILLEGAL_GENERATION));
            assertThat(errors(client.call(ApiKeys.OFFSET_COMMIT, (short) 9, commit(none, 3, topic, 0, 6),
                    OffsetCommitResponseData.class))).containsExactly(Map.entry(topic + "-0", Errors.GROUP_ID_NOT_FOUND));
            assertThat(fetch(client, none, topic)).containsOnly(Map.entry(topic + "-0", -1L),
                    Map.entry(topic + "-1", -1L));
            assertThat(fetch(client, group, topic)).containsEntry(topic + "-0", 5L);

            // The empty group id is a group: older clients without a group.id committed under it.
            assertThat(errors(client.call(ApiKeys.OFFSET_COMMIT, (short) 8, commit("", -1, topic, 1, 6),
                    OffsetCommitResponseData.class))).containsExactly(Map.entry(topic + "-1", Errors.NONE));
            assertThat(fetch(client, "", topic)).containsEntry(topic + "-1", 6L);
        }
    }
}
