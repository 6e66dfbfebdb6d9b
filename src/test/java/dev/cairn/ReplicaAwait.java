package dev.cairn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.log.Log;
import dev.cairn.log.TopicDescription;
import dev.cairn.storage.fs.FaultInjectingFileSystem;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Bounded waits for the replica-root tests: spin until a condition holds, failing past a deadline. */
final class ReplicaAwait {
    static final Duration WAIT = Duration.ofSeconds(10);

    private ReplicaAwait() {
    }

    /** Spins until {@code condition} holds; fails naming {@code what} if it does not within {@link #WAIT}. */
    static void until(BooleanSupplier condition, Supplier<String> what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(() -> what.get() + " within " + WAIT).isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    /**
     * Makes {@code disk} fail every fsync until {@code gone} holds, as a disk that went bad: one
     * failed fsync may land on a file whose failure no copy sees (the replication state's mirror,
     * a marker), so the next one fails too, until the copies on it have left.
     */
    static void failForcesUntil(FaultInjectingFileSystem disk, BooleanSupplier gone, Supplier<String> what) {
        long[] armed = {disk.forceCount() + 1};
        disk.failForce(armed[0]);
        until(() -> {
            if (gone.getAsBoolean()) {
                disk.failForce(-1); // disarmed: the copies have left, and what else the disk holds may close
                return true;
            }
            if (disk.forceCount() >= armed[0]) {
                armed[0] = disk.forceCount() + 1;
                disk.failForce(armed[0]);
            }
            return false;
        }, what);
    }

    /** Waits until every partition of {@code topic} has all its replicas in sync and every follower at lag 0. */
    static TopicDescription converged(Log log, String topic) {
        TopicDescription[] last = new TopicDescription[1];
        until(() -> {
            last[0] = log.describeTopic(topic);
            return last[0].partitions().stream().allMatch(p -> p.inSyncReplicas().size() == p.replicas().size()
                    && p.followerLag().values().stream().allMatch(lag -> lag == 0));
        }, () -> "the copies of " + topic + " converged: " + last[0]);
        return last[0];
    }
}
