package dev.cascade.weights.chat;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * A Python tuple: an immutable list that prints as {@code (a, b)}. Tuples come from tuple literals,
 * {@code items()} pairs and macro varargs; everywhere else they behave like lists.
 */
final class PyTuple extends AbstractList<Object> implements RandomAccess {
    private final Object[] items;

    PyTuple(List<?> items) {
        this.items = new ArrayList<Object>(items).toArray();
    }

    static PyTuple of(Object... items) {
        return new PyTuple(Arrays.asList(items));
    }

    @Override
    public Object get(int index) {
        return items[index];
    }

    @Override
    public int size() {
        return items.length;
    }
}
