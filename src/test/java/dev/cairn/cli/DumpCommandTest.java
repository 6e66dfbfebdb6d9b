package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import dev.cairn.log.Header;
import dev.cairn.log.ProducerRecord;
import dev.cairn.log.TopicConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dump: a topic's records and the dictionary's keys, as text and JSON lines, changing nothing. */
class DumpCommandTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void fill(Path dir) {
        try (Cairn cairn = Cairn.open(dir)) {
            cairn.log().createTopic("events", TopicConfig.defaults().withPartitions(2));
            for (int i = 0; i < 4; i++) {
                cairn.log().append(new ProducerRecord("events", 0, 1_000L + i, utf8("k" + i), utf8("v" + i),
                        List.of(new Header("h", utf8("x")))));
            }
            cairn.log().append(new ProducerRecord("events", 1, 2_000L, null, new byte[] {0, (byte) 0xFF}, List.of()));
            cairn.dictionary().strings().set("user:1", utf8("ada"));
            cairn.dictionary().lists().rpush("user:list", utf8("a"), utf8("b"));
            cairn.dictionary().sortedSets().zadd("board", 2.5, utf8("p"));
            cairn.dictionary().strings().set("other", utf8("o"));
            cairn.dictionary().keys().pexpire("user:1", 3_600_000L, dev.cairn.dictionary.ExpireCondition.ALWAYS);
            cairn.dictionary(3).hashes().hset("h", "f", new byte[] {1, 2});
        }
    }

    @Test
    void dumpsRecordsAsTextAndJsonLines(@TempDir Path dir) {
        fill(dir);
        Map<String, String> before = CliRun.fingerprint(dir);

        CliRun text = CliRun.of("dump", dir.toString(), "--topic", "events");
        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out().lines()).containsExactly(
                "events-0 offset 0 timestamp 1000 key k0 value v0 header h=x",
                "events-0 offset 1 timestamp 1001 key k1 value v1 header h=x",
                "events-0 offset 2 timestamp 1002 key k2 value v2 header h=x",
                "events-0 offset 3 timestamp 1003 key k3 value v3 header h=x",
                "events-1 offset 0 timestamp 2000 key null value base64:AP8=");

        CliRun json = CliRun.of("dump", dir.toString(), "--topic", "events", "--partition", "0", "--from", "1",
                "--max", "2", "--json");
        assertThat(json.exitCode()).as(json.err()).isZero();
        assertThat(json.out().lines()).containsExactly(
                "{\"topic\":\"events\",\"partition\":0,\"offset\":1,\"timestamp\":1001,\"key\":\"k1\",\"value\":\"v1\","
                        + "\"headers\":[{\"key\":\"h\",\"value\":\"x\"}]}",
                "{\"topic\":\"events\",\"partition\":0,\"offset\":2,\"timestamp\":1002,\"key\":\"k2\",\"value\":\"v2\","
                        + "\"headers\":[{\"key\":\"h\",\"value\":\"x\"}]}");

        assertThat(CliRun.fingerprint(dir)).isEqualTo(before);
    }

    @Test
    void dumpsKeysByPatternWithTypeTtlAndValue(@TempDir Path dir) {
        fill(dir);
        Map<String, String> before = CliRun.fingerprint(dir);

        CliRun json = CliRun.of("dump", dir.toString(), "--keys", "user:*", "--json");
        assertThat(json.exitCode()).as(json.err()).isZero();
        List<String> lines = json.out().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("{\"key\":\"user:1\",\"type\":\"string\",\"ttlMs\":").endsWith(",\"value\":\"ada\"}");
        assertThat(lines.get(1)).isEqualTo("{\"key\":\"user:list\",\"type\":\"list\",\"ttlMs\":-1,\"value\":[\"a\",\"b\"]}");

        CliRun text = CliRun.of("dump", dir.toString(), "--keys", "*", "--db", "3");
        assertThat(text.out().lines()).containsExactly("h hash ttl -1 ms {\"f\":{\"base64\":\"AQI=\"}}");
        CliRun zset = CliRun.of("dump", dir.toString(), "--keys", "board");
        assertThat(zset.out().lines()).containsExactly("board zset ttl -1 ms {\"p\":2.5}");

        assertThat(CliRun.fingerprint(dir)).isEqualTo(before);
    }

    @Test
    void errorsAndUsage(@TempDir Path dir) {
        fill(dir);
        CliRun unknown = CliRun.of("dump", dir.toString(), "--topic", "nope");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).contains("cairn dump: no topic nope");
        CliRun partition = CliRun.of("dump", dir.toString(), "--topic", "events", "--partition", "7");
        assertThat(partition.exitCode()).isEqualTo(1);
        assertThat(partition.err()).contains("partitions 0 to 1, not 7");
        assertThat(CliRun.of("dump", dir.toString()).exitCode()).as("neither --topic nor --keys").isEqualTo(2);
        assertThat(CliRun.of("dump", dir.toString(), "--topic", "events", "--keys", "*").exitCode()).isEqualTo(2);
        assertThat(CliRun.of("dump", dir.toString(), "--keys", "*", "--db", "16").exitCode()).isEqualTo(2);
    }
}
