package dev.cairn.benchmarks.server.kafka;

import dev.cairn.Cairn;
import dev.cairn.server.kafka.KafkaServer;
import dev.cairn.server.kafka.KafkaServerOptions;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Locale;

/**
 * How much heap does an idle Kafka listener hold? Heap used after full GCs with a
 * {@code Cairn.inMemory()} open, then after {@code KafkaServer.start} on it (no client yet), then
 * after one client has connected, been answered (ApiVersions) and gone, then after the server is
 * closed. The baseline is the first figure, in the same JVM; the class loading that starting the
 * server causes (Netty's and kafka-clients' static tables) is charged to the server, as it would
 * be in an application that uses neither otherwise. Live threads, direct buffers and non-heap
 * memory (mostly class metadata) are printed beside it, as are, for context only, the same
 * figures for a Kafka broker started afterwards in the same JVM (which then finds kafka-clients'
 * classes already loaded).
 *
 * <pre>
 * java -Xms2g -Xmx2g -XX:+UseG1GC -cp benchmarks/target/benchmarks.jar \
 *     dev.cairn.benchmarks.server.kafka.KafkaIdleHeap
 * </pre>
 *
 * Not thread-safe: a program, run from {@code main}.
 */
public final class KafkaIdleHeap {
    private static final long STABLE_BYTES = 64 * 1024;

    private KafkaIdleHeap() {
    }

    /** Heap, direct buffers, non-heap and threads at one moment, after full GCs. */
    record Snapshot(long heap, long direct, long nonHeap, int threads) {
        static Snapshot take() {
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            long heap = usedAfterGc(memory);
            long direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                    .filter(pool -> pool.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
            return new Snapshot(heap, direct, memory.getNonHeapMemoryUsage().getUsed(),
                    ManagementFactory.getThreadMXBean().getThreadCount());
        }

        /** Full GCs until two in a row agree within 64 KiB (at most 20); the lowest reading. */
        private static long usedAfterGc(MemoryMXBean memory) {
            long previous = Long.MAX_VALUE;
            long lowest = Long.MAX_VALUE;
            for (int i = 0; i < 20; i++) {
                System.gc();
                long used = memory.getHeapMemoryUsage().getUsed();
                lowest = Math.min(lowest, used);
                if (i >= 2 && Math.abs(used - previous) < STABLE_BYTES) {
                    break;
                }
                previous = used;
            }
            return lowest;
        }

        void print(String label, Snapshot base) {
            System.out.printf(Locale.ROOT, "  %-44s heap %8.2f MB (%+8.2f), direct %6.2f MB (%+6.2f),"
                    + " non-heap %6.1f MB (%+6.1f), threads %3d (%+d)%n", label, mb(heap), mb(heap - base.heap),
                    mb(direct), mb(direct - base.direct), mb(nonHeap), mb(nonHeap - base.nonHeap), threads,
                    threads - base.threads);
        }

        private static double mb(long bytes) {
            return bytes / (1024.0 * 1024.0);
        }
    }

    public static void main(String[] args) throws Exception {
        Bench.quietLogging();
        System.out.println(Bench.jvmLine());
        System.out.println("after full GCs; differences against the first line (MB = 2^20 bytes):");
        try (Cairn cairn = Cairn.inMemory()) {
            Snapshot base = Snapshot.take();
            base.print("Cairn.inMemory() open", base);
            KafkaServer server = KafkaServer.start(cairn, KafkaServerOptions.DEFAULT.withPort(0));
            Snapshot idle = Snapshot.take();
            idle.print("+ KafkaServer started, idle", base);
            ApiVersionsProbe.probe("127.0.0.1", server.port());
            Snapshot probed = Snapshot.take();
            probed.print("+ one client answered and gone", base);
            server.close();
            Snapshot closed = Snapshot.take();
            closed.print("KafkaServer closed", base);
            System.out.printf(Locale.ROOT, "idle listener adds %.2f MB of heap (target: at most 16 MB)%n",
                    (idle.heap() - base.heap()) / (1024.0 * 1024.0));
        }
        System.out.println("context: a Kafka broker in the same JVM (kafka-clients' classes already loaded):");
        Snapshot base = Snapshot.take();
        base.print("before the broker", base);
        try (KafkaBroker broker = KafkaBroker.start()) {
            Snapshot idle = Snapshot.take();
            idle.print("+ Kafka broker started, idle, port " + broker.port(), base);
        }
        // The broker leaves non-daemon threads behind for a while; the measurement is over.
        System.exit(0);
    }
}
