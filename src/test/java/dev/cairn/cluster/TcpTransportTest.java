package dev.cairn.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TcpTransportTest extends TransportContractTest {
    private static final String HOST = "127.0.0.1";
    private static final int MAX_FRAME_BYTES = 4096;
    private static final AtomicInteger TRANSPORTS = new AtomicInteger();

    private static List<NodeAddress> ephemeralNodes(int... ids) {
        return Arrays.stream(ids).mapToObj(id -> new NodeAddress(id, HOST, 0)).toList();
    }

    /** Settings for a test: small frames, quick connects and backoff, threads named after this transport. */
    private static TcpTransportConfig testConfig() {
        return TcpTransportConfig.defaults().withMaxFrameBytes(MAX_FRAME_BYTES).withConnectTimeoutMs(2_000)
                .withBackoff(5, 20).withThreadNamePrefix("test-tcp-" + TRANSPORTS.incrementAndGet());
    }

    @Override
    Harness newHarness() {
        return new RealTimeHarness(new TcpTransport(ephemeralNodes(1, 2, 3), testConfig()));
    }

    private TcpTransport tcp() {
        return (TcpTransport) harness.transport();
    }

    @Test
    void attachingBindsAnEphemeralPortThatPeersThenUse() {
        harness.transport().attach(1, echo(""));

        assertThat(tcp().address(1).port()).isPositive();
        assertThat(tcp().address(2).port()).as("not attached yet").isZero();
        assertThatThrownBy(() -> tcp().address(7)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("node 7 is not in this TCP transport's node set");
        assertThatThrownBy(() -> harness.transport().attach(7, echo(""))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("node 7");
        assertThatThrownBy(() -> tcp().setAddress(new NodeAddress(1, HOST, 1234)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("node 1 is attached");
    }

    @Test
    void twoTransportsTalkAsTwoProcessesWould() {
        try (TcpTransport other = new TcpTransport(ephemeralNodes(1, 2), testConfig())) {
            Endpoint one = harness.transport().attach(1, echo("here "));
            Endpoint two = other.attach(2, echo("there "));
            tcp().setAddress(other.address(2));
            other.setAddress(tcp().address(1));

            assertThat(awaitOutcome(send(one, 2, "ping", 10_000)).text()).isEqualTo("there 1:ping");
            assertThat(awaitOutcome(send(two, 1, "pong", 10_000)).text()).isEqualTo("here 2:pong");
        }
    }

    @Test
    void aPeerThatDiesFailsThePendingRequestsAtOnceAndIsReachedAgainWhenBack() {
        TcpTransport peerProcess = new TcpTransport(ephemeralNodes(1), testConfig());
        CompletableFuture<String> arrived = new CompletableFuture<>();
        peerProcess.attach(1, silent(arrived));
        NodeAddress peer = peerProcess.address(1);
        tcp().setAddress(peer);
        Endpoint two = harness.transport().attach(2, echo(""));
        CompletableFuture<Outcome> pending = send(two, 1, "are you there", 60_000);
        harness.await(arrived);

        peerProcess.close();

        assertThat(awaitFailure(pending)).hasMessageContaining("connection of node 2 to node 1 broke");
        assertThat(awaitFailure(send(two, 1, "while down", 60_000))).hasMessageContaining("node 1");

        try (TcpTransport restarted = new TcpTransport(List.of(peer), testConfig())) {
            restarted.attach(1, echo("back "));
            assertThat(sendUntilAnswered(two, 1, "hello again")).isEqualTo("back 2:hello again");
        }
    }

    /** Sends until a request is answered: the first ones may fail in the backoff after a failed connect. */
    private String sendUntilAnswered(Endpoint from, int to, String request) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RealTimeHarness.WAIT_MS);
        while (true) {
            Outcome outcome = awaitOutcome(send(from, to, request, 10_000));
            if (outcome.failure() == null) {
                return outcome.text();
            }
            assertThat(outcome.failure()).hasMessageContaining("node " + to);
            if (System.nanoTime() > deadline) {
                throw new AssertionError("node " + to + " never answered", outcome.failure());
            }
        }
    }

    @Test
    void anOversizedFrameClosesOnlyThatConnection() throws IOException {
        harness.transport().attach(1, echo(""));
        Endpoint two = harness.transport().attach(2, echo(""));
        assertThat(awaitOutcome(send(two, 1, "before", 10_000)).text()).isEqualTo("2:before");

        try (Socket rogue = connectAs(3, 1)) {
            rogue.getOutputStream().write(ByteBuffer.allocate(4).putInt(0, MAX_FRAME_BYTES + 1).array());
            assertThat(readToEnd(rogue.getInputStream())).as("closed by node 1").isZero();
        }

        assertThat(awaitOutcome(send(two, 1, "after", 10_000)).text()).isEqualTo("2:after");
    }

    @Test
    void garbageClosesOnlyThatConnection() throws IOException {
        harness.transport().attach(1, echo(""));
        Endpoint two = harness.transport().attach(2, echo(""));
        assertThat(awaitOutcome(send(two, 1, "before", 10_000)).text()).isEqualTo("2:before");

        try (Socket http = new Socket(HOST, tcp().address(1).port())) {
            http.setSoTimeout(10_000);
            http.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(readToEnd(http.getInputStream())).as("no answer, then closed").isZero();
        }
        try (Socket wrongKind = connectAs(3, 1)) {
            ByteBuffer response = TcpFrameFormat.frame(TcpFrameFormat.KIND_RESPONSE, 1, 3, bytes("not a request"));
            wrongKind.getOutputStream().write(response.array());
            assertThat(readToEnd(wrongKind.getInputStream())).isZero();
        }
        try (Socket impostor = connectAs(3, 1)) {
            ByteBuffer request = TcpFrameFormat.frame(TcpFrameFormat.KIND_REQUEST, 1, 2, bytes("as node 2"));
            impostor.getOutputStream().write(request.array());
            assertThat(readToEnd(impostor.getInputStream())).isZero();
        }

        assertThat(awaitOutcome(send(two, 1, "after", 10_000)).text()).isEqualTo("2:after");
    }

    @Test
    void aWellBehavedRawPeerIsAnswered() throws IOException {
        harness.transport().attach(1, echo(""));

        try (Socket peer = connectAs(3, 1)) {
            peer.getOutputStream().write(TcpFrameFormat.frame(TcpFrameFormat.KIND_REQUEST, 42, 3, bytes("raw")).array());
            byte[] expected = TcpFrameFormat.frame(TcpFrameFormat.KIND_RESPONSE, 42, 1, bytes("3:raw")).array();
            assertThat(peer.getInputStream().readNBytes(expected.length)).isEqualTo(expected);
        }
    }

    @Test
    void aRequestLargerThanAFrameIsRefused() {
        harness.transport().attach(1, echo(""));
        Endpoint two = harness.transport().attach(2, echo(""));

        assertThatThrownBy(() -> two.send(1, ByteBuffer.allocate(MAX_FRAME_BYTES), 1_000, (response, failure) -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("request of 4096 bytes");
    }

    @Test
    void closeLeavesNoThreadBehind() {
        String threads = "test-tcp-leak";
        TcpTransport transport = new TcpTransport(ephemeralNodes(1, 2),
                testConfig().withThreadNamePrefix(threads));
        Endpoint one = transport.attach(1, echo(""));
        Endpoint two = transport.attach(2, echo(""));
        awaitOutcome(send(one, 2, "open one way", 10_000));
        awaitOutcome(send(two, 1, "and the other", 10_000));
        assertThat(RealTimeHarness.liveThreads(threads)).hasSizeGreaterThanOrEqualTo(4);

        transport.close();

        RealTimeHarness.awaitCondition("no " + threads + " thread is left",
                () -> RealTimeHarness.liveThreads(threads).isEmpty());
    }

    /** A raw socket that has done the handshake as node {@code as} with node {@code to}. */
    private Socket connectAs(int as, int to) throws IOException {
        Socket socket = new Socket(HOST, tcp().address(to).port());
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        out.write(TcpFrameFormat.handshake(as, to).array());
        assertThat(socket.getInputStream().readNBytes(TcpFrameFormat.HANDSHAKE_BYTES))
                .isEqualTo(TcpFrameFormat.handshake(to, as).array());
        return socket;
    }

    /** Reads until the other end closes; returns the bytes read. */
    private static int readToEnd(InputStream in) throws IOException {
        return in.readAllBytes().length;
    }
}
