package dev.cascade.kernels.cpu;

import static dev.cascade.kernels.cpu.Lanes.F;
import static dev.cascade.kernels.cpu.Lanes.FLOAT;
import static dev.cascade.kernels.cpu.Lanes.FLOATS;
import static dev.cascade.kernels.cpu.Lanes.LE;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;

/**
 * Dot products of float32 weight rows, read in place from a segment, with one float32 activation
 * row: four weight rows per pass (single-row products, which stream the matrix from memory;
 * batches use {@link ArrayDotTiles} on heap copies).
 *
 * <p>Every variant computes each output with the same canonical arithmetic, which is what makes
 * the matrix product batch-invariant: one 8-lane accumulator per (activation row, weight row),
 * {@code acc = fma(w[i..i+8], x[i..i+8], acc)} for i = 0, 8, 16, ... in order, then
 * {@link Lanes#sum(float[], int)}, then the leftover {@code in % 8} terms added by scalar FMA in order.
 * A 4-row tile, a single dot and ArrayDotTiles' tiles therefore give bit-identical results.
 *
 * <p>Offsets are in bytes; {@code w} rows are {@code wStride} bytes apart.
 */
final class FloatDotTiles {

    private FloatDotTiles() {
    }

    /** Outputs for weight rows r..r+3 against activation row a. */
    static void tile4x1(MemorySegment w, long w0, long wStride, MemorySegment x, long xa, int in,
                        MemorySegment y, long ya, float[] lanes) {
        long w1 = w0 + wStride, w2 = w1 + wStride, w3 = w2 + wStride;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int vecEnd = in - in % FLOATS;
        for (long i = 0; i < 4L * vecEnd; i += 4L * FLOATS) {
            FloatVector va = FloatVector.fromMemorySegment(F, x, xa + i, LE);
            a0 = FloatVector.fromMemorySegment(F, w, w0 + i, LE).fma(va, a0);
            a1 = FloatVector.fromMemorySegment(F, w, w1 + i, LE).fma(va, a1);
            a2 = FloatVector.fromMemorySegment(F, w, w2 + i, LE).fma(va, a2);
            a3 = FloatVector.fromMemorySegment(F, w, w3 + i, LE).fma(va, a3);
        }
        a0.intoArray(lanes, 0);
        a1.intoArray(lanes, 8);
        a2.intoArray(lanes, 16);
        a3.intoArray(lanes, 24);
        y.set(FLOAT, ya, scalarTail(Lanes.sum(lanes, 0), w, w0, x, xa, vecEnd, in));
        y.set(FLOAT, ya + 4, scalarTail(Lanes.sum(lanes, 8), w, w1, x, xa, vecEnd, in));
        y.set(FLOAT, ya + 8, scalarTail(Lanes.sum(lanes, 16), w, w2, x, xa, vecEnd, in));
        y.set(FLOAT, ya + 12, scalarTail(Lanes.sum(lanes, 24), w, w3, x, xa, vecEnd, in));
    }

    /** Output for one weight row against one activation row. */
    static float dot(MemorySegment w, long w0, MemorySegment x, long xa, int in, float[] lanes) {
        FloatVector a0 = FloatVector.zero(F);
        int vecEnd = in - in % FLOATS;
        for (long i = 0; i < 4L * vecEnd; i += 4L * FLOATS) {
            a0 = FloatVector.fromMemorySegment(F, w, w0 + i, LE).fma(FloatVector.fromMemorySegment(F, x, xa + i, LE), a0);
        }
        a0.intoArray(lanes, 0);
        return scalarTail(Lanes.sum(lanes, 0), w, w0, x, xa, vecEnd, in);
    }

    /**
     * Adds the terms past the last whole vector, in order, to the lane sum {@code s}. Reductions go
     * through {@code lanes} (a per-worker float[64]): a vector handed to a method C2 does not inline
     * (and it inlines little outside hot loops) is boxed on the heap, a float is not.
     */
    static float scalarTail(float s, MemorySegment w, long w0, MemorySegment x, long xa, int from, int in) {
        for (int i = from; i < in; i++) {
            s = Math.fma(w.get(FLOAT, w0 + 4L * i), x.get(FLOAT, xa + 4L * i), s);
        }
        return s;
    }
}
