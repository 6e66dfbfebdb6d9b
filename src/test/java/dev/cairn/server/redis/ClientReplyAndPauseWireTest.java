package dev.cairn.server.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import dev.cairn.server.redis.BlockingWireTest.Client;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * CLIENT REPLY ON|OFF|SKIP and CLIENT PAUSE / UNPAUSE over raw sockets, the same steps run on
 * redis-server and on Cairn and the replies compared byte for byte.
 */
class ClientReplyAndPauseWireTest extends AgainstRedis {
    private Cairn cairn;
    private RedisServer server;
    private final List<Client> clients = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        cairn = Cairn.inMemory();
        server = RedisServer.start(cairn, RedisServerOptions.DEFAULT.withPort(0));
        client(redis.port()).call("FLUSHALL");
    }

    @AfterEach
    void stop() throws IOException {
        for (Client client : clients) {
            client.close();
        }
        server.close();
        cairn.close();
    }

    private Client client(int port) throws IOException {
        Client client = new Client(port);
        clients.add(client);
        return client;
    }

    /** Sends {@code commands} pipelined, then PING end; returns every reply received before end's. */
    private static List<String> pipeline(Client client, String[]... commands) throws IOException {
        for (String[] command : commands) {
            client.send(command);
        }
        client.send("PING", "end");
        List<String> replies = new ArrayList<>();
        while (true) {
            String reply = client.read();
            if (reply.equals("$3\\r\\nend\\r\\n")) {
                return replies;
            }
            replies.add(reply);
        }
    }

    private static String[] c(String... command) {
        return command;
    }

    private List<String> replyModes(int port) throws IOException {
        Client client = client(port);
        List<String> replies = new ArrayList<>();
        replies.addAll(pipeline(client, c("CLIENT", "REPLY", "OFF"), c("SET", "a", "1"), c("GET", "a"),
                c("NOSUCH"), c("CLIENT", "REPLY", "SKIP"), c("CLIENT", "REPLY", "ON"), c("GET", "a")));
        replies.add("--");
        replies.addAll(pipeline(client, c("CLIENT", "REPLY", "SKIP"), c("SET", "b", "2"), c("GET", "b"),
                c("CLIENT", "REPLY", "SKIP"), c("NOSUCH"), c("GET", "b"), c("CLIENT", "REPLY", "SKIP"),
                c("CLIENT", "REPLY", "ON"), c("GET", "b")));
        replies.add("--");
        // A blocking command's reply, given when it times out, is skipped as well.
        replies.addAll(pipeline(client, c("CLIENT", "REPLY", "SKIP"), c("BLPOP", "k", "0.01"), c("BLPOP", "k",
                "0.01"), c("CLIENT", "REPLY", "OFF"), c("BRPOP", "k", "0.01"), c("CLIENT", "REPLY", "ON")));
        replies.add("--");
        replies.addAll(pipeline(client, c("CLIENT", "REPLY", "MAYBE"), c("CLIENT", "REPLY"),
                c("CLIENT", "REPLY", "ON", "x")));
        return replies;
    }

    @Test
    void clientReplyMatchesRedis() throws IOException {
        assertThat(replyModes(server.port())).isEqualTo(replyModes(redis.port()));
    }

    /** Polls CLIENT LIST on {@code control} until client {@code id} is held on {@code command} (flags b). */
    private static void awaitHeld(Client control, String id, String command) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            for (String line : control.call("CLIENT", "LIST").split("\\\\n")) {
                if (line.contains("id=" + id + " ") && line.matches(".* flags=[a-zA-Z]*b.*")
                        && line.contains(" cmd=" + command + " ")) {
                    return;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("client " + id + " was not held on " + command + " within 10 s");
            }
            Thread.onSpinWait();
        }
    }

    private List<String> writePause(int port) throws IOException {
        Client pauser = client(port);
        Client writer = client(port);
        Client reader = client(port);
        String writerId = writer.id();
        List<String> replies = new ArrayList<>();
        replies.add(pauser.call("SET", "x", "0"));
        replies.add(pauser.call("CLIENT", "PAUSE", "100000", "WRITE"));
        // Reads run; writes (and what follows them on the same connection) are held, in order.
        writer.send("INCR", "x");
        writer.send("GET", "x");
        writer.send("INCR", "x");
        awaitHeld(reader, writerId, "incr");
        replies.add(reader.call("GET", "x"));
        replies.add(reader.call("NOSUCH"));
        replies.add(reader.call("SET", "x"));
        replies.add(pauser.call("CLIENT", "PAUSE", "10", "WRITE"));
        replies.add(pauser.call("CLIENT", "UNPAUSE"));
        replies.add(writer.read());
        replies.add(writer.read());
        replies.add(writer.read());
        replies.add(reader.call("GET", "x"));
        // Inside MULTI a write is held before it is queued; EXEC runs once the pause ends.
        replies.add(writer.call("MULTI"));
        replies.add(pauser.call("CLIENT", "PAUSE", "100000", "WRITE"));
        writer.send("SET", "y", "1");
        awaitHeld(reader, writerId, "set");
        replies.add(pauser.call("CLIENT", "UNPAUSE"));
        replies.add(writer.read());
        replies.add(writer.call("EXEC"));
        replies.add(pauser.call("CLIENT", "PAUSE", "1", "SOME"));
        replies.add(pauser.call("CLIENT", "PAUSE", "x"));
        replies.add(pauser.call("CLIENT", "PAUSE", "-1"));
        return replies;
    }

    @Test
    void clientPauseWriteHoldsWritesUntilUnpauseAsRedis() throws IOException {
        assertThat(writePause(server.port())).isEqualTo(writePause(redis.port()));
    }

    // PAUSE ALL holds every command, the pausing client's own and CLIENT UNPAUSE included, until
    // its timeout passes; commands refused before they run are answered at once.
    private List<String> allPause(int port) throws IOException {
        Client pauser = client(port);
        Client other = client(port);
        List<String> replies = new ArrayList<>();
        // Measured from before the pause began: the held commands cannot answer sooner than 300 ms later.
        long start = System.nanoTime();
        replies.add(pauser.call("CLIENT", "PAUSE", "300", "ALL"));
        replies.add(other.call("NOSUCH"));
        replies.addAll(pipeline(pauser, c("CLIENT", "UNPAUSE"), c("SET", "z", "1")));
        replies.add(other.call("GET", "z"));
        long heldMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        replies.add(heldMs >= 250 ? "held" : "not held: " + heldMs + " ms");
        return replies;
    }

    @Test
    void clientPauseAllHoldsEveryCommandUntilItsTimeoutAsRedis() throws IOException {
        assertThat(allPause(server.port())).isEqualTo(allPause(redis.port()));
    }
}
