package dev.cairn.testing;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Assumptions;

/**
 * A private {@code redis-server} for the tests that compare with Redis (the dictionary's
 * differential tests, the RESP codec's comparisons): started on a free port of 127.0.0.1 without
 * persistence, with extra settings ({@code --requirepass pw}, ...), listening when {@link #start}
 * returns, stopped by {@link #close()}. Raw bytes go in through {@link #exchange}, and the reply's
 * bytes come back as sent.
 *
 * <p>Without {@code redis-server} on the PATH, {@link #start} skips the test (an assumption), except
 * when the environment variable {@code CI} is {@code true} and {@code CAIRN_WITHOUT_REDIS} is not:
 * then it fails, so CI cannot pass by skipping ({@code CAIRN_WITHOUT_REDIS=true} is for a system
 * with no Redis 7 to install, the workflow's Windows job).
 *
 * <p>Not thread-safe: used by one test thread.
 */
public final class RedisProcess implements AutoCloseable {
    private static final long START_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(20);

    private final Process process;
    private final Path directory;
    private final int port;

    private RedisProcess(Process process, Path directory, int port) {
        this.process = process;
        this.directory = directory;
        this.port = port;
    }

    /** Starts a server with {@code settings} added to its command line. */
    public static RedisProcess start(String... settings) throws IOException {
        Path executable = findOnPath("redis-server");
        if (executable == null) {
            String message = "redis-server is not on the PATH; the tests that compare with Redis need it. "
                    + "Install it with: sudo apt-get install redis-server";
            if ("true".equals(System.getenv("CI")) && !"true".equals(System.getenv("CAIRN_WITHOUT_REDIS"))) {
                throw new IllegalStateException(message + " (CI=true: failing instead of skipping)");
            }
            Assumptions.assumeTrue(false, message);
        }
        Path directory = Files.createTempDirectory("cairn-resp-redis-");
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = freePort();
            List<String> command = new ArrayList<>(List.of(executable.toString(),
                    "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                    "--dir", directory.toString(), "--daemonize", "no", "--loglevel", "warning"));
            command.addAll(List.of(settings));
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(directory.resolve("redis.log").toFile())
                    .start();
            RedisProcess redis = new RedisProcess(process, directory, port);
            try {
                redis.awaitListening();
                return redis;
            } catch (IOException e) {
                last = e;
                redis.stopProcess();
            }
        }
        deleteDirectory(directory);
        throw last;
    }

    private static Path findOnPath(String program) {
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

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private void awaitListening() throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT_NANOS;
        while (true) {
            if (!process.isAlive()) {
                throw new IOException("redis-server exited with " + process.exitValue() + " on port " + port
                        + ": " + Files.readString(directory.resolve("redis.log")));
            }
            try {
                new Socket(InetAddress.getLoopbackAddress(), port).close();
                return;
            } catch (IOException notYet) {
                // not listening yet: poll again until the deadline
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("redis-server did not listen on port " + port + " within 20 s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    /** The server's port on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** What a connection answered: the reply's bytes, and whether the server closed it. */
    public record Exchange(byte[] reply, boolean closed) {
    }

    /**
     * Sends {@code request} on a new connection, then reads until the server closes it, or, when
     * {@code expectedEnd} is not null, until the reply ends with those bytes and 10 ms more pass
     * with nothing further; at most 10 s.
     */
    public Exchange exchange(byte[] request, byte[] expectedEnd) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            try {
                socket.getOutputStream().write(request);
                socket.getOutputStream().flush();
            } catch (IOException closedWhileWriting) {
                // The server may close before it has read a large request (its query buffer limit):
                // the write then fails with a broken pipe or reset, and what it replied is read below.
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream reply = new ByteArrayOutputStream();
            byte[] chunk = new byte[65536];
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                boolean ended = expectedEnd != null && endsWith(reply.toByteArray(), expectedEnd);
                socket.setSoTimeout(ended ? 10 : 200);
                try {
                    int n = in.read(chunk);
                    if (n < 0) {
                        return new Exchange(reply.toByteArray(), true);
                    }
                    reply.write(chunk, 0, n);
                } catch (SocketTimeoutException quiet) {
                    if (ended || System.nanoTime() > deadline) {
                        return new Exchange(reply.toByteArray(), false);
                    }
                } catch (IOException reset) {
                    // The server closed while part of the request was unread: a reset rather than a FIN.
                    return new Exchange(reply.toByteArray(), true);
                }
            }
        }
    }

    private static boolean endsWith(byte[] bytes, byte[] end) {
        if (bytes.length < end.length) {
            return false;
        }
        return Arrays.equals(bytes, bytes.length - end.length, bytes.length, end, 0, end.length);
    }

    @Override
    public void close() throws IOException {
        stopProcess();
        deleteDirectory(directory);
    }

    private void stopProcess() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteDirectory(Path directory) throws IOException {
        try (var files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
        }
        Files.deleteIfExists(directory);
    }
}
