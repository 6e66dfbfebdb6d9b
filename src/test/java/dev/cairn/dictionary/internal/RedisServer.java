package dev.cairn.dictionary.internal;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Assumptions;
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
 * <p>Without {@code redis-server} on the PATH the tests are skipped with a message saying how to
 * install it, except when the environment variable {@code CI} is {@code true}: then the class
 * fails, so CI cannot pass by skipping, unless {@code CAIRN_WITHOUT_REDIS} is {@code true} too (the
 * workflow's Windows job, where there is no Redis 7 to install).
 *
 * <p>Not thread-safe: one client connection, for the test thread.
 */
public final class RedisServer implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
    private static final long START_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(20);

    private Process process;
    private Path directory;
    private Jedis client;
    private int port;

    /** The connection to the server. */
    public Jedis client() {
        if (client == null) {
            throw new IllegalStateException("redis-server is not running");
        }
        return client;
    }

    /** The server's port on 127.0.0.1. */
    public int port() {
        return port;
    }

    static Path findOnPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Path executable = findOnPath("redis-server");
        if (executable == null) {
            String message = "redis-server is not on the PATH; the differential tests need it. "
                    + "Install it with: sudo apt-get install redis-server";
            // CAIRN_WITHOUT_REDIS=true: a system with no Redis 7 package (Windows), where the skip is chosen.
            if ("true".equals(System.getenv("CI")) && !"true".equals(System.getenv("CAIRN_WITHOUT_REDIS"))) {
                throw new IllegalStateException(message + " (CI=true: failing instead of skipping)");
            }
            Assumptions.assumeTrue(false, message);
        }
        directory = Files.createTempDirectory("cairn-redis-");
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                start(executable);
                return;
            } catch (IOException e) {
                last = e;
                stop();
            }
        }
        throw last;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private void start(Path executable) throws IOException {
        port = freePort();
        List<String> command = new ArrayList<>(List.of(executable.toString(),
                "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--dir", directory.toString(), "--daemonize", "no", "--loglevel", "warning"));
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("redis.log").toFile())
                .start();
        long deadline = System.nanoTime() + START_TIMEOUT_NANOS;
        while (true) {
            if (!process.isAlive()) {
                throw new IOException("redis-server exited with " + process.exitValue() + " on port " + port
                        + ": " + Files.readString(directory.resolve("redis.log")));
            }
            try {
                Jedis candidate = new Jedis("127.0.0.1", port);
                if ("PONG".equals(candidate.ping())) {
                    client = candidate;
                    return;
                }
                candidate.close();
            } catch (RuntimeException notYet) {
                // not listening yet: poll again until the deadline
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("redis-server did not answer PING on port " + port + " within 20 s");
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
        stop();
        if (directory != null) {
            try (var files = Files.list(directory)) {
                for (Path file : files.toList()) {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(directory);
            directory = null;
        }
    }

    private void stop() throws InterruptedException {
        if (client != null) {
            client.close();
            client = null;
        }
        if (process != null) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            process = null;
        }
    }
}
