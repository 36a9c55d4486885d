package dev.cascade.weights.gguf;

import java.util.Arrays;

/**
 * One entry of a GGUF file's tensor table.
 *
 * @param name       tensor name (GGUF naming, e.g. {@code blk.0.attn_q.weight})
 * @param type       how the elements are stored
 * @param shape      outermost first (the reverse of ggml's ne[], whose ne[0] is the contiguous dimension)
 * @param offset     start of the data, relative to the file's data section
 * @param byteSize   bytes the data takes
 */
public record GgufTensorInfo(String name, GgmlType type, long[] shape, long offset, long byteSize) {

    public GgufTensorInfo {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GgufTensorInfo t && name.equals(t.name) && type == t.type
                && Arrays.equals(shape, t.shape) && offset == t.offset && byteSize == t.byteSize;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + type + " " + Arrays.toString(shape) + " @" + offset;
    }
}
