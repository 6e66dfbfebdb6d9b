package dev.cairn.server.redis;

import dev.cairn.testing.RedisProcess;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The base of the test classes that compare Cairn with a real redis-server: one private server
 * ({@link RedisProcess}) started before the class and stopped after it, in {@link #redis}.
 */
abstract class AgainstRedis {
    static RedisProcess redis;

    @BeforeAll
    static void startRedis() throws IOException {
        redis = RedisProcess.start();
    }

    @AfterAll
    static void stopRedis() throws IOException {
        if (redis != null) {
            redis.close();
            redis = null;
        }
    }
}
