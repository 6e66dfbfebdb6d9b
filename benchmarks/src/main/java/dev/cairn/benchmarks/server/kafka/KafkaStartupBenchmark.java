package dev.cairn.benchmarks.server.kafka;

import dev.cairn.benchmarks.server.kafka.BenchServer.Kind;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * How soon is Cairn's Kafka listener usable, against a Kafka broker started in the same run?
 * Two moments, both timed from nothing (before {@code Cairn.inMemory()}; before the broker's
 * directory is formatted):
 * <ol>
 *   <li><b>ready</b>: a connection to the listener is accepted and ApiVersions answered
 *       ({@link ApiVersionsProbe});</li>
 *   <li><b>first record</b>: then a {@code KafkaProducer} (kafka-clients' defaults: acks=all,
 *       idempotent) sends one record to a new topic (auto-created by Metadata) and waits for its
 *       acknowledgement, and a new {@code KafkaConsumer} receives it, either with
 *       {@code subscribe} and a group (the way applications consume) or with {@code assign} and
 *       {@code seekToBeginning} (no group).</li>
 * </ol>
 * Each is measured warm (trials repeated in this JVM after warm-up trials, sides interleaved;
 * median and p90) and in a fresh JVM (a new {@code java} process per trial with this JVM's flags
 * and class path, timed from just before the process is spawned; median). For a fresh JVM the
 * time from spawn to {@code main} (JVM start and class loading up to it) is reported apart, and
 * also measured alone with a child that does nothing ({@code none}).
 *
 * <p>A side is a server and a consumer mode. By default: {@code cairn/assign},
 * {@code kafka/subscribe}, {@code kafka/assign}; {@code --cairn-consumer assign,subscribe} adds
 * Cairn with a group (which needs the group-join APIs on the listener). A side whose trial fails
 * is reported as failed and dropped from that part of the run.
 *
 * <p>{@code --cds}: before the fresh-JVM trials, one {@code cairn/assign} trial in a fresh JVM
 * writes an application class-data-sharing archive ({@code -XX:ArchiveClassesAtExit}, Java 17's
 * dynamic archive); each Cairn side (and {@code none}) then also runs as {@code <side>+cds}, its
 * fresh JVMs started with {@code -XX:SharedArchiveFile}, interleaved with the same side without
 * the archive, so the two are compared under the same load. The archive needs a class path of
 * jars only (as the shaded benchmarks jar is), and is deleted when the run ends.
 *
 * <pre>
 * java -Xms2g -Xmx2g -XX:+UseG1GC -cp benchmarks/target/benchmarks.jar \
 *     dev.cairn.benchmarks.server.kafka.KafkaStartupBenchmark [--warmup 3] [--trials 10] [--fresh 5] \
 *     [--cairn-consumer assign] [--kafka-consumer subscribe,assign] [--cds]
 * </pre>
 *
 * Not thread-safe: a program, run from {@code main}.
 */
public final class KafkaStartupBenchmark {
    private static final long CONSUME_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(20);

    private KafkaStartupBenchmark() {
    }

    /**
     * A server and how its consumer finds the record; {@code cds}: its fresh JVMs start with the
     * application class-data-sharing archive of {@code --cds}.
     */
    record Side(Kind kind, String consumer, boolean cds) {
        Side(Kind kind, String consumer) {
            this(kind, consumer, false);
        }

        static Side parse(String text) {
            int slash = text.indexOf('/');
            String consumer = text.substring(slash + 1);
            boolean cds = consumer.endsWith(CDS_SUFFIX);
            return new Side(Kind.of(text.substring(0, slash)),
                    cds ? consumer.substring(0, consumer.length() - CDS_SUFFIX.length()) : consumer, cds);
        }

        Side withCds() {
            return new Side(kind, consumer, true);
        }

        @Override
        public String toString() {
            return kind.label() + "/" + consumer + (cds ? CDS_SUFFIX : "");
        }
    }

    private static final String CDS_SUFFIX = "+cds";

    /** One trial's moments, in nanoseconds from the start: ready, first record acknowledged, consumed. */
    record Timing(long readyNanos, long producedNanos, long firstRecordNanos) {
    }

    public static void main(String[] args) throws Exception {
        long mainNanos = System.nanoTime();
        Bench.quietLogging();
        long loggingNanos = System.nanoTime();
        Map<String, String> options = Bench.options(args);
        if (options.containsKey("child")) {
            child(options.get("child"), mainNanos, loggingNanos);
            return;
        }
        List<Side> sides = new ArrayList<>();
        for (String mode : options.getOrDefault("cairn-consumer", "assign").split(",")) {
            if (!mode.isEmpty() && !mode.equals("true")) {
                sides.add(new Side(Kind.CAIRN, mode));
            }
        }
        for (String mode : options.getOrDefault("kafka-consumer", "subscribe,assign").split(",")) {
            if (!mode.isEmpty() && !mode.equals("true")) {
                sides.add(new Side(Kind.KAFKA, mode));
            }
        }
        System.out.println(Bench.jvmLine());
        int warmup = Bench.intOption(options, "warmup", 3);
        int trials = Bench.intOption(options, "trials", 10);
        int fresh = Bench.intOption(options, "fresh", 5);
        if (trials > 0) {
            warm(sides, warmup, trials);
        }
        if (fresh > 0) {
            Path archive = options.containsKey("cds") ? cdsArchive() : null;
            fresh(sides, fresh, archive);
        }
    }

    /** One trial in this JVM: start, probe, produce and consume one record, close (not timed). */
    static Timing trial(Side side, long startNanos, String topic) throws Exception {
        try (BenchServer server = BenchServer.start(side.kind())) {
            ApiVersionsProbe.probe(server.host(), server.port());
            long ready = System.nanoTime() - startNanos;
            long produced = produceFirst(server.bootstrapServers(), topic) - startNanos;
            long consumed = consumeFirst(server.bootstrapServers(), side.consumer(), topic) - startNanos;
            return new Timing(ready, produced, consumed);
        }
    }

    /** Sends one record with a new producer; returns {@link System#nanoTime()} at its acknowledgement. */
    private static long produceFirst(String bootstrap, String topic) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer());
        try {
            producer.send(new ProducerRecord<>(topic, "first".getBytes(StandardCharsets.UTF_8))).get(30,
                    TimeUnit.SECONDS);
            return System.nanoTime();
        } catch (Exception e) {
            throw new IllegalStateException("producing the first record failed: " + e, e);
        } finally {
            producer.close(Duration.ZERO);
        }
    }

    /**
     * Receives the record with a new consumer, subscribed (with a group) or assigned; returns
     * {@link System#nanoTime()} when the record is in hand (before the consumer is closed).
     */
    private static long consumeFirst(String bootstrap, String consumerMode, String topic) {
        Properties consumerProps = new Properties();
        consumerProps.put("bootstrap.servers", bootstrap);
        consumerProps.put("auto.offset.reset", "earliest");
        if (consumerMode.equals("subscribe")) {
            consumerProps.put("group.id", "startup-" + topic);
        } else if (!consumerMode.equals("assign")) {
            throw new IllegalArgumentException("consumer mode must be subscribe or assign, got " + consumerMode);
        }
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps,
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            if (consumerMode.equals("subscribe")) {
                consumer.subscribe(List.of(topic));
            } else {
                TopicPartition partition = new TopicPartition(topic, 0);
                consumer.assign(List.of(partition));
                consumer.seekToBeginning(List.of(partition));
            }
            long deadline = System.nanoTime() + CONSUME_TIMEOUT_NANOS;
            while (true) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                if (!records.isEmpty()) {
                    return System.nanoTime();
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no record consumed within 20 s (" + consumerMode + ")");
                }
            }
        }
    }

    /** {@code sides} rotated by {@code by}, so no side always runs right after the same other one. */
    private static List<Side> rotated(List<Side> sides, int by) {
        List<Side> order = new ArrayList<>(sides);
        java.util.Collections.rotate(order, -by);
        return order;
    }

    private static void warm(List<Side> sides, int warmup, int trials) {
        System.out.printf("%nwarm: %d warm-up and %d measured trials per side, sides interleaved%n", warmup,
                trials);
        Map<Side, List<Timing>> results = new LinkedHashMap<>();
        List<Side> live = new ArrayList<>(sides);
        for (int i = 0; i < warmup + trials; i++) {
            boolean measured = i >= warmup;
            for (Side side : rotated(live, i)) {
                try {
                    Timing timing = trial(side, System.nanoTime(), "startup-" + i);
                    System.out.printf(Locale.ROOT, "  %s trial %d%s: ready %.1f ms, first record produced %.1f ms,"
                            + " consumed %.1f ms%n", side, i, measured ? "" : " (warm-up)",
                            Bench.millis(timing.readyNanos()), Bench.millis(timing.producedNanos()),
                            Bench.millis(timing.firstRecordNanos()));
                    if (measured) {
                        results.computeIfAbsent(side, k -> new ArrayList<>()).add(timing);
                    }
                } catch (Exception e) {
                    System.out.printf("  %s trial %d FAILED, side dropped: %s%n", side, i, e);
                    live.remove(side);
                }
            }
        }
        summary("warm", results, true);
    }

    /**
     * What one fresh-JVM trial took, in nanoseconds from spawn: to the child's {@code main}, to its
     * logging being set up (the first use of SLF4J initialises logback, which both servers log
     * through), to ready, to the first record acknowledged and consumed.
     */
    record FreshTiming(long mainNanos, long loggingNanos, long readyNanos, long producedNanos, long consumedNanos) {
    }

    /**
     * Builds the application class-data-sharing archive for {@code --cds}: one fresh JVM runs a
     * {@code cairn/assign} trial with {@code -XX:ArchiveClassesAtExit}, so the archive holds every
     * class loaded up to the first record consumed (the JDK's, Netty's, kafka-clients', Cairn's).
     */
    private static Path cdsArchive() throws IOException, InterruptedException {
        Path archive = Files.createTempDirectory("cairn-startup-cds").resolve("cairn-kafka.jsa");
        // Deleted at exit in the reverse order of these calls: the file, then its directory.
        archive.getParent().toFile().deleteOnExit();
        archive.toFile().deleteOnExit();
        ProcessBuilder builder = new ProcessBuilder(Bench.javaCommand(List.of("-XX:ArchiveClassesAtExit=" + archive),
                KafkaStartupBenchmark.class, "--child", "cairn/assign"));
        builder.redirectErrorStream(true);
        long start = System.nanoTime();
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0 || !Files.exists(archive)) {
            throw new IllegalStateException("building the class-data-sharing archive failed:\n" + output);
        }
        System.out.printf(Locale.ROOT, "%nclass-data-sharing archive %s (%d MiB) built by one cairn/assign trial in"
                + " %.0f ms; sides marked %s start with -XX:SharedArchiveFile=%s%n", archive,
                Files.size(archive) >> 20, Bench.millis(System.nanoTime() - start), CDS_SUFFIX, archive);
        return archive;
    }

    private static void fresh(List<Side> sides, int trials, Path archive) throws IOException, InterruptedException {
        System.out.printf("%nfresh JVM: %d trials per side, each a new java process; times from spawn%n", trials);
        Side bare = new Side(Kind.CAIRN, "none");
        List<Side> live = new ArrayList<>();
        live.add(bare);
        live.addAll(sides);
        if (archive != null) {
            live.add(bare.withCds());
            sides.stream().filter(side -> side.kind() == Kind.CAIRN).map(Side::withCds).forEach(live::add);
        }
        Map<Side, List<FreshTiming>> results = new LinkedHashMap<>();
        for (int i = 0; i < trials; i++) {
            for (Side side : rotated(live, i)) {
                FreshTiming t = spawn(side, archive);
                if (t == null) {
                    System.out.printf("  %s trial %d FAILED, side dropped%n", side, i);
                    live.remove(side);
                    continue;
                }
                System.out.printf(Locale.ROOT, "  %s trial %d: main %.1f ms, logging set up %.1f, ready %.1f,"
                        + " first record produced %.1f, consumed %.1f%n", side, i, Bench.millis(t.mainNanos()),
                        Bench.millis(t.loggingNanos()), Bench.millis(t.readyNanos()), Bench.millis(t.producedNanos()),
                        Bench.millis(t.consumedNanos()));
                results.computeIfAbsent(side, k -> new ArrayList<>()).add(t);
            }
        }
        System.out.println("\nfresh JVM, medians in ms from spawn (the last two columns from main):");
        System.out.printf("  %-16s %8s %8s %8s %10s %10s %12s %12s%n", "side", "main", "logging", "ready",
                "produced", "consumed", "main>ready", "main>consumed");
        Map<Side, List<Timing>> totals = new LinkedHashMap<>();
        results.forEach((side, timings) -> {
            double main = Bench.median(timings.stream().map(FreshTiming::mainNanos).toList()) / 1e6;
            double logging = Bench.median(timings.stream().map(FreshTiming::loggingNanos).toList()) / 1e6;
            double ready = Bench.median(timings.stream().map(FreshTiming::readyNanos).toList()) / 1e6;
            double produced = Bench.median(timings.stream().map(FreshTiming::producedNanos).toList()) / 1e6;
            double consumed = Bench.median(timings.stream().map(FreshTiming::consumedNanos).toList()) / 1e6;
            double mainToReady = Bench.median(timings.stream().map(t -> t.readyNanos() - t.mainNanos()).toList()) / 1e6;
            double mainToConsumed = Bench.median(timings.stream().map(t -> t.consumedNanos() - t.mainNanos())
                    .toList()) / 1e6;
            System.out.printf(Locale.ROOT, "  %-16s %8.1f %8.1f %8.1f %10.1f %10.1f %12.1f %12.1f%n", side, main,
                    logging, ready, produced, consumed, mainToReady, mainToConsumed);
            if (!side.equals(bare)) {
                totals.put(side, timings.stream()
                        .map(t -> new Timing(t.readyNanos(), t.producedNanos(), t.consumedNanos())).toList());
            }
        });
        summary("fresh JVM (from spawn, JVM start included)", totals, false);
    }

    /** Runs one child trial; returns its times, or null if it failed. */
    private static FreshTiming spawn(Side side, Path archive) throws IOException, InterruptedException {
        List<String> flags = side.cds() ? List.of("-XX:SharedArchiveFile=" + archive) : List.of();
        ProcessBuilder builder = new ProcessBuilder(Bench.javaCommand(flags, KafkaStartupBenchmark.class, "--child",
                side.toString()));
        builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        long spawnNanos = System.nanoTime();
        Process process = builder.start();
        long readyArrival = -1;
        long[] child = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                long now = System.nanoTime() - spawnNanos;
                if (line.startsWith("ready")) {
                    readyArrival = now;
                } else if (line.startsWith("times ")) {
                    child = java.util.Arrays.stream(line.substring(6).split(" ")).mapToLong(Long::parseLong)
                            .toArray();
                } else {
                    System.out.println("  child: " + line);
                }
            }
        }
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return null;
        }
        if (readyArrival < 0 || child == null || process.exitValue() != 0) {
            return null;
        }
        // The child measures from its main (logging, ready, produced, consumed); the ready line is
        // printed the moment the probe is answered, so its arrival here minus the child's own
        // figure is the time from spawn to main, which puts the child's other moments on this
        // clock. (The child reports them only after closing its clients, which is not timed.)
        long main = readyArrival - child[1];
        return new FreshTiming(main, main + child[0], readyArrival, main + child[2], main + child[3]);
    }

    /** In the child JVM: one trial, timed from the first line of {@code main}. */
    private static void child(String sideText, long mainNanos, long loggingNanos) throws Exception {
        Side side = Side.parse(sideText);
        long logging = loggingNanos - mainNanos;
        if (side.consumer().equals("none")) {
            long now = System.nanoTime() - mainNanos;
            System.out.println("ready");
            System.out.println("classes loaded by ready: "
                    + ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount());
            System.out.println("times " + logging + " " + now + " " + now + " " + now);
            return;
        }
        long ready;
        long produced;
        long consumed;
        try (BenchServer server = BenchServer.start(side.kind())) {
            ApiVersionsProbe.probe(server.host(), server.port());
            ready = System.nanoTime() - mainNanos;
            System.out.println("ready");
            System.out.flush();
            // Evidence for where a fresh JVM's time goes: most of it is loading and
            // interpreting classes for the first time.
            System.out.println("classes loaded by ready: "
                    + ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount());
            produced = produceFirst(server.bootstrapServers(), "startup") - mainNanos;
            consumed = consumeFirst(server.bootstrapServers(), side.consumer(), "startup") - mainNanos;
        }
        System.out.println("times " + logging + " " + ready + " " + produced + " " + consumed);
        System.out.flush();
        // Kafka's clients and broker leave non-daemon threads behind for a while; the trial is over.
        System.exit(0);
    }

    private static void summary(String title, Map<Side, List<Timing>> results, boolean withP90) {
        System.out.printf("%n%s summary (ms):%n", title);
        System.out.printf("  %-16s %10s %10s %14s %14s%n", "side", "ready p50", withP90 ? "ready p90" : "",
                "first p50", withP90 ? "first p90" : "");
        Map<Side, double[]> medians = new LinkedHashMap<>();
        results.forEach((side, timings) -> {
            List<Long> ready = timings.stream().map(Timing::readyNanos).toList();
            List<Long> first = timings.stream().map(Timing::firstRecordNanos).toList();
            double[] m = {Bench.median(ready) / 1e6, Bench.median(first) / 1e6};
            medians.put(side, m);
            System.out.printf(Locale.ROOT, "  %-16s %10.1f %10s %14.1f %14s%n", side, m[0],
                    withP90 ? String.format(Locale.ROOT, "%.1f", Bench.quantile(ready, 0.9) / 1e6) : "", m[1],
                    withP90 ? String.format(Locale.ROOT, "%.1f", Bench.quantile(first, 0.9) / 1e6) : "");
        });
        System.out.println("  ratios of medians, Kafka broker / Cairn (how many times sooner Cairn is):");
        medians.forEach((cairn, c) -> {
            if (cairn.kind() != Kind.CAIRN) {
                return;
            }
            medians.forEach((kafka, k) -> {
                if (kafka.kind() == Kind.KAFKA) {
                    System.out.printf(Locale.ROOT, "    %s vs %s: ready %.1fx, first record %.1fx%n", kafka, cairn,
                            k[0] / c[0], k[1] / c[1]);
                }
            });
        });
    }
}
