package dev.cairn.dictionary.internal;

import dev.cairn.dictionary.Dictionary;
import dev.cairn.dictionary.KeyType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** A canonical text form of a dictionary's whole content (types, values, deadlines), for comparing two of them in tests. */
final class DictionaryDump {
    private DictionaryDump() {
    }

    static Map<String, String> of(Dictionary dictionary) {
        Map<String, String> dump = new TreeMap<>();
        for (String key : dictionary.keys().keys("*")) {
            KeyType type = dictionary.keys().type(key);
            long pttl = dictionary.keys().pttl(key);
            String deadline = pttl < 0 ? "" : " deadline@" + (dictionary.keys().pexpireTime(key));
            dump.put(key, type + deadline + " " + value(dictionary, key, type));
        }
        return dump;
    }

    private static String value(Dictionary d, String key, KeyType type) {
        switch (type) {
            case STRING:
                return text(d.strings().get(key));
            case HASH: {
                Map<String, String> sorted = new TreeMap<>();
                d.hashes().hgetAll(key).forEach((f, v) -> sorted.put(f, text(v)));
                return sorted.toString();
            }
            case LIST: {
                List<String> items = new ArrayList<>();
                d.lists().lrange(key, 0, -1).forEach(e -> items.add(text(e)));
                return items.toString();
            }
            case SET: {
                TreeSet<String> members = new TreeSet<>();
                d.sets().smembers(key).forEach(m -> members.add(text(m)));
                return members.toString();
            }
            case ZSET: {
                List<String> entries = new ArrayList<>();
                d.sortedSets().zrange(key, dev.cairn.dictionary.ZRange.byRank(0, -1)).forEach(e -> entries.add(text(e.member()) + "=" + e.score()));
                return entries.toString();
            }
            default:
                throw new AssertionError(type);
        }
    }

    private static String text(byte[] bytes) {
        return bytes == null ? "null" : new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
