package dev.cairn.server.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import dev.cairn.log.ProducerRecord;
import dev.cairn.log.TopicConfig;
import java.util.List;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every version of every served API, as ApiVersions advertises it, answers a valid request with a
 * response that parses in that version: what the server writes fits each version's fields.
 */
class ServedVersionsTest {
    private final Cairn cairn = Cairn.inMemory();
    private final KafkaServer server = KafkaServer.start(cairn, KafkaServerOptions.DEFAULT.withPort(0));
    private final Uuid topicId;

    ServedVersionsTest() {
        cairn.log().createTopic("t", TopicConfig.defaults());
        cairn.log().append(ProducerRecord.of("t", new byte[] {7}));
        topicId = new TopicIds(cairn.log()).idOf("t");
    }

    @AfterEach
    void tearDown() {
        cairn.close();
    }

    private static final short JOIN_LATEST = ApiKeys.JOIN_GROUP.latestVersion(false);
    private static final short SYNC_LATEST = ApiKeys.SYNC_GROUP.latestVersion(false);

    private static JoinGroupRequestData join(String group, String memberId) {
        JoinGroupRequestData.JoinGroupRequestProtocolCollection protocols =
                new JoinGroupRequestData.JoinGroupRequestProtocolCollection();
        protocols.add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range").setMetadata(new byte[] {1}));
        return new JoinGroupRequestData().setGroupId(group).setSessionTimeoutMs(30_000).setRebalanceTimeoutMs(30_000)
                .setMemberId(memberId).setProtocolType("consumer").setProtocols(protocols);
    }

    /** Joins {@code group} as its one member in version {@code v} (asking for a member id first from v4); its id. */
    private static String joined(KafkaWireClient client, String group, short v) throws java.io.IOException {
        String memberId = "";
        if (v >= 4) {
            JoinGroupResponseData first = client.call(ApiKeys.JOIN_GROUP, v, join(group, ""), JoinGroupResponseData.class);
            assertThat(Errors.forCode(first.errorCode())).isEqualTo(Errors.MEMBER_ID_REQUIRED);
            memberId = first.memberId();
        }
        return memberId;
    }

    /** A member of {@code group} that has joined and synced (generation 1): its id. */
    private static String stableMember(KafkaWireClient client, String group) throws java.io.IOException {
        String memberId = joined(client, group, JOIN_LATEST);
        JoinGroupResponseData joined = client.call(ApiKeys.JOIN_GROUP, JOIN_LATEST, join(group, memberId),
                JoinGroupResponseData.class);
        assertThat(Errors.forCode(joined.errorCode())).isEqualTo(Errors.NONE);
        SyncGroupResponseData synced = client.call(ApiKeys.SYNC_GROUP, SYNC_LATEST, sync(group, joined.memberId()),
                SyncGroupResponseData.class);
        assertThat(Errors.forCode(synced.errorCode())).isEqualTo(Errors.NONE);
        return joined.memberId();
    }

    private static SyncGroupRequestData sync(String group, String memberId) {
        return new SyncGroupRequestData().setGroupId(group).setGenerationId(1).setMemberId(memberId)
                .setAssignments(List.of(new SyncGroupRequestData.SyncGroupRequestAssignment().setMemberId(memberId)
                        .setAssignment(new byte[] {2})));
    }

    /** A valid request of {@code api} that version {@code v} can carry (set up through {@code client} if it needs a group). */
    private ApiMessage request(KafkaWireClient client, ServedApi api, short v, int n) throws java.io.IOException {
        return switch (api) {
            case JOIN_GROUP -> {
                JoinGroupRequestData join = join("j" + n, joined(client, "j" + n, v));
                yield v == 0 ? join.setRebalanceTimeoutMs(-1) : join;
            }
            case SYNC_GROUP -> {
                String memberId = joined(client, "s" + n, JOIN_LATEST);
                JoinGroupResponseData joined = client.call(ApiKeys.JOIN_GROUP, JOIN_LATEST, join("s" + n, memberId),
                        JoinGroupResponseData.class);
                SyncGroupRequestData sync = sync("s" + n, joined.memberId());
                yield v >= 5 ? sync.setProtocolType("consumer").setProtocolName("range") : sync;
            }
            case HEARTBEAT -> new HeartbeatRequestData().setGroupId("h" + n).setGenerationId(1)
                    .setMemberId(stableMember(client, "h" + n));
            case LEAVE_GROUP -> {
                String memberId = stableMember(client, "l" + n);
                yield v >= 3
                        ? new LeaveGroupRequestData().setGroupId("l" + n).setMembers(List.of(
                                new LeaveGroupRequestData.MemberIdentity().setMemberId(memberId).setReason("done")))
                        : new LeaveGroupRequestData().setGroupId("l" + n).setMemberId(memberId);
            }
            case DESCRIBE_GROUPS -> {
                stableMember(client, "dg" + n);
                yield new DescribeGroupsRequestData().setGroups(List.of("dg" + n, "g"));
            }
            case LIST_GROUPS -> new ListGroupsRequestData()
                    .setStatesFilter(v >= 4 ? List.of("Stable", "Empty") : List.of())
                    .setTypesFilter(v >= 5 ? List.of("classic") : List.of());
            case DELETE_GROUPS -> {
                cairn.log().alterCommittedOffsets("del" + n, java.util.Map.of(new dev.cairn.log.TopicPartition("t", 0), 0L));
                yield new DeleteGroupsRequestData().setGroupsNames(List.of("del" + n));
            }
            case OFFSET_DELETE -> {
                cairn.log().alterCommittedOffsets("od", java.util.Map.of(new dev.cairn.log.TopicPartition("t", 0), 0L));
                OffsetDeleteRequestData.OffsetDeleteRequestTopicCollection topics =
                        new OffsetDeleteRequestData.OffsetDeleteRequestTopicCollection();
                topics.add(new OffsetDeleteRequestData.OffsetDeleteRequestTopic().setName("t").setPartitions(List.of(
                        new OffsetDeleteRequestData.OffsetDeleteRequestPartition().setPartitionIndex(0))));
                yield new OffsetDeleteRequestData().setGroupId("od").setTopics(topics);
            }
            case PRODUCE -> {
                ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
                ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData()
                        .setPartitionData(List.of(new ProduceRequestData.PartitionProduceData().setIndex(0)
                                .setRecords(MemoryRecords.withRecords(Compression.NONE,
                                        new SimpleRecord(new byte[] {1})))));
                topics.add(v >= 13 ? topic.setTopicId(topicId) : topic.setName("t"));
                yield new ProduceRequestData().setAcks((short) -1).setTimeoutMs(1000).setTopicData(topics);
            }
            case FETCH -> {
                FetchRequestData.FetchTopic topic = new FetchRequestData.FetchTopic().setPartitions(List.of(
                        new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(0)
                                .setPartitionMaxBytes(1 << 20)));
                yield new FetchRequestData().setReplicaId(-1).setMaxWaitMs(0).setMinBytes(1).setMaxBytes(1 << 20)
                        .setSessionEpoch(-1)
                        .setTopics(List.of(v >= 13 ? topic.setTopicId(topicId) : topic.setTopic("t")));
            }
            case LIST_OFFSETS -> new ListOffsetsRequestData().setReplicaId(-1).setTopics(List.of(
                    new ListOffsetsRequestData.ListOffsetsTopic().setName("t").setPartitions(List.of(
                            new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(0).setTimestamp(-2)))));
            case METADATA -> new MetadataRequestData().setTopics(v == 0 ? List.of() : null);
            case API_VERSIONS -> v >= 3
                    ? new ApiVersionsRequestData().setClientSoftwareName("c").setClientSoftwareVersion("1")
                    : new ApiVersionsRequestData();
            case CREATE_TOPICS -> {
                CreateTopicsRequestData.CreatableTopicCollection topics = new CreateTopicsRequestData.CreatableTopicCollection();
                topics.add(new CreateTopicsRequestData.CreatableTopic().setName("c" + n).setNumPartitions(2)
                        .setReplicationFactor((short) 1));
                yield new CreateTopicsRequestData().setTopics(topics).setTimeoutMs(1000);
            }
            case DELETE_TOPICS -> v >= 6
                    ? new DeleteTopicsRequestData().setTopics(List.of(
                            new DeleteTopicsRequestData.DeleteTopicState().setName("c" + n)))
                    : new DeleteTopicsRequestData().setTopicNames(List.of("c" + n));
            case OFFSET_COMMIT -> {
                OffsetCommitRequestData.OffsetCommitRequestTopic topic = new OffsetCommitRequestData.OffsetCommitRequestTopic()
                        .setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                                .setPartitionIndex(0).setCommittedOffset(1).setCommittedMetadata("m")));
                yield new OffsetCommitRequestData().setGroupId("g").setGenerationIdOrMemberEpoch(-1).setMemberId("")
                        .setTopics(List.of(v >= 10 ? topic.setTopicId(topicId) : topic.setName("t")));
            }
            case OFFSET_FETCH -> {
                if (v < 8) {
                    yield new OffsetFetchRequestData().setGroupId("g").setTopics(List.of(
                            new OffsetFetchRequestData.OffsetFetchRequestTopic().setName("t")
                                    .setPartitionIndexes(List.of(0))));
                }
                OffsetFetchRequestData.OffsetFetchRequestTopics topic = new OffsetFetchRequestData.OffsetFetchRequestTopics()
                        .setPartitionIndexes(List.of(0));
                yield new OffsetFetchRequestData().setGroups(List.of(
                        new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("g")
                                .setTopics(List.of(v >= 10 ? topic.setTopicId(topicId) : topic.setName("t"))),
                        new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("other").setTopics(null)));
            }
            case FIND_COORDINATOR -> v >= 4
                    ? new FindCoordinatorRequestData().setKeyType((byte) 0).setCoordinatorKeys(List.of("g", "other"))
                    : new FindCoordinatorRequestData().setKey("g");
            case INIT_PRODUCER_ID -> new InitProducerIdRequestData().setTransactionalId(null)
                    .setTransactionTimeoutMs(1000).setProducerId(-1).setProducerEpoch((short) -1);
            case CREATE_PARTITIONS -> {
                CreatePartitionsRequestData.CreatePartitionsTopicCollection topics =
                        new CreatePartitionsRequestData.CreatePartitionsTopicCollection();
                topics.add(new CreatePartitionsRequestData.CreatePartitionsTopic().setName("p").setCount(n)
                        .setAssignments(null));
                yield new CreatePartitionsRequestData().setTopics(topics).setTimeoutMs(1000);
            }
            case DESCRIBE_CONFIGS -> new DescribeConfigsRequestData().setResources(List.of(
                    new DescribeConfigsRequestData.DescribeConfigsResource()
                            .setResourceType(ConfigResource.Type.TOPIC.id()).setResourceName("t")
                            .setConfigurationKeys(null),
                    new DescribeConfigsRequestData.DescribeConfigsResource()
                            .setResourceType(ConfigResource.Type.BROKER.id()).setResourceName("1")
                            .setConfigurationKeys(null)));
            case INCREMENTAL_ALTER_CONFIGS -> {
                IncrementalAlterConfigsRequestData.AlterableConfigCollection configs =
                        new IncrementalAlterConfigsRequestData.AlterableConfigCollection();
                configs.add(new IncrementalAlterConfigsRequestData.AlterableConfig().setName("retention.ms")
                        .setConfigOperation((byte) 0).setValue(Integer.toString(60_000 + n)));
                IncrementalAlterConfigsRequestData.AlterConfigsResourceCollection resources =
                        new IncrementalAlterConfigsRequestData.AlterConfigsResourceCollection();
                resources.add(new IncrementalAlterConfigsRequestData.AlterConfigsResource()
                        .setResourceType(ConfigResource.Type.TOPIC.id()).setResourceName("t").setConfigs(configs));
                yield new IncrementalAlterConfigsRequestData().setResources(resources);
            }
            case DELETE_RECORDS -> new DeleteRecordsRequestData().setTimeoutMs(1000).setTopics(List.of(
                    new DeleteRecordsRequestData.DeleteRecordsTopic().setName("t").setPartitions(List.of(
                            new DeleteRecordsRequestData.DeleteRecordsPartition().setPartitionIndex(0)
                                    .setOffset(0)))));
            case DESCRIBE_CLUSTER -> new DescribeClusterRequestData();
        };
    }

    @Test
    void everyAdvertisedVersionOfEveryServedApiAnswers() throws Exception {
        int n = 0;
        List<String> deleted = new java.util.ArrayList<>();
        try (KafkaWireClient client = new KafkaWireClient(server.port())) {
            for (ServedApi api : ServedApi.values()) {
                for (short v = api.oldestVersion; v <= api.latestVersion; v++) {
                    n++;
                    if (api == ServedApi.CREATE_PARTITIONS && !cairn.log().topics().contains("p")) {
                        cairn.log().createTopic("p", TopicConfig.defaults());
                    }
                    if (api == ServedApi.DELETE_TOPICS) {
                        cairn.log().createTopic("c" + n, TopicConfig.defaults());
                        deleted.add("c" + n);
                    }
                    ApiMessage response = client.receive(api.key, v, client.send(api.key, v, request(client, api, v, n)));
                    assertThat(response).as(api + " v" + v).isNotNull();
                    assertThat(Errors.forCode(topError(response))).as(api + " v" + v).isEqualTo(Errors.NONE);
                }
            }
        }
        assertThat(cairn.log().topics()).contains("t").doesNotContainAnyElementsOf(deleted);
        assertThat(cairn.log().describeTopic("p").partitions()).as("the last CreatePartitions' count")
                .hasSize(lastCount(ServedApi.CREATE_PARTITIONS));
        assertThat(cairn.log().describeTopic("t").config().retentionMs()).as("the last IncrementalAlterConfigs")
                .isEqualTo(60_000 + lastCount(ServedApi.INCREMENTAL_ALTER_CONFIGS));
        assertThat(cairn.log().committedOffsets("g")).containsExactly(
                java.util.Map.entry(new dev.cairn.log.TopicPartition("t", 0), 1L));
        assertThat(cairn.log().endOffset(new dev.cairn.log.TopicPartition("t", 0)))
                .as("one record appended per Produce version, after the first")
                .isEqualTo(1 + ServedApi.PRODUCE.latestVersion - ServedApi.PRODUCE.oldestVersion + 1);
    }

    /** The request number {@code n} of the last version of {@code api} sent, by the loop's order. */
    private static int lastCount(ServedApi api) {
        int n = 0;
        for (ServedApi a : ServedApi.values()) {
            n += a.latestVersion - a.oldestVersion + 1;
            if (a == api) {
                return n;
            }
        }
        throw new IllegalArgumentException(api.toString());
    }

    /** The first error code in the response (top level, topic or partition), by the message's JSON form. */
    private static short topError(ApiMessage response) {
        String text = response.toString();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("errorCode=(-?\\d+)").matcher(text);
        while (m.find()) {
            short code = Short.parseShort(m.group(1));
            if (code != 0) {
                return code;
            }
        }
        return 0;
    }
}
