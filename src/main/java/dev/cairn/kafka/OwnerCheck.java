package dev.cairn.kafka;

import java.util.ConcurrentModificationException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code KafkaConsumer}'s fail-fast check against a consumer shared between threads: a thread
 * entering while another is inside gets a {@link ConcurrentModificationException}; the thread
 * inside may enter again (a rebalance listener or commit callback calling back), which only
 * counts the depth.
 *
 * <p>Invariant: {@code depth > 0} exactly while {@code owner} holds a thread; {@code depth} is read
 * and written only by that thread, and the CAS and the release store on {@code owner} order its
 * writes before the next owner's reads.
 */
final class OwnerCheck {
    private final String name;
    private final AtomicReference<Thread> owner = new AtomicReference<>();
    private int depth;

    OwnerCheck(String name) {
        this.name = name;
    }

    void acquire() {
        Thread me = Thread.currentThread();
        if (owner.get() != me && !owner.compareAndSet(null, me)) {
            throw new ConcurrentModificationException(name + " is not safe for multi-threaded access: thread "
                    + me.getName() + " called it while another thread was inside it");
        }
        depth++;
    }

    void release() {
        if (--depth == 0) {
            owner.set(null);
        }
    }
}
