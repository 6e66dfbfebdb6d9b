package dev.cairn.server.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import dev.cairn.log.ProducerRecord;
import dev.cairn.log.TopicConfig;
import dev.cairn.log.TopicPartition;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Requests sent over a bare socket: idempotence, acks 0, the parked fetch, ApiVersions and Metadata's topic creation. */
class KafkaWireTest {
    private static final short PRODUCE_V = 12;
    private final Cairn cairn = Cairn.inMemory();
    private final KafkaServer server = KafkaServer.start(cairn, KafkaServerOptions.DEFAULT.withPort(0));
    private final TopicPartition t0 = new TopicPartition("t", 0);

    KafkaWireTest() {
        cairn.log().createTopic("t", TopicConfig.defaults().withMaxRecordBytes(4096));
    }

    @AfterEach
    void tearDown() {
        cairn.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static ProduceRequestData produce(String topic, short acks, MemoryRecords records) {
        ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
        topics.add(new ProduceRequestData.TopicProduceData().setName(topic).setPartitionData(List.of(
                new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(records))));
        return new ProduceRequestData().setAcks(acks).setTimeoutMs(30_000).setTopicData(topics);
    }

    private static MemoryRecords idempotent(long producerId, short epoch, int sequence, String... values) {
        SimpleRecord[] records = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++) {
            records[i] = new SimpleRecord(1_000L + i, null, bytes(values[i]));
        }
        return MemoryRecords.withIdempotentRecords(Compression.NONE, producerId, epoch, sequence, records);
    }

    private static ProduceResponseData.PartitionProduceResponse only(ProduceResponseData response) {
        return response.responses().iterator().next().partitionResponses().get(0);
    }

    private ProduceResponseData.PartitionProduceResponse send(KafkaWireClient client, MemoryRecords records)
            throws Exception {
        return only(client.call(ApiKeys.PRODUCE, PRODUCE_V, produce("t", (short) -1, records),
                ProduceResponseData.class));
    }

    @Test
    void aRetriedBatchIsAcknowledgedWithItsFirstOffsetAndAppendedOnce() throws Exception {
        try (KafkaWireClient client = new KafkaWireClient(server.port())) {
            InitProducerIdResponseData id = client.call(ApiKeys.INIT_PRODUCER_ID, (short) 5,
                    new InitProducerIdRequestData().setTransactionalId(null).setTransactionTimeoutMs(60_000)
                            .setProducerId(-1).setProducerEpoch((short) -1), InitProducerIdResponseData.class);
            assertThat(id.errorCode()).isZero();
            long pid = id.producerId();
            short epoch = id.producerEpoch();

            ProduceResponseData.PartitionProduceResponse first = send(client, idempotent(pid, epoch, 0, "a", "b", "c"));
            assertThat(first.errorCode()).isZero();
            assertThat(first.baseOffset()).isZero();
            // The same request again (its acknowledgement "lost"): same offsets, nothing appended.
            ProduceResponseData.PartitionProduceResponse retry = send(client, idempotent(pid, epoch, 0, "a", "b", "c"));
            assertThat(retry.errorCode()).isZero();
            assertThat(retry.baseOffset()).isZero();
            assertThat(cairn.log().endOffset(t0)).isEqualTo(3);

            assertThat(send(client, idempotent(pid, epoch, 3, "d")).baseOffset()).isEqualTo(3);
            // Still one of the last five batches: a retry of the first is still recognised.
            assertThat(send(client, idempotent(pid, epoch, 0, "a", "b", "c")).baseOffset()).isZero();
            assertThat(cairn.log().endOffset(t0)).isEqualTo(4);

            ProduceResponseData.PartitionProduceResponse gap = send(client, idempotent(pid, epoch, 9, "z"));
            assertThat(Errors.forCode(gap.errorCode())).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
            ProduceResponseData.PartitionProduceResponse back = send(client, idempotent(pid, epoch, 2, "z"));
            assertThat(Errors.forCode(back.errorCode())).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
            assertThat(cairn.log().endOffset(t0)).isEqualTo(4);

            // A bumped epoch starts again at sequence 0, and fences the old epoch.
            InitProducerIdResponseData bumped = client.call(ApiKeys.INIT_PRODUCER_ID, (short) 5,
                    new InitProducerIdRequestData().setTransactionalId(null).setTransactionTimeoutMs(60_000)
                            .setProducerId(pid).setProducerEpoch(epoch), InitProducerIdResponseData.class);
            assertThat(bumped.producerId()).isEqualTo(pid);
            assertThat(bumped.producerEpoch()).isEqualTo((short) (epoch + 1));
            assertThat(send(client, idempotent(pid, bumped.producerEpoch(), 0, "e")).baseOffset()).isEqualTo(4);
            ProduceResponseData.PartitionProduceResponse zombie = send(client, idempotent(pid, epoch, 4, "f"));
            assertThat(Errors.forCode(zombie.errorCode())).isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
            assertThat(cairn.log().endOffset(t0)).isEqualTo(5);
        }
    }

    // An uncompressed batch goes to the log as it came unless its records carry no timestamp (a
    // base timestamp of -1, as raw clients send): those take the log's clock. One record without
    // a timestamp in a timestamped batch, which kafka-clients never sends, is refused.
    @Test
    void recordsWithoutATimestampTakeTheLogsClockAndAStrayOneInATimestampedBatchIsRefused() throws Exception {
        try (KafkaWireClient client = new KafkaWireClient(server.port())) {
            long before = System.currentTimeMillis();
            ProduceResponseData.PartitionProduceResponse untimed = send(client, MemoryRecords.withRecords(
                    Compression.NONE, new SimpleRecord(bytes("a")), new SimpleRecord(bytes("b"))));
            assertThat(untimed.errorCode()).isZero();
            List<dev.cairn.log.ConsumerRecord> stored = cairn.log().read(t0, 0, 10);
            assertThat(stored).extracting(dev.cairn.log.ConsumerRecord::timestampMs)
                    .allSatisfy(ts -> assertThat(ts).isBetween(before, System.currentTimeMillis()));

            ProduceResponseData.PartitionProduceResponse stray = send(client, MemoryRecords.withRecords(
                    Compression.NONE, new SimpleRecord(1_000L, null, bytes("c")), new SimpleRecord(bytes("d"))));
            assertThat(Errors.forCode(stray.errorCode())).isEqualTo(Errors.INVALID_RECORD);
            assertThat(stray.errorMessage()).contains("negative timestamp");
            assertThat(cairn.log().endOffset(t0)).isEqualTo(2);

            ProduceResponseData.PartitionProduceResponse timed = send(client, MemoryRecords.withRecords(Compression.NONE,
                    new SimpleRecord(1_000L, null, bytes("e")), new SimpleRecord(1_001L, null, bytes("f"))));
            assertThat(timed.baseOffset()).isEqualTo(2);
            assertThat(cairn.log().read(t0, 2, 10)).extracting(dev.cairn.log.ConsumerRecord::timestampMs)
                    .containsExactly(1_000L, 1_001L);
        }
    }

    @Test
    void aProduceWithAcksZeroGetsNoResponse() throws Exception {
        try (KafkaWireClient client = new KafkaWireClient(server.port())) {
            client.send(ApiKeys.PRODUCE, PRODUCE_V, produce("t", (short) 0,
                    MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(bytes("quiet")))));
            // The next response on the connection is the Metadata request's: none came for the produce.
            int id = client.send(ApiKeys.METADATA, (short) 12, new MetadataRequestData().setTopics(null));
            assertThat(client.receive(ApiKeys.METADATA, (short) 12, id)).isInstanceOf(MetadataResponseData.class);
            assertThat(cairn.log().endOffset(t0)).isEqualTo(1);
        }
    }

    @Test
    void aFailedProduceWithAcksZeroClosesTheConnection() throws Exception {
        try (KafkaWireClient client = new KafkaWireClient(server.port())) {
            client.send(ApiKeys.PRODUCE, PRODUCE_V, produce("missing", (short) 0,
                    MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(bytes("lost")))));
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void aBatchLargerThanTheTopicsMaxMessageBytesIsRefused() throws Exception {
        try (KafkaWireClient client = new KafkaWireClient(server.port())) {
            ProduceResponseData.PartitionProduceResponse r = send(client,
                    MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(new byte[5000])));
            assertThat(Errors.forCode(r.errorCode())).isEqualTo(Errors.MESSAGE_TOO_LARGE);
            // A small batch that expands past the limit when decompressed is refused too.
            ProduceResponseData.PartitionProduceResponse zipped = send(client,
                    MemoryRecords.withRecords(Compression.gzip().build(), new SimpleRecord(new byte[50_000])));
            assertThat(Errors.forCode(zipped.errorCode())).isEqualTo(Errors.MESSAGE_TOO_LARGE);
            assertThat(cairn.log().endOffset(t0)).isZero();
        }
    }

    @Test
    void aBatchWithABadCrcIsRefusedAndNothingIsAppended() throws Exception {
        MemoryRecords records = MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(bytes("payload")));
        records.buffer().put(records.sizeInBytes() - 2, (byte) 'X');
        try (KafkaWireClient client = new KafkaWireClient(server.port())) {
            assertThat(Errors.forCode(send(client, records).errorCode())).isEqualTo(Errors.CORRUPT_MESSAGE);
            assertThat(cairn.log().endOffset(t0)).isZero();
        }
    }

    private static FetchRequestData fetch(long offset, int maxWaitMs) {
        return new FetchRequestData().setReplicaId(-1).setMaxWaitMs(maxWaitMs).setMinBytes(1).setMaxBytes(1 << 20)
                .setSessionId(0).setSessionEpoch(-1).setTopics(List.of(new FetchRequestData.FetchTopic().setTopic("t")
                        .setPartitions(List.of(new FetchRequestData.FetchPartition().setPartition(0)
                                .setFetchOffset(offset).setPartitionMaxBytes(1 << 20)))));
    }

    @Test
    void aFetchWithNothingToReadIsParkedUntilAnAppendArrives() throws Exception {
        try (KafkaWireClient client = new KafkaWireClient(server.port())) {
            // A minute's max wait: only the append can answer it within the socket's 30 s timeout.
            int id = client.send(ApiKeys.FETCH, (short) 12, fetch(0, 60_000));
            cairn.log().append(ProducerRecord.of("t", bytes("wake")));
            FetchResponseData response = (FetchResponseData) client.receive(ApiKeys.FETCH, (short) 12, id);
            FetchResponseData.PartitionData p = response.responses().get(0).partitions().get(0);
            assertThat(p.errorCode()).isZero();
            assertThat(p.highWatermark()).isEqualTo(1);
            List<Record> records = new java.util.ArrayList<>();
            ((MemoryRecords) p.records()).records().forEach(records::add);
            assertThat(records).hasSize(1);
            assertThat(records.get(0).offset()).isZero();
        }
    }

    /** Waits (polling, with a deadline) until {@code condition} holds. */
    private static void await(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }

    @Test
    void aParkedFetchWhoseClientLeavesStopsWaiting() throws Exception {
        ServerState state = server.state();
        try (KafkaWireClient client = new KafkaWireClient(server.port())) {
            client.send(ApiKeys.FETCH, (short) 12, fetch(0, Integer.MAX_VALUE));
            await(() -> state.parkedFetches.get() == 1, "the fetch is parked");
        }
        await(() -> state.parkedFetches.get() == 0, "the fetch of the closed connection is dropped");
        // The count drops just before the deadline is cancelled, on the thread that ends the fetch.
        await(() -> state.timer.getQueue().isEmpty(), "its deadline is unscheduled");
    }

    @Test
    void aFetchForNoPartitionIsAnsweredAtOnceNotAtItsMaxWait() throws Exception {
        FetchRequestData none = fetch(0, 60_000).setTopics(List.of());
        try (KafkaWireClient client = new KafkaWireClient(server.port())) {
            // A minute's max wait: a parked answer would come after the socket's 30 s timeout.
            FetchResponseData response = client.call(ApiKeys.FETCH, (short) 12, none, FetchResponseData.class);
            assertThat(response.errorCode()).isZero();
            assertThat(response.responses()).isEmpty();
        }
    }

    @Test
    void aParkedFetchIsAnsweredEmptyAtItsMaxWait() throws Exception {
        try (KafkaWireClient client = new KafkaWireClient(server.port())) {
            FetchResponseData response = client.call(ApiKeys.FETCH, (short) 12, fetch(0, 50), FetchResponseData.class);
            FetchResponseData.PartitionData p = response.responses().get(0).partitions().get(0);
            assertThat(p.errorCode()).isZero();
            assertThat(p.records().sizeInBytes()).isZero();
        }
    }

    @Test
    void aFetchOutsideThePartitionGetsOffsetOutOfRange() throws Exception {
        try (KafkaWireClient client = new KafkaWireClient(server.port())) {
            FetchResponseData response = client.call(ApiKeys.FETCH, (short) 12, fetch(5, 60_000),
                    FetchResponseData.class);
            assertThat(Errors.forCode(response.responses().get(0).partitions().get(0).errorCode()))
                    .isEqualTo(Errors.OFFSET_OUT_OF_RANGE);
        }
    }

    @Test
    void apiVersionsAdvertisesExactlyTheServedApis() throws Exception {
        try (KafkaWireClient client = new KafkaWireClient(server.port())) {
            ApiVersionsResponseData response = client.call(ApiKeys.API_VERSIONS, (short) 3,
                    new ApiVersionsRequestData().setClientSoftwareName("t").setClientSoftwareVersion("1"),
                    ApiVersionsResponseData.class);
            assertThat(response.errorCode()).isZero();
            assertThat(response.apiKeys()).extracting(ApiVersionsResponseData.ApiVersion::apiKey)
                    .containsExactlyInAnyOrder(ApiKeys.PRODUCE.id, ApiKeys.FETCH.id, ApiKeys.LIST_OFFSETS.id,
                            ApiKeys.METADATA.id, ApiKeys.API_VERSIONS.id, ApiKeys.CREATE_TOPICS.id,
                            ApiKeys.DELETE_TOPICS.id, ApiKeys.INIT_PRODUCER_ID.id, ApiKeys.CREATE_PARTITIONS.id,
                            ApiKeys.DESCRIBE_CONFIGS.id, ApiKeys.INCREMENTAL_ALTER_CONFIGS.id,
                            ApiKeys.DELETE_RECORDS.id, ApiKeys.DESCRIBE_CLUSTER.id, ApiKeys.OFFSET_COMMIT.id,
                            ApiKeys.OFFSET_FETCH.id, ApiKeys.FIND_COORDINATOR.id, ApiKeys.JOIN_GROUP.id,
                            ApiKeys.SYNC_GROUP.id, ApiKeys.HEARTBEAT.id, ApiKeys.LEAVE_GROUP.id,
                            ApiKeys.LIST_GROUPS.id, ApiKeys.DESCRIBE_GROUPS.id, ApiKeys.DELETE_GROUPS.id,
                            ApiKeys.OFFSET_DELETE.id);
            assertThat(response.apiKeys()).extracting(ApiVersionsResponseData.ApiVersion::apiKey)
                    .as("the KIP-848 consumer protocol and transactions are not served")
                    .doesNotContain(ApiKeys.CONSUMER_GROUP_HEARTBEAT.id, ApiKeys.ADD_PARTITIONS_TO_TXN.id,
                            ApiKeys.END_TXN.id, ApiKeys.TXN_OFFSET_COMMIT.id);
            for (ApiVersionsResponseData.ApiVersion v : response.apiKeys()) {
                ApiKeys key = ApiKeys.forId(v.apiKey());
                assertThat(v.minVersion()).as(key.name).isEqualTo(key.oldestVersion());
                assertThat(v.maxVersion()).as(key.name).isEqualTo(key.latestVersion(false));
            }
        }
    }

    @Test
    void apiVersionsOfAVersionNotServedIsAnsweredInVersionZeroWithTheServedOnes() throws Exception {
        try (KafkaWireClient client = new KafkaWireClient(server.port())) {
            // A future version's body cannot be written by today's classes: send an empty one.
            byte[] frame = KafkaWireClient.frame(ApiKeys.API_VERSIONS, (short) 3, 77, new ApiVersionsRequestData());
            java.nio.ByteBuffer.wrap(frame).putShort(6, (short) 99);
            client.sendRaw(frame);
            ApiVersionsResponseData response = (ApiVersionsResponseData) client.receive(ApiKeys.API_VERSIONS,
                    (short) 0, 77);
            assertThat(Errors.forCode(response.errorCode())).isEqualTo(Errors.UNSUPPORTED_VERSION);
            assertThat(response.apiKeys()).hasSize(ServedApi.values().length);
        }
    }

    private static MetadataRequestData metadataFor(String topic, boolean allowCreate) {
        return new MetadataRequestData().setAllowAutoTopicCreation(allowCreate)
                .setTopics(List.of(new MetadataRequestData.MetadataRequestTopic().setName(topic)));
    }

    @Test
    void metadataCreatesAMissingTopicUnlessTheRequestOrTheOptionsSayNo() throws Exception {
        try (KafkaWireClient client = new KafkaWireClient(server.port())) {
            MetadataResponseData refused = client.call(ApiKeys.METADATA, (short) 12, metadataFor("nope", false),
                    MetadataResponseData.class);
            assertThat(Errors.forCode(refused.topics().find("nope").errorCode()))
                    .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
            assertThat(cairn.log().topics()).doesNotContain("nope");

            MetadataResponseData created = client.call(ApiKeys.METADATA, (short) 12, metadataFor("auto", true),
                    MetadataResponseData.class);
            assertThat(created.topics().find("auto").errorCode()).isZero();
            assertThat(created.topics().find("auto").partitions()).hasSize(1);
            assertThat(cairn.log().topics()).contains("auto");
            MetadataResponseData.MetadataResponseBroker broker = created.brokers().iterator().next();
            assertThat(broker.host() + ":" + broker.port()).isEqualTo(server.bootstrapServers());
        }
        try (Cairn other = Cairn.inMemory();
                KafkaServer noCreate = KafkaServer.start(other,
                        KafkaServerOptions.DEFAULT.withPort(0).withAutoCreateTopics(false).withAdvertisedHost("localhost"));
                KafkaWireClient client = new KafkaWireClient(noCreate.port())) {
            MetadataResponseData refused = client.call(ApiKeys.METADATA, (short) 12, metadataFor("auto", true),
                    MetadataResponseData.class);
            assertThat(Errors.forCode(refused.topics().find("auto").errorCode()))
                    .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
            assertThat(other.log().topics()).isEmpty();
            assertThat(refused.brokers().iterator().next().host()).isEqualTo("localhost");
            assertThat(noCreate.bootstrapServers()).isEqualTo("localhost:" + noCreate.port());
        }
    }
}
