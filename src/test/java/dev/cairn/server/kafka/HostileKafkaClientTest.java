package dev.cairn.server.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import dev.cairn.log.TopicConfig;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Frames no client should send: bad sizes, unknown keys and versions, bodies that do not parse,
 * and seeded random mutations of valid requests. Each gets an answer or a closed connection, and
 * the server goes on serving other connections.
 */
class HostileKafkaClientTest {
    private final Cairn cairn = Cairn.inMemory();
    private final KafkaServer server = KafkaServer.start(cairn, KafkaServerOptions.DEFAULT.withPort(0));

    HostileKafkaClientTest() {
        cairn.log().createTopic("t", TopicConfig.defaults().withPartitions(2));
    }

    @AfterEach
    void tearDown() {
        cairn.close();
    }

    private void assertStillServes() throws IOException {
        try (KafkaWireClient client = new KafkaWireClient(server.port())) {
            ApiVersionsResponseData r = client.call(ApiKeys.API_VERSIONS, (short) 3,
                    new ApiVersionsRequestData().setClientSoftwareName("c").setClientSoftwareVersion("1"),
                    ApiVersionsResponseData.class);
            assertThat(r.errorCode()).isZero();
        }
    }

    private boolean closesAfter(byte[] bytes) throws IOException {
        try (KafkaWireClient client = new KafkaWireClient(server.port())) {
            client.sendRaw(bytes);
            return client.closedByServer();
        }
    }

    private static byte[] sizeOnly(int size) {
        return ByteBuffer.allocate(4).putInt(size).array();
    }

    @Test
    void sizesOutsideTheLimitsCloseTheConnectionAtOnce() throws IOException {
        assertThat(closesAfter(sizeOnly(-1))).isTrue();
        assertThat(closesAfter(sizeOnly(0))).isTrue();
        assertThat(closesAfter(sizeOnly(3))).isTrue();
        // 100 MiB + 1: refused on the size alone, before any of the body is sent or buffered.
        assertThat(closesAfter(sizeOnly(100 * 1024 * 1024 + 1))).isTrue();
        assertThat(closesAfter(sizeOnly(Integer.MAX_VALUE))).isTrue();
        assertStillServes();
    }

    @Test
    void unknownKeysUnservedVersionsAndUnparsableBodiesCloseTheConnection() throws IOException {
        byte[] unknownKey = KafkaWireClient.frame(ApiKeys.METADATA, (short) 12, 1, new MetadataRequestData());
        ByteBuffer.wrap(unknownKey).putShort(4, (short) 999);
        assertThat(closesAfter(unknownKey)).isTrue();

        byte[] joinGroup = KafkaWireClient.frame(ApiKeys.METADATA, (short) 12, 1, new MetadataRequestData());
        ByteBuffer.wrap(joinGroup).putShort(4, ApiKeys.JOIN_GROUP.id);
        assertThat(closesAfter(joinGroup)).as("an API that is not advertised").isTrue();

        byte[] futureFetch = KafkaWireClient.frame(ApiKeys.METADATA, (short) 12, 1, new MetadataRequestData());
        ByteBuffer.wrap(futureFetch).putShort(4, ApiKeys.FETCH.id).putShort(6, (short) 99);
        assertThat(closesAfter(futureFetch)).isTrue();

        byte[] garbage = new byte[64];
        Arrays.fill(garbage, (byte) 0xff);
        ByteBuffer.wrap(garbage).putInt(0, 60).putShort(4, ApiKeys.METADATA.id).putShort(6, (short) 12)
                .putInt(8, 1);
        assertThat(closesAfter(garbage)).isTrue();

        // A frame cut short, and the client gone: nothing to answer, nothing left behind.
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write(sizeOnly(1000));
            socket.getOutputStream().write(new byte[10]);
        }
        assertStillServes();
    }

    /** Valid requests of every served API, to mutate; the fetch does not wait. */
    private static List<byte[]> templates() {
        MemoryRecords records = MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(new byte[] {1, 2}));
        List<ApiMessage> bodies = List.of(
                KafkaWireTest.produce("t", (short) 1, records),
                new FetchRequestData().setReplicaId(-1).setMaxWaitMs(0).setMinBytes(0).setMaxBytes(1 << 20)
                        .setSessionEpoch(-1).setTopics(List.of(new FetchRequestData.FetchTopic().setTopic("t")
                                .setPartitions(List.of(new FetchRequestData.FetchPartition().setPartition(1)
                                        .setPartitionMaxBytes(1 << 20))))),
                new ListOffsetsRequestData().setReplicaId(-1).setTopics(List.of(new ListOffsetsRequestData.ListOffsetsTopic()
                        .setName("t").setPartitions(List.of(new ListOffsetsRequestData.ListOffsetsPartition()
                                .setPartitionIndex(0).setTimestamp(-1))))),
                new MetadataRequestData().setTopics(null),
                new ApiVersionsRequestData().setClientSoftwareName("c").setClientSoftwareVersion("1"),
                new CreateTopicsRequestData().setValidateOnly(true),
                new DeleteTopicsRequestData(),
                new InitProducerIdRequestData().setTransactionalId(null).setProducerId(-1).setProducerEpoch((short) -1));
        List<ApiKeys> keys = List.of(ApiKeys.PRODUCE, ApiKeys.FETCH, ApiKeys.LIST_OFFSETS, ApiKeys.METADATA,
                ApiKeys.API_VERSIONS, ApiKeys.CREATE_TOPICS, ApiKeys.DELETE_TOPICS, ApiKeys.INIT_PRODUCER_ID);
        List<short[]> versions = List.of(new short[] {3, 9, 12}, new short[] {4, 12}, new short[] {1, 7, 11},
                new short[] {1, 9, 12}, new short[] {0, 3}, new short[] {2, 7}, new short[] {1, 5},
                new short[] {0, 4});
        List<byte[]> frames = new java.util.ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            for (short v : versions.get(i)) {
                frames.add(KafkaWireClient.frame(keys.get(i), v, 42, bodies.get(i)));
            }
        }
        return frames;
    }

    @Test
    void mutatedRequestsGetAnAnswerOrACloseAndNeverHarmTheServer() throws IOException {
        long seed = System.nanoTime();
        int iterations = Integer.getInteger("cairn.fuzz.iterations", 200);
        Random random = new Random(seed);
        List<byte[]> templates = templates();
        for (int i = 0; i < iterations; i++) {
            byte[] frame = templates.get(random.nextInt(templates.size())).clone();
            boolean fetch = ByteBuffer.wrap(frame).getShort(4) == ApiKeys.FETCH.id;
            if (fetch || random.nextBoolean()) {
                // Cut short, with the size saying so: the body ends early.
                int length = 8 + random.nextInt(frame.length - 8);
                frame = Arrays.copyOf(frame, length);
                ByteBuffer.wrap(frame).putInt(0, length - 4);
            } else {
                int flips = 1 + random.nextInt(4);
                for (int f = 0; f < flips; f++) {
                    frame[8 + random.nextInt(frame.length - 8)] = (byte) random.nextInt(256);
                }
            }
            try (Socket socket = new Socket("127.0.0.1", server.port())) {
                socket.setSoTimeout(30_000);
                socket.getOutputStream().write(frame);
                socket.shutdownOutput();
                DataInputStream in = new DataInputStream(socket.getInputStream());
                // Whatever comes back is read to the end: one response, or none and a close.
                try {
                    while (in.read() >= 0) {
                        // drain
                    }
                } catch (SocketException e) {
                    // A reset is a close too.
                }
            } catch (IOException e) {
                throw new AssertionError("seed " + seed + ", iteration " + i + ": " + e, e);
            }
        }
        assertStillServes();
        assertThat(server.connectedClients()).as("seed " + seed).isLessThanOrEqualTo(1);
    }
}
