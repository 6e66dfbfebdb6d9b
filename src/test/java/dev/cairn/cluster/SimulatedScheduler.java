package dev.cairn.cluster;

import java.util.PriorityQueue;

/**
 * A {@link Scheduler} of virtual time for simulations: nothing happens until the test drives it,
 * every task runs on the calling thread, and time moves only when the test says so. Tasks run in
 * order of their due time, then of scheduling (a queue ordered by time, then by an insertion
 * sequence number), so a run is the same on every machine. An exception from a task propagates to
 * the caller of {@link #step()} (and of the methods built on it): a simulation fails loudly, at
 * the step that broke.
 *
 * <p>Time starts at {@code startMs} and never moves back. Not thread-safe: owned by the
 * simulation's one thread.
 */
public final class SimulatedScheduler implements Scheduler {
    /** A bound on the tasks {@link #runUntilIdle()} runs, so a run that never settles fails instead of hanging. */
    static final long MAX_STEPS_UNTIL_IDLE = 10_000_000;

    private final PriorityQueue<Task> tasks = new PriorityQueue<>();
    private long nowMs;
    private long nextSequence;

    private static final class Task implements Comparable<Task>, Cancellable {
        final long dueMs;
        final long sequence;
        final Runnable body;
        boolean cancelled;

        Task(long dueMs, long sequence, Runnable body) {
            this.dueMs = dueMs;
            this.sequence = sequence;
            this.body = body;
        }

        @Override
        public int compareTo(Task other) {
            int byTime = Long.compare(dueMs, other.dueMs);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    public SimulatedScheduler(long startMs) {
        this.nowMs = startMs;
    }

    public SimulatedScheduler() {
        this(0);
    }

    @Override
    public long nowMs() {
        return nowMs;
    }

    @Override
    public Cancellable schedule(long delayMs, Runnable task) {
        if (delayMs < 0) {
            throw new IllegalArgumentException("delay must be >= 0 ms, was " + delayMs);
        }
        Task scheduled = new Task(Math.addExact(nowMs, delayMs), nextSequence++, task);
        tasks.add(scheduled);
        return scheduled;
    }

    /**
     * Runs the next task that is not cancelled, first moving time to when it is due.
     *
     * @return false if there was none
     */
    public boolean step() {
        Task next = nextLiveTask();
        if (next == null) {
            return false;
        }
        tasks.poll();
        nowMs = Math.max(nowMs, next.dueMs);
        next.body.run();
        return true;
    }

    /**
     * Runs tasks (and the tasks they schedule) until none is left.
     *
     * @return the number of tasks run
     * @throws IllegalStateException after {@link #MAX_STEPS_UNTIL_IDLE} tasks (a run that never settles)
     */
    public long runUntilIdle() {
        long steps = 0;
        while (step()) {
            if (++steps >= MAX_STEPS_UNTIL_IDLE) {
                throw new IllegalStateException("still busy after " + steps + " tasks, at " + nowMs + " ms");
            }
        }
        return steps;
    }

    /** Runs every task due within the next {@code durationMs}, then leaves the clock {@code durationMs} later. */
    public void runFor(long durationMs) {
        if (durationMs < 0) {
            throw new IllegalArgumentException("cannot run for a negative time: " + durationMs + " ms");
        }
        long untilMs = Math.addExact(nowMs, durationMs);
        for (Task next = nextLiveTask(); next != null && next.dueMs <= untilMs; next = nextLiveTask()) {
            step();
        }
        nowMs = untilMs;
    }

    /**
     * Moves the clock {@code durationMs} forward at once, running nothing on the way: tasks that
     * fell due meanwhile run afterwards, late, in their order (as after a stalled process or a clock
     * set forward).
     */
    public void leap(long durationMs) {
        if (durationMs < 0) {
            throw new IllegalArgumentException("cannot leap back: " + durationMs + " ms");
        }
        nowMs = Math.addExact(nowMs, durationMs);
    }

    /** Tasks scheduled and neither run nor cancelled. */
    public int pendingTasks() {
        return (int) tasks.stream().filter(task -> !task.cancelled).count();
    }

    private Task nextLiveTask() {
        while (!tasks.isEmpty() && tasks.peek().cancelled) {
            tasks.poll();
        }
        return tasks.peek();
    }
}
