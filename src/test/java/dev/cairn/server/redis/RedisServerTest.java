package dev.cairn.server.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.Cairn;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisDataException;

/** The listener end to end, with Jedis and raw sockets. */
class RedisServerTest {
    private Cairn cairn = Cairn.inMemory();
    private RedisServer server = RedisServer.start(cairn, RedisServerOptions.DEFAULT.withPort(0));

    @AfterEach
    void close() {
        server.close();
        cairn.close();
    }

    private Jedis jedis() {
        return new Jedis("127.0.0.1", server.port());
    }

    @Test
    void jedisReadsWhatItWroteAndTheJavaApiSeesIt() {
        try (Jedis jedis = jedis()) {
            assertThat(jedis.ping()).isEqualTo("PONG");
            assertThat(jedis.set("k", "v")).isEqualTo("OK");
            assertThat(jedis.get("k")).isEqualTo("v");
            assertThat(jedis.incr("n")).isEqualTo(1);
            assertThatThrownBy(() -> jedis.incr("k")).isInstanceOf(JedisDataException.class)
                    .hasMessage("ERR value is not an integer or out of range");
        }
        assertThat(cairn.dictionary().strings().getString("k")).isEqualTo("v");
    }

    @Test
    void binaryKeysAndValuesRoundTrip() {
        byte[] key = {(byte) 0xAC, (byte) 0xED, 0, 5, '\r', '\n'};
        byte[] value = {0, (byte) 0xFF, 1};
        try (Jedis jedis = jedis()) {
            jedis.set(key, value);
            assertThat(jedis.get(key)).isEqualTo(value);
            assertThat(jedis.keys("*".getBytes())).containsExactly(key);
        }
    }

    @Test
    void aPipelineOfManyCommandsAnswersInOrder() {
        try (Jedis jedis = jedis()) {
            Pipeline pipeline = jedis.pipelined();
            for (int i = 0; i < 10_000; i++) {
                pipeline.rpush("list", Integer.toString(i));
            }
            Response<Long> length = pipeline.llen("list");
            pipeline.sync();
            assertThat(length.get()).isEqualTo(10_000);
        }
    }

    @Test
    void multiExecKeepsWhatSucceededAndAQueueErrorAbortsAsRedis() {
        try (Jedis jedis = jedis()) {
            jedis.set("s", "text");
            Transaction tx = jedis.multi();
            tx.set("a", "1");
            tx.incr("s");
            tx.incr("a");
            List<Object> results = tx.exec();
            assertThat(results).hasSize(3);
            assertThat(results.get(0)).isEqualTo("OK");
            assertThat(results.get(1)).isInstanceOf(JedisDataException.class);
            assertThat(results.get(2)).isEqualTo(2L);
        }
        try (Socket socket = raw()) {
            assertThat(send(socket, "MULTI\r\nSET x 1\r\nNOSUCH\r\nEXEC\r\nEXISTS x\r\n", 5)).isEqualTo(
                    "+OK\r\n+QUEUED\r\n-ERR unknown command 'NOSUCH', with args beginning with: \r\n"
                            + "-EXECABORT Transaction discarded because of previous errors.\r\n:0\r\n");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aWatchedKeyWrittenByAnotherClientAbortsExec() {
        try (Jedis jedis = jedis(); Jedis other = jedis()) {
            jedis.watch("w");
            other.set("w", "changed");
            Transaction tx = jedis.multi();
            tx.set("w", "mine");
            assertThat(tx.exec()).isNull();
            assertThat(jedis.get("w")).isEqualTo("changed");
            jedis.watch("w");
            Transaction again = jedis.multi();
            again.set("w", "mine");
            assertThat(again.exec()).containsExactly("OK");
        }
    }

    @Test
    void blockingPopsWaitWithoutHoldingOtherClientsAndWakeOnPush() throws Exception {
        try (Jedis waiter = jedis(); Jedis pusher = jedis()) {
            CompletableFuture<List<String>> popped = CompletableFuture.supplyAsync(() -> waiter.blpop(0, "q"));
            // The pusher is served while the waiter waits.
            for (int i = 0; i < 100 && server.connectedClients() < 2; i++) {
                assertThat(pusher.ping()).isEqualTo("PONG");
            }
            awaitBlocked();
            assertThat(pusher.rpush("q", "job")).isEqualTo(1);
            assertThat(popped.get(10, TimeUnit.SECONDS)).containsExactly("q", "job");
            assertThat(waiter.blpop(0.05, "q")).isNull();
        }
    }

    private void awaitBlocked() throws InterruptedException {
        assertThat(server.awaitBlockedClients(1, java.time.Duration.ofSeconds(10))).as("a client blocked within 10 s")
                .isTrue();
    }

    @Test
    void pubSubDeliversToChannelAndPatternSubscribers() throws Exception {
        CountDownLatch subscribed = new CountDownLatch(1);
        CountDownLatch patternSubscribed = new CountDownLatch(1);
        CountDownLatch received = new CountDownLatch(2);
        StringBuilder messages = new StringBuilder();
        JedisPubSub listener = new JedisPubSub() {
            @Override
            public void onSubscribe(String channel, int count) {
                subscribed.countDown();
            }

            @Override
            public void onPSubscribe(String pattern, int count) {
                patternSubscribed.countDown();
            }

            @Override
            public synchronized void onMessage(String channel, String message) {
                messages.append(channel).append('=').append(message).append(';');
                received.countDown();
            }

            @Override
            public synchronized void onPMessage(String pattern, String channel, String message) {
                messages.append(pattern).append(':').append(channel).append('=').append(message).append(';');
                received.countDown();
            }
        };
        try (Jedis subscriber = jedis(); Jedis publisher = jedis()) {
            Thread thread = new Thread(() -> subscriber.subscribe(listener, "news"));
            thread.start();
            // The server confirms a subscription only once it is registered.
            assertThat(subscribed.await(10, TimeUnit.SECONDS)).isTrue();
            listener.psubscribe("n*");
            assertThat(patternSubscribed.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(publisher.publish("news", "hello")).isEqualTo(2);
            assertThat(received.await(10, TimeUnit.SECONDS)).isTrue();
            listener.unsubscribe();
            listener.punsubscribe();
            thread.join(10_000);
        }
        assertThat(messages.toString()).isEqualTo("news=hello;n*:news=hello;");
    }

    @Test
    void aPasswordIsRequiredBeforeAnyCommandWhenConfigured() throws IOException {
        server.close();
        server = RedisServer.start(cairn, RedisServerOptions.DEFAULT.withPort(0).withPassword("secret"));
        try (Socket socket = raw()) {
            assertThat(send(socket, "GET k\r\nAUTH wrong\r\nAUTH secret\r\nGET k\r\n", 4)).isEqualTo(
                    "-NOAUTH Authentication required.\r\n"
                            + "-WRONGPASS invalid username-password pair or user is disabled.\r\n+OK\r\n$-1\r\n");
        }
        try (Jedis jedis = jedis()) {
            jedis.auth("secret");
            assertThat(jedis.set("k", "v")).isEqualTo("OK");
        }
    }

    @Test
    void hello3SwitchesToResp3() throws IOException {
        try (Socket socket = raw()) {
            String hello = send(socket, "HELLO 3\r\n", 1);
            assertThat(hello).startsWith("%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n");
            assertThat(send(socket, "GET nothing\r\nHSET h f v\r\nHGETALL h\r\n", 3))
                    .isEqualTo("_\r\n:1\r\n%1\r\n$1\r\nf\r\n$1\r\nv\r\n");
        }
    }

    @Test
    void closingTheCairnClosesTheServerAndItsConnections() throws IOException {
        Socket socket = raw();
        assertThat(send(socket, "PING\r\n", 1)).isEqualTo("+PONG\r\n");
        cairn.close();
        assertThat(socket.getInputStream().read()).isEqualTo(-1);
        socket.close();
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), server.port()).close())
                .isInstanceOf(IOException.class);
    }

    @Test
    void aPersistentStoreServedOverTheWireSurvivesARestart(@TempDir Path dir) {
        server.close();
        cairn.close();
        cairn = Cairn.open(dir);
        server = RedisServer.start(cairn, RedisServerOptions.DEFAULT.withPort(0));
        try (Jedis jedis = jedis()) {
            jedis.set("durable", "yes");
            jedis.select(7);
            jedis.set("in7", "seven");
            jedis.select(0);
            jedis.rpush("l", "a", "b");
            assertThat(jedis.save()).isEqualTo("OK");
            jedis.rpush("l", "c");
        }
        server.close();
        cairn.close();
        cairn = Cairn.open(dir);
        server = RedisServer.start(cairn, RedisServerOptions.DEFAULT.withPort(0));
        try (Jedis jedis = jedis()) {
            assertThat(jedis.get("durable")).isEqualTo("yes");
            assertThat(jedis.lrange("l", 0, -1)).containsExactly("a", "b", "c");
            assertThat(jedis.get("in7")).isNull();
            jedis.select(7);
            assertThat(jedis.get("in7")).isEqualTo("seven");
        }
        assertThat(cairn.dictionary(7).strings().getString("in7")).isEqualTo("seven");
        assertThatThrownBy(() -> cairn.dictionary(16)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[0, 15]");
    }

    @Test
    void maxClientsRefusesOneMoreWithRedisError() throws IOException {
        server.close();
        server = RedisServer.start(cairn, RedisServerOptions.DEFAULT.withPort(0).withMaxClients(1));
        try (Socket first = raw()) {
            // The first is registered once it has answered; only then does the second connect.
            assertThat(send(first, "PING\r\n", 1)).isEqualTo("+PONG\r\n");
            try (Socket second = raw()) {
                assertThat(send(second, "PING\r\n", 1)).isEqualTo("-ERR max number of clients reached\r\n");
            }
        }
    }

    private Socket raw() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** Sends inline commands and reads {@code replies} whole replies back, as text. */
    private static String send(Socket socket, String commands, int replies) throws IOException {
        socket.getOutputStream().write(commands.getBytes(StandardCharsets.UTF_8));
        RespReplyReader reader = new RespReplyReader(new BufferedInputStream(socket.getInputStream(), 1));
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < replies; i++) {
            text.append(new String(reader.readRaw(), StandardCharsets.UTF_8));
        }
        return text.toString();
    }
}
