package dev.cairn.server.netty;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Netty threads that the listeners of a JVM share: one acceptor event loop (it also runs the
 * listeners' periodic tasks) and a few I/O event loops, as many as cores and at most 4 unless the
 * system property {@value #IO_THREADS_PROPERTY} says how many, all daemon threads named
 * {@code <prefix>-accept-1} and {@code <prefix>-io-<n>}. The property is read each time the
 * threads start. One I/O thread suits a small machine whose clients run beside the server: on two
 * cores shared with redis-benchmark, two I/O threads put a scheduler quantum into the p99 (see
 * docs/benchmarks.md).
 *
 * <p>Why shared: starting and, above all, stopping two event-loop groups per listener was most of
 * what a test that starts its own listeners paid per test (a group's graceful shutdown waits for
 * its threads). Shared, a listener's close only closes its own channels, and the threads outlive
 * it.
 *
 * <p>Reference counted: {@link #acquire()} starts the threads if none run and takes a lease;
 * {@link #release} gives it back. When the last lease goes, the threads linger (2 s for
 * {@link #JVM}) so that a listener started soon after, such as the next test's, reuses them; an
 * {@link #acquire()} in that time cancels the stop. After the linger, with no lease taken meanwhile,
 * the groups are shut down and the next {@link #acquire()} starts new ones. Invariant: while
 * {@code leases > 0}, {@code current} is non-null and not shutting down; so no thread of this class
 * is alive longer than the linger (plus Netty's shutdown) after the last release.
 *
 * <p>Thread-safe: the lease count and the groups are guarded by {@code this}.
 */
final class SharedEventLoops {
    /** The system property that sets the number of I/O threads, a positive int. */
    static final String IO_THREADS_PROPERTY = "cairn.listener.ioThreads";

    /** The threads every listener of the JVM uses. */
    static final SharedEventLoops JVM = new SharedEventLoops("cairn-listener", Duration.ofSeconds(2));

    /** One generation of threads: from the first lease after a stop to the next stop. */
    record Groups(EventLoopGroup acceptor, EventLoopGroup workers) {
    }

    private final String threadPrefix;
    private final long lingerNanos;
    /** Guarded by {@code this}; null when no threads run (or they are stopping). */
    private Groups current;
    /** Guarded by {@code this}. */
    private int leases;
    /** The stop scheduled by the last release; guarded by {@code this}, null when none is pending. */
    private ScheduledFuture<?> pendingStop;

    SharedEventLoops(String threadPrefix, Duration linger) {
        this.threadPrefix = threadPrefix;
        this.lingerNanos = linger.toNanos();
    }

    /** Takes a lease on the threads, starting them if none run; the caller must {@link #release} it once. */
    synchronized Groups acquire() {
        if (current == null) {
            int threads = ioThreads(System.getProperty(IO_THREADS_PROPERTY),
                    Runtime.getRuntime().availableProcessors());
            current = new Groups(new NioEventLoopGroup(1, daemonThreads(threadPrefix + "-accept")),
                    new NioEventLoopGroup(threads, daemonThreads(threadPrefix + "-io")));
        }
        if (pendingStop != null) {
            // If the stop is already running, it waits for this lock and then finds a lease.
            pendingStop.cancel(false);
            pendingStop = null;
        }
        leases++;
        return current;
    }

    /**
     * The number of I/O threads: {@code configured} (the property's value) if set, else as many
     * as {@code cores}, at most 4.
     *
     * @throws IllegalArgumentException naming the property if {@code configured} is not a positive int
     */
    static int ioThreads(String configured, int cores) {
        if (configured == null) {
            return Math.max(1, Math.min(4, cores));
        }
        try {
            int threads = Integer.parseInt(configured.trim());
            if (threads >= 1) {
                return threads;
            }
        } catch (NumberFormatException e) {
            // reported below, with the value
        }
        throw new IllegalArgumentException("system property " + IO_THREADS_PROPERTY
                + " must be a positive number of I/O threads, was '" + configured + "'");
    }

    /** Gives back a lease taken by {@link #acquire()}; the last one starts the linger. */
    synchronized void release(Groups groups) {
        if (groups != current || leases == 0) {
            throw new IllegalStateException("released a lease on event loops that are not held (leases: " + leases
                    + ")");
        }
        leases--;
        if (leases == 0) {
            pendingStop = groups.acceptor().schedule(() -> stopIfUnused(groups), lingerNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** The leases held now; for tests. */
    synchronized int leases() {
        return leases;
    }

    private synchronized void stopIfUnused(Groups groups) {
        if (leases > 0 || groups != current) {
            return;
        }
        current = null;
        pendingStop = null;
        // No quiet period: nothing of a closed listener is left to run on these threads.
        groups.workers().shutdownGracefully(0, 0, TimeUnit.SECONDS);
        groups.acceptor().shutdownGracefully(0, 0, TimeUnit.SECONDS);
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
