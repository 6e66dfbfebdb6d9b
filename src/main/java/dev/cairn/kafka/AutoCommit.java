package dev.cairn.kafka;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code enable.auto.commit} as {@code KafkaConsumer} does it: the consumed positions are committed
 * asynchronously in {@code poll} once {@code auto.commit.interval.ms} has passed since the last such
 * commit, and synchronously before a rebalance revokes partitions and in {@code close}, where a
 * failure is logged, not thrown. Off, every method does nothing.
 *
 * <p>Not thread-safe; used only on the consumer's thread, inside its calls.
 */
final class AutoCommit {
    private static final Logger LOG = LoggerFactory.getLogger(AutoCommit.class);

    private final boolean enabled;
    private final long intervalNanos;
    private final String clientId;
    private long nextNanos;

    AutoCommit(ConsumerSettings settings) {
        this.enabled = settings.autoCommit();
        this.intervalNanos = settings.autoCommitIntervalMs() * 1_000_000;
        this.clientId = settings.clientId();
        this.nextNanos = System.nanoTime() + intervalNanos;
    }

    boolean enabled() {
        return enabled;
    }

    /** In {@code poll}: commits the positions without waiting if the interval has passed. */
    void maybeCommit(dev.cairn.log.Consumer consumer) {
        if (enabled && System.nanoTime() - nextNanos >= 0) {
            consumer.commitAsync(); // a failure is logged, as KafkaConsumer's auto-commit logs it
            nextNanos = System.nanoTime() + intervalNanos;
        }
    }

    /** Before a revocation and in {@code close}: commits the positions now, logging a failure. */
    void commitNow(dev.cairn.log.Consumer consumer) {
        if (!enabled) {
            return;
        }
        try {
            consumer.commitSync();
        } catch (RuntimeException e) {
            LOG.warn("auto-commit of consumer {} failed: {}", clientId, e.toString());
        }
    }
}
