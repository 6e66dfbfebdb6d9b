package dev.cairn.dictionary.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ListValueTest {

    private static List<Integer> contents(ListValue list) {
        List<Integer> items = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            items.add((int) list.get(i)[0]);
        }
        return items;
    }

    @Test
    void behavesAsAnArrayListUnderRandomOperations() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        ListValue list = new ListValue();
        List<Integer> model = new ArrayList<>();
        for (int step = 0; step < 20_000; step++) {
            byte[] element = {(byte) random.nextInt(100)};
            int op = random.nextInt(9);
            if (model.isEmpty() || op < 2) {
                list.addFirst(element);
                model.add(0, (int) element[0]);
            } else if (op < 4) {
                list.addLast(element);
                model.add((int) element[0]);
            } else if (op == 4) {
                assertThat((int) list.removeFirst()[0]).isEqualTo(model.remove(0));
            } else if (op == 5) {
                assertThat((int) list.removeLast()[0]).isEqualTo(model.remove(model.size() - 1));
            } else if (op == 6) {
                int index = random.nextInt(model.size() + 1);
                list.insert(index, element);
                model.add(index, (int) element[0]);
            } else if (op == 7) {
                int index = random.nextInt(model.size());
                list.remove(index);
                model.remove(index);
            } else if (random.nextInt(20) == 0) {
                int from = random.nextInt(model.size());
                int to = from + random.nextInt(model.size() - from);
                list.keep(from, to);
                model = new ArrayList<>(model.subList(from, to + 1));
            }
            assertThat(list.size()).as("seed %d step %d", seed, step).isEqualTo(model.size());
        }
        assertThat(contents(list)).isEqualTo(model);
    }

    @Test
    void copyIsIndependent() {
        ListValue list = new ListValue();
        list.addLast(new byte[] {1});
        ListValue copy = list.copy();
        list.addLast(new byte[] {2});
        list.set(0, new byte[] {9});
        assertThat(contents(copy)).containsExactly(1);
        assertThat(contents(list)).containsExactly(9, 2);
    }
}
