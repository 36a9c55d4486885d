package dev.cascade.weights;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * A named weight tensor, its bytes in place (usually a slice of a memory-mapped file).
 * The shape is written outermost first, as in PyTorch: a [rows][cols] matrix is {@code {rows, cols}}
 * and row r holds cols consecutive values.
 */
public record Tensor(String name, DType dtype, long[] shape, MemorySegment data) {

    public Tensor {
        shape = shape.clone();
        long expected = dtype.byteSize(elementCount(shape));
        if (data.byteSize() != expected) {
            throw new IllegalArgumentException("tensor " + name + ": " + dtype + " " + Arrays.toString(shape)
                    + " needs " + expected + " bytes, got " + data.byteSize());
        }
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public long dim(int i) {
        return shape[i];
    }

    public long elementCount() {
        return elementCount(shape);
    }

    public static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    @Override
    public String toString() {
        return name + " " + dtype + " " + Arrays.toString(shape);
    }
}
