package dev.cairn.log.internal;

import dev.cairn.common.ClosedException;
import dev.cairn.log.TopicPartition;
import dev.cairn.log.UnknownTopicException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The futures of {@link dev.cairn.log.Log#awaitAppend}: per partition, the waiters for its end
 * offset to pass an offset. A waiter is registered before the end offset is looked at, so an
 * append between the look and the registration still completes it. A completed or cancelled
 * waiter removes itself, so abandoned waits do not pile up. Appenders pay one volatile read while
 * nobody waits.
 *
 * <p>Thread-safe. Futures complete on the thread that appended (or deleted, or closed).
 */
final class AppendWaiters {
    private record Waiter(long offset, CompletableFuture<Void> future) {
    }

    private final Map<TopicPartition, Set<Waiter>> byPartition = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();
    private volatile boolean closed;

    /**
     * A future completed once {@code endOffset} is past {@code offset}; {@code endOffset} reads the
     * partition's current end offset.
     */
    CompletableFuture<Void> register(TopicPartition partition, long offset, LongSupplier endOffset) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        Waiter waiter = new Waiter(offset, future);
        Set<Waiter> waiters = byPartition.computeIfAbsent(partition, k -> ConcurrentHashMap.newKeySet());
        waiters.add(waiter);
        count.incrementAndGet();
        future.whenComplete((v, e) -> {
            if (waiters.remove(waiter)) {
                count.decrementAndGet();
            }
        });
        if (closed) {
            future.completeExceptionally(new ClosedException("log"));
        } else if (endOffset.getAsLong() > offset) {
            future.complete(null);
        }
        return future;
    }

    /** Completes the waiters of {@code partition} that {@code endOffset} has passed. */
    void appended(TopicPartition partition, long endOffset) {
        if (count.get() == 0) {
            return;
        }
        Set<Waiter> waiters = byPartition.get(partition);
        if (waiters != null) {
            for (Waiter w : waiters) {
                if (endOffset > w.offset()) {
                    w.future().complete(null);
                }
            }
        }
    }

    /** Fails the waiters of every partition of a deleted topic. */
    void topicDeleted(String topic) {
        for (Map.Entry<TopicPartition, Set<Waiter>> e : byPartition.entrySet()) {
            if (e.getKey().topic().equals(topic)) {
                for (Waiter w : e.getValue()) {
                    w.future().completeExceptionally(new UnknownTopicException("topic " + topic + " was deleted"));
                }
            }
        }
    }

    /** Fails every waiter, now and later: the log is closed. */
    void close() {
        closed = true;
        for (Set<Waiter> waiters : byPartition.values()) {
            for (Waiter w : waiters) {
                w.future().completeExceptionally(new ClosedException("log"));
            }
        }
    }

    /** Waiters registered and not yet completed or cancelled (for tests). */
    int size() {
        return count.get();
    }
}
