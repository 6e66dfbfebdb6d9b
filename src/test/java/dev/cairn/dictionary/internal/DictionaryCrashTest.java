package dev.cairn.dictionary.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.testing.ChildJvm;
import dev.cairn.storage.Storage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM applies numbered operations (transactions, some failing) with ALWAYS while taking
 * snapshots back to back; it is killed ({@code destroyForcibly}) after a random number of
 * acknowledgements. After each kill the dictionary is reopened and must equal a model that applied
 * exactly the operations the reopened state counts, that count covering every acknowledged one:
 * nothing acknowledged lost, no transaction half applied. Kill count: {@code cairn.crash.kills}.
 */
class DictionaryCrashTest {

    @Test
    void everyAcknowledgedOperationSurvivesKillNineEvenDuringSnapshots(@TempDir Path root) throws Exception {
        int kills = Integer.getInteger("cairn.crash.kills", 50);
        long seed = System.nanoTime();
        Random random = new Random(seed);
        long acknowledged = -1;
        LocalDictionary model = new LocalDictionary(java.time.InstantSource.system(),
                DictionaryOptions.DEFAULT.withoutSweeper());
        long modelOps = 0;
        long snapshotsSeen = 0;
        for (int kill = 0; kill < kills; kill++) {
            String where = "seed " + seed + ", kill " + kill;
            Process child = start(root);
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.US_ASCII))) {
                String ready = out.readLine();
                assertThat(ready).as(where + ": child did not start").startsWith("READY");
                int acks = random.nextInt(150);
                for (int i = 0; i < acks; i++) {
                    String line = out.readLine();
                    if (line == null) {
                        break;
                    }
                    if (line.startsWith("ACK ")) {
                        acknowledged = Math.max(acknowledged, Long.parseLong(line.substring(4)));
                    }
                }
                child.destroyForcibly();
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            } finally {
                child.destroyForcibly();
            }
            try (Storage storage = Storage.open(root);
                    LocalDictionary recovered = CrashingDictionaryWriter.open(storage, root)) {
                byte[] count = recovered.strings().get(CrashingDictionaryWriter.OPS);
                long ops = count == null ? 0 : Long.parseLong(new String(count, StandardCharsets.US_ASCII));
                assertThat(ops).as(where + ": operations applied vs acknowledged").isGreaterThan(acknowledged);
                while (modelOps < ops) {
                    CrashingDictionaryWriter.apply(model, modelOps++);
                }
                Map<String, String> expected = DictionaryDump.of(model);
                assertThat(DictionaryDump.of(recovered)).as(where).isEqualTo(expected);
                if (recovered.stats().snapshotKeysLoaded() > 0) {
                    snapshotsSeen++;
                }
            }
        }
        model.close();
        assertThat(snapshotsSeen).as("recoveries that started from a snapshot").isPositive();
        System.out.printf("dictionary crash test: %d kills, %d operations acknowledged, %d recoveries from a snapshot%n",
                kills, acknowledged + 1, snapshotsSeen);
    }

    private static Process start(Path root) throws Exception {
        return ChildJvm.of(CrashingDictionaryWriter.class, root.toString()).start();
    }
}
