package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import dev.cairn.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/** serve: the tool's command and the flag-only form of earlier releases both serve; a SIGTERM closes cleanly. */
class ServeCommandTest {
    private static final Pattern LISTENING = Pattern.compile("over RESP on .*:(\\d+) ");

    @Test
    void serveCommandServesAndSigtermClosesTheStore(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        Path replicaRoot = dir.resolve("disk2");
        Process child = ChildJvm.of(CairnServerMain.class, "serve", "--dir", data.toString(), "--redis-port", "0",
                "--replica-root", replicaRoot.toString()).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            int port = -1;
            String line;
            while (port < 0 && (line = out.readLine()) != null) {
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    port = Integer.parseInt(m.group(1));
                }
            }
            assertThat(port).as("the RESP port, printed").isPositive();
            try (Jedis jedis = new Jedis("127.0.0.1", port)) {
                jedis.set("k", "v");
            }
            child.destroy();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        try (Cairn cairn = Cairn.open(data)) {
            assertThat(cairn.dictionary().strings().get("k")).isEqualTo("v".getBytes(StandardCharsets.UTF_8));
        }
        // The log opened its replica root (marking it) only when first used: a Kafka listener or a
        // log call. The root itself was locked and created at open.
        assertThat(replicaRoot).isDirectory();
    }

    @Test
    void aCommandLineStartingWithAnOptionRunsServe() {
        assertThat(CairnCli.withDefaultCommand(new String[] {"--dir", "d"})).containsExactly("serve", "--dir", "d");
        assertThat(CairnCli.withDefaultCommand(new String[0])).containsExactly("serve");
        assertThat(CairnCli.withDefaultCommand(new String[] {"--help"})).containsExactly("--help");
        assertThat(CairnCli.withDefaultCommand(new String[] {"describe", "d"})).containsExactly("describe", "d");
    }

    @Test
    void badOptionsAreUsageErrors() {
        CliRun port = CliRun.of("--redis-port", "99999");
        assertThat(port.exitCode()).isEqualTo(2);
        assertThat(port.err()).contains("must be a port number (0 to 65535), got 99999", "Usage: cairn serve");
        CliRun fsync = CliRun.of("serve", "--appendfsync", "sometimes");
        assertThat(fsync.exitCode()).isEqualTo(2);
        assertThat(fsync.err()).contains("must be always, everysec or no, got sometimes");
        CliRun memoryReplicas = CliRun.of("serve", "--in-memory", "--replica-root", "d2");
        assertThat(memoryReplicas.exitCode()).isEqualTo(2);
        assertThat(memoryReplicas.err()).contains("--replica-root keeps copies on other disks");
        CliRun help = CliRun.of("serve", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("--kafka-port", "--appendfsync", "--replica-root");
        CliRun top = CliRun.of("--help");
        assertThat(top.exitCode()).isZero();
        assertThat(top.out()).contains("serve", "check", "describe", "dump");
    }
}
