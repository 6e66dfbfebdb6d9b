package dev.cairn.server.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import dev.cairn.cli.CairnServerMain;
import dev.cairn.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * Writes acknowledged over RESP with {@code appendfsync always} survive a kill -9 of the JVM
 * serving them: a child JVM runs the runnable jar's main on a data directory, a Jedis client
 * pushes numbered elements and counts each acknowledged one, the child is killed after a random
 * number of acknowledgements, and the reopened store must hold every acknowledged element, in
 * order. Kills: a tenth of {@code cairn.crash.kills}, at least 3.
 */
class RedisCrashTest {
    private static final Pattern LISTENING = Pattern.compile("over RESP on .*:(\\d+) ");

    @Test
    void everyAcknowledgedWriteSurvivesKillNine(@TempDir Path dir) throws Exception {
        int kills = Math.max(3, Integer.getInteger("cairn.crash.kills", 50) / 10);
        long seed = System.nanoTime();
        Random random = new Random(seed);
        long acknowledged = 0;
        long acknowledgedInAll = 0;
        for (int kill = 0; kill < kills; kill++) {
            Process child = ChildJvm.of(CairnServerMain.class, "--dir", dir.toString(), "--redis-port", "0",
                    "--appendfsync", "always").start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                int port = awaitPort(out);
                int writes = 1 + random.nextInt(300);
                try (Jedis jedis = new Jedis("127.0.0.1", port)) {
                    for (int i = 0; i < writes; i++) {
                        long next = acknowledged + 1;
                        try {
                            jedis.rpush("acked", Long.toString(next));
                        } catch (JedisConnectionException killed) {
                            break;
                        }
                        acknowledged = next;
                        acknowledgedInAll++;
                        if (i == writes / 2) {
                            // Kill while the next write may be in flight.
                            child.destroyForcibly();
                        }
                    }
                }
            } finally {
                child.destroyForcibly();
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            try (Cairn cairn = Cairn.open(dir)) {
                List<byte[]> stored = cairn.dictionary().lists().lrange("acked", 0, -1);
                String where = "seed " + seed + ", kill " + kill;
                assertThat((long) stored.size()).as(where + ": elements kept vs acknowledged")
                        .isGreaterThanOrEqualTo(acknowledged);
                for (int i = 0; i < stored.size(); i++) {
                    assertThat(new String(stored.get(i), StandardCharsets.US_ASCII)).as(where)
                            .isEqualTo(Long.toString(i + 1));
                }
                // A write that reached the file but not its acknowledgement counts from now on.
                acknowledged = stored.size();
            }
        }
        assertThat(acknowledgedInAll).as("writes acknowledged before the kills").isPositive();
    }

    private static int awaitPort(BufferedReader out) throws Exception {
        String line;
        while ((line = out.readLine()) != null) {
            Matcher matcher = LISTENING.matcher(line);
            if (matcher.find()) {
                return Integer.parseInt(matcher.group(1));
            }
        }
        throw new AssertionError("the child JVM ended before it listened");
    }
}
