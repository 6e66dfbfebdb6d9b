package dev.cairn.cli;

import dev.cairn.dictionary.BinaryKeys;
import dev.cairn.dictionary.Dictionary;
import dev.cairn.dictionary.KeyType;
import dev.cairn.dictionary.ScoredMember;
import dev.cairn.dictionary.ZRange;
import dev.cairn.log.ConsumerRecord;
import dev.cairn.log.Header;
import dev.cairn.log.Log;
import dev.cairn.log.TopicDescription;
import dev.cairn.log.TopicPartition;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dump DIR --topic T} prints a topic's records (offset, timestamp, key, value, headers),
 * {@code dump DIR --keys PATTERN} a database's keys matching a glob pattern (type, TTL, value); as
 * text, one line each, or as JSON lines with {@code --json}. Bytes that are printable UTF-8 show as
 * text, others as base64 (see {@link Bytes}). Reads through a read-only open (see
 * {@link DataDirectory}), so the directory is not changed.
 *
 * <p>One instance per command line; not thread-safe.
 */
@Command(name = "dump", mixinStandardHelpOptions = true,
        description = "Prints a topic's records or the dictionary's keys, without changing the directory.")
final class DumpCommand implements Callable<Integer> {
    /** Records asked of the log per read. */
    private static final int READ_BATCH = 500;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The data directory.")
    private Path dir;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private What what;

    /** Exactly one of the two. */
    static final class What {
        @Option(names = "--topic", paramLabel = "TOPIC", description = "Dump this topic's records.")
        String topic;

        @Option(names = "--keys", paramLabel = "PATTERN", description = "Dump the keys matching this glob pattern "
                + "(Redis's KEYS syntax, e.g. 'user:*').")
        String keys;
    }

    @Option(names = "--partition", paramLabel = "N", description = "Only this partition (default: all, in order).")
    private Integer partition;

    @Option(names = "--from", paramLabel = "OFFSET",
            description = "The first offset (default: each partition's start offset).")
    private Long from;

    @Option(names = "--max", paramLabel = "N", description = "At most N records in all (default: all).")
    private Long max;

    @Option(names = "--db", paramLabel = "N", defaultValue = "0",
            description = "The database of --keys, 0 to 15 (default: ${DEFAULT-VALUE}).")
    private int db;

    @Option(names = "--json", description = "One JSON object per line instead of text.")
    private boolean json;

    @Override
    public Integer call() throws Exception {
        if (db < 0 || db > 15) {
            throw new ParameterException(spec.commandLine(), "--db must be 0 to 15, got " + db);
        }
        if (max != null && max < 0 || from != null && from < 0) {
            throw new ParameterException(spec.commandLine(), "--from and --max must not be negative");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (DataDirectory data = DataDirectory.open(dir)) {
            if (what.topic != null) {
                dumpTopic(data, what.topic, out);
            } else {
                dumpKeys(data.cairn().dictionary(db), what.keys, out);
            }
        }
        out.flush();
        return 0;
    }

    private void dumpTopic(DataDirectory data, String topic, PrintWriter out) {
        if (!data.hasLog()) {
            throw new IllegalArgumentException("no topic " + topic + ": the directory holds no log");
        }
        Log log = data.cairn().log();
        if (!log.topics().contains(topic)) {
            throw new IllegalArgumentException("no topic " + topic + " in " + data.root());
        }
        TopicDescription description = log.describeTopic(topic);
        if (partition != null && (partition < 0 || partition >= description.partitions().size())) {
            throw new IllegalArgumentException("topic " + topic + " has partitions 0 to "
                    + (description.partitions().size() - 1) + ", not " + partition);
        }
        long left = max == null ? Long.MAX_VALUE : max;
        for (TopicDescription.PartitionInfo p : description.partitions()) {
            if (partition != null && p.partition() != partition) {
                continue;
            }
            TopicPartition tp = new TopicPartition(topic, p.partition());
            long next = Math.max(from == null ? 0 : from, log.beginningOffset(tp));
            long end = log.endOffset(tp);
            while (left > 0 && next < end) {
                List<ConsumerRecord> records = log.read(tp, next, (int) Math.min(READ_BATCH, left));
                if (records.isEmpty()) {
                    break;
                }
                for (ConsumerRecord r : records) {
                    if (left-- == 0) {
                        break;
                    }
                    out.println(json ? Json.write(record(r)) : recordText(r));
                }
                next = records.get(records.size() - 1).offset() + 1;
            }
        }
    }

    private static Map<String, Object> record(ConsumerRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("topic", r.topic());
        m.put("partition", r.partition());
        m.put("offset", r.offset());
        m.put("timestamp", r.timestampMs());
        m.put("key", Bytes.json(r.key()));
        m.put("value", Bytes.json(r.value()));
        List<Object> headers = new ArrayList<>();
        for (Header h : r.headers()) {
            Map<String, Object> header = new LinkedHashMap<>();
            header.put("key", h.key());
            header.put("value", Bytes.json(h.value()));
            headers.add(header);
        }
        m.put("headers", headers);
        return m;
    }

    private static String recordText(ConsumerRecord r) {
        StringBuilder s = new StringBuilder();
        s.append(r.topic()).append('-').append(r.partition()).append(" offset ").append(r.offset())
                .append(" timestamp ").append(r.timestampMs()).append(" key ").append(Bytes.show(r.key()))
                .append(" value ").append(Bytes.show(r.value()));
        for (Header h : r.headers()) {
            s.append(" header ").append(h.key()).append('=').append(Bytes.show(h.value()));
        }
        return s.toString();
    }

    private void dumpKeys(Dictionary dictionary, String pattern, PrintWriter out) {
        List<String> keys = new ArrayList<>(dictionary.keys().keys(pattern));
        keys.sort(null);
        for (String key : keys) {
            KeyType type = dictionary.keys().type(key);
            if (type == KeyType.NONE) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", Bytes.json(BinaryKeys.toBytes(key)));
            m.put("type", type.redisName());
            m.put("ttlMs", dictionary.keys().pttl(key));
            m.put("value", value(dictionary, key, type));
            if (json) {
                out.println(Json.write(m));
            } else {
                out.println(Bytes.show(BinaryKeys.toBytes(key)) + " " + type.redisName() + " ttl "
                        + m.get("ttlMs") + " ms " + Json.write(m.get("value")));
            }
        }
    }

    /** The value in JSON's terms: a string, a list of elements, or a map of fields or members to values or scores. */
    private static Object value(Dictionary d, String key, KeyType type) {
        return switch (type) {
            case STRING -> Bytes.json(d.strings().get(key));
            case LIST -> d.lists().lrange(key, 0, -1).stream().map(Bytes::json).toList();
            case SET -> d.sets().smembers(key).stream().map(Bytes::show).sorted().toList();
            case HASH -> {
                Map<String, Object> fields = new TreeMap<>();
                d.hashes().hgetAll(key).forEach((field, v) -> fields.put(Bytes.show(BinaryKeys.toBytes(field)),
                        Bytes.json(v)));
                yield fields;
            }
            case ZSET -> {
                Map<String, Object> members = new LinkedHashMap<>();
                for (ScoredMember m : d.sortedSets().zrange(key, ZRange.byRank(0, -1))) {
                    members.put(Bytes.show(m.member()), m.score());
                }
                yield members;
            }
            case NONE -> null;
        };
    }
}
