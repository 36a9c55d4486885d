package dev.cascade.kernels.cpu;

import dev.cascade.weights.DType;
import java.lang.foreign.MemorySegment;

/** Token embedding lookup: gathers rows of a [vocab][dim] table stored in any dtype into float32. */
public final class Embedding {

    private Embedding() {
    }

    /** out[r] = table[tokens[r]] as float32, for r in [0, count); out is [count][dim], contiguous. */
    public static void lookup(MemorySegment table, DType dtype, int dim, int[] tokens, int count, MemorySegment out) {
        long rowBytes = dtype.byteSize(dim);
        long vocab = table.byteSize() / rowBytes;
        for (int r = 0; r < count; r++) {
            int t = tokens[r];
            if (t < 0 || t >= vocab) {
                throw new IndexOutOfBoundsException("token " + t + " outside vocabulary of " + vocab);
            }
            RowDecoder.decode(dtype, table, t * rowBytes, dim, out, 4L * r * dim);
        }
    }
}
