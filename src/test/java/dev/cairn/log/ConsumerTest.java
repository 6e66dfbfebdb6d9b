package dev.cairn.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.Cairn;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The {@link Consumer} contract as users reach it: through {@code Cairn.builder()...open().log()}. */
class ConsumerTest {
    private final AtomicLong nowMs = new AtomicLong(1_000_000);
    private final Cairn cairn = Cairn.builder().inMemory().clock(() -> Instant.ofEpochMilli(nowMs.get())).open();
    private final Log log = cairn.log();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void tearDown() throws InterruptedException {
        threads.shutdownNow();
        threads.awaitTermination(10, TimeUnit.SECONDS);
        cairn.close();
    }

    private void appendIds(String topic, int count) {
        for (int i = 0; i < count; i++) {
            log.append(ProducerRecord.of(topic, ByteBuffer.allocate(8).putLong(i).array()));
        }
    }

    private static RebalanceListener committingOnRevoke(Consumer[] self) {
        return new RebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                self[0].commitSync();
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            }
        };
    }

    @Test
    void aCommitInTheRevocationListenerDuringCloseLands() {
        log.createTopic("t", TopicConfig.defaults().withPartitions(3));
        appendIds("t", 30);
        Consumer[] self = new Consumer[1];
        Consumer c = log.consumer(ConsumerConfig.group("g"));
        self[0] = c;
        c.subscribe(List.of("t"), committingOnRevoke(self));
        assertThat(c.poll(Duration.ZERO)).hasSize(30);
        c.close();
        c.close();
        try (Consumer next = log.consumer(ConsumerConfig.group("g"))) {
            for (int p = 0; p < 3; p++) {
                assertThat(next.committed(new TopicPartition("t", p))).hasValue(10);
            }
        }
    }

    @Test
    void aMemberPastItsSessionTimeoutCannotCommit() {
        log.createTopic("t", TopicConfig.defaults());
        appendIds("t", 10);
        TopicPartition tp = new TopicPartition("t", 0);
        Consumer zombie = log.consumer(ConsumerConfig.group("g").withSessionTimeoutMs(10_000).withMaxPollRecords(4));
        Consumer other = log.consumer(ConsumerConfig.group("g").withSessionTimeoutMs(10_000));
        zombie.subscribe(List.of("t"));
        other.subscribe(List.of("t"));
        assertThat(zombie.poll(Duration.ZERO)).hasSize(4);
        zombie.commitSync();
        nowMs.addAndGet(10_001); // the injected clock: no waiting
        assertThat(other.poll(Duration.ZERO)).hasSize(6);
        assertThatThrownBy(() -> zombie.commitSync(Map.of(tp, 9L))).isInstanceOf(CommitFailedException.class);
        assertThat(other.committed(tp)).hasValue(4);
        other.commitSync();
        assertThat(other.committed(tp)).hasValue(10);
        zombie.close();
        other.close();
    }

    @Test
    void aSecondThreadGetsConcurrentModificationException() throws Exception {
        log.createTopic("t", TopicConfig.defaults());
        appendIds("t", 1);
        Consumer c = log.consumer(ConsumerConfig.standalone());
        c.assign(List.of(new TopicPartition("t", 0)));
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        Future<Integer> holder = threads.submit(() -> c.poll(Duration.ofSeconds(60), view -> {
            inside.countDown();
            try {
                assertThat(proceed.await(60, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }));
        assertThat(inside.await(60, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> c.poll(Duration.ZERO)).isInstanceOf(ConcurrentModificationException.class);
        proceed.countDown();
        assertThat(holder.get(60, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(c.poll(Duration.ZERO)).isEmpty();
        c.close();
    }
}
