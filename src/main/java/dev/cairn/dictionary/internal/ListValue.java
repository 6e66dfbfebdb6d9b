package dev.cairn.dictionary.internal;

import dev.cairn.dictionary.KeyType;
import java.util.Arrays;

/**
 * A list value: a growable circular array of elements, so pushes and pops at both ends are
 * O(1) amortized and access by index is O(1); an insert or removal in the middle shifts the
 * elements after it, O(n). Elements are never mutated in place.
 *
 * <p>Invariant: {@code 0 <= size <= elements.length}; element {@code i} lives at
 * {@code elements[(head + i) & (elements.length - 1)]}; the capacity is a power of two.
 *
 * <p>Not thread-safe; guarded by the dictionary's command lock.
 */
final class ListValue extends CollectionValue {
    private byte[][] elements;
    private int head;
    private int size;

    ListValue() {
        elements = new byte[8][];
    }

    private ListValue(ListValue other) {
        elements = other.elements.clone();
        head = other.head;
        size = other.size;
    }

    @Override
    public KeyType type() {
        return KeyType.LIST;
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    @Override
    public ListValue copy() {
        return new ListValue(this);
    }

    int size() {
        return size;
    }

    private int slot(int index) {
        return (head + index) & (elements.length - 1);
    }

    byte[] get(int index) {
        return elements[slot(index)];
    }

    void set(int index, byte[] element) {
        elements[slot(index)] = element;
    }

    private void growIfFull() {
        if (size == elements.length) {
            byte[][] grown = new byte[elements.length * 2][];
            for (int i = 0; i < size; i++) {
                grown[i] = get(i);
            }
            elements = grown;
            head = 0;
        }
    }

    private void shrinkIfSparse() {
        if (elements.length > 16 && size < elements.length / 4) {
            byte[][] shrunk = new byte[elements.length / 2][];
            for (int i = 0; i < size; i++) {
                shrunk[i] = get(i);
            }
            elements = shrunk;
            head = 0;
        }
    }

    void addFirst(byte[] element) {
        growIfFull();
        head = (head - 1) & (elements.length - 1);
        elements[head] = element;
        size++;
    }

    void addLast(byte[] element) {
        growIfFull();
        elements[slot(size)] = element;
        size++;
    }

    byte[] removeFirst() {
        byte[] element = elements[head];
        elements[head] = null;
        head = (head + 1) & (elements.length - 1);
        size--;
        shrinkIfSparse();
        return element;
    }

    byte[] removeLast() {
        int last = slot(size - 1);
        byte[] element = elements[last];
        elements[last] = null;
        size--;
        shrinkIfSparse();
        return element;
    }

    /** Inserts so that the element ends at {@code index} (0..size). */
    void insert(int index, byte[] element) {
        growIfFull();
        for (int i = size; i > index; i--) {
            elements[slot(i)] = elements[slot(i - 1)];
        }
        elements[slot(index)] = element;
        size++;
    }

    /** Removes the element at {@code index}. */
    void remove(int index) {
        for (int i = index; i < size - 1; i++) {
            elements[slot(i)] = elements[slot(i + 1)];
        }
        elements[slot(size - 1)] = null;
        size--;
        shrinkIfSparse();
    }

    /** Keeps only indexes {@code from..to} inclusive (0 <= from <= to < size). */
    void keep(int from, int to) {
        int kept = to - from + 1;
        int capacity = 8;
        while (capacity < kept) {
            capacity <<= 1;
        }
        byte[][] rest = new byte[capacity][];
        for (int i = 0; i < kept; i++) {
            rest[i] = get(from + i);
        }
        elements = rest;
        head = 0;
        size = kept;
    }

    /** Removes everything. */
    void clear() {
        Arrays.fill(elements, null);
        head = 0;
        size = 0;
    }
}
