package dev.cairn.dictionary.internal;

import dev.cairn.common.ClosedException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The dictionary's blocked commands, as Redis's {@code blocked.c}: the waiters queued on each
 * key in arrival order, the keys made ready by the current command, and the timer of their
 * timeouts. A waiter holds no thread: it is a {@link Waiter}, a future its caller may wait on,
 * compose or cancel.
 *
 * <h2>Serving</h2>
 * A write marks a key {@linkplain #keyChanged changed}; if waiters are queued on it, the key is
 * ready. After the outermost command, {@link #serveReady} serves each ready key's queue from its
 * head while the key has data, each waiter by running its command's effect under the lock and
 * logging it as its own entry (as Redis's {@code handleClientsBlockedOnKeys}); a waiter on several
 * keys is served by the first that becomes ready. The served waiters are kept until the command
 * that served them {@linkplain #takeServed takes them} and, once the lock is released and its
 * writes are durable, completes their futures: callbacks never run under the lock.
 *
 * <h2>Timeouts</h2>
 * One timer thread per dictionary (a {@link ScheduledThreadPoolExecutor} with one daemon thread,
 * started on the first timeout and ended after a minute without any): its queue is a binary heap,
 * O(log n) per waiter, and a cancelled timeout leaves it at once, so served waiters leave no
 * garbage behind. A hashed wheel would be cheaper per timeout at millions of waiters; a
 * dictionary's blocked clients number thousands, where the heap costs no more and needs no code
 * of our own. A timeout is a wait on the JVM's monotonic clock, not a deadline on the
 * dictionary's clock.
 *
 * <p>Invariants, with the lock held: a waiter is queued on every one of its keys, or on none and
 * {@code done}; no queue is empty; after every outermost command no ready key remains.
 *
 * <p>Thread-safety: every method except {@link #withdraw} and the timeout task must be called
 * with the command lock held; those two take it themselves.
 */
final class BlockedClients {
    private final Engine engine;
    private final Map<String, ArrayDeque<Waiter<?>>> queues = new HashMap<>();
    private final LinkedHashSet<String> readyKeys = new LinkedHashSet<>();
    /** Waiters served under the lock whose futures the serving command completes after it. */
    private List<Waiter<?>> served = new ArrayList<>();
    private final ScheduledThreadPoolExecutor timer;

    BlockedClients(Engine engine) {
        this.engine = engine;
        this.timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "cairn-dictionary-timeouts");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        timer.setKeepAliveTime(1, TimeUnit.MINUTES);
        timer.allowCoreThreadTimeOut(true);
    }

    /**
     * Queues a waiter on {@code keys} (duplicates count once) for at most {@code timeoutNanos}
     * ({@link Engine#NO_TIMEOUT}: without a limit; 0 or less: it times out at once).
     */
    <T> CompletableFuture<T> block(List<String> keys, long timeoutNanos, Waiter.Server<T> server) {
        if (timeoutNanos <= 0) {
            return CompletableFuture.completedFuture(null);
        }
        Waiter<T> waiter = new Waiter<>(this, List.copyOf(new LinkedHashSet<>(keys)), server);
        for (String key : waiter.keys) {
            queues.computeIfAbsent(key, k -> new ArrayDeque<>()).add(waiter);
        }
        if (timeoutNanos != Engine.NO_TIMEOUT) {
            waiter.timeout = timer.schedule(() -> timeOut(waiter), timeoutNanos, TimeUnit.NANOSECONDS);
        }
        return waiter;
    }

    /** Marks {@code key} written: if waiters are queued on it, it is served after the command. */
    void keyChanged(String key) {
        if (!queues.isEmpty() && queues.containsKey(key)) {
            readyKeys.add(key);
        }
    }

    /** Forgets the ready keys: a rolled-back transaction left the state in which none could serve. */
    void clearReady() {
        readyKeys.clear();
    }

    /** How many waiters are queued on {@code key}. */
    int waitersOn(String key) {
        ArrayDeque<Waiter<?>> queue = queues.get(key);
        return queue == null ? 0 : queue.size();
    }

    /**
     * Serves the waiters of every ready key in arrival order while the key has data; each served
     * waiter's writes are committed as their own entry through {@code commit}.
     */
    void serveReady(Runnable commit) {
        while (!readyKeys.isEmpty()) {
            String key = readyKeys.iterator().next();
            readyKeys.remove(key);
            ArrayDeque<Waiter<?>> queue = queues.get(key);
            while (queue != null && !queue.isEmpty()) {
                Waiter<?> waiter = queue.peek();
                if (!waiter.tryServe(key)) {
                    break;
                }
                dequeue(waiter);
                served.add(waiter);
                commit.run();
                queue = queues.get(key);
            }
        }
    }

    /** The waiters served since the last call, to complete once the lock is released; null if none. */
    List<Waiter<?>> takeServed() {
        if (served.isEmpty()) {
            return null;
        }
        List<Waiter<?>> taken = served;
        served = new ArrayList<>();
        return taken;
    }

    /**
     * Withdraws a pending waiter (its holder cancelled or completed its future); false if it is
     * already done. Takes the lock; safe after close.
     */
    boolean withdraw(Waiter<?> waiter) {
        engine.lock.lock();
        try {
            if (waiter.done) {
                return false;
            }
            dequeue(waiter);
            return true;
        } finally {
            engine.unlock();
        }
    }

    /** The timer's task: a still pending waiter times out (its future completes with null). */
    private void timeOut(Waiter<?> waiter) {
        engine.lock.lock();
        try {
            if (waiter.done) {
                return;
            }
            dequeue(waiter);
        } finally {
            engine.unlock();
        }
        waiter.deliverTimeout();
    }

    /** Marks the waiter done and removes it from every queue and from the timer. */
    private void dequeue(Waiter<?> waiter) {
        waiter.done = true;
        for (String key : waiter.keys) {
            ArrayDeque<Waiter<?>> queue = queues.get(key);
            if (queue != null) {
                queue.remove(waiter);
                if (queue.isEmpty()) {
                    queues.remove(key);
                }
            }
        }
        if (waiter.timeout != null) {
            waiter.timeout.cancel(false);
        }
    }

    /**
     * At close: ends every pending waiter and stops the timer; returns the waiters, whose futures
     * the caller fails with {@link ClosedException} once the lock is released.
     */
    List<Waiter<?>> close() {
        LinkedHashSet<Waiter<?>> pending = new LinkedHashSet<>();
        queues.values().forEach(pending::addAll);
        for (Waiter<?> waiter : pending) {
            waiter.done = true;
        }
        queues.clear();
        readyKeys.clear();
        timer.shutdownNow();
        return new ArrayList<>(pending);
    }
}
