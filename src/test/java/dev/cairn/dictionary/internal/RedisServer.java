package dev.cairn.dictionary.internal;

import dev.cairn.testing.RedisProcess;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import redis.clients.jedis.Jedis;

/**
 * A JUnit 5 extension that runs a private {@code redis-server} for the differential tests:
 * started before the class on a free port of 127.0.0.1 without persistence
 * ({@code --save "" --appendonly no}), ready once it answers PING, emptied (FLUSHALL) before each
 * test, stopped after the class.
 *
 * <p>Use: {@code @RegisterExtension static final RedisServer REDIS = new RedisServer();} then
 * {@code REDIS.client()}.
 *
 * <p>Without {@code redis-server} on the PATH the tests are skipped, or fail under CI, as
 * {@link RedisProcess} says.
 *
 * <p>Not thread-safe: one client connection, for the test thread.
 */
public final class RedisServer implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
    private static final long START_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(20);

    private RedisProcess process;
    private Jedis client;

    /** The connection to the server. */
    public Jedis client() {
        if (client == null) {
            throw new IllegalStateException("redis-server is not running");
        }
        return client;
    }

    /** The server's port on 127.0.0.1. */
    public int port() {
        return process.port();
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        process = RedisProcess.start();
        long deadline = System.nanoTime() + START_TIMEOUT_NANOS;
        while (true) {
            try {
                Jedis candidate = new Jedis("127.0.0.1", process.port());
                if ("PONG".equals(candidate.ping())) {
                    client = candidate;
                    return;
                }
                candidate.close();
            } catch (RuntimeException notYet) {
                // listening, but not answering yet (loading): poll again until the deadline
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("redis-server did not answer PING on port " + process.port()
                        + " within 20 s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (client != null) {
            client.flushAll();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (client != null) {
            client.close();
            client = null;
        }
        if (process != null) {
            process.close();
            process = null;
        }
    }
}
