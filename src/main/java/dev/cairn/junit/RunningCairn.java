package dev.cairn.junit;

import dev.cairn.Cairn;
import dev.cairn.ManualClock;
import dev.cairn.server.kafka.KafkaServer;
import dev.cairn.server.kafka.KafkaServerOptions;
import dev.cairn.server.redis.RedisServer;
import dev.cairn.server.redis.RedisServerOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * One Cairn a test uses, with the listeners started on it so far and, on disk, the temporary
 * directory that holds it (deleted on close).
 *
 * <p>The listeners start on first request, on free ports of 127.0.0.1; a test that never asks for
 * one never loads Netty or kafka-clients. Not thread-safe: used from the test's thread.
 */
final class RunningCairn implements AutoCloseable {
    private final Cairn cairn;
    private final ManualClock clock;
    private final Path directory;
    private KafkaServer kafka;
    private RedisServer redis;

    private RunningCairn(Cairn cairn, ManualClock clock, Path directory) {
        this.cairn = cairn;
        this.clock = clock;
        this.directory = directory;
    }

    /**
     * Opens a Cairn: in memory, or in a new temporary directory when {@code onDisk}; with its
     * MBeans registered only when {@code jmx}.
     */
    static RunningCairn open(boolean onDisk, ManualClock clock, boolean jmx) {
        Cairn.Builder builder = Cairn.builder().jmx(jmx);
        if (clock != null) {
            builder.clock(clock);
        }
        if (!onDisk) {
            return new RunningCairn(builder.inMemory().open(), clock, null);
        }
        Path directory;
        try {
            directory = Files.createTempDirectory("cairn-test-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for a test's Cairn", e);
        }
        try {
            return new RunningCairn(builder.directory(directory).open(), clock, directory);
        } catch (RuntimeException e) {
            deleteQuietly(directory);
            throw e;
        }
    }

    Cairn cairn() {
        return cairn;
    }

    /** The clock the Cairn reads, or null if it reads the system clock. */
    ManualClock clock() {
        return clock;
    }

    String kafkaBootstrapServers() {
        if (kafka == null) {
            kafka = KafkaServer.start(cairn, KafkaServerOptions.DEFAULT.withPort(0));
        }
        return kafka.bootstrapServers();
    }

    URI redisUri() {
        if (redis == null) {
            redis = RedisServer.start(cairn, RedisServerOptions.DEFAULT.withPort(0));
        }
        return URI.create("redis://" + redis.address().getHostString() + ":" + redis.port());
    }

    /** Closes the listeners (through the Cairn, which closes them first) and deletes the directory. */
    @Override
    public void close() {
        try {
            cairn.close();
        } finally {
            if (directory != null) {
                deleteQuietly(directory);
            }
        }
    }

    private static void deleteQuietly(Path root) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // A leftover temporary directory is not worth failing a test over.
        }
    }
}
