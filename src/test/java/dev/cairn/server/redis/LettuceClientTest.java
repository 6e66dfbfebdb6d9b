package dev.cairn.server.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Lettuce, which speaks RESP3 by default (HELLO 3), against the listener. */
class LettuceClientTest {
    private final Cairn cairn = Cairn.inMemory();
    private final RedisServer server = RedisServer.start(cairn, RedisServerOptions.DEFAULT.withPort(0));
    private final RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", server.port()));

    @AfterEach
    void close() {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(5));
        server.close();
        cairn.close();
    }

    @Test
    void everyFamilyOverResp3() {
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            assertThat(redis.set("s", "v")).isEqualTo("OK");
            assertThat(redis.get("s")).isEqualTo("v");
            assertThat(redis.get("missing")).isNull();
            assertThat(redis.hset("h", Map.of("a", "1", "b", "2"))).isEqualTo(2);
            assertThat(redis.hgetall("h")).containsExactlyInAnyOrderEntriesOf(Map.of("a", "1", "b", "2"));
            assertThat(redis.rpush("l", "x", "y")).isEqualTo(2);
            assertThat(redis.lrange("l", 0, -1)).containsExactly("x", "y");
            assertThat(redis.sadd("set", "m", "n")).isEqualTo(2);
            assertThat(redis.smembers("set")).containsExactlyInAnyOrder("m", "n");
            assertThat(redis.zadd("z", 1.5, "one")).isEqualTo(1);
            assertThat(redis.zadd("z", 2.25, "two")).isEqualTo(1);
            assertThat(redis.zscore("z", "two")).isEqualTo(2.25);
            assertThat(redis.zrangeWithScores("z", 0, -1)).containsExactly(ScoredValue.just(1.5, "one"),
                    ScoredValue.just(2.25, "two"));
            assertThat(redis.incrbyfloat("f", 0.1)).isEqualTo(0.1);
            assertThat(redis.expire("s", 100)).isTrue();
            assertThat(redis.ttl("s")).isBetween(1L, 100L);
            assertThat(redis.dbsize()).isEqualTo(6);
        }
    }

    @Test
    void pipelinedAsyncCommandsAndTransactions() throws Exception {
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisAsyncCommands<String, String> async = connection.async();
            connection.setAutoFlushCommands(false);
            List<RedisFuture<Long>> futures = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                futures.add(async.incr("counter"));
            }
            connection.flushCommands();
            for (int i = 0; i < futures.size(); i++) {
                assertThat(futures.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(i + 1);
            }
            connection.setAutoFlushCommands(true);
            RedisCommands<String, String> redis = connection.sync();
            redis.multi();
            redis.set("a", "1");
            redis.incr("a");
            TransactionResult result = redis.exec();
            assertThat(result.wasDiscarded()).isFalse();
            Object incremented = result.get(1);
            assertThat(incremented).isEqualTo(2L);
        }
    }

    @Test
    void pubSubPushesOverResp3() throws Exception {
        BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        try (StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub();
                StatefulRedisConnection<String, String> pub = client.connect()) {
            sub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    messages.add(channel + "=" + message);
                }
            });
            sub.sync().subscribe("events");
            // RESP3 lets a subscribed connection run other commands.
            assertThat(sub.sync().ping()).isEqualTo("PONG");
            assertThat(pub.sync().publish("events", "hello")).isEqualTo(1);
            assertThat(messages.poll(10, TimeUnit.SECONDS)).isEqualTo("events=hello");
        }
    }

    @Test
    void reconnectsAfterTheServerDropsTheConnection() {
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            redis.set("k", "v");
            long id = redis.clientId();
            try (StatefulRedisConnection<String, String> admin = client.connect()) {
                assertThat(admin.sync().clientKill(io.lettuce.core.KillArgs.Builder.id(id))).isEqualTo(1);
            }
            // Lettuce reconnects on its own and replays the command.
            assertThat(redis.get("k")).isEqualTo("v");
            assertThat(redis.clientId()).isNotEqualTo(id);
        }
    }
}
