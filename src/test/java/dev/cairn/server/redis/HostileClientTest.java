package dev.cairn.server.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** Clients that break the protocol, dribble, or never read: the server stays up and serves others. */
class HostileClientTest {
    private final Cairn cairn = Cairn.inMemory();
    private final RedisServer server = RedisServer.start(cairn, RedisServerOptions.DEFAULT.withPort(0));

    @AfterEach
    void close() {
        server.close();
        cairn.close();
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
        socket.setSoTimeout(10_000);
        return socket;
    }

    private void othersAreServed() {
        try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            assertThat(jedis.ping()).isEqualTo("PONG");
            assertThat(jedis.set("alive", "yes")).isEqualTo("OK");
        }
    }

    private static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void aDribblingClientHoldsNothingUpAndIsAnsweredWhenItsCommandIsWhole() throws IOException {
        try (Socket slow = connect()) {
            OutputStream out = slow.getOutputStream();
            byte[] command = "*2\r\n$4\r\nECHO\r\n$5\r\nslow!\r\n".getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < command.length - 1; i++) {
                out.write(command[i]);
                out.flush();
                if (i % 8 == 0) {
                    othersAreServed();
                }
            }
            out.write(command[command.length - 1]);
            out.flush();
            byte[] reply = slow.getInputStream().readNBytes("$5\r\nslow!\r\n".length());
            assertThat(new String(reply, StandardCharsets.US_ASCII)).isEqualTo("$5\r\nslow!\r\n");
        }
    }

    @Test
    void malformedFramesGetAProtocolErrorAndOnlyTheirConnectionCloses() throws IOException {
        String[] inputs = {"*1\r\n$2147483648\r\n", "*abc\r\n", "*1\r\n$x\r\n", "*1\r\n:5\r\n", "\"unbalanced\r\n",
            "*2147483648\r\n"};
        for (String input : inputs) {
            try (Socket bad = connect()) {
                bad.getOutputStream().write(input.getBytes(StandardCharsets.ISO_8859_1));
                bad.shutdownOutput();
                assertThat(readAll(bad.getInputStream())).as(input).startsWith("-ERR Protocol error");
            }
            othersAreServed();
        }
    }

    @Test
    void randomBytesNeverStopTheServer() throws IOException {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int round = 0; round < 50; round++) {
            try (Socket noise = connect()) {
                byte[] bytes = new byte[1 + random.nextInt(2000)];
                random.nextBytes(bytes);
                if (random.nextBoolean()) {
                    bytes[0] = '*';
                }
                noise.getOutputStream().write(bytes);
                noise.shutdownOutput();
                readAll(noise.getInputStream());
            }
        }
        othersAreServed();
        assertThat(seed).isNotZero();
    }

    // A client that pipelines GETs of a 1 MiB value and never reads: the server stops reading it
    // once its unsent replies pass the write buffer, so the client's own sends stall, and other
    // clients are served throughout.
    @Test
    void aClientThatNeverReadsIsThrottledNotBuffered() throws Exception {
        cairn.dictionary().strings().set("big", new byte[1 << 20]);
        AtomicLong sent = new AtomicLong();
        try (Socket greedy = connect()) {
            greedy.setSendBufferSize(64 * 1024);
            Thread writer = new Thread(() -> {
                byte[] get = "*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n".getBytes(StandardCharsets.US_ASCII);
                try {
                    OutputStream out = greedy.getOutputStream();
                    for (int i = 0; i < 100_000; i++) {
                        out.write(get);
                        sent.incrementAndGet();
                    }
                } catch (IOException closed) {
                    // the test closes the socket while this thread is stalled in a write
                }
            });
            writer.setDaemon(true);
            writer.start();
            long deadline = System.nanoTime() + 10_000_000_000L;
            long before;
            do {
                before = sent.get();
                othersAreServed();
            } while (System.nanoTime() < deadline && sent.get() != before);
            // 100,000 GETs would be 100 GiB of replies; the server took only a small part of them.
            assertThat(sent.get()).isLessThan(100_000);
            Runtime runtime = Runtime.getRuntime();
            assertThat(runtime.totalMemory() - runtime.freeMemory()).isLessThan(1L << 30);
        }
        othersAreServed();
    }
}
