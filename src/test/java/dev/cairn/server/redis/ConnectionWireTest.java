package dev.cairn.server.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Connection, transaction and server commands over real sockets: the same bytes sent to
 * redis-server and to Cairn's listener, the replies compared byte for byte.
 */
class ConnectionWireTest extends AgainstRedis {
    private Cairn cairn;
    private RedisServer server;
    private Pair pair;

    @BeforeEach
    void start() throws IOException {
        cairn = Cairn.inMemory();
        server = RedisServer.start(cairn, RedisServerOptions.DEFAULT.withPort(0));
        pair = new Pair(redis.port(), server.port());
        pair.same("FLUSHALL");
    }

    @AfterEach
    void stop() throws IOException {
        pair.close();
        server.close();
        cairn.close();
    }

    /** One connection to each server; each command must get the same reply bytes from both. */
    private static final class Pair implements AutoCloseable {
        final Socket toRedis;
        final Socket toCairn;
        final RespReplyReader fromRedis;
        final RespReplyReader fromCairn;
        int step;

        Pair(int redisPort, int cairnPort) throws IOException {
            toRedis = new Socket(InetAddress.getLoopbackAddress(), redisPort);
            toCairn = new Socket(InetAddress.getLoopbackAddress(), cairnPort);
            toRedis.setSoTimeout(10_000);
            toCairn.setSoTimeout(10_000);
            fromRedis = new RespReplyReader(new BufferedInputStream(toRedis.getInputStream()));
            fromCairn = new RespReplyReader(new BufferedInputStream(toCairn.getInputStream()));
        }

        void same(String... command) throws IOException {
            step++;
            byte[] request = request(command);
            toRedis.getOutputStream().write(request);
            toCairn.getOutputStream().write(request);
            String expected = WireDifferential.printable(fromRedis.readRaw());
            String actual = WireDifferential.printable(fromCairn.readRaw());
            assertThat(actual).as("step %d: %s", step, String.join(" ", command)).isEqualTo(expected);
        }

        /** Sends to both and reads both replies without comparing them (HELLO's id and version differ). */
        void either(String... command) throws IOException {
            byte[] request = request(command);
            toRedis.getOutputStream().write(request);
            toCairn.getOutputStream().write(request);
            fromRedis.readRaw();
            fromCairn.readRaw();
        }

        private static byte[] request(String... command) {
            RespWriter writer = new RespWriter(2);
            writer.writeArrayLength(command.length);
            for (String arg : command) {
                writer.writeBulk(arg.getBytes(StandardCharsets.UTF_8));
            }
            return writer.toByteArray();
        }

        @Override
        public void close() throws IOException {
            toRedis.close();
            toCairn.close();
        }
    }

    @Test
    void connectionCommandsMatchRedis() throws IOException {
        pair.same("PING");
        pair.same("PING", "hello");
        pair.same("PING", "a", "b");
        pair.same("ECHO", "x");
        pair.same("ECHO");
        pair.same("SELECT", "0");
        pair.same("SELECT", "x");
        pair.same("AUTH", "pw");
        pair.same("AUTH", "default", "pw");
        pair.same("AUTH", "someone", "pw");
        pair.same("CLIENT", "GETNAME");
        pair.same("CLIENT", "SETNAME", "my name");
        pair.same("CLIENT", "SETNAME", "worker-1");
        pair.same("CLIENT", "GETNAME");
        pair.same("CLIENT", "NOSUCH");
        pair.same("CLIENT");
        pair.same("HELLO", "4");
        pair.same("HELLO", "x");
        pair.same("HELLO", "3", "FOO");
        pair.same("NOSUCH", "a");
        pair.same("QUIT");
    }

    @Test
    void databasesMatchRedis() throws IOException {
        pair.same("SET", "k", "zero");
        pair.same("SELECT", "1");
        pair.same("GET", "k");
        pair.same("SET", "k", "one");
        pair.same("SET", "only1", "x");
        pair.same("PEXPIRE", "only1", "100000");
        pair.same("DBSIZE");
        pair.same("MOVE", "only1", "0");
        pair.same("MOVE", "only1", "0");
        pair.same("MOVE", "k", "0");
        pair.same("MOVE", "k", "1");
        pair.same("MOVE", "k", "16");
        pair.same("SELECT", "16");
        pair.same("SELECT", "-1");
        pair.same("SELECT", "0");
        pair.same("GET", "k");
        pair.same("EXISTS", "only1");
        pair.same("DBSIZE");
        pair.same("MULTI");
        pair.same("SELECT", "1");
        pair.same("EXEC");
        pair.same("GET", "k");
        pair.same("FLUSHALL");
        pair.same("DBSIZE");
        pair.same("SELECT", "0");
        pair.same("DBSIZE");
        pair.same("SWAPDB", "0", "0");
        pair.same("SWAPDB", "0", "99");
        pair.same("SWAPDB", "x", "0");
    }

    @Test
    void transactionsMatchRedis() throws IOException {
        pair.same("EXEC");
        pair.same("DISCARD");
        pair.same("MULTI");
        pair.same("MULTI");
        pair.same("SET", "a", "1");
        pair.same("INCR", "a");
        pair.same("LPUSH", "a", "x");
        pair.same("GET", "a");
        pair.same("EXEC");
        pair.same("MULTI");
        pair.same("SET", "b", "1");
        pair.same("GET");
        pair.same("EXEC");
        pair.same("EXISTS", "b");
        pair.same("MULTI");
        pair.same("WATCH", "a");
        pair.same("DISCARD");
        pair.same("WATCH", "a");
        pair.same("SET", "a", "2");
        pair.same("MULTI");
        pair.same("INCR", "a");
        pair.same("EXEC");
        pair.same("GET", "a");
        pair.same("WATCH", "a", "b");
        pair.same("UNWATCH");
        pair.same("SET", "a", "3");
        pair.same("MULTI");
        pair.same("INCR", "a");
        pair.same("EXEC");
        pair.same("MULTI");
        pair.same("EXEC");
    }

    @Test
    void resp3RepliesMatchRedis() throws IOException {
        pair.either("HELLO", "3");
        pair.same("SET", "s", "v");
        pair.same("GET", "nothing");
        pair.same("MULTI");
        pair.same("GET", "s");
        pair.same("GET", "none");
        pair.same("EXEC");
        pair.same("CLIENT", "GETNAME");
        pair.same("INCRBYFLOAT", "f", "1.5");
        pair.same("PING");
    }

    // Random transactions mixing good commands, runtime errors and queue-time errors.
    @Test
    void randomTransactionsMatchRedis() throws IOException {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        String[][] commands = {{"SET", "k", "1"}, {"INCR", "k"}, {"APPEND", "k", "x"}, {"GET", "k"}, {"DEL", "k"},
            {"INCRBY", "k", "oops"}, {"SET", "k"}, {"NOPE"}, {"MGET", "k", "j"}, {"SET", "j", "v", "NX"},
            {"GETDEL", "j"}, {"EXPIRE", "k", "100"}, {"TTL", "k"}, {"PERSIST", "k"}};
        for (int round = 0; round < 150; round++) {
            boolean watch = random.nextBoolean();
            if (watch) {
                pair.same("WATCH", "k");
                if (random.nextBoolean()) {
                    pair.same("SET", "k", Integer.toString(round));
                }
            }
            pair.same("MULTI");
            for (int i = random.nextInt(5); i > 0; i--) {
                pair.same(commands[random.nextInt(commands.length)]);
            }
            pair.same(random.nextInt(8) == 0 ? "DISCARD" : "EXEC");
            assertThat(pair.step).as("seed %d", seed).isPositive();
        }
    }
}
