package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import dev.cairn.log.ConsumerConfig;
import dev.cairn.log.Consumer;
import dev.cairn.log.ProducerRecord;
import dev.cairn.log.TopicConfig;
import dev.cairn.log.TopicPartition;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** describe: reports topics, groups and databases of a closed data directory, and changes nothing. */
class DescribeCommandTest {

    static void fill(Path dir) {
        try (Cairn cairn = Cairn.open(dir)) {
            cairn.log().createTopic("orders", TopicConfig.defaults().withPartitions(2));
            for (int i = 0; i < 5; i++) {
                cairn.log().append(new ProducerRecord("orders", 0, null, ("k" + i).getBytes(StandardCharsets.UTF_8),
                        ("v" + i).getBytes(StandardCharsets.UTF_8), java.util.List.of()));
            }
            try (Consumer c = cairn.log().consumer(ConsumerConfig.group("billing"))) {
                c.assign(java.util.List.of(new TopicPartition("orders", 0)));
                c.commitSync(Map.of(new TopicPartition("orders", 0), 3L));
            }
            cairn.dictionary().strings().set("greeting", "hello".getBytes(StandardCharsets.UTF_8));
            cairn.dictionary().hashes().hset("user:1", "name", "ada".getBytes(StandardCharsets.UTF_8));
            cairn.dictionary(2).strings().set("other", new byte[] {0, 1, 2, (byte) 0xFF});
        }
    }

    @Test
    void describesTopicsGroupsAndDatabasesAsTextAndJson(@TempDir Path dir) {
        fill(dir);
        Map<String, String> before = CliRun.fingerprint(dir);

        CliRun text = CliRun.of("describe", dir.toString());
        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out()).contains("orders (2 partitions)", "orders-0  offsets 0..5  1 segments",
                "orders-1  offsets 0..0", "billing", "orders-0 committed 3", "db 0  2 keys", "db 2  1 keys");

        CliRun json = CliRun.of("describe", dir.toString(), "--json");
        assertThat(json.exitCode()).as(json.err()).isZero();
        assertThat(json.out()).contains("\"topic\":\"orders\"", "\"partition\":0,\"startOffset\":0,\"endOffset\":5",
                "\"group\":\"billing\",\"committed\":{\"orders-0\":3}", "\"db\":0,\"keys\":2");

        assertThat(CliRun.fingerprint(dir)).as("files, bytes and mtimes after describe").isEqualTo(before);
    }

    @Test
    void aTornTailIsCutInMemoryOnlyAndTheFileStaysAsItWas(@TempDir Path dir) throws Exception {
        fill(dir);
        Path segment = dir.resolve("log/orders-0/00000000000000000000.log");
        Files.write(segment, new byte[] {0, 0, 0, 40, 1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
        Files.delete(dir.resolve("log/orders-0/clean-shutdown"));
        Map<String, String> before = CliRun.fingerprint(dir);

        CliRun run = CliRun.of("describe", dir.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("orders-0  offsets 0..5");
        assertThat(CliRun.fingerprint(dir)).isEqualTo(before);
    }

    @Test
    void refusesADirectoryThatACairnHasOpen(@TempDir Path dir) {
        fill(dir);
        try (Cairn running = Cairn.open(dir)) {
            CliRun run = CliRun.of("describe", dir.toString());
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).contains("cairn describe:", "cairn.lock", "locked");
            assertThat(running.isClosed()).isFalse();
        }
    }

    @Test
    void aMissingDirectoryFailsAndIsNotCreated(@TempDir Path dir) {
        Path missing = dir.resolve("nothing-here");
        CliRun run = CliRun.of("describe", missing.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("no such directory");
        assertThat(missing).doesNotExist();
    }

    @Test
    void usageErrorsExitWithTwo() {
        CliRun run = CliRun.of("describe");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required parameter", "Usage: cairn describe");
        assertThat(CliRun.of("describe", "--help").exitCode()).isZero();
        assertThat(CliRun.of("no-such-command").exitCode()).isEqualTo(2);
    }
}
