package dev.cascade.kernels.cpu;

import static dev.cascade.kernels.cpu.Lanes.F;
import static dev.cascade.kernels.cpu.Lanes.FLOATS;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Sums of exponentials over a vocabulary of logits, for the host's sampler: the float exp of
 * {@link VectorMath} (the same bits in vector lanes, loop tails and every JIT tier) a vector of
 * values at a time, summed in double. A scalar {@code Math.exp} per logit cost about 0.6 ms per sampled
 * token on a 32,000-token vocabulary; this is some twenty times less. Results depend only on the
 * values and their count, in a fixed order, so sampling stays reproducible.
 */
public final class ExpSums {
    private static final VectorSpecies<Double> D = Lanes.D;

    private ExpSums() {
    }

    /** The largest of x[0..n). */
    public static float max(float[] x, int n) {
        int vecEnd = n - n % FLOATS;
        FloatVector m = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        for (int i = 0; i < vecEnd; i += FLOATS) {
            m = m.max(FloatVector.fromArray(F, x, i));
        }
        float max = m.reduceLanes(VectorOperators.MAX); // max is exact in any order
        for (int i = vecEnd; i < n; i++) {
            max = Math.max(max, x[i]);
        }
        return max;
    }

    /** Σ e^((x[i] - shift) · scale) over x[0..n); with {@code out} not null, each term is stored in it too. */
    public static double sum(float[] x, int n, float shift, float scale, float[] out) {
        int vecEnd = n - n % FLOATS;
        DoubleVector low = DoubleVector.zero(D);
        DoubleVector high = DoubleVector.zero(D);
        for (int i = 0; i < vecEnd; i += FLOATS) {
            FloatVector e = VectorMath.exp(FloatVector.fromArray(F, x, i).sub(shift).mul(scale));
            if (out != null) {
                e.intoArray(out, i);
            }
            low = low.add(e.convertShape(VectorOperators.F2D, D, 0));
            high = high.add(e.convertShape(VectorOperators.F2D, D, 1));
        }
        // lanes in a fixed order: every low lane, then every high one
        double sum = 0;
        for (int lane = 0; lane < D.length(); lane++) {
            sum += low.lane(lane);
        }
        for (int lane = 0; lane < D.length(); lane++) {
            sum += high.lane(lane);
        }
        for (int i = vecEnd; i < n; i++) {
            float e = VectorMath.exp((x[i] - shift) * scale);
            if (out != null) {
                out[i] = e;
            }
            sum += e;
        }
        return sum;
    }
}
