package dev.cairn.log.internal.replica;

import dev.cairn.cluster.NodeAddress;
import dev.cairn.cluster.TcpTransport;
import dev.cairn.cluster.TcpTransportConfig;
import dev.cairn.cluster.ThreadScheduler;
import dev.cairn.common.Durability;
import dev.cairn.log.Acks;
import dev.cairn.log.ProducerRecord;
import dev.cairn.log.TopicConfig;
import dev.cairn.log.TopicPartition;
import dev.cairn.log.internal.PartitionReplicaLog;
import dev.cairn.storage.Storage;
import dev.cairn.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * One replica node ({@link ReplicaNode}) in a JVM of its own, on a {@link TcpTransport}, holding
 * its copies of {@link #PARTITION} in a directory of its own (durability ALWAYS); and, as
 * {@link Handle}, the test's end of it. The node's controller runs in the parent JVM.
 *
 * <p>Started as {@code ReplicaProcess <nodeId> <incarnation> <controllerId> <controllerPort>
 * <minInsyncReplicas> <directory>}, every node on 127.0.0.1. It binds an ephemeral port and
 * prints {@code listening <port>}; then it answers each command line on its stdin with one line on
 * its stdout, in order:
 * <pre>
 * peer &lt;nodeId&gt; &lt;port&gt;    -> ok                      (where another node listens)
 * append &lt;value&gt; &lt;acks&gt;   -> acked &lt;offset&gt;          (acks: NONE, LEADER or ALL; value without spaces)
 *                          | refused &lt;reason&gt;         (not leader, too few in sync, timed out...)
 * state                    -> state &lt;leader&gt; &lt;leaderEpoch&gt; &lt;isr, comma-separated&gt; | state none
 * dump                     -> dump &lt;highWatermark&gt; &lt;offset&gt;:&lt;value&gt;... | dump none
 * anything else            -> error &lt;what was wrong&gt;
 * </pre>
 * {@code state} is the partition's state as this node last learned it; {@code dump} lists every
 * record of its copy. The end of stdin closes the node and ends the JVM. Logs go to stderr, so
 * stdout carries only answers.
 *
 * <p>Thread-safety: commands run one at a time on the main thread; copies are opened on the
 * transport's threads, under this object's monitor.
 */
final class ReplicaProcess implements AutoCloseable {
    static final TopicPartition PARTITION = new TopicPartition("replicated", 0);
    static final String HOST = "127.0.0.1";
    /** Short timings, so that a dead leader is replaced well within a second or two. */
    static final ReplicationConfig CONFIG = new ReplicationConfig(1_000, 100, 1 << 20, 1_000, 20, 50, 500, false);
    /** Reconnects to a restarted peer within a tenth of a second. */
    static final TcpTransportConfig TRANSPORT = TcpTransportConfig.defaults().withConnectTimeoutMs(500)
            .withBackoff(10, 100);
    /** How long a child waits for an append's acknowledgement before answering that it timed out. */
    private static final long APPEND_TIMEOUT_MS = 5_000;

    private final TcpTransport transport;
    private final ThreadScheduler scheduler;
    private final Storage storage;
    private final List<PartitionReplicaLog> copies = new ArrayList<>();
    private final ReplicaNode node;

    private ReplicaProcess(int nodeId, long incarnation, int controllerId, int controllerPort, int minInsync,
            Path directory) {
        this.storage = Storage.open(directory);
        this.scheduler = new ThreadScheduler("replica-" + nodeId, 1, InstantSource.system());
        this.transport = new TcpTransport(List.of(new NodeAddress(nodeId, HOST, 0),
                new NodeAddress(controllerId, HOST, controllerPort)), TRANSPORT.withThreadNamePrefix("tcp-" + nodeId));
        this.node = new ReplicaNode(nodeId, incarnation, transport, scheduler, CONFIG, controllerId,
                ControllerStore.inMemory(), this::openCopy);
        node.minInsyncReplicas(PARTITION, minInsync);
    }

    public static void main(String[] args) throws IOException {
        // Answers only on stdout: anything else printed (logs) goes to stderr.
        PrintStream answers = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        if (args.length != 6) {
            answers.println("error usage: ReplicaProcess <nodeId> <incarnation> <controllerId> <controllerPort> "
                    + "<minInsyncReplicas> <directory>");
            return;
        }
        int nodeId = Integer.parseInt(args[0]);
        try (ReplicaProcess process = new ReplicaProcess(nodeId, Long.parseLong(args[1]), Integer.parseInt(args[2]),
                Integer.parseInt(args[3]), Integer.parseInt(args[4]), Path.of(args[5]))) {
            answers.println("listening " + process.transport.address(nodeId).port());
            BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = commands.readLine()) != null) {
                answers.println(process.answer(line));
            }
        }
    }

    private synchronized ReplicaLog openCopy(TopicPartition tp) {
        PartitionReplicaLog copy = PartitionReplicaLog.open(storage, storage.root().resolve(tp.topic() + "-"
                + tp.partition()), tp, TopicConfig.defaults(), Durability.ALWAYS, InstantSource.system());
        copies.add(copy);
        return copy;
    }

    /** The one-line answer to one command line. */
    String answer(String line) {
        String[] words = line.trim().split(" ");
        try {
            return switch (words[0]) {
                case "peer" -> {
                    expectWords(words, 3);
                    transport.setAddress(new NodeAddress(Integer.parseInt(words[1]), HOST, Integer.parseInt(words[2])));
                    yield "ok";
                }
                case "append" -> {
                    expectWords(words, 3);
                    yield append(words[1], Acks.valueOf(words[2]));
                }
                case "state" -> node.state(PARTITION).map(s -> "state " + s.leader() + " " + s.leaderEpoch() + " "
                        + s.isr().stream().map(String::valueOf).collect(Collectors.joining(","))).orElse("state none");
                case "dump" -> node.copy(PARTITION).map(ReplicaProcess::dump).orElse("dump none");
                default -> "error unknown command '" + words[0] + "'";
            };
        } catch (IllegalArgumentException e) {
            return "error " + e.getMessage();
        }
    }

    private static void expectWords(String[] words, int count) {
        if (words.length != count) {
            throw new IllegalArgumentException("'" + words[0] + "' takes " + (count - 1) + " argument(s), got "
                    + (words.length - 1));
        }
    }

    private String append(String value, Acks acks) {
        try {
            long offset = node.append(PARTITION, List.of(ProducerRecord.of(PARTITION.topic(),
                    value.getBytes(StandardCharsets.UTF_8))), acks).get(APPEND_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            return "acked " + offset;
        } catch (ExecutionException e) {
            return "refused " + e.getCause();
        } catch (TimeoutException e) {
            return "refused not acknowledged within " + APPEND_TIMEOUT_MS + " ms";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "refused interrupted";
        } catch (RuntimeException e) {
            return "refused " + e;
        }
    }

    private static String dump(ReplicaLog copy) {
        StringBuilder dump = new StringBuilder("dump ").append(copy.highWatermark());
        StorageDisks.records(copy).forEach((offset, value) ->
                dump.append(' ').append(offset).append(':').append(new String(value, StandardCharsets.UTF_8)));
        return dump.toString();
    }

    @Override
    public void close() {
        node.close();
        synchronized (this) {
            copies.forEach(PartitionReplicaLog::close);
        }
        transport.close();
        scheduler.close();
        storage.close();
    }

    /**
     * The test's end of a {@code ReplicaProcess} child JVM: sends commands, waits (with a
     * deadline) for their answers, and kills or closes the child. A thread of its own reads the
     * child's answers into a queue, so a child that hangs fails a wait instead of blocking the test.
     * Used by one test thread at a time.
     */
    static final class Handle implements AutoCloseable {
        /** Queued when the child's stdout ends: the child exited or was killed. */
        private static final String ENDED = "\u0000ended";
        private static final long ANSWER_TIMEOUT_MS = 10_000;

        private final int nodeId;
        private final Process process;
        private final Writer commands;
        private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
        /** The port the child listens on, once its first line said it; 0 before. */
        private int port;

        private Handle(int nodeId, Process process) {
            this.nodeId = nodeId;
            this.process = process;
            this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread reader = new Thread(this::readAnswers, "replica-process-" + nodeId + "-answers");
            reader.setDaemon(true);
            reader.start();
        }

        /**
         * Starts node {@code nodeId} in a child JVM, its stderr appended to {@code log}; {@link #port}
         * waits until it listens, so several children can start at once.
         */
        static Handle start(int nodeId, long incarnation, int controllerId, int controllerPort, int minInsync,
                Path directory, Path log) throws IOException {
            Process process = ChildJvm.of(ReplicaProcess.class, Integer.toString(nodeId), Long.toString(incarnation),
                    Integer.toString(controllerId), Integer.toString(controllerPort), Integer.toString(minInsync),
                    directory.toString()).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            return new Handle(nodeId, process);
        }

        int nodeId() {
            return nodeId;
        }

        /**
         * The port the child's node listens on, waiting for the child to say it the first time.
         *
         * @throws IllegalStateException if the child ended, or did not listen within the answer timeout
         */
        int port() {
            if (port == 0) {
                String listening = awaitAnswer();
                if (!listening.startsWith("listening ")) {
                    throw new IllegalStateException("node " + nodeId + "'s process started with '" + listening + "'");
                }
                port = Integer.parseInt(listening.substring("listening ".length()));
            }
            return port;
        }

        boolean isAlive() {
            return process.isAlive();
        }

        private void readAnswers() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    answers.add(line);
                }
            } catch (IOException e) {
                // The pipe broke: the child is gone.
            }
            answers.add(ENDED);
        }

        /**
         * Sends {@code command} and returns its answer.
         *
         * @throws IllegalStateException if the child ended or did not answer within the timeout
         */
        String ask(String command) {
            send(command);
            return awaitAnswer();
        }

        /**
         * Sends {@code command} without waiting for its answer.
         *
         * @throws IllegalStateException if the child ended
         */
        void send(String command) {
            port(); // its first line, "listening", is no command's answer
            try {
                commands.write(command + "\n");
                commands.flush();
            } catch (IOException e) {
                throw new IllegalStateException("node " + nodeId + "'s process ended before '" + command + "': " + e, e);
            }
        }

        /**
         * The next answer the child gave.
         *
         * @throws IllegalStateException if the child ended or gave none within the timeout
         */
        String awaitAnswer() {
            String answer;
            try {
                answer = answers.poll(ANSWER_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for node " + nodeId, e);
            }
            if (answer == null) {
                throw new IllegalStateException("node " + nodeId + "'s process gave no answer within "
                        + ANSWER_TIMEOUT_MS + " ms");
            }
            if (answer.equals(ENDED)) {
                answers.add(ENDED); // every later wait sees the end too
                throw new IllegalStateException("node " + nodeId + "'s process ended");
            }
            return answer;
        }

        /**
         * Kills the child at once ({@code kill -9}) and waits until it is gone; returns the
         * answers it printed and this handle had not taken yet.
         */
        List<String> kill() throws InterruptedException {
            process.destroyForcibly();
            if (!process.waitFor(ANSWER_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("node " + nodeId + "'s process outlived its kill");
            }
            List<String> unread = new ArrayList<>();
            String answer;
            // Its stdout ends once it is gone: everything it printed is in the queue before ENDED.
            while (!ENDED.equals(answer = answers.poll(ANSWER_TIMEOUT_MS, TimeUnit.MILLISECONDS))) {
                if (answer == null) {
                    throw new IllegalStateException("node " + nodeId + "'s output did not end after its kill");
                }
                unread.add(answer);
            }
            answers.add(ENDED);
            return unread;
        }

        /** The parsed {@code dump} answer: value by offset, and the high watermark. */
        Dump dump() {
            String answer = ask("dump");
            String[] words = answer.split(" ");
            if (!words[0].equals("dump") || words.length < 2 || words[1].equals("none")) {
                return null;
            }
            Map<Long, String> records = new TreeMap<>();
            for (int i = 2; i < words.length; i++) {
                int colon = words[i].indexOf(':');
                records.put(Long.parseLong(words[i].substring(0, colon)), words[i].substring(colon + 1));
            }
            return new Dump(Long.parseLong(words[1]), records);
        }

        /** Kills the child if it still runs and waits until it is gone. Idempotent. */
        @Override
        public void close() {
            process.destroyForcibly();
            try {
                process.waitFor(ANSWER_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A copy's records (value by offset) and its high watermark, as a child dumped them. */
    record Dump(long highWatermark, Map<Long, String> records) {
    }
}
