package dev.cascade.weights.chat;

import java.util.AbstractList;
import java.util.RandomAccess;

/** What {@code range(...)} returns: a lazy list of ints that prints as Python's {@code range(0, 3)}. */
final class PyRange extends AbstractList<Object> implements RandomAccess {
    private final long start;
    private final long stop;
    private final long step;
    private final int size;

    PyRange(long start, long stop, long step, int size) {
        this.start = start;
        this.stop = stop;
        this.step = step;
        this.size = size;
    }

    /** Python's range slicing gives a range: range(10)[::3] is range(0, 10, 3). */
    PyRange slice(long from, long to, long by, int count) {
        return new PyRange(start + from * step, start + to * step, step * by, count);
    }

    @Override
    public Object get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(index);
        }
        return start + index * step;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public String toString() {
        return "range(" + start + ", " + stop + (step == 1 ? "" : ", " + step) + ")";
    }
}
