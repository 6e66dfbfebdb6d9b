package dev.cairn.dictionary.internal;

import dev.cairn.dictionary.Glob;
import dev.cairn.dictionary.HashCommands;
import dev.cairn.dictionary.KeyEventClass;
import dev.cairn.dictionary.KeyType;
import dev.cairn.dictionary.NotAFloatException;
import dev.cairn.dictionary.NotAnIntegerException;
import dev.cairn.dictionary.ScanArgs;
import dev.cairn.dictionary.ScanPage;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The hash commands, each one run under the {@link Engine}'s command lock.
 *
 * <p>Thread-safe: all state is in the engine, guarded by its lock.
 */
final class HashCommandsImpl implements HashCommands {
    private final Engine engine;

    HashCommandsImpl(Engine engine) {
        this.engine = engine;
    }

    private static String field(String field) {
        return Objects.requireNonNull(field, "field");
    }

    private static void checkFields(String[] fields) {
        if (fields == null || fields.length == 0) {
            throw new IllegalArgumentException("at least one field is required");
        }
        for (String field : fields) {
            field(field);
        }
    }

    private HashValue read(String key) {
        return engine.readAs(key, KeyType.HASH, HashValue.class);
    }

    /** The value of {@code key} for a read command, counted as a keyspace hit or miss. */
    private HashValue lookup(String key) {
        return engine.lookupReadAs(key, KeyType.HASH, HashValue.class);
    }

    /** The hash of {@code key} saved for undo, created if absent. */
    private HashValue writeOrCreate(String key) {
        HashValue hash = engine.writeAs(key, KeyType.HASH, HashValue.class);
        return hash != null ? hash : engine.create(key, new HashValue());
    }

    @Override
    public boolean hset(String key, String field, byte[] value) {
        return hset(key, Map.of(field(field), value)) == 1;
    }

    @Override
    public long hset(String key, Map<String, byte[]> fields) {
        KeyRules.check(key);
        if (fields == null || fields.isEmpty()) {
            throw new IllegalArgumentException("at least one field and value are required");
        }
        Map<String, byte[]> copy = new LinkedHashMap<>();
        fields.forEach((field, value) -> copy.put(field(field), Objects.requireNonNull(value, "value").clone()));
        return engine.call(() -> {
            HashValue hash = writeOrCreate(key);
            long added = 0;
            List<Object> args = new ArrayList<>();
            args.add("HSET");
            args.add(key);
            for (Map.Entry<String, byte[]> entry : copy.entrySet()) {
                Node<byte[]> node = hash.fields.find(entry.getKey());
                if (node == null) {
                    hash.fields.insert(new Node<>(entry.getKey(), entry.getValue()));
                    added++;
                } else {
                    node.value = entry.getValue();
                }
                hash.noteWrite(entry.getKey(), entry.getValue());
                args.add(entry.getKey());
                args.add(entry.getValue());
            }
            engine.changed(key);
            engine.event(KeyEventClass.HASH, "hset", key);
            engine.propagate(args);
            return added;
        });
    }

    @Override
    public boolean hsetNx(String key, String field, byte[] value) {
        KeyRules.check(key);
        field(field);
        byte[] copy = Objects.requireNonNull(value, "value").clone();
        return engine.call(() -> {
            HashValue existing = read(key);
            if (existing != null && existing.fields.find(field) != null) {
                return false;
            }
            HashValue hash = writeOrCreate(key);
            hash.fields.insert(new Node<>(field, copy));
            hash.noteWrite(field, copy);
            engine.changed(key);
            engine.event(KeyEventClass.HASH, "hset", key);
            engine.propagate("HSET", key, field, copy);
            return true;
        });
    }

    @Override
    public byte[] hget(String key, String field) {
        KeyRules.check(key);
        field(field);
        return engine.call(() -> {
            HashValue hash = lookup(key);
            Node<byte[]> node = hash == null ? null : hash.fields.find(field);
            return node == null ? null : node.value.clone();
        });
    }

    @Override
    public List<byte[]> hmget(String key, String... fields) {
        KeyRules.check(key);
        checkFields(fields);
        return engine.call(() -> {
            HashValue hash = lookup(key);
            List<byte[]> values = new ArrayList<>(fields.length);
            for (String field : fields) {
                Node<byte[]> node = hash == null ? null : hash.fields.find(field);
                values.add(node == null ? null : node.value.clone());
            }
            return values;
        });
    }

    @Override
    public long hdel(String key, String... fields) {
        KeyRules.check(key);
        checkFields(fields);
        return engine.call(() -> {
            HashValue hash = read(key);
            if (hash == null) {
                return 0L;
            }
            List<String> removed = new ArrayList<>();
            for (String field : fields) {
                if (hash.fields.find(field) != null && !removed.contains(field)) {
                    removed.add(field);
                }
            }
            if (removed.isEmpty()) {
                return 0L;
            }
            hash = engine.writeAs(key, KeyType.HASH, HashValue.class);
            for (String field : removed) {
                hash.fields.remove(field);
            }
            engine.changed(key);
            engine.event(KeyEventClass.HASH, "hdel", key);
            engine.removeIfEmpty(key, hash);
            engine.propagate("HDEL", key, removed);
            return (long) removed.size();
        });
    }

    @Override
    public boolean hexists(String key, String field) {
        KeyRules.check(key);
        field(field);
        return engine.call(() -> {
            HashValue hash = lookup(key);
            return hash != null && hash.fields.find(field) != null;
        });
    }

    @Override
    public long hlen(String key) {
        KeyRules.check(key);
        return engine.call(() -> {
            HashValue hash = lookup(key);
            return hash == null ? 0L : hash.fields.size();
        });
    }

    @Override
    public List<String> hkeys(String key) {
        KeyRules.check(key);
        return engine.call(() -> {
            HashValue hash = lookup(key);
            List<String> fields = new ArrayList<>();
            if (hash != null) {
                hash.fields.forEach(node -> fields.add(node.key));
            }
            return fields;
        });
    }

    @Override
    public List<byte[]> hvals(String key) {
        KeyRules.check(key);
        return engine.call(() -> {
            HashValue hash = lookup(key);
            List<byte[]> values = new ArrayList<>();
            if (hash != null) {
                hash.fields.forEach(node -> values.add(node.value.clone()));
            }
            return values;
        });
    }

    @Override
    public Map<String, byte[]> hgetAll(String key) {
        KeyRules.check(key);
        return engine.call(() -> {
            HashValue hash = lookup(key);
            Map<String, byte[]> all = new HashMap<>();
            if (hash != null) {
                hash.fields.forEach(node -> all.put(node.key, node.value.clone()));
            }
            return all;
        });
    }

    @Override
    public long hincrBy(String key, String field, long increment) {
        KeyRules.check(key);
        field(field);
        return engine.call(() -> {
            HashValue existing = read(key);
            Node<byte[]> node = existing == null ? null : existing.fields.find(field);
            long current = 0;
            if (node != null) {
                Long parsed = Numbers.parseLong(node.value);
                if (parsed == null) {
                    throw new NotAnIntegerException(key, "of field '" + field + "' ('" + Numbers.printable(node.value) + "')");
                }
                current = parsed;
            }
            long result = Numbers.add(current, increment);
            HashValue hash = writeOrCreate(key);
            byte[] bytes = Numbers.format(result);
            hash.fields.put(field, bytes);
            hash.noteWrite(field, bytes);
            engine.changed(key);
            engine.event(KeyEventClass.HASH, "hincrby", key);
            engine.propagate("HINCRBY", key, field, increment);
            return result;
        });
    }

    @Override
    public double hincrByFloat(String key, String field, double increment) {
        KeyRules.check(key);
        field(field);
        if (Double.isNaN(increment)) {
            throw new NotAFloatException("increment is not a valid float: NaN");
        }
        return Double.parseDouble(hincrByFloat(key, field, Double.toString(increment)));
    }

    @Override
    public String hincrByFloat(String key, String field, String increment) {
        KeyRules.check(key);
        field(field);
        Objects.requireNonNull(increment, "increment");
        return engine.call(() -> {
            // Redis's order: the increment, then the key's type (a write lookup), then the value.
            LongDouble.Value addend = LongDouble.parse(increment);
            if (addend == null) {
                throw new NotAFloatException("increment '" + LongDouble.printable(increment) + "' is not a valid float");
            }
            if (addend.isInfinite()) {
                throw new NotAFloatException("increment is infinite: " + LongDouble.printable(increment));
            }
            HashValue existing = read(key);
            Node<byte[]> node = existing == null ? null : existing.fields.find(field);
            LongDouble.Value current = node == null ? LongDouble.ZERO : LongDouble.parse(LongDouble.text(node.value));
            if (current == null) {
                throw new NotAFloatException("value of field '" + field + "' of key '" + key + "' is not a valid float");
            }
            BigDecimal sum = LongDouble.add(current, addend);
            if (sum == null) {
                throw new NotAFloatException("increment would produce NaN or Infinity");
            }
            String result = LongDouble.format(sum);
            byte[] bytes = result.getBytes(StandardCharsets.US_ASCII);
            HashValue hash = writeOrCreate(key);
            hash.fields.put(field, bytes);
            hash.noteWrite(field, bytes);
            engine.changed(key);
            engine.event(KeyEventClass.HASH, "hincrbyfloat", key);
            engine.propagate("HSET", key, field, bytes);
            return result;
        });
    }

    @Override
    public long hstrlen(String key, String field) {
        KeyRules.check(key);
        field(field);
        return engine.call(() -> {
            HashValue hash = lookup(key);
            Node<byte[]> node = hash == null ? null : hash.fields.find(field);
            return node == null ? 0L : node.value.length;
        });
    }

    @Override
    public String hrandField(String key) {
        KeyRules.check(key);
        return engine.call(() -> {
            HashValue hash = lookup(key);
            return hash == null ? null : hash.fields.random(engine.random).key;
        });
    }

    @Override
    public List<String> hrandField(String key, long count) {
        List<Map.Entry<String, byte[]>> picked = hrandFieldWithValues(key, count);
        List<String> fields = new ArrayList<>(picked.size());
        for (Map.Entry<String, byte[]> entry : picked) {
            fields.add(entry.getKey());
        }
        return fields;
    }

    // Redis's hrandfieldWithCountCommand: negative count samples with repetition; a count at
    // least the size returns the whole hash; otherwise distinct fields in random order.
    @Override
    public List<Map.Entry<String, byte[]>> hrandFieldWithValues(String key, long count) {
        KeyRules.check(key);
        if (count == Long.MIN_VALUE || Math.abs(count) > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("count is out of range: " + count);
        }
        return engine.call(() -> {
            HashValue hash = lookup(key);
            List<Map.Entry<String, byte[]>> picked = new ArrayList<>();
            if (hash == null || count == 0) {
                return picked;
            }
            if (count < 0) {
                for (long i = 0; i < -count; i++) {
                    Node<byte[]> node = hash.fields.random(engine.random);
                    picked.add(Map.entry(node.key, node.value.clone()));
                }
                return picked;
            }
            hash.fields.forEach(node -> picked.add(Map.entry(node.key, node.value.clone())));
            if (count < picked.size()) {
                Collections.shuffle(picked, new java.util.Random(engine.random.nextLong()));
                return new ArrayList<>(picked.subList(0, (int) count));
            }
            return picked;
        });
    }

    @Override
    public ScanPage<Map.Entry<String, byte[]>> hscan(String key, long cursor, ScanArgs args) {
        KeyRules.check(key);
        Objects.requireNonNull(args, "args");
        if (args.type() != null) {
            throw new IllegalArgumentException("HSCAN takes no TYPE option");
        }
        byte[] pattern = "*".equals(args.match()) ? null : Glob.utf8(args.match());
        return engine.call(() -> {
            HashValue hash = lookup(key);
            List<Map.Entry<String, byte[]>> found = new ArrayList<>();
            if (hash == null) {
                return new ScanPage<>(0, found);
            }
            long next = hash.fields.scan(cursor, args.count(), node -> {
                if (Members.matches(pattern, node.key)) {
                    found.add(Map.entry(node.key, node.value.clone()));
                }
            });
            return new ScanPage<>(next, found);
        });
    }
}
