package dev.cairn.server.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import dev.cairn.testing.RedisProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * redis-cli (installed with redis-server) runs the same scripted session against redis-server
 * and against Cairn's listener; its printed output must be the same.
 */
class RedisCliTest {
    private static final String SESSION = String.join("\n",
            "PING",
            "SET greeting \"hello world\"",
            "GET greeting",
            "APPEND greeting !",
            "STRLEN greeting",
            "INCR counter",
            "INCRBY counter 41",
            "INCRBYFLOAT pi 3.14159",
            "GET missing",
            "MSET a 1 b 2",
            "MGET a b c",
            "RPUSH list x y z",
            "LRANGE list 0 -1",
            "LPOP list",
            "HSET user name ada lang lisp",
            "HGET user name",
            "HLEN user",
            "SADD tags red",
            "SCARD tags",
            "ZADD board 10 alice 20 bob 15 carol",
            "ZRANGE board 0 -1 WITHSCORES",
            "ZSCORE board carol",
            "ZRANK board bob",
            "TYPE board",
            "EXISTS a b nothing",
            "DEL a b",
            "INCR greeting",
            "LPUSH greeting x",
            "NOSUCHCOMMAND arg",
            "GET",
            "MULTI",
            "SET t 1",
            "INCR t",
            "EXEC",
            "EXPIRE t 100",
            "PERSIST t",
            "TTL t",
            "DBSIZE",
            "ECHO \"bytes \\x00\\xff\"",
            "");

    @Test
    void aScriptedSessionPrintsTheSameAsAgainstRedis(@TempDir Path dir) throws Exception {
        try (RedisProcess redis = RedisProcess.start(); Cairn cairn = Cairn.inMemory();
                RedisServer server = RedisServer.start(cairn, RedisServerOptions.DEFAULT.withPort(0))) {
            Path script = Files.writeString(dir.resolve("session.txt"), SESSION, StandardCharsets.UTF_8);
            String expected = run(redis.port(), script);
            String actual = run(server.port(), script);
            assertThat(expected).contains("hello world");
            assertThat(actual).isEqualTo(expected);
        }
    }

    private static String run(int port, Path script) throws IOException, InterruptedException {
        Process cli = new ProcessBuilder(List.of("redis-cli", "-p", Integer.toString(port)))
                .redirectInput(script.toFile()).redirectErrorStream(true).start();
        String output = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(cli.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return output;
    }
}
