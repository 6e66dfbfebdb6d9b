package dev.cairn.junit;

import dev.cairn.Cairn;
import dev.cairn.dictionary.Dictionary;
import dev.cairn.dictionary.KeyType;
import dev.cairn.dictionary.ScoredMember;
import dev.cairn.dictionary.ZRange;
import dev.cairn.log.ConsumerRecord;
import dev.cairn.log.GroupDescription;
import dev.cairn.log.Log;
import dev.cairn.log.TopicPartition;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The text {@link CairnExtension} adds to a failed test's report: what the Cairn held when the
 * test failed. Each topic's partitions with their offsets and last records, each group with its
 * members and committed offsets, and each open database's keys with type and a preview of the
 * value. Bounded: a few records per partition, a few dozen keys per database, short previews.
 */
final class StateDump {
    private static final int RECORDS_PER_PARTITION = 3;
    private static final int KEYS_PER_DATABASE = 50;
    private static final int PREVIEW_CHARS = 60;
    private static final int ELEMENTS_PER_VALUE = 5;

    private StateDump() {
    }

    static String of(Cairn cairn) {
        StringBuilder out = new StringBuilder("State of ").append(cairn).append(" when the test failed\n");
        try {
            appendLog(cairn.log(), out);
            for (int db = 0; db < Cairn.DATABASES; db++) {
                if (cairn.isOpen(db)) {
                    appendDatabase(db, cairn.dictionary(db), out);
                }
            }
        } catch (RuntimeException e) {
            out.append("(the rest could not be read: ").append(e).append(")\n");
        }
        return out.toString();
    }

    private static void appendLog(Log log, StringBuilder out) {
        TreeSet<String> topics = new TreeSet<>(log.topics());
        out.append("Topics (").append(topics.size()).append(")\n");
        for (String topic : topics) {
            int partitions = log.describeTopic(topic).partitions().size();
            out.append("  ").append(topic).append('\n');
            for (int p = 0; p < partitions; p++) {
                TopicPartition tp = new TopicPartition(topic, p);
                long start = log.beginningOffset(tp);
                long end = log.endOffset(tp);
                out.append("    partition ").append(p).append(": offsets [").append(start).append(", ").append(end)
                        .append(")\n");
                List<ConsumerRecord> last = log.read(tp, Math.max(start, end - RECORDS_PER_PARTITION),
                        RECORDS_PER_PARTITION);
                for (ConsumerRecord r : last) {
                    out.append("      @").append(r.offset()).append(" key=").append(preview(r.key())).append(" value=")
                            .append(preview(r.value())).append('\n');
                }
            }
        }
        TreeSet<String> groups = new TreeSet<>(log.listGroups());
        out.append("Groups (").append(groups.size()).append(")\n");
        for (String group : groups) {
            GroupDescription d = log.describeGroup(group);
            out.append("  ").append(group).append(": ").append(d.state()).append(", ").append(d.members().size())
                    .append(" members, committed ").append(new TreeMap<>(log.committedOffsets(group))).append('\n');
        }
    }

    private static void appendDatabase(int db, Dictionary d, StringBuilder out) {
        List<String> keys = new ArrayList<>(new TreeSet<>(d.keys().keys("*")));
        out.append("Database ").append(db).append(" (").append(keys.size()).append(" keys)\n");
        for (String key : keys.subList(0, Math.min(keys.size(), KEYS_PER_DATABASE))) {
            KeyType type = d.keys().type(key);
            out.append("  ").append(key).append(" (").append(type.redisName()).append(") ")
                    .append(valuePreview(d, key, type)).append('\n');
        }
        if (keys.size() > KEYS_PER_DATABASE) {
            out.append("  ... and ").append(keys.size() - KEYS_PER_DATABASE).append(" more\n");
        }
    }

    private static String valuePreview(Dictionary d, String key, KeyType type) {
        return switch (type) {
            case STRING -> preview(d.strings().get(key));
            case LIST -> elements(d.lists().lrange(key, 0, ELEMENTS_PER_VALUE - 1), d.lists().llen(key));
            case SET -> elements(d.sets().smembers(key), d.sets().scard(key));
            case HASH -> fields(d.hashes().hgetAll(key));
            case ZSET -> scored(d.sortedSets().zrange(key, ZRange.byRank(0, ELEMENTS_PER_VALUE - 1)),
                    d.sortedSets().zcard(key));
            case NONE -> "(gone)";
        };
    }

    private static String elements(List<byte[]> first, long total) {
        List<String> shown = new ArrayList<>();
        first.stream().limit(ELEMENTS_PER_VALUE).forEach(e -> shown.add(preview(e)));
        return shown + (total > shown.size() ? " of " + total : "");
    }

    private static String fields(Map<String, byte[]> all) {
        List<String> shown = new ArrayList<>();
        new TreeMap<>(all).entrySet().stream().limit(ELEMENTS_PER_VALUE)
                .forEach(e -> shown.add(e.getKey() + "=" + preview(e.getValue())));
        return shown + (all.size() > shown.size() ? " of " + all.size() + " fields" : "");
    }

    private static String scored(List<ScoredMember> first, long total) {
        List<String> shown = new ArrayList<>();
        first.forEach(m -> shown.add(preview(m.member()) + ":" + m.score()));
        return shown + (total > shown.size() ? " of " + total : "");
    }

    /** Text in quotes if the bytes are printable UTF-8, else hex; cut at a few dozen characters. */
    static String preview(byte[] bytes) {
        if (bytes == null) {
            return "null";
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            text = null;
        }
        if (text != null && text.codePoints().noneMatch(c -> Character.isISOControl(c) && c != '\t')) {
            return '"' + cut(text) + '"';
        }
        StringBuilder hex = new StringBuilder("0x");
        for (int i = 0; i < Math.min(bytes.length, PREVIEW_CHARS / 2); i++) {
            hex.append(Character.forDigit((bytes[i] >> 4) & 0xF, 16)).append(Character.forDigit(bytes[i] & 0xF, 16));
        }
        return hex + (bytes.length > PREVIEW_CHARS / 2 ? "... (" + bytes.length + " bytes)" : "");
    }

    private static String cut(String text) {
        return text.length() <= PREVIEW_CHARS ? text : text.substring(0, PREVIEW_CHARS) + "... (" + text.length() + " chars)";
    }
}
