package dev.cairn.cli;

import dev.cairn.dictionary.Dictionary;
import dev.cairn.log.Log;
import dev.cairn.log.TopicDescription;
import dev.cairn.log.TopicPartition;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code describe DIR}: what a data directory holds, read without changing it (see
 * {@link DataDirectory}): topics and their partitions (offsets, segments, bytes), consumer groups
 * and their committed offsets, and per dictionary database the key count, the append-only file's
 * size and the snapshot's age. As text, or as one JSON object with {@code --json}.
 *
 * <p>One instance per command line; not thread-safe.
 */
@Command(name = "describe", mixinStandardHelpOptions = true,
        description = "Describes a data directory (topics, partitions, groups, dictionary databases) "
                + "without changing it. Fails while a Cairn has the directory open.")
final class DescribeCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The data directory.")
    private Path dir;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    private boolean json;

    @Override
    public Integer call() throws IOException {
        Map<String, Object> report;
        try (DataDirectory data = DataDirectory.open(dir)) {
            report = describe(data);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.write(report));
        } else {
            printText(out, report);
        }
        return 0;
    }

    private static Map<String, Object> describe(DataDirectory data) throws IOException {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("directory", data.root().toString());
        List<Object> topics = new ArrayList<>();
        List<Object> groups = new ArrayList<>();
        if (data.hasLog()) {
            Log log = data.cairn().log();
            for (String name : new TreeSet<>(log.topics())) {
                TopicDescription d = log.describeTopic(name);
                Map<String, Object> topic = new LinkedHashMap<>();
                topic.put("topic", name);
                List<Object> partitions = new ArrayList<>();
                for (TopicDescription.PartitionInfo p : d.partitions()) {
                    Map<String, Object> partition = new LinkedHashMap<>();
                    partition.put("partition", p.partition());
                    partition.put("startOffset", p.beginningOffset());
                    partition.put("endOffset", p.endOffset());
                    partition.put("segments", p.segments());
                    partition.put("bytes", p.sizeBytes());
                    partitions.add(partition);
                }
                topic.put("partitions", partitions);
                topics.add(topic);
            }
            for (String group : new TreeSet<>(log.listGroups())) {
                Map<String, Object> offsets = new LinkedHashMap<>();
                Map<String, Long> sorted = new TreeMap<>();
                for (Map.Entry<TopicPartition, Long> e : log.committedOffsets(group).entrySet()) {
                    sorted.put(e.getKey().topic() + "-" + e.getKey().partition(), e.getValue());
                }
                offsets.put("group", group);
                offsets.put("committed", sorted);
                groups.add(offsets);
            }
        }
        report.put("topics", topics);
        report.put("groups", groups);
        List<Object> databases = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (Map.Entry<Integer, Path> e : data.databases().entrySet()) {
            Dictionary dictionary = data.cairn().dictionary(e.getKey());
            Map<String, Object> db = new LinkedHashMap<>();
            db.put("db", e.getKey());
            db.put("keys", dictionary.keys().dbSize());
            long aofBytes = 0;
            Path snapshot = null;
            for (Path p : DataDirectory.list(e.getValue())) {
                String name = p.getFileName().toString();
                if (name.startsWith("aof-") && Files.isDirectory(p)) {
                    for (Path segment : DataDirectory.list(p)) {
                        aofBytes += Files.size(segment);
                    }
                } else if (name.startsWith("snapshot-") && name.endsWith(".cds")) {
                    snapshot = p;
                }
            }
            db.put("aofBytes", aofBytes);
            if (snapshot != null) {
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("file", snapshot.getFileName().toString());
                s.put("bytes", Files.size(snapshot));
                s.put("ageSeconds", Math.max(0, (now - Files.getLastModifiedTime(snapshot).toMillis()) / 1000));
                db.put("snapshot", s);
            } else {
                db.put("snapshot", null);
            }
            databases.add(db);
        }
        report.put("databases", databases);
        return report;
    }

    @SuppressWarnings("unchecked")
    private static void printText(PrintWriter out, Map<String, Object> report) {
        out.println("directory " + report.get("directory"));
        List<Object> topics = (List<Object>) report.get("topics");
        out.println("topics: " + topics.size());
        for (Object t : topics) {
            Map<String, Object> topic = (Map<String, Object>) t;
            List<Object> partitions = (List<Object>) topic.get("partitions");
            out.println("  " + topic.get("topic") + " (" + partitions.size() + " partitions)");
            for (Object p : partitions) {
                Map<String, Object> partition = (Map<String, Object>) p;
                out.printf("    %s-%s  offsets %s..%s  %s segments  %s bytes%n", topic.get("topic"),
                        partition.get("partition"), partition.get("startOffset"), partition.get("endOffset"),
                        partition.get("segments"), partition.get("bytes"));
            }
        }
        List<Object> groups = (List<Object>) report.get("groups");
        out.println("groups: " + groups.size());
        for (Object g : groups) {
            Map<String, Object> group = (Map<String, Object>) g;
            out.println("  " + group.get("group"));
            for (Map.Entry<String, Object> e : ((Map<String, Object>) group.get("committed")).entrySet()) {
                out.println("    " + e.getKey() + " committed " + e.getValue());
            }
        }
        List<Object> databases = (List<Object>) report.get("databases");
        out.println("dictionary databases: " + databases.size());
        for (Object d : databases) {
            Map<String, Object> db = (Map<String, Object>) d;
            Map<String, Object> snapshot = (Map<String, Object>) db.get("snapshot");
            out.printf("  db %s  %s keys  append-only file %s bytes  %s%n", db.get("db"), db.get("keys"),
                    db.get("aofBytes"), snapshot == null ? "no snapshot"
                            : "snapshot " + snapshot.get("file") + " (" + snapshot.get("bytes") + " bytes, "
                                    + snapshot.get("ageSeconds") + " s old)");
        }
    }
}
