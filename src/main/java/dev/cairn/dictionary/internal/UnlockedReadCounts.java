package dev.cairn.dictionary.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The keyspace hits and misses of reads answered without the command lock (GET's optimistic
 * read, see {@link Engine}): those run on many threads at once, so they cannot share the plain
 * counters that commands under the lock increment, and an atomic increment on every GET would
 * cost more than the read itself saves. Each thread counts in its own cell instead, with plain
 * (opaque) writes that no other thread makes; {@link #hits()} and {@link #misses()} add the cells
 * up.
 *
 * <p>Cells of threads that have ended are folded into {@link #foldedHits}/{@link #foldedMisses}
 * and dropped, when the number of cells has doubled since the last fold, so a program that
 * starts many short-lived threads keeps as many cells as it has live readers (amortised O(1) per
 * new thread). A cell's counts are final once its thread has ended, which {@link Thread#isAlive}
 * reports with a happens-before edge, so folding loses nothing.
 *
 * <p>Counts only grow; a reset records the current totals as a {@link #resetHits baseline} that
 * later answers subtract, so it never writes to another thread's cell. A read that runs during a
 * reset may be counted on either side of it.
 *
 * <p>Thread-safe: {@link #hit()} and {@link #miss()} from any thread without a lock; the rest
 * synchronize on this object.
 */
final class UnlockedReadCounts {
    /** One thread's counts; written only by {@link #owner}, read by anyone. */
    private static final class Cell {
        final Thread owner;
        @SuppressWarnings("unused") // accessed through HITS
        private long hits;
        @SuppressWarnings("unused") // accessed through MISSES
        private long misses;

        Cell(Thread owner) {
            this.owner = owner;
        }
    }

    private static final VarHandle HITS;
    private static final VarHandle MISSES;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            HITS = lookup.findVarHandle(Cell.class, "hits", long.class);
            MISSES = lookup.findVarHandle(Cell.class, "misses", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ThreadLocal<Cell> cells = ThreadLocal.withInitial(this::register);
    private final List<Cell> registered = new ArrayList<>();
    private int foldAt = 16;
    private long foldedHits;
    private long foldedMisses;
    private long resetHits;
    private long resetMisses;

    /** Counts a hit of the calling thread. */
    void hit() {
        Cell cell = cells.get();
        // Only this thread writes the cell: a plain read-modify-write, published opaquely so that
        // a summing thread never sees a torn value and sees the count eventually.
        HITS.setOpaque(cell, (long) HITS.getOpaque(cell) + 1);
    }

    /** Counts a miss of the calling thread. */
    void miss() {
        Cell cell = cells.get();
        MISSES.setOpaque(cell, (long) MISSES.getOpaque(cell) + 1);
    }

    synchronized long hits() {
        long total = foldedHits;
        for (Cell cell : registered) {
            total += (long) HITS.getOpaque(cell);
        }
        return total - resetHits;
    }

    synchronized long misses() {
        long total = foldedMisses;
        for (Cell cell : registered) {
            total += (long) MISSES.getOpaque(cell);
        }
        return total - resetMisses;
    }

    /** Starts counting from zero again. */
    synchronized void reset() {
        resetHits += hits();
        resetMisses += misses();
    }

    private synchronized Cell register() {
        if (registered.size() >= foldAt) {
            foldEnded();
            foldAt = Math.max(16, registered.size() * 2);
        }
        Cell cell = new Cell(Thread.currentThread());
        registered.add(cell);
        return cell;
    }

    private void foldEnded() {
        for (Iterator<Cell> it = registered.iterator(); it.hasNext(); ) {
            Cell cell = it.next();
            if (!cell.owner.isAlive()) {
                foldedHits += (long) HITS.getOpaque(cell);
                foldedMisses += (long) MISSES.getOpaque(cell);
                it.remove();
            }
        }
    }

    /** The number of cells kept, for tests. */
    synchronized int cellCount() {
        return registered.size();
    }
}
