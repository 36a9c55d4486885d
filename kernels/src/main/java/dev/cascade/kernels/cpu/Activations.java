package dev.cascade.kernels.cpu;

import static dev.cascade.kernels.cpu.Lanes.F;
import static dev.cascade.kernels.cpu.Lanes.FLOAT;
import static dev.cascade.kernels.cpu.Lanes.FLOATS;
import static dev.cascade.kernels.cpu.Lanes.LE;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Element-wise and row-wise activation kernels over float32 segments, on the calling thread
 * (they touch a few KB per row; a hand-off to the pool would cost more than the work).
 * Each element's result depends only on its inputs (the vector and tail paths compute the same
 * bits, see {@link VectorMath}), so results are batch-invariant.
 */
public final class Activations {

    private Activations() {
    }

    /** out[i] = silu(gate[i]) · up[i] = gate[i] / (1 + e^-gate[i]) · up[i], for {@code n} values. */
    public static void siluMul(MemorySegment gate, MemorySegment up, MemorySegment out, long n) {
        long i = 0;
        for (; i <= n - FLOATS; i += FLOATS) {
            FloatVector g = FloatVector.fromMemorySegment(F, gate, 4 * i, LE);
            FloatVector u = FloatVector.fromMemorySegment(F, up, 4 * i, LE);
            FloatVector e = VectorMath.exp(g.neg());
            g.div(e.add(1f)).mul(u).intoMemorySegment(out, 4 * i, LE);
        }
        for (; i < n; i++) {
            float g = gate.get(FLOAT, 4 * i);
            out.set(FLOAT, 4 * i, g / (VectorMath.exp(-g) + 1f) * up.get(FLOAT, 4 * i));
        }
    }

    /**
     * Softmax of each of {@code rows} rows of {@code n} values, in place: e^(x - max) / sum, with the
     * row maximum subtracted first so large scores cannot overflow.
     */
    public static void softmax(MemorySegment x, int rows, int n) {
        for (int r = 0; r < rows; r++) {
            softmaxRow(x, 4L * r * n, n);
        }
    }

    static void softmaxRow(MemorySegment x, long offset, int n) {
        int vecEnd = n - n % FLOATS;
        float max = Float.NEGATIVE_INFINITY;
        if (vecEnd > 0) {
            FloatVector m = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
            for (int i = 0; i < vecEnd; i += FLOATS) {
                m = m.max(FloatVector.fromMemorySegment(F, x, offset + 4L * i, LE));
            }
            max = m.reduceLanes(VectorOperators.MAX); // max is exact in any order
        }
        for (int i = vecEnd; i < n; i++) {
            max = Math.max(max, x.get(FLOAT, offset + 4L * i));
        }
        for (int i = 0; i < vecEnd; i += FLOATS) {
            VectorMath.exp(FloatVector.fromMemorySegment(F, x, offset + 4L * i, LE).sub(max))
                    .intoMemorySegment(x, offset + 4L * i, LE);
        }
        for (int i = vecEnd; i < n; i++) {
            x.set(FLOAT, offset + 4L * i, VectorMath.exp(x.get(FLOAT, offset + 4L * i) - max));
        }
        // A scalar sum in index order: deterministic in every JIT tier without a scratch array.
        float sum = 0;
        for (int i = 0; i < n; i++) {
            sum += x.get(FLOAT, offset + 4L * i);
        }
        float inv = 1f / sum;
        for (int i = 0; i < vecEnd; i += FLOATS) {
            FloatVector.fromMemorySegment(F, x, offset + 4L * i, LE).mul(inv).intoMemorySegment(x, offset + 4L * i, LE);
        }
        for (int i = vecEnd; i < n; i++) {
            x.set(FLOAT, offset + 4L * i, x.get(FLOAT, offset + 4L * i) * inv);
        }
    }
}
