package dev.cascade.kernels.cpu;

import static dev.cascade.kernels.cpu.Lanes.F;
import static dev.cascade.kernels.cpu.Lanes.FLOATS;

import jdk.incubator.vector.FloatVector;

/**
 * Dot products of float32 weight rows with float32 activation rows, over heap arrays: the weight
 * rows are copied (F32) or decoded (F16, BF16) into a per-worker tile first. C2 compiles array
 * loads about twice as fast as MemorySegment loads (bounds and liveness checks it does not hoist;
 * measured 22 against 47 GFLOP/s per core for the 4x2 tile), and a bulk copy streams the matrix
 * from memory faster than vector loads from the mapped file (F32 decode of a 134M model, 2
 * threads: about 10% faster).
 *
 * <p>Every variant computes each output with the same canonical arithmetic, which is what makes
 * the matrix product batch-invariant: one accumulator of L = {@link Lanes#FLOATS} lanes per
 * (activation row, weight row), {@code acc = fma(w[i..i+L], x[i..i+L], acc)} for i = 0, L, 2L, ...
 * in order, then {@link Lanes#sum(float[], int)}, then the leftover {@code in % L} terms added by
 * scalar FMA in order. A 4x2 tile, a 4x1 tile, a single dot and {@link ConvertingDotTiles} therefore give
 * bit-identical results. (Quantized weights have their own arithmetic: {@link QuantizedDotTiles}.)
 *
 * <p>Offsets are array indices; weight rows are {@code in} floats apart.
 */
final class ArrayDotTiles {

    private ArrayDotTiles() {
    }

    /** y[ya..ya+4) and y[yb..yb+4) for weight rows w0..w0+3 against activation rows xa and xb. */
    static void tile4x2(float[] w, int w0, float[] x, int xa, int xb, int in, float[] y, int ya, int yb, float[] lanes) {
        int w1 = w0 + in, w2 = w1 + in, w3 = w2 + in;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        FloatVector b0 = a0, b1 = a0, b2 = a0, b3 = a0;
        int vecEnd = in - in % FLOATS;
        for (int i = 0; i < vecEnd; i += FLOATS) {
            FloatVector va = FloatVector.fromArray(F, x, xa + i);
            FloatVector vb = FloatVector.fromArray(F, x, xb + i);
            FloatVector r0 = FloatVector.fromArray(F, w, w0 + i);
            a0 = r0.fma(va, a0);
            b0 = r0.fma(vb, b0);
            FloatVector r1 = FloatVector.fromArray(F, w, w1 + i);
            a1 = r1.fma(va, a1);
            b1 = r1.fma(vb, b1);
            FloatVector r2 = FloatVector.fromArray(F, w, w2 + i);
            a2 = r2.fma(va, a2);
            b2 = r2.fma(vb, b2);
            FloatVector r3 = FloatVector.fromArray(F, w, w3 + i);
            a3 = r3.fma(va, a3);
            b3 = r3.fma(vb, b3);
        }
        a0.intoArray(lanes, 0);
        a1.intoArray(lanes, 1 * FLOATS);
        a2.intoArray(lanes, 2 * FLOATS);
        a3.intoArray(lanes, 3 * FLOATS);
        b0.intoArray(lanes, 4 * FLOATS);
        b1.intoArray(lanes, 5 * FLOATS);
        b2.intoArray(lanes, 6 * FLOATS);
        b3.intoArray(lanes, 7 * FLOATS);
        y[ya] = tail(Lanes.sum(lanes, 0), w, w0, x, xa, vecEnd, in);
        y[ya + 1] = tail(Lanes.sum(lanes, 1 * FLOATS), w, w1, x, xa, vecEnd, in);
        y[ya + 2] = tail(Lanes.sum(lanes, 2 * FLOATS), w, w2, x, xa, vecEnd, in);
        y[ya + 3] = tail(Lanes.sum(lanes, 3 * FLOATS), w, w3, x, xa, vecEnd, in);
        y[yb] = tail(Lanes.sum(lanes, 4 * FLOATS), w, w0, x, xb, vecEnd, in);
        y[yb + 1] = tail(Lanes.sum(lanes, 5 * FLOATS), w, w1, x, xb, vecEnd, in);
        y[yb + 2] = tail(Lanes.sum(lanes, 6 * FLOATS), w, w2, x, xb, vecEnd, in);
        y[yb + 3] = tail(Lanes.sum(lanes, 7 * FLOATS), w, w3, x, xb, vecEnd, in);
    }

    /** y[0..4) for weight rows w0..w0+3 against activation row xa. */
    static void tile4x1(float[] w, int w0, float[] x, int xa, int in, float[] y, float[] lanes) {
        int w1 = w0 + in, w2 = w1 + in, w3 = w2 + in;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int vecEnd = in - in % FLOATS;
        for (int i = 0; i < vecEnd; i += FLOATS) {
            FloatVector va = FloatVector.fromArray(F, x, xa + i);
            a0 = FloatVector.fromArray(F, w, w0 + i).fma(va, a0);
            a1 = FloatVector.fromArray(F, w, w1 + i).fma(va, a1);
            a2 = FloatVector.fromArray(F, w, w2 + i).fma(va, a2);
            a3 = FloatVector.fromArray(F, w, w3 + i).fma(va, a3);
        }
        a0.intoArray(lanes, 0);
        a1.intoArray(lanes, 1 * FLOATS);
        a2.intoArray(lanes, 2 * FLOATS);
        a3.intoArray(lanes, 3 * FLOATS);
        y[0] = tail(Lanes.sum(lanes, 0), w, w0, x, xa, vecEnd, in);
        y[1] = tail(Lanes.sum(lanes, 1 * FLOATS), w, w1, x, xa, vecEnd, in);
        y[2] = tail(Lanes.sum(lanes, 2 * FLOATS), w, w2, x, xa, vecEnd, in);
        y[3] = tail(Lanes.sum(lanes, 3 * FLOATS), w, w3, x, xa, vecEnd, in);
    }

    /** One output: weight row w0 against activation row xa. */
    static float dot(float[] w, int w0, float[] x, int xa, int in, float[] lanes) {
        FloatVector a0 = FloatVector.zero(F);
        int vecEnd = in - in % FLOATS;
        for (int i = 0; i < vecEnd; i += FLOATS) {
            a0 = FloatVector.fromArray(F, w, w0 + i).fma(FloatVector.fromArray(F, x, xa + i), a0);
        }
        a0.intoArray(lanes, 0);
        return tail(Lanes.sum(lanes, 0), w, w0, x, xa, vecEnd, in);
    }

    /**
     * Adds the terms past the last whole vector, in order, to the lane sum {@code s}. Reductions go
     * through {@code lanes} (a per-worker float[8 * 16]): a vector handed to a method C2 does not inline
     * (and it inlines little outside hot loops) is boxed on the heap, a float is not.
     */
    private static float tail(float s, float[] w, int w0, float[] x, int xa, int from, int in) {
        for (int i = from; i < in; i++) {
            s = Math.fma(w[w0 + i], x[xa + i], s);
        }
        return s;
    }
}
