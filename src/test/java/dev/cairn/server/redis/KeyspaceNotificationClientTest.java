package dev.cairn.server.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Keyspace notifications as a client-side cache uses them, through Lettuce (RESP3, so the
 * notifications arrive as push messages on the same kind of connection): a local copy of each
 * value, dropped when the server reports the key expired, deleted or overwritten.
 */
class KeyspaceNotificationClientTest {
    private final Cairn cairn = Cairn.inMemory();
    private final RedisServer server = RedisServer.start(cairn,
            RedisServerOptions.DEFAULT.withPort(0).withNotifyKeyspaceEvents("Egx$"));
    private final RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", server.port()));

    @AfterEach
    void close() {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(5));
        server.close();
        cairn.close();
    }

    @Test
    void aNearCacheDropsKeysTheServerExpiresDeletesOrOverwrites() throws InterruptedException {
        Map<String, String> nearCache = new ConcurrentHashMap<>();
        BlockingQueue<String> invalidated = new LinkedBlockingQueue<>();
        try (StatefulRedisConnection<String, String> connection = client.connect();
             StatefulRedisPubSubConnection<String, String> events = client.connectPubSub()) {
            events.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String pattern, String channel, String key) {
                    nearCache.remove(key);
                    invalidated.add(channel.substring(channel.indexOf(':') + 1) + " " + key);
                }
            });
            events.sync().psubscribe("__keyevent@0__:*");
            RedisCommands<String, String> redis = connection.sync();

            redis.set("session:1", "alice", SetArgs.Builder.px(300));
            assertThat(invalidated.poll(10, TimeUnit.SECONDS)).isEqualTo("set session:1");
            assertThat(invalidated.poll(10, TimeUnit.SECONDS)).isEqualTo("expire session:1");
            // Cached as read (a read after the deadline finds nothing and caches nothing).
            String read = redis.get("session:1");
            if (read != null) {
                nearCache.put("session:1", read);
            }
            // Nobody reads the key again: the server's own expiry cycle removes it and says so.
            assertThat(invalidated.poll(10, TimeUnit.SECONDS)).isEqualTo("expired session:1");
            assertThat(nearCache).doesNotContainKey("session:1");
            assertThat(redis.exists("session:1")).isZero();

            nearCache.put("user:1", "bob");
            cairn.dictionary().strings().set("user:1", "carol".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(invalidated.poll(10, TimeUnit.SECONDS)).isEqualTo("set user:1");
            assertThat(nearCache).doesNotContainKey("user:1");
            nearCache.put("user:1", redis.get("user:1"));
            redis.del("user:1");
            assertThat(invalidated.poll(10, TimeUnit.SECONDS)).isEqualTo("del user:1");
            assertThat(nearCache).isEmpty();
            // Classes left out of the setting publish nothing: a list push is not seen.
            redis.lpush("queue", "job");
            redis.set("marker", "1");
            assertThat(invalidated.poll(10, TimeUnit.SECONDS)).isEqualTo("set marker");
        }
    }
}
