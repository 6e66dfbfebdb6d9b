package dev.cairn.benchmarks.server.kafka;

import dev.cairn.benchmarks.server.kafka.BenchServer.Kind;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * How many records per second do kafka-clients move through Cairn's Kafka listener, against a
 * Kafka broker in the same run? Each round, for each server in turn (the order alternating
 * between rounds): a new topic (one partition by default, created with Admin), a
 * {@code KafkaProducer} (acks=all, idempotent, linger.ms=5, batch.size=65536) sending
 * {@code --records} records of 100-byte values with no key, timed from the first {@code send} to
 * the end of {@code flush()} (every record acknowledged); then a new {@code KafkaConsumer}
 * (assigned, from the beginning; kafka-clients' default fetch settings) reading all of them, timed
 * from its first {@code poll} to the last record in hand. The topic is then deleted.
 *
 * <p>Each server runs in its own JVM, started from this program with this JVM's flags and class
 * path, so both servers get the same heap and GC and neither shares a heap with the clients,
 * which run here. Cairn's listener serves a {@code Cairn.inMemory()}; the broker writes its log to
 * a temporary directory through the page cache without fsync, as Kafka does by default.
 *
 * <p>Prints each round's figures and the ratio Cairn / Kafka (above 1: Cairn is faster), and the
 * median ratio over the measured rounds; warm-up rounds are printed and marked.
 *
 * <pre>
 * java -Xms2g -Xmx2g -XX:+UseG1GC -cp benchmarks/target/benchmarks.jar \
 *     dev.cairn.benchmarks.server.kafka.KafkaThroughputBenchmark [--records 500000] [--warmup 2] \
 *     [--rounds 5] [--partitions 1]
 * </pre>
 *
 * The in-memory Cairn keeps the bytes of deleted topics (its memory file system drops a deleted
 * file from the current view only, not from the view that would survive a crash, and the
 * partitions' directories are not synced after the delete), so its heap grows by every round's
 * records: about 60 MB a round at the defaults, which a 2 GiB heap holds for the seven rounds.
 *
 * Not thread-safe: a program, run from {@code main}.
 */
public final class KafkaThroughputBenchmark {
    private static final int VALUE_BYTES = 100;

    private KafkaThroughputBenchmark() {
    }

    /** One server's figures for one round, in records per second. */
    record Round(double produced, double consumed) {
    }

    public static void main(String[] args) throws Exception {
        Bench.quietLogging();
        Map<String, String> options = Bench.options(args);
        if (options.containsKey("serve")) {
            serve(Kind.of(options.get("serve")));
            return;
        }
        int records = Bench.intOption(options, "records", 500_000);
        int warmup = Bench.intOption(options, "warmup", 2);
        int rounds = Bench.intOption(options, "rounds", 5);
        int partitions = Bench.intOption(options, "partitions", 1);
        System.out.println(Bench.jvmLine());
        System.out.printf("%d records of %d bytes per round, %d partition(s), %d warm-up and %d measured rounds%n",
                records, VALUE_BYTES, partitions, warmup, rounds);

        Map<Kind, ServerProcess> servers = new EnumMap<>(Kind.class);
        try {
            for (Kind kind : Kind.values()) {
                servers.put(kind, ServerProcess.start(kind));
            }
            List<Double> produceRatios = new ArrayList<>();
            List<Double> consumeRatios = new ArrayList<>();
            for (int round = 0; round < warmup + rounds; round++) {
                boolean measured = round >= warmup;
                Map<Kind, Round> results = new EnumMap<>(Kind.class);
                Kind[] order = round % 2 == 0 ? new Kind[] {Kind.CAIRN, Kind.KAFKA}
                        : new Kind[] {Kind.KAFKA, Kind.CAIRN};
                for (Kind kind : order) {
                    results.put(kind, round(servers.get(kind).bootstrap, "throughput-" + round, records,
                            partitions));
                }
                Round cairn = results.get(Kind.CAIRN);
                Round kafka = results.get(Kind.KAFKA);
                double produceRatio = cairn.produced() / kafka.produced();
                double consumeRatio = cairn.consumed() / kafka.consumed();
                System.out.printf(Locale.ROOT, "round %d%s (%s first): produce cairn %,.0f/s kafka %,.0f/s ratio %.2f;"
                        + " consume cairn %,.0f/s kafka %,.0f/s ratio %.2f%n", round, measured ? "" : " (warm-up)",
                        order[0].label(), cairn.produced(), kafka.produced(), produceRatio, cairn.consumed(),
                        kafka.consumed(), consumeRatio);
                if (measured) {
                    produceRatios.add(produceRatio);
                    consumeRatios.add(consumeRatio);
                }
            }
            System.out.printf(Locale.ROOT, "median ratio Cairn / Kafka over %d rounds: produce %.2f (%.2f to %.2f),"
                    + " consume %.2f (%.2f to %.2f)%n", rounds, Bench.median(produceRatios),
                    Bench.quantile(produceRatios, 0), Bench.quantile(produceRatios, 1), Bench.median(consumeRatios),
                    Bench.quantile(consumeRatios, 0), Bench.quantile(consumeRatios, 1));
        } finally {
            for (ServerProcess server : servers.values()) {
                server.close();
            }
        }
    }

    private static Round round(String bootstrap, String topic, int records, int partitions) throws Exception {
        Properties common = new Properties();
        common.put("bootstrap.servers", bootstrap);
        try (Admin admin = Admin.create(common)) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(60, TimeUnit.SECONDS);
            double produced = produce(common, topic, records);
            double consumed = consume(common, topic, records);
            admin.deleteTopics(List.of(topic)).all().get(60, TimeUnit.SECONDS);
            return new Round(produced, consumed);
        }
    }

    private static double produce(Properties common, String topic, int records) throws Exception {
        Properties props = new Properties();
        props.putAll(common);
        props.put("acks", "all");
        props.put("enable.idempotence", "true");
        props.put("linger.ms", "5");
        props.put("batch.size", "65536");
        byte[] value = new byte[VALUE_BYTES];
        new Random(42).nextBytes(value);
        AtomicLong acked = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            // Metadata for the topic before the clock starts, so both sides start sending at once.
            List<PartitionInfo> partitions = producer.partitionsFor(topic);
            if (partitions.isEmpty()) {
                throw new IllegalStateException("no partitions for " + topic);
            }
            long start = System.nanoTime();
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(topic, value), (metadata, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    } else {
                        acked.incrementAndGet();
                    }
                });
            }
            producer.flush();
            long elapsed = System.nanoTime() - start;
            if (failure.get() != null || acked.get() != records) {
                throw new IllegalStateException(acked.get() + " of " + records + " records acknowledged",
                        failure.get());
            }
            return records / (elapsed / 1e9);
        }
    }

    private static double consume(Properties common, String topic, int records) {
        Properties props = new Properties();
        props.putAll(common);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            long start = System.nanoTime();
            long count = 0;
            long bytes = 0;
            while (count < records) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    count++;
                    bytes += record.value().length;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + count + " of " + records + " records within 5 minutes");
                }
            }
            long elapsed = System.nanoTime() - start;
            if (count != records || bytes != (long) records * VALUE_BYTES) {
                throw new IllegalStateException("consumed " + count + " records of " + bytes + " bytes, expected "
                        + records);
            }
            return records / (elapsed / 1e9);
        }
    }

    /** In a server JVM: starts the server, prints its address, serves until standard input closes. */
    private static void serve(Kind kind) throws IOException {
        try (BenchServer server = BenchServer.start(kind)) {
            System.out.println("bootstrap " + server.bootstrapServers());
            System.out.flush();
            while (System.in.read() >= 0) {
                // Serve until the parent closes our input (or exits).
            }
        }
        // A Kafka broker leaves non-daemon threads behind for a while after its close; this server
        // JVM's work is over.
        System.exit(0);
    }

    /** A server JVM started by {@link #main}; closing it closes its input and waits for it to end. */
    private static final class ServerProcess implements AutoCloseable {
        private final Process process;
        private final String bootstrap;

        private ServerProcess(Process process, String bootstrap) {
            this.process = process;
            this.bootstrap = bootstrap;
        }

        static ServerProcess start(Kind kind) throws IOException {
            ProcessBuilder builder = new ProcessBuilder(Bench.javaCommand(KafkaThroughputBenchmark.class, "--serve",
                    kind.label()));
            builder.redirectError(ProcessBuilder.Redirect.INHERIT);
            Process process = builder.start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("bootstrap ")) {
                    String bootstrap = line.substring(10);
                    System.out.println(kind.label() + " server (pid " + process.pid() + ") at " + bootstrap);
                    Thread drain = new Thread(() -> drain(out), kind.label() + "-server-output");
                    drain.setDaemon(true);
                    drain.start();
                    return new ServerProcess(process, bootstrap);
                }
                System.out.println("  " + kind.label() + ": " + line);
            }
            process.destroyForcibly();
            throw new IllegalStateException(kind.label() + " server ended before listening");
        }

        private static void drain(BufferedReader out) {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    System.out.println("  server: " + line);
                }
            } catch (IOException e) {
                // The server has ended; nothing more to show.
            }
        }

        @Override
        public void close() {
            try {
                process.getOutputStream().close();
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (IOException | InterruptedException e) {
                process.destroyForcibly();
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
