package dev.cairn.dictionary.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * SINTER, SINTERCARD, SUNION and SDIFF over set values. A missing key is passed as null and
 * counts as an empty set, as in Redis.
 *
 * <p>Intersection walks the smallest input and probes the others, smallest first, so it costs
 * O(smallest x inputs) whatever the other sizes (Redis's {@code sinterGenericCommand}).
 * Difference picks, as Redis's {@code sdiffGenericCommand} does, between walking the first set
 * and probing every other (cost about first x inputs) and copying the first set and removing
 * every other's members (cost about the sum of sizes), whichever is estimated cheaper.
 *
 * <p>Stateless; thread-safe given inputs nobody modifies meanwhile.
 */
final class SetAlgebra {
    private SetAlgebra() {
    }

    /** SINTER: the members in every input. */
    static SetValue intersection(List<SetValue> sets) {
        List<SetValue> bySize = bySizeOrNullIfAnyEmpty(sets);
        SetValue result = new SetValue();
        if (bySize == null) {
            return result;
        }
        bySize.get(0).forEach(member -> {
            if (inAllOthers(bySize, member)) {
                result.add(member);
            }
        });
        return result;
    }

    /**
     * SINTERCARD: the size of the intersection, counting no further than {@code limit}.
     *
     * @param limit 0 for no limit
     */
    static long intersectionCardinality(List<SetValue> sets, long limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit " + limit + " is negative");
        }
        List<SetValue> bySize = bySizeOrNullIfAnyEmpty(sets);
        if (bySize == null) {
            return 0;
        }
        SetValue smallest = bySize.get(0);
        long count = 0;
        for (int i = 0; i < smallest.size(); i++) {
            if (inAllOthers(bySize, smallest.memberAt(i))) {
                count++;
                if (count == limit) {
                    break;
                }
            }
        }
        return count;
    }

    private static boolean inAllOthers(List<SetValue> bySize, byte[] member) {
        for (int j = 1; j < bySize.size(); j++) {
            if (!bySize.get(j).contains(member)) {
                return false;
            }
        }
        return true;
    }

    /** The inputs smallest first, or null when one is missing or empty (so is the answer). */
    private static List<SetValue> bySizeOrNullIfAnyEmpty(List<SetValue> sets) {
        if (sets.isEmpty()) {
            throw new IllegalArgumentException("at least one set is needed");
        }
        List<SetValue> bySize = new ArrayList<>(sets.size());
        for (SetValue set : sets) {
            if (set == null || set.isEmpty()) {
                return null;
            }
            bySize.add(set);
        }
        bySize.sort(Comparator.comparingInt(SetValue::size));
        return bySize;
    }

    /** SUNION: the members in any input. */
    static SetValue union(List<SetValue> sets) {
        if (sets.isEmpty()) {
            throw new IllegalArgumentException("at least one set is needed");
        }
        int largest = 0;
        for (SetValue set : sets) {
            largest = set == null ? largest : Math.max(largest, set.size());
        }
        SetValue result = new SetValue(largest);
        for (SetValue set : sets) {
            if (set != null) {
                set.forEach(result::add);
            }
        }
        return result;
    }

    /** SDIFF: the members of the first input in no other. */
    static SetValue difference(List<SetValue> sets) {
        if (sets.isEmpty()) {
            throw new IllegalArgumentException("at least one set is needed");
        }
        SetValue first = sets.get(0);
        if (first == null || first.isEmpty()) {
            return new SetValue();
        }
        List<SetValue> others = new ArrayList<>(sets.size() - 1);
        long removalCost = 0;
        for (SetValue set : sets.subList(1, sets.size())) {
            if (set != null && !set.isEmpty()) {
                if (set == first) {
                    return new SetValue();
                }
                others.add(set);
                removalCost += set.size();
            }
        }
        long probeCost = (long) first.size() * others.size();
        // Redis halves the probing estimate: probing stops at the first set that has the member.
        if (probeCost / 2 <= removalCost) {
            others.sort(Comparator.comparingInt(SetValue::size).reversed());
            SetValue result = new SetValue();
            first.forEach(member -> {
                for (SetValue other : others) {
                    if (other.contains(member)) {
                        return;
                    }
                }
                result.add(member);
            });
            return result;
        }
        SetValue result = first.copy();
        for (SetValue other : others) {
            other.forEach(result::remove);
            if (result.isEmpty()) {
                break;
            }
        }
        return result;
    }
}
