package dev.cairn.dictionary.internal;

import dev.cairn.dictionary.Aggregate;
import dev.cairn.dictionary.KeyEventClass;
import dev.cairn.dictionary.KeyType;
import dev.cairn.dictionary.ScoredMember;
import dev.cairn.dictionary.WrongTypeException;
import dev.cairn.dictionary.ZRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The sorted-set commands that combine keys or store into one: ZUNIONSTORE, ZINTERSTORE,
 * ZDIFFSTORE and their reading forms, and the shared "replace the destination" step that
 * ZRANGESTORE uses too. Inputs may be sorted sets or sets; the arithmetic is in
 * {@link SortedSetAlgebra}.
 *
 * <p>A stored result replaces the destination whatever its type and clears its deadline; an
 * empty result deletes it. Either way it is propagated as DEL of the destination, then the
 * ZADD of the result.
 *
 * <p>Thread-safe: all state is in the engine, guarded by its lock.
 */
final class SortedSetStores {
    private final Engine engine;

    SortedSetStores(Engine engine) {
        this.engine = engine;
    }

    /**
     * Replaces {@code destination} with {@code result} (deleting it when empty) and emits
     * {@code event} (Redis's name for the storing command); returns the size.
     */
    long store(String destination, SortedSetValue result, String event) {
        if (result.isEmpty()) {
            if (engine.delete(destination)) {
                engine.event(KeyEventClass.GENERIC, "del", destination);
                engine.propagate("DEL", destination);
            }
            return 0L;
        }
        engine.put(destination, result, false);
        engine.event(KeyEventClass.SORTED_SET, event, destination);
        if (engine.logging()) {
            List<Object> written = new ArrayList<>(2 * result.size());
            result.forEach((member, score) -> {
                written.add(SortedSetCommandsImpl.scoreText(score));
                written.add(member);
            });
            engine.propagate("DEL", destination);
            engine.propagate("ZADD", destination, written);
        }
        return result.size();
    }

    /**
     * ZINTERCARD: the size of the intersection of {@code keys}, at most {@code limit} (0: no
     * limit). As Redis, the keys' types are checked before the limit.
     */
    long intersectionCardinality(String[] keys, long limit) {
        List<String> checked = checkKeys(keys == null ? null : java.util.Arrays.asList(keys));
        return engine.call(() -> {
            List<CollectionValue> values = readInputs(checked);
            if (limit < 0) {
                throw new IllegalArgumentException("LIMIT can't be negative: " + limit);
            }
            long size = SortedSetAlgebra.intersection(values, null, Aggregate.SUM).size();
            return limit == 0 ? size : Math.min(size, limit);
        });
    }

    /**
     * Every key's value (null when missing), which must be a sorted set or a set, read in order;
     * each key is a keyspace hit or miss, for the STORE forms too (as Redis 7.0 counts them).
     */
    private List<CollectionValue> readInputs(List<String> keys) {
        List<CollectionValue> values = new ArrayList<>(keys.size());
        for (String key : keys) {
            Node<Object> node = engine.lookupRead(key);
            if (node == null) {
                values.add(null);
            } else if (node.value instanceof SortedSetValue || node.value instanceof SetValue) {
                values.add((CollectionValue) node.value);
            } else {
                throw new WrongTypeException(key, KeyType.ZSET, Engine.typeOf(node.value));
            }
        }
        return values;
    }

    private static List<String> checkKeys(List<String> keys) {
        if (keys == null || keys.isEmpty()) {
            throw new IllegalArgumentException("at least 1 input key is needed");
        }
        for (String key : keys) {
            KeyRules.check(key);
        }
        return List.copyOf(keys);
    }

    private static double[] checkWeights(double[] weights, int keys) {
        if (weights == null) {
            return null;
        }
        if (weights.length != keys) {
            throw new IllegalArgumentException(weights.length + " weights given for " + keys + " keys");
        }
        for (double weight : weights) {
            if (Double.isNaN(weight)) {
                throw new IllegalArgumentException("weight value is not a float: NaN");
            }
        }
        return weights.clone();
    }

    private SortedSetValue combine(List<String> keys, double[] weights, Aggregate aggregate, boolean union) {
        return union ? SortedSetAlgebra.union(readInputs(keys), weights, aggregate)
                : SortedSetAlgebra.intersection(readInputs(keys), weights, aggregate);
    }

    long combineStore(String destination, List<String> keys, double[] weights, Aggregate aggregate,
            boolean union) {
        KeyRules.check(destination);
        List<String> inputs = checkKeys(keys);
        double[] checkedWeights = checkWeights(weights, inputs.size());
        Objects.requireNonNull(aggregate, "aggregate");
        return engine.call(() -> store(destination, combine(inputs, checkedWeights, aggregate, union),
                union ? "zunionstore" : "zinterstore"));
    }

    List<ScoredMember> combineRead(List<String> keys, double[] weights, Aggregate aggregate, boolean union) {
        List<String> inputs = checkKeys(keys);
        double[] checkedWeights = checkWeights(weights, inputs.size());
        Objects.requireNonNull(aggregate, "aggregate");
        return engine.call(() -> SortedSetCommandsImpl.select(combine(inputs, checkedWeights, aggregate, union), ZRange.byRank(0, -1), true));
    }

    long zdiffstore(String destination, String... keys) {
        KeyRules.check(destination);
        List<String> inputs = checkKeys(keys == null ? null : List.of(keys));
        return engine.call(() -> store(destination, SortedSetAlgebra.difference(readInputs(inputs)), "zdiffstore"));
    }

    List<ScoredMember> zdiff(String... keys) {
        List<String> inputs = checkKeys(keys == null ? null : List.of(keys));
        return engine.call(() -> SortedSetCommandsImpl.select(SortedSetAlgebra.difference(readInputs(inputs)),
                ZRange.byRank(0, -1), true));
    }
}
