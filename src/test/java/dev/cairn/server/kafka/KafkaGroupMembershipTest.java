package dev.cairn.server.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.Cairn;
import dev.cairn.log.Consumer;
import dev.cairn.log.ConsumerConfig;
import dev.cairn.log.GroupDescription;
import dev.cairn.log.GroupNotEmptyException;
import dev.cairn.log.GroupState;
import dev.cairn.log.InconsistentGroupProtocolException;
import dev.cairn.log.ProducerRecord;
import dev.cairn.log.TopicConfig;
import dev.cairn.log.TopicPartition;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Assignment;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The classic group protocol at the wire (the error codes of each request, by group state) and a
 * group's two kinds of member: one group is made of wire members or of Java-API consumers, never
 * both at once, and both see the same committed offsets.
 */
class KafkaGroupMembershipTest {
    private static final short JOIN = ApiKeys.JOIN_GROUP.latestVersion(false);
    private static final short SYNC = ApiKeys.SYNC_GROUP.latestVersion(false);
    private static final short HEARTBEAT = ApiKeys.HEARTBEAT.latestVersion(false);
    private static final short COMMIT = 9;

    private final Cairn cairn = Cairn.inMemory();
    private final KafkaServer server = KafkaServer.start(cairn, KafkaServerOptions.DEFAULT.withPort(0));

    KafkaGroupMembershipTest() {
        cairn.log().createTopic("t", TopicConfig.defaults().withPartitions(2));
        for (int i = 0; i < 10; i++) {
            cairn.log().append(new ProducerRecord("t", i % 2, null, null, new byte[] {(byte) i}, null));
        }
    }

    @AfterEach
    void tearDown() {
        cairn.close();
    }

    private static JoinGroupRequestData join(String group, String memberId, String protocol) {
        JoinGroupRequestData.JoinGroupRequestProtocolCollection protocols =
                new JoinGroupRequestData.JoinGroupRequestProtocolCollection();
        byte[] metadata = Utils.toArray(ConsumerProtocol.serializeSubscription(new Subscription(List.of("t"))));
        protocols.add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName(protocol).setMetadata(metadata));
        return new JoinGroupRequestData().setGroupId(group).setSessionTimeoutMs(30_000).setRebalanceTimeoutMs(30_000)
                .setMemberId(memberId).setProtocolType("consumer").setProtocols(protocols);
    }

    /** Asks for a member id (JoinGroup v4+ answers MEMBER_ID_REQUIRED with one). */
    private static String memberId(KafkaWireClient client, String group) throws IOException {
        JoinGroupResponseData r = client.call(ApiKeys.JOIN_GROUP, JOIN, join(group, "", "range"),
                JoinGroupResponseData.class);
        assertThat(Errors.forCode(r.errorCode())).isEqualTo(Errors.MEMBER_ID_REQUIRED);
        return r.memberId();
    }

    private static SyncGroupRequestData sync(String group, int generation, String memberId, String... members) {
        SyncGroupRequestData sync = new SyncGroupRequestData().setGroupId(group).setGenerationId(generation)
                .setMemberId(memberId);
        for (int i = 0; i < members.length; i++) {
            byte[] assignment = Utils.toArray(ConsumerProtocol.serializeAssignment(new Assignment(List.of(
                    new org.apache.kafka.common.TopicPartition("t", i)))));
            sync.assignments().add(new SyncGroupRequestData.SyncGroupRequestAssignment().setMemberId(members[i])
                    .setAssignment(assignment));
        }
        return sync;
    }

    private static Errors commit(KafkaWireClient client, String group, int generation, String memberId)
            throws IOException {
        OffsetCommitRequestData request = new OffsetCommitRequestData().setGroupId(group)
                .setGenerationIdOrMemberEpoch(generation).setMemberId(memberId).setTopics(List.of(
                        new OffsetCommitRequestData.OffsetCommitRequestTopic().setName("t").setPartitions(List.of(
                                new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(0)
                                        .setCommittedOffset(3)))));
        OffsetCommitResponseData r = client.call(ApiKeys.OFFSET_COMMIT, COMMIT, request, OffsetCommitResponseData.class);
        return Errors.forCode(r.topics().get(0).partitions().get(0).errorCode());
    }

    private static Errors heartbeat(KafkaWireClient client, String group, int generation, String memberId)
            throws IOException {
        return Errors.forCode(client.call(ApiKeys.HEARTBEAT, HEARTBEAT, new HeartbeatRequestData().setGroupId(group)
                .setGenerationId(generation).setMemberId(memberId), HeartbeatResponseData.class).errorCode());
    }

    @Test
    void commitsAndHeartbeatsGetKafkasErrorsThroughARebalance() throws Exception {
        try (KafkaWireClient a = new KafkaWireClient(server.port());
             KafkaWireClient b = new KafkaWireClient(server.port())) {
            String first = memberId(a, "g");
            JoinGroupResponseData joined = a.call(ApiKeys.JOIN_GROUP, JOIN, join("g", first, "range"),
                    JoinGroupResponseData.class);
            assertThat(joined.generationId()).isEqualTo(1);
            assertThat(joined.leader()).isEqualTo(first);
            assertThat(joined.protocolName()).isEqualTo("range");
            assertThat(joined.members()).hasSize(1);
            assertThat(commit(a, "g", 1, first)).as("between join and sync").isEqualTo(Errors.REBALANCE_IN_PROGRESS);
            SyncGroupResponseData synced = a.call(ApiKeys.SYNC_GROUP, SYNC, sync("g", 1, first, first),
                    SyncGroupResponseData.class);
            assertThat(ConsumerProtocol.deserializeAssignment(ByteBuffer.wrap(synced.assignment())).partitions())
                    .containsExactly(new org.apache.kafka.common.TopicPartition("t", 0));

            assertThat(commit(a, "g", 1, first)).isEqualTo(Errors.NONE);
            assertThat(cairn.log().committedOffsets("g")).containsEntry(new TopicPartition("t", 0), 3L);
            assertThat(commit(a, "g", 0, first)).isEqualTo(Errors.ILLEGAL_GENERATION);
            assertThat(commit(a, "g", 1, "stranger")).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
            assertThat(commit(a, "g", -1, "")).as("a simple commit to a live group").isEqualTo(Errors.UNKNOWN_MEMBER_ID);
            assertThat(heartbeat(a, "g", 1, first)).isEqualTo(Errors.NONE);
            assertThat(heartbeat(a, "g", 2, first)).isEqualTo(Errors.ILLEGAL_GENERATION);
            assertThat(heartbeat(a, "g", 1, "stranger")).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
            assertThat(heartbeat(a, "nothing", 1, first)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);

            // A second member joins: its JoinGroup is parked until the first rejoins.
            String second = memberId(b, "g");
            int parked = b.send(ApiKeys.JOIN_GROUP, JOIN, join("g", second, "range"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (cairn.log().describeGroup("g").state() != GroupState.PREPARING_REBALANCE) {
                assertThat(System.nanoTime()).as("the second JoinGroup arrives").isLessThan(deadline);
                Thread.onSpinWait();
            }
            assertThat(heartbeat(a, "g", 1, first)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
            assertThat(commit(a, "g", 1, first)).as("still the owner until it rejoins").isEqualTo(Errors.NONE);
            assertThat(a.call(ApiKeys.SYNC_GROUP, SYNC, sync("g", 1, first, first), SyncGroupResponseData.class)
                    .errorCode()).isEqualTo(Errors.REBALANCE_IN_PROGRESS.code());
            JoinGroupResponseData rejoined = a.call(ApiKeys.JOIN_GROUP, JOIN, join("g", first, "range"),
                    JoinGroupResponseData.class);
            JoinGroupResponseData secondJoined = (JoinGroupResponseData) b.receive(ApiKeys.JOIN_GROUP, JOIN, parked);
            assertThat(rejoined.generationId()).isEqualTo(2);
            assertThat(secondJoined.generationId()).isEqualTo(2);
            assertThat(rejoined.leader()).isEqualTo(first);
            assertThat(rejoined.members()).hasSize(2);
            assertThat(secondJoined.members()).as("only the leader gets the members").isEmpty();
            assertThat(commit(a, "g", 1, first)).isEqualTo(Errors.ILLEGAL_GENERATION);
            assertThat(cairn.log().describeGroup("g").state()).isEqualTo(GroupState.COMPLETING_REBALANCE);

            // The follower's SyncGroup waits for the leader's assignment.
            int followerSync = b.send(ApiKeys.SYNC_GROUP, SYNC, sync("g", 2, second));
            a.call(ApiKeys.SYNC_GROUP, SYNC, sync("g", 2, first, first, second), SyncGroupResponseData.class);
            SyncGroupResponseData followerAssignment = (SyncGroupResponseData) b.receive(ApiKeys.SYNC_GROUP, SYNC,
                    followerSync);
            assertThat(ConsumerProtocol.deserializeAssignment(ByteBuffer.wrap(followerAssignment.assignment()))
                    .partitions()).containsExactly(new org.apache.kafka.common.TopicPartition("t", 1));
            GroupDescription described = cairn.log().describeGroup("g");
            assertThat(described.state()).isEqualTo(GroupState.STABLE);
            assertThat(described.protocol()).isEqualTo("range");
            assertThat(described.members()).extracting(GroupDescription.Member::assignment).containsExactlyInAnyOrder(
                    java.util.Set.of(new TopicPartition("t", 0)), java.util.Set.of(new TopicPartition("t", 1)));

            // The batch LeaveGroup answers each member on its own.
            LeaveGroupResponseData left = a.call(ApiKeys.LEAVE_GROUP, ApiKeys.LEAVE_GROUP.latestVersion(false),
                    new LeaveGroupRequestData().setGroupId("g").setMembers(List.of(
                            new LeaveGroupRequestData.MemberIdentity().setMemberId(second),
                            new LeaveGroupRequestData.MemberIdentity().setMemberId("stranger"))),
                    LeaveGroupResponseData.class);
            assertThat(left.members()).extracting(LeaveGroupResponseData.MemberResponse::errorCode)
                    .containsExactly(Errors.NONE.code(), Errors.UNKNOWN_MEMBER_ID.code());
            assertThat(heartbeat(a, "g", 2, first)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        }
    }

    @Test
    void aJoinGroupThatDoesNotFitIsRefused() throws Exception {
        try (KafkaWireClient a = new KafkaWireClient(server.port())) {
            JoinGroupResponseData shortSession = a.call(ApiKeys.JOIN_GROUP, JOIN,
                    join("g", "", "range").setSessionTimeoutMs(10), JoinGroupResponseData.class);
            assertThat(Errors.forCode(shortSession.errorCode())).isEqualTo(Errors.INVALID_SESSION_TIMEOUT);
            String first = memberId(a, "g");
            a.call(ApiKeys.JOIN_GROUP, JOIN, join("g", first, "range"), JoinGroupResponseData.class);
            JoinGroupResponseData otherAssignor = a.call(ApiKeys.JOIN_GROUP, JOIN, join("g", "", "roundrobin"),
                    JoinGroupResponseData.class);
            assertThat(Errors.forCode(otherAssignor.errorCode())).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
            JoinGroupResponseData unknown = a.call(ApiKeys.JOIN_GROUP, JOIN, join("g", "stranger", "range"),
                    JoinGroupResponseData.class);
            assertThat(Errors.forCode(unknown.errorCode())).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        }
    }

    private KafkaConsumer<byte[], byte[]> wireConsumer(String group) {
        Properties props = new Properties();
        props.put("bootstrap.servers", server.bootstrapServers());
        props.put("group.id", group);
        props.put("enable.auto.commit", "false");
        props.put("auto.offset.reset", "earliest");
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @Test
    void aGroupWithJavaApiMembersRefusesWireMembers() {
        try (Consumer javaMember = cairn.log().consumer(ConsumerConfig.group("mixed"));
             KafkaConsumer<byte[], byte[]> wire = wireConsumer("mixed")) {
            javaMember.subscribe(List.of("t"));
            javaMember.poll(Duration.ZERO);
            wire.subscribe(List.of("t"));
            assertThatThrownBy(() -> wire.poll(Duration.ofSeconds(10)))
                    .isInstanceOf(org.apache.kafka.common.errors.InconsistentGroupProtocolException.class);
            assertThat(cairn.log().describeGroup("mixed").members()).hasSize(1);
        }
    }

    @Test
    void aGroupWithWireMembersRefusesJavaApiMembersAndTheyShareCommittedOffsets() {
        try (KafkaConsumer<byte[], byte[]> wire = wireConsumer("shared")) {
            wire.subscribe(List.of("t"));
            int read = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (read < 10 && System.nanoTime() < deadline) {
                read += wire.poll(Duration.ofMillis(100)).count();
            }
            assertThat(read).isEqualTo(10);
            wire.commitSync(Map.of(new org.apache.kafka.common.TopicPartition("t", 0),
                    new org.apache.kafka.clients.consumer.OffsetAndMetadata(2),
                    new org.apache.kafka.common.TopicPartition("t", 1),
                    new org.apache.kafka.clients.consumer.OffsetAndMetadata(5)));

            assertThat(cairn.log().listGroups()).contains("shared");
            GroupDescription described = cairn.log().describeGroup("shared");
            assertThat(described.members()).singleElement().satisfies(m -> {
                assertThat(m.topics()).containsExactly("t");
                assertThat(m.assignment()).containsExactlyInAnyOrder(new TopicPartition("t", 0),
                        new TopicPartition("t", 1));
            });
            try (Consumer javaMember = cairn.log().consumer(ConsumerConfig.group("shared"))) {
                assertThatThrownBy(() -> javaMember.subscribe(List.of("t")))
                        .isInstanceOf(InconsistentGroupProtocolException.class).hasMessageContaining("shared");
                assertThat(javaMember.assignment()).isEmpty();
            }
            assertThatThrownBy(() -> cairn.log().alterCommittedOffsets("shared", Map.of(new TopicPartition("t", 0), 0L)))
                    .isInstanceOf(GroupNotEmptyException.class);
            assertThatThrownBy(() -> cairn.log().deleteGroup("shared")).isInstanceOf(GroupNotEmptyException.class);
            assertThatThrownBy(() -> cairn.log().deleteCommittedOffsets("shared", List.of(new TopicPartition("t", 0))))
                    .isInstanceOf(dev.cairn.log.GroupSubscribedToTopicException.class);
        }
        // The wire member left: the group is the log's again, and starts from what the wire committed.
        assertThat(cairn.log().describeGroup("shared").state()).isEqualTo(GroupState.EMPTY);
        try (Consumer javaMember = cairn.log().consumer(ConsumerConfig.group("shared"))) {
            javaMember.subscribe(List.of("t"));
            int read = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (read < 3 && System.nanoTime() < deadline) {
                read += javaMember.poll(Duration.ofMillis(100)).size();
            }
            assertThat(read).as("records 2-4 of partition 0, none of partition 1").isEqualTo(3);
        }
    }

    @Test
    void closingTheServerGivesItsGroupsBackToTheLog() throws Exception {
        try (KafkaWireClient a = new KafkaWireClient(server.port())) {
            String member = memberId(a, "g");
            a.call(ApiKeys.JOIN_GROUP, JOIN, join("g", member, "range"), JoinGroupResponseData.class);
            assertThat(cairn.log().describeGroup("g").members()).hasSize(1);
            server.close();
        }
        try (Consumer javaMember = cairn.log().consumer(ConsumerConfig.group("g"))) {
            javaMember.subscribe(List.of("t"));
            javaMember.poll(Duration.ZERO);
            assertThat(javaMember.assignment()).hasSize(2);
        }
    }

    @Test
    void aConsumerOfTheKip848ProtocolFindsItUnsupported() {
        Properties props = new Properties();
        props.put("bootstrap.servers", server.bootstrapServers());
        props.put("group.id", "new-protocol");
        props.put("group.protocol", "consumer");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("t"));
            RuntimeException thrown = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (thrown == null && System.nanoTime() < deadline) {
                try {
                    consumer.poll(Duration.ofMillis(100));
                } catch (RuntimeException e) {
                    thrown = e;
                }
            }
            assertThat(thrown).isInstanceOf(org.apache.kafka.common.errors.UnsupportedVersionException.class);
        }
    }

    // Scenario: a stable member keeps heartbeating but never rejoins when a second member joins:
    // after the rebalance timeout the join phase ends without it, and it is out of the group.
    @Test
    void aMemberThatDoesNotRejoinWithinTheRebalanceTimeoutIsDropped() throws Exception {
        try (KafkaWireClient a = new KafkaWireClient(server.port());
             KafkaWireClient b = new KafkaWireClient(server.port())) {
            String first = memberId(a, "g");
            a.call(ApiKeys.JOIN_GROUP, JOIN, join("g", first, "range").setRebalanceTimeoutMs(300),
                    JoinGroupResponseData.class);
            a.call(ApiKeys.SYNC_GROUP, SYNC, sync("g", 1, first, first), SyncGroupResponseData.class);
            String second = memberId(b, "g");
            JoinGroupResponseData joined = b.call(ApiKeys.JOIN_GROUP, JOIN,
                    join("g", second, "range").setRebalanceTimeoutMs(300), JoinGroupResponseData.class);
            assertThat(joined.generationId()).isEqualTo(2);
            assertThat(joined.leader()).isEqualTo(second);
            assertThat(joined.members()).extracting(JoinGroupResponseData.JoinGroupResponseMember::memberId)
                    .containsExactly(second);
            assertThat(heartbeat(a, "g", 1, first)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        }
    }

    @Test
    void aStaticMemberThatComesBackFencesItsOldMemberId() throws Exception {
        try (KafkaWireClient a = new KafkaWireClient(server.port());
             KafkaWireClient b = new KafkaWireClient(server.port())) {
            JoinGroupResponseData old = a.call(ApiKeys.JOIN_GROUP, JOIN,
                    join("g", "", "range").setGroupInstanceId("instance-1"), JoinGroupResponseData.class);
            assertThat(Errors.forCode(old.errorCode())).as("a static member needs no second join").isEqualTo(Errors.NONE);
            a.call(ApiKeys.SYNC_GROUP, SYNC, sync("g", 1, old.memberId(), old.memberId())
                    .setGroupInstanceId("instance-1"), SyncGroupResponseData.class);
            JoinGroupResponseData restarted = b.call(ApiKeys.JOIN_GROUP, JOIN,
                    join("g", "", "range").setGroupInstanceId("instance-1"), JoinGroupResponseData.class);
            assertThat(restarted.memberId()).isNotEqualTo(old.memberId());
            HeartbeatResponseData fenced = a.call(ApiKeys.HEARTBEAT, HEARTBEAT, new HeartbeatRequestData()
                    .setGroupId("g").setGenerationId(restarted.generationId()).setMemberId(old.memberId())
                    .setGroupInstanceId("instance-1"), HeartbeatResponseData.class);
            assertThat(Errors.forCode(fenced.errorCode())).isEqualTo(Errors.FENCED_INSTANCE_ID);
            assertThat(cairn.log().describeGroup("g").members()).extracting(GroupDescription.Member::memberId)
                    .containsExactly(restarted.memberId());
        }
    }

    @Test
    void theInitialRebalanceDelayGathersTheFirstMembersIntoOneGeneration() throws Exception {
        try (KafkaServer delayed = KafkaServer.start(cairn, KafkaServerOptions.DEFAULT.withPort(0)
                .withGroupInitialRebalanceDelayMs(300));
             KafkaWireClient a = new KafkaWireClient(delayed.port());
             KafkaWireClient b = new KafkaWireClient(delayed.port())) {
            String first = memberId(a, "delayed");
            int firstJoin = a.send(ApiKeys.JOIN_GROUP, JOIN, join("delayed", first, "range"));
            String second = memberId(b, "delayed");
            JoinGroupResponseData secondJoined = b.call(ApiKeys.JOIN_GROUP, JOIN, join("delayed", second, "range"),
                    JoinGroupResponseData.class);
            JoinGroupResponseData firstJoined = (JoinGroupResponseData) a.receive(ApiKeys.JOIN_GROUP, JOIN, firstJoin);
            assertThat(firstJoined.generationId()).isEqualTo(1);
            assertThat(secondJoined.generationId()).isEqualTo(1);
            JoinGroupResponseData leader = firstJoined.leader().equals(first) ? firstJoined : secondJoined;
            assertThat(leader.leader()).isEqualTo(leader.memberId());
            assertThat(leader.members()).as("the leader is given both members").hasSize(2);
        }
    }
}
