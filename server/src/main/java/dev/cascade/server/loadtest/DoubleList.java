package dev.cascade.server.loadtest;

import java.util.Arrays;

/** A growable array of doubles, to keep thousands of inter-token gaps unboxed. */
final class DoubleList {
    private double[] values = new double[64];
    private int size;

    void add(double v) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = v;
    }

    double[] toArray() {
        return Arrays.copyOf(values, size);
    }
}
