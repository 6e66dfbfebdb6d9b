package dev.cairn.dictionary.internal;

import dev.cairn.dictionary.Aggregate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * ZUNION, ZINTER and ZDIFF (and their STORE forms) over inputs that are sorted sets or plain
 * sets (each member scored 1.0), as Redis's {@code zunionInterDiffGenericCommand} allows. A
 * missing key is passed as null and counts as empty.
 *
 * <p>Scores follow Redis: a weighted score is {@code weight x score}; 0 x inf (NaN) counts as
 * 0 in a union and for the first (smallest) input of an intersection, while in a later input
 * of an intersection it is ignored by MIN and MAX and makes a SUM 0; a SUM of inf and -inf
 * (NaN) counts as 0. Inputs are visited smallest first, as
 * Redis does, so floating-point sums add up in the same order when sizes differ.
 *
 * <p>Stateless; thread-safe given inputs nobody modifies meanwhile.
 */
final class SortedSetAlgebra {
    private SortedSetAlgebra() {
    }

    /** One input with its weight. */
    private record Input(CollectionValue value, double weight) {
        int size() {
            if (value instanceof SortedSetValue zset) {
                return zset.size();
            }
            return value == null ? 0 : ((SetValue) value).size();
        }

        /** The member's score here (NaN when absent), before weighting. */
        double scoreOrNaN(byte[] member) {
            if (value instanceof SortedSetValue zset) {
                return zset.scoreOrNaN(member);
            }
            return value != null && ((SetValue) value).contains(member) ? 1.0 : Double.NaN;
        }

        void forEach(SortedSetValue.EntryVisitor visitor) {
            if (value instanceof SortedSetValue zset) {
                zset.forEach(visitor);
            } else if (value != null) {
                ((SetValue) value).forEach(member -> visitor.accept(member, 1.0));
            }
        }
    }

    private static List<Input> inputs(List<CollectionValue> values, double[] weights) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("at least one input key is needed");
        }
        if (weights != null && weights.length != values.size()) {
            throw new IllegalArgumentException(weights.length + " weights for " + values.size() + " keys");
        }
        List<Input> inputs = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            double weight = weights == null ? 1.0 : weights[i];
            if (Double.isNaN(weight)) {
                throw new IllegalArgumentException("weight " + i + " is NaN");
            }
            inputs.add(new Input(values.get(i), weight));
        }
        // A stable sort: equal sizes keep the order the caller gave.
        inputs.sort(Comparator.comparingInt(Input::size));
        return inputs;
    }

    private static double weighted(double score, double weight) {
        double value = score * weight;
        return Double.isNaN(value) ? 0.0 : value;
    }

    /**
     * Redis's {@code zunionInterAggregate}: a SUM that is NaN counts as 0; MIN and MAX compare
     * with {@code <} and {@code >}, so a NaN value (0 x inf in a later input of an
     * intersection) leaves the target as it was.
     */
    private static double combine(double target, double value, Aggregate aggregate) {
        switch (aggregate) {
            case SUM:
                double sum = target + value;
                return Double.isNaN(sum) ? 0.0 : sum;
            case MIN:
                return value < target ? value : target;
            default:
                return value > target ? value : target;
        }
    }

    /** ZUNION: every member of any input, with its weighted scores combined. */
    static SortedSetValue union(List<CollectionValue> values, double[] weights, Aggregate aggregate) {
        List<Input> inputs = inputs(values, weights);
        MemberTable seen = new MemberTable(false, inputs.get(inputs.size() - 1).size());
        double[][] scores = {new double[seen.capacity()]};
        for (Input input : inputs) {
            input.forEach((member, score) -> {
                double value = weighted(score, input.weight());
                int hash = seen.hash(member);
                int index = seen.indexOf(member, hash);
                if (index >= 0) {
                    scores[0][index] = combine(scores[0][index], value, aggregate);
                } else {
                    // The table only grows here, so entry indexes stay put and index the scores.
                    index = seen.insertAbsent(member, hash, null);
                    if (index >= scores[0].length) {
                        scores[0] = Arrays.copyOf(scores[0], seen.capacity());
                    }
                    scores[0][index] = value;
                }
            });
        }
        SortedSetValue result = new SortedSetValue(seen.size());
        for (int i = 0; i < seen.size(); i++) {
            result.put(seen.memberAt(i), scores[0][i]);
        }
        return result;
    }

    /** ZINTER: the members in every input, with their weighted scores combined. */
    static SortedSetValue intersection(List<CollectionValue> values, double[] weights, Aggregate aggregate) {
        List<Input> inputs = inputs(values, weights);
        SortedSetValue result = new SortedSetValue();
        Input smallest = inputs.get(0);
        if (smallest.size() == 0) {
            return result;
        }
        smallest.forEach((member, score) -> {
            double total = weighted(score, smallest.weight());
            for (int j = 1; j < inputs.size(); j++) {
                double other = inputs.get(j).scoreOrNaN(member);
                if (Double.isNaN(other)) {
                    return;
                }
                // Only the first input's NaN becomes 0 here, as in Redis; later ones go to combine as they are.
                total = combine(total, other * inputs.get(j).weight(), aggregate);
            }
            result.put(member, total);
        });
        return result;
    }

    /** ZDIFF: the entries of the first input whose member is in no other input. */
    static SortedSetValue difference(List<CollectionValue> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("at least one input key is needed");
        }
        Input first = new Input(values.get(0), 1.0);
        List<Input> others = new ArrayList<>();
        for (CollectionValue value : values.subList(1, values.size())) {
            others.add(new Input(value, 1.0));
        }
        SortedSetValue result = new SortedSetValue();
        first.forEach((member, score) -> {
            for (Input other : others) {
                if (!Double.isNaN(other.scoreOrNaN(member))) {
                    return;
                }
            }
            result.put(member, score);
        });
        return result;
    }
}
