package dev.cairn.dictionary.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SetAlgebraTest {

    private static Set<Integer> numbers(SetValue set) {
        Set<Integer> out = new HashSet<>();
        set.forEach(member -> out.add(ByteBuffer.wrap(member).getInt()));
        return out;
    }

    private static SetValue setOf(Set<Integer> numbers) {
        SetValue set = new SetValue();
        numbers.forEach(n -> set.add(ByteBuffer.allocate(4).putInt(n).array()));
        return set;
    }

    @Test
    void intersectionUnionAndDifferenceMatchJavaSets() {
        // Random inputs of very different sizes (and missing ones), so both difference strategies run.
        Random random = new Random(3);
        for (int round = 0; round < 300; round++) {
            int inputs = 1 + random.nextInt(4);
            List<Set<Integer>> models = new ArrayList<>();
            List<SetValue> sets = new ArrayList<>();
            for (int i = 0; i < inputs; i++) {
                if (random.nextInt(8) == 0) {
                    models.add(new HashSet<>());
                    sets.add(null);
                    continue;
                }
                Set<Integer> model = new HashSet<>();
                int size = random.nextBoolean() ? random.nextInt(5) : random.nextInt(400);
                for (int j = 0; j < size; j++) {
                    model.add(random.nextInt(500));
                }
                models.add(model);
                sets.add(setOf(model));
            }
            Set<Integer> inter = new HashSet<>(models.get(0));
            Set<Integer> union = new HashSet<>();
            Set<Integer> diff = new HashSet<>(models.get(0));
            for (int i = 0; i < inputs; i++) {
                inter.retainAll(models.get(i));
                union.addAll(models.get(i));
                if (i > 0) {
                    diff.removeAll(models.get(i));
                }
            }
            String where = "round " + round;
            assertThat(numbers(SetAlgebra.intersection(sets))).as(where).isEqualTo(inter);
            assertThat(numbers(SetAlgebra.union(sets))).as(where).isEqualTo(union);
            assertThat(numbers(SetAlgebra.difference(sets))).as(where).isEqualTo(diff);
            assertThat(SetAlgebra.intersectionCardinality(sets, 0)).as(where).isEqualTo(inter.size());
            assertThat(SetAlgebra.intersectionCardinality(sets, 3)).as(where).isEqualTo(Math.min(3, inter.size()));
        }
    }

    @Test
    void theSameSetTwiceAndBadArguments() {
        SetValue set = setOf(Set.of(1, 2, 3));
        assertThat(SetAlgebra.difference(List.of(set, set)).isEmpty()).isTrue();
        assertThat(numbers(SetAlgebra.intersection(List.of(set, set)))).containsExactlyInAnyOrder(1, 2, 3);
        assertThatThrownBy(() -> SetAlgebra.union(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SetAlgebra.intersectionCardinality(List.of(set), -1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
