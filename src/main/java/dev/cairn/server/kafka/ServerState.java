package dev.cairn.server.kafka;

import dev.cairn.log.Log;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the connections of one {@link KafkaServer} share: the log, the options, the port bound,
 * the topic ids, the idempotent producers' state, the group coordinator, the threads that run requests
 * (appends and reads may block on the disk, so they stay off Netty's I/O threads), and the timer
 * of parked fetches and group sessions.
 *
 * <p>Thread-safe.
 */
final class ServerState {
    final Log log;
    final KafkaServerOptions options;
    final TopicIds topicIds;
    final ProducerStates producers = new ProducerStates();
    final ExecutorService handlers;
    /**
     * The server's one timer: max-wait deadlines of parked fetches (a cancelled deadline is removed
     * at once, not kept until due) and the group coordinator's session and rebalance timers.
     */
    final ScheduledThreadPoolExecutor timer;
    /** The consumer groups whose members joined over the wire. */
    final ClassicGroupCoordinator groups;
    /** Fetches parked now, waiting for appends or their max wait (for tests and monitoring). */
    final AtomicInteger parkedFetches = new AtomicInteger();
    /** Gives the wire groups back to the log and stops the handler and timer threads (the connections are closed already). */
    void shutdown() {
        groups.close();
        timer.shutdownNow();
        handlers.shutdownNow();
    }

    /** Set once, after the bind and before any connection is accepted. */
    volatile int port;

    ServerState(Log log, KafkaServerOptions options) {
        this.log = log;
        this.options = options;
        this.topicIds = new TopicIds(log);
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        AtomicInteger count = new AtomicInteger();
        this.handlers = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                runnable -> {
                    Thread thread = new Thread(runnable, "cairn-kafka-handler-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        this.timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "cairn-kafka-timer");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        this.groups = new ClassicGroupCoordinator(log, timer, options);
    }

    String advertisedHost() {
        return options.hostToAdvertise();
    }

    int nodeId() {
        return options.nodeId();
    }

    /** The cluster id Metadata reports: one per server, stable for its life. */
    final String clusterId = "cairn-" + Integer.toHexString(System.identityHashCode(this));
}
