package dev.cairn.server.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * What the client-level tests share, whichever server they run against: names that no other test
 * uses (a real broker is shared by all of them), waiting on a condition with a deadline, and
 * polling a consumer for a number of records.
 *
 * <p>Uses only kafka-clients API that 3.x and 4.x both have: the same tests also run with
 * kafka-clients 3.9 (see {@link OlderKafkaClientsTest}). Stateless and thread-safe.
 */
final class ClientTestSupport {
    static final long TIMEOUT_S = 30;
    private static final AtomicLong NEXT = new AtomicLong();
    // Apart per class loader and per run, since a broker's topics outlive nothing but its JVM.
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    private ClientTestSupport() {
    }

    /** A topic or group name no other test in this JVM uses. */
    static String unique(String base) {
        return base + "-" + RUN + "-" + NEXT.incrementAndGet();
    }

    /** A check that throws {@link AssertionError} until it holds. */
    interface Check {
        void run() throws Exception;
    }

    /**
     * Repeats {@code check} until it passes, for state a broker publishes asynchronously (a new
     * topic's metadata, a deletion); after {@link #TIMEOUT_S} the last failure is thrown.
     */
    static void eventually(Check check) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        while (true) {
            try {
                check.run();
                return;
            } catch (AssertionError | Exception e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
        }
    }

    /** Polls until {@code count} records arrived (or fails after {@link #TIMEOUT_S}). */
    static List<ConsumerRecord<byte[], byte[]>> pollFor(KafkaConsumer<byte[], byte[]> consumer, int count) {
        List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        while (got.size() < count && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(got::add);
        }
        if (got.size() != count) {
            throw new AssertionError("expected " + count + " records, polled " + got.size());
        }
        return got;
    }
}
