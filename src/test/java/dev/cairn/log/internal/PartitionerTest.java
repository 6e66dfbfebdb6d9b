package dev.cairn.log.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

class PartitionerTest {
    // Scenario: Cairn's murmur2 and partition choice agree with kafka-clients' own code for keys of every tail length.
    @Test
    void matchesKafkasDefaultPartitioner() {
        Random random = new Random(7);
        Partitioner partitioner = new Partitioner();
        for (int i = 0; i < 20_000; i++) {
            byte[] key = new byte[random.nextInt(40)];
            random.nextBytes(key);
            assertThat(Partitioner.murmur2(key)).isEqualTo(Utils.murmur2(key));
            int partitions = 1 + random.nextInt(100);
            assertThat(partitioner.partition(key, partitions))
                    .isEqualTo(Utils.toPositive(Utils.murmur2(key)) % partitions);
        }
    }

    @Test
    void unkeyedRecordsGoRoundRobin() {
        Partitioner partitioner = new Partitioner();
        assertThat(new int[] {partitioner.partition(null, 3), partitioner.partition(null, 3),
            partitioner.partition(null, 3), partitioner.partition(null, 3)}).containsExactly(0, 1, 2, 0);
    }
}
