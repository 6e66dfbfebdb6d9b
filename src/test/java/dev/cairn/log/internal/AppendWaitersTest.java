package dev.cairn.log.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.common.ClosedException;
import dev.cairn.common.Durability;
import dev.cairn.log.ProducerRecord;
import dev.cairn.log.TopicConfig;
import dev.cairn.log.TopicPartition;
import dev.cairn.log.UnknownTopicException;
import dev.cairn.storage.Storage;
import dev.cairn.storage.fs.MemoryFileSystem;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link dev.cairn.log.Log#awaitAppend}: futures completed by appends, deletes and close, and forgotten when cancelled. */
class AppendWaitersTest {
    private final Storage storage = Storage.open(new MemoryFileSystem(), Path.of("/data"), 1000);
    private final DefaultLog log = DefaultLog.open(storage, storage.root().resolve("log"),
            LogOptions.of(Clock.systemUTC(), Durability.NONE, false).withMaintenanceIntervalMs(0));
    private final TopicPartition t0 = new TopicPartition("t", 0);
    private final TopicPartition t1 = new TopicPartition("t", 1);

    AppendWaitersTest() {
        log.createTopic("t", TopicConfig.defaults().withPartitions(2));
    }

    @AfterEach
    void tearDown() {
        log.close();
        storage.close();
    }

    private void append(int partition) {
        log.append(new ProducerRecord("t", partition, null, null, new byte[] {1}, null));
    }

    @Test
    void completesAtOnceWhenARecordAtTheOffsetIsAlreadyThere() {
        append(0);
        assertThat(log.awaitAppend(t0, 0)).isCompleted();
        assertThat(log.awaitAppend(t0, 1)).isNotDone();
    }

    @Test
    void anAppendToThePartitionCompletesItAndOtherPartitionsDoNot() throws Exception {
        CompletableFuture<Void> f0 = log.awaitAppend(t0, 0);
        CompletableFuture<Void> f1 = log.awaitAppend(t1, 0);
        append(1);
        assertThat(f1).isCompleted();
        assertThat(f0).isNotDone();
        append(0);
        f0.get(10, TimeUnit.SECONDS);
        assertThat(log.appendWaiters()).isZero();
    }

    @Test
    void waitsPastTheGivenOffsetNotForAnyAppend() {
        CompletableFuture<Void> f = log.awaitAppend(t0, 1);
        append(0);
        assertThat(f).isNotDone();
        append(0);
        assertThat(f).isCompleted();
    }

    @Test
    void aCancelledWaitIsForgotten() {
        CompletableFuture<Void> f = log.awaitAppend(t0, 0);
        assertThat(log.appendWaiters()).isEqualTo(1);
        f.cancel(false);
        assertThat(log.appendWaiters()).isZero();
        append(0);
        assertThat(f).isCancelled();
    }

    @Test
    void deletingTheTopicFailsItsWaiters() {
        CompletableFuture<Void> f = log.awaitAppend(t0, 0);
        log.deleteTopic("t");
        assertThatThrownBy(f::join).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(UnknownTopicException.class);
        assertThat(log.appendWaiters()).isZero();
    }

    @Test
    void closingTheLogFailsWaiters() {
        CompletableFuture<Void> f = log.awaitAppend(t0, 0);
        log.close();
        assertThatThrownBy(f::join).hasCauseInstanceOf(ClosedException.class);
    }

    @Test
    void unknownTopicsAndPartitionsAreRefused() {
        assertThatThrownBy(() -> log.awaitAppend(new TopicPartition("nope", 0), 0))
                .isInstanceOf(UnknownTopicException.class);
        assertThatThrownBy(() -> log.awaitAppend(new TopicPartition("t", 2), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("partition 2");
    }
}
