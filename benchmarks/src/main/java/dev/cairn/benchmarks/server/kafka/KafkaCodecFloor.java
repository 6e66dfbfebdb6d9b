package dev.cairn.benchmarks.server.kafka;

import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.MessageSizeAccumulator;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

/**
 * The least a fresh JVM on this machine needs to be "a listener that answers ApiVersions with
 * Kafka's own codecs", which is what the start-up target of 150 ms from spawn asks of Cairn's Kafka
 * listener: no Cairn, no Netty, no logging, no JMX; a blocking {@link ServerSocket}, the request
 * header parsed and an ApiVersions response (every API key kafka-clients knows, at its newest
 * version) written with kafka-clients' generated message classes, answered to the same
 * {@link ApiVersionsProbe} the start-up harness uses. Beside it, in the same run, a child that only
 * reaches {@code main} and prints: the JVM alone with this class path.
 *
 * <p>Each trial is a new {@code java} process with this JVM's flags and class path; times are from
 * spawn to the child's "ready" line arriving here. Trials of the two children alternate.
 *
 * <pre>
 * java -Xms1g -Xmx1g -XX:+UseG1GC -cp benchmarks/target/benchmarks.jar \
 *     dev.cairn.benchmarks.server.kafka.KafkaCodecFloor [--trials 9]
 * </pre>
 *
 * Not thread-safe: a program, run from {@code main}.
 */
public final class KafkaCodecFloor {
    private KafkaCodecFloor() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("--child")) {
            if (args[1].equals("codecs")) {
                answerOneApiVersions();
            }
            System.out.println("ready");
            System.out.flush();
            return;
        }
        Map<String, String> options = Bench.options(args);
        int trials = Bench.intOption(options, "trials", 9);
        System.out.println(Bench.jvmLine());
        Map<String, List<Long>> times = new LinkedHashMap<>();
        for (int i = 0; i < trials; i++) {
            for (String child : i % 2 == 0 ? List.of("empty", "codecs") : List.of("codecs", "empty")) {
                long nanos = spawn(child);
                System.out.printf(Locale.ROOT, "  %s trial %d: ready %.1f ms from spawn%n", child, i, nanos / 1e6);
                times.computeIfAbsent(child, k -> new ArrayList<>()).add(nanos);
            }
        }
        System.out.println("medians from spawn:");
        times.forEach((child, nanos) -> System.out.printf(Locale.ROOT, "  %-7s %8.1f ms (min %.1f)%n", child,
                Bench.median(nanos) / 1e6, nanos.stream().mapToLong(Long::longValue).min().orElseThrow() / 1e6));
    }

    private static long spawn(String child) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(Bench.javaCommand(KafkaCodecFloor.class, "--child", child));
        builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        long spawn = System.nanoTime();
        Process process = builder.start();
        long ready = -1;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.equals("ready") && ready < 0) {
                    ready = System.nanoTime() - spawn;
                }
            }
        }
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0 || ready < 0) {
            throw new IOException("the " + child + " child failed");
        }
        return ready;
    }

    /** Listens, and answers one ApiVersions request from a probe in this JVM. */
    private static void answerOneApiVersions() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread probe = new Thread(() -> {
                try {
                    ApiVersionsProbe.probe("127.0.0.1", server.getLocalPort());
                } catch (IOException e) {
                    throw new IllegalStateException("the probe failed", e);
                }
            });
            probe.start();
            try (Socket socket = server.accept()) {
                DataInputStream in = new DataInputStream(socket.getInputStream());
                byte[] frame = new byte[in.readInt()];
                in.readFully(frame);
                ByteBuffer request = ByteBuffer.wrap(frame);
                short apiVersion = request.getShort(2);
                RequestHeaderData header = new RequestHeaderData(new ByteBufferAccessor(request),
                        ApiKeys.API_VERSIONS.requestHeaderVersion(apiVersion));
                ApiVersionsResponseData response = new ApiVersionsResponseData();
                for (ApiKeys key : ApiKeys.values()) {
                    response.apiKeys().add(new ApiVersionsResponseData.ApiVersion().setApiKey(key.id)
                            .setMinVersion(key.oldestVersion()).setMaxVersion(key.latestVersion()));
                }
                ResponseHeaderData responseHeader = new ResponseHeaderData().setCorrelationId(header.correlationId());
                short responseHeaderVersion = ApiKeys.API_VERSIONS.responseHeaderVersion(apiVersion);
                ObjectSerializationCache cache = new ObjectSerializationCache();
                MessageSizeAccumulator size = new MessageSizeAccumulator();
                responseHeader.addSize(size, cache, responseHeaderVersion);
                response.addSize(size, cache, apiVersion);
                ByteBuffer out = ByteBuffer.allocate(size.totalSize());
                ByteBufferAccessor writer = new ByteBufferAccessor(out);
                responseHeader.write(writer, cache, responseHeaderVersion);
                response.write(writer, cache, apiVersion);
                DataOutputStream reply = new DataOutputStream(socket.getOutputStream());
                reply.writeInt(out.capacity());
                reply.write(out.array());
                reply.flush();
            }
            probe.join();
        }
    }
}
