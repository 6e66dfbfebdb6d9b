package dev.cairn.server.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Blocking commands over raw sockets: a blocked client holds no thread, is served in Redis's
 * order, times out, is ended by CLIENT UNBLOCK and withdrawn by its disconnect; replies compared
 * byte for byte with redis-server where both can run the same steps.
 */
class BlockingWireTest extends AgainstRedis {
    private Cairn cairn;
    private RedisServer server;
    private final List<Client> clients = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        cairn = Cairn.inMemory();
        server = RedisServer.start(cairn, RedisServerOptions.DEFAULT.withPort(0));
        Client redisControl = client(redis.port());
        redisControl.call("FLUSHALL");
    }

    @AfterEach
    void stop() throws IOException {
        for (Client client : clients) {
            client.close();
        }
        server.close();
        cairn.close();
    }

    /** One raw connection. */
    static final class Client implements AutoCloseable {
        final Socket socket;
        final RespReplyReader in;

        Client(int port) throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setSoTimeout(30_000);
            in = new RespReplyReader(new BufferedInputStream(socket.getInputStream()));
        }

        void send(String... command) throws IOException {
            socket.getOutputStream().write(request(command));
        }

        String read() throws IOException {
            return WireDifferential.printable(in.readRaw());
        }

        String call(String... command) throws IOException {
            send(command);
            return read();
        }

        static byte[] request(String... command) {
            RespWriter writer = new RespWriter(2);
            writer.writeArrayLength(command.length);
            for (String arg : command) {
                writer.writeBulk(arg.getBytes(StandardCharsets.UTF_8));
            }
            return writer.toByteArray();
        }

        /** This connection's id, from CLIENT ID's reply {@code :n\r\n}. */
        String id() throws IOException {
            String reply = call("CLIENT", "ID");
            return reply.substring(1, reply.indexOf('\\'));
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private Client client(int port) throws IOException {
        Client client = new Client(port);
        clients.add(client);
        return client;
    }

    /** Polls CLIENT LIST on {@code control} until client {@code id} is blocked (flags b). */
    private static void awaitBlocked(Client control, String id) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            for (String line : control.call("CLIENT", "LIST").split("\\\\n")) {
                if (line.contains("id=" + id + " ") && line.matches(".* flags=[a-zA-Z]*b.*")) {
                    return;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("client " + id + " did not block within 10 s");
            }
            Thread.onSpinWait();
        }
    }

    // 2,000 clients block at once; no thread is spent on any of them (the JVM's thread count does
    // not grow with their number), and one push of 2,000 elements serves them in arrival order.
    @Test
    void twoThousandBlockedClientsHoldNoThreadAndAreServedInArrivalOrder() throws Exception {
        int count = 2_000;
        int warm = 100;
        List<Client> blocked = new ArrayList<>();
        int threadsWarm = 0;
        for (int i = 0; i < count; i++) {
            if (i == warm) {
                // Every event loop has taken connections by now.
                threadsWarm = ManagementFactory.getThreadMXBean().getThreadCount();
            }
            Client client = client(server.port());
            client.send("BLPOP", "q", "other", "0");
            blocked.add(client);
            // One at a time, so that the arrival order is the order of i.
            assertThat(server.awaitBlockedClients(i + 1, Duration.ofSeconds(10))).as("client %d blocked", i).isTrue();
        }
        int threadsAll = ManagementFactory.getThreadMXBean().getThreadCount();
        assertThat(threadsAll).as("threads with %d blocked clients against %d with %d", count, threadsWarm, warm)
                .isLessThan(threadsWarm + 20);
        String[] push = new String[count + 2];
        push[0] = "RPUSH";
        push[1] = "q";
        for (int i = 0; i < count; i++) {
            push[i + 2] = "e" + i;
        }
        Client producer = client(server.port());
        assertThat(producer.call(push)).isEqualTo(":" + count + "\\r\\n");
        for (int i = 0; i < count; i++) {
            String element = "e" + i;
            assertThat(blocked.get(i).read()).as("client %d", i)
                    .isEqualTo("*2\\r\\n$1\\r\\nq\\r\\n$" + element.length() + "\\r\\n" + element + "\\r\\n");
        }
        assertThat(server.awaitBlockedClients(0, Duration.ofSeconds(10))).isTrue();
        assertThat(producer.call("LLEN", "q")).isEqualTo(":0\\r\\n");
    }

    /** Runs the same blocking steps on redis-server and Cairn; returns the replies of each, in order. */
    private List<String> timeoutsAndUnblocks(int port) throws IOException {
        List<String> replies = new ArrayList<>();
        Client control = client(port);
        Client waiting = client(port);
        String id = waiting.id();
        replies.add(waiting.call("BLPOP", "k", "0.05"));
        replies.add(waiting.call("BRPOP", "k", "k2", "0.01"));
        replies.add(waiting.call("BLMOVE", "s", "d", "LEFT", "RIGHT", "0.02"));
        replies.add(waiting.call("BRPOPLPUSH", "s", "d", "0.02"));
        replies.add(waiting.call("BZPOPMIN", "z", "0.01"));
        replies.add(waiting.call("BLMPOP", "0.01", "1", "k", "LEFT"));
        replies.add(waiting.call("BZMPOP", "0.01", "1", "z", "MIN"));
        replies.add(control.call("CLIENT", "UNBLOCK", id));
        for (String[] command : List.of(new String[] {"BLPOP", "k", "0"}, new String[] {"BLMOVE", "s", "d", "LEFT",
                "LEFT", "0"}, new String[] {"BZPOPMAX", "z", "100"}, new String[] {"BLMPOP", "0", "1", "k", "RIGHT"})) {
            for (String reason : new String[] {null, "TIMEOUT", "ERROR"}) {
                // The blocked command and one after it, pipelined: the second waits for the first.
                byte[] first = Client.request(command);
                byte[] second = Client.request("PING", "after");
                byte[] both = new byte[first.length + second.length];
                System.arraycopy(first, 0, both, 0, first.length);
                System.arraycopy(second, 0, both, first.length, second.length);
                waiting.socket.getOutputStream().write(both);
                awaitBlocked(control, id);
                replies.add(reason == null ? control.call("CLIENT", "UNBLOCK", id)
                        : control.call("CLIENT", "UNBLOCK", id, reason));
                replies.add(waiting.read());
                replies.add(waiting.read());
                replies.add(control.call("CLIENT", "UNBLOCK", id));
            }
        }
        replies.add(control.call("CLIENT", "UNBLOCK", id, "NEVER"));
        // A served pop after an unblock: the element goes to the next waiter, not to the unblocked one.
        waiting.send("BLPOP", "k", "0");
        awaitBlocked(control, id);
        replies.add(control.call("CLIENT", "UNBLOCK", id));
        replies.add(waiting.read());
        replies.add(control.call("RPUSH", "k", "x"));
        replies.add(control.call("LLEN", "k"));
        replies.add(waiting.call("BLPOP", "k", "0"));
        return replies;
    }

    @Test
    void timeoutsAndClientUnblockMatchRedis() throws IOException {
        List<String> expected = timeoutsAndUnblocks(redis.port());
        List<String> actual = timeoutsAndUnblocks(server.port());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.get(i)).as("reply %d", i).isEqualTo(expected.get(i));
        }
        assertThat(actual).hasSameSizeAs(expected);
    }

    // A client that disconnects while blocked is withdrawn: the element pushed afterwards stays.
    @Test
    void aDisconnectWhileBlockedLosesNoElement() throws Exception {
        Client control = client(server.port());
        for (String[] command : List.of(new String[] {"BLPOP", "k", "0"}, new String[] {"BLMOVE", "k", "d", "LEFT",
                "LEFT", "5"}, new String[] {"BLMPOP", "0", "1", "k", "LEFT", "COUNT", "2"})) {
            Client waiting = client(server.port());
            waiting.send(command);
            assertThat(server.awaitBlockedClients(1, Duration.ofSeconds(10))).isTrue();
            waiting.close();
            assertThat(server.awaitBlockedClients(0, Duration.ofSeconds(10))).isTrue();
            assertThat(control.call("RPUSH", "k", "x")).isEqualTo(":1\\r\\n");
            assertThat(control.call("LLEN", "k")).isEqualTo(":1\\r\\n");
            assertThat(control.call("DEL", "k")).isEqualTo(":1\\r\\n");
        }
        assertThat(control.call("EXISTS", "d")).isEqualTo(":0\\r\\n");
    }
}
