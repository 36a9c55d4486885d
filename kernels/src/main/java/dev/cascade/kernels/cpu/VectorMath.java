package dev.cascade.kernels.cpu;

import static dev.cascade.kernels.cpu.Lanes.F;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * exp for float lanes, with a scalar twin that performs the very same IEEE operations, so a value
 * gets the same bits whether it lands in a vector or in a loop tail, and in every JIT tier (the
 * Vector API's own EXP calls an intrinsic stub when compiled and {@code Math.exp} when not).
 * Cephes' expf: round x/ln2 to n, reduce with a two-part ln2, a degree-6 polynomial, scale by 2^n.
 * Error within 2 ulp of the true value; inputs below -87.3 give 0, above 88.3 give infinity
 * (e^88.3 is near the float maximum), NaN gives NaN.
 */
final class VectorMath {
    private static final float LOG2E = 1.44269504088896341f;
    private static final float ROUNDER = 12582912f; // 1.5·2^23: adding it rounds to an integer
    private static final int ROUNDER_BITS = Float.floatToRawIntBits(ROUNDER);
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    private static final float MIN_X = -87.3f;
    private static final float MAX_X = 88.3f;
    private static final float P0 = 1.9875691500e-4f, P1 = 1.3981999507e-3f, P2 = 8.3334519073e-3f,
            P3 = 4.1665795894e-2f, P4 = 1.6666665459e-1f, P5 = 5.0000001201e-1f;

    private VectorMath() {
    }

    /**
     * s[t] = e^(s[t] - shift) for t in [0, vecEnd), vecEnd a multiple of the lane count, returning
     * the sum of the new values: one 8-lane accumulator over t in order, then
     * {@link Lanes#sum(float[], int)} through {@code tmp}. The body of {@link #exp(FloatVector)} is
     * written out here rather than called: this loop runs inside the attention task, and once that
     * big compile passes C2's node-count cutoff no helper is inlined into it, CompileCommand or
     * not (only the Vector API's own methods are), so a called exp took and returned boxed vectors
     * (AllocationTest caught it now and then). Same operations, same bits as exp.
     */
    static float expShiftedSum(float[] s, int vecEnd, float shift, float[] tmp) {
        FloatVector acc = FloatVector.zero(F);
        for (int t = 0; t < vecEnd; t += Lanes.FLOATS) {
            FloatVector x = FloatVector.fromArray(F, s, t).sub(shift);
            FloatVector c = x.max(MIN_X).min(MAX_X);
            FloatVector r2 = c.fma(FloatVector.broadcast(F, LOG2E), FloatVector.broadcast(F, ROUNDER));
            FloatVector n = r2.sub(ROUNDER);
            FloatVector r = n.fma(FloatVector.broadcast(F, -LN2_HI), c);
            r = n.fma(FloatVector.broadcast(F, -LN2_LO), r);
            FloatVector p = r.fma(FloatVector.broadcast(F, P0), FloatVector.broadcast(F, P1));
            p = p.fma(r, FloatVector.broadcast(F, P2));
            p = p.fma(r, FloatVector.broadcast(F, P3));
            p = p.fma(r, FloatVector.broadcast(F, P4));
            p = p.fma(r, FloatVector.broadcast(F, P5));
            p = p.fma(r.mul(r), r).add(1f);
            FloatVector pow2 = r2.reinterpretAsInts().sub(ROUNDER_BITS - 127).lanewise(VectorOperators.LSHL, 23)
                    .reinterpretAsFloats();
            FloatVector e = p.mul(pow2)
                    .blend(0f, x.compare(VectorOperators.LT, MIN_X))
                    .blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, MAX_X));
            e.intoArray(s, t);
            acc = acc.add(e);
        }
        acc.intoArray(tmp, 0);
        return Lanes.sum(tmp, 0);
    }

    static FloatVector exp(FloatVector x) {
        FloatVector c = x.max(MIN_X).min(MAX_X);
        FloatVector t = c.fma(FloatVector.broadcast(F, LOG2E), FloatVector.broadcast(F, ROUNDER));
        FloatVector n = t.sub(ROUNDER);
        FloatVector r = n.fma(FloatVector.broadcast(F, -LN2_HI), c);
        r = n.fma(FloatVector.broadcast(F, -LN2_LO), r);
        FloatVector p = r.fma(FloatVector.broadcast(F, P0), FloatVector.broadcast(F, P1));
        p = p.fma(r, FloatVector.broadcast(F, P2));
        p = p.fma(r, FloatVector.broadcast(F, P3));
        p = p.fma(r, FloatVector.broadcast(F, P4));
        p = p.fma(r, FloatVector.broadcast(F, P5));
        p = p.fma(r.mul(r), r).add(1f);
        FloatVector pow2 = t.reinterpretAsInts().sub(ROUNDER_BITS - 127).lanewise(VectorOperators.LSHL, 23)
                .reinterpretAsFloats();
        return p.mul(pow2)
                .blend(0f, x.compare(VectorOperators.LT, MIN_X))
                .blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, MAX_X));
    }

    static float exp(float x) {
        float c = Math.min(Math.max(x, MIN_X), MAX_X);
        float t = Math.fma(c, LOG2E, ROUNDER);
        float n = t - ROUNDER;
        float r = Math.fma(n, -LN2_HI, c);
        r = Math.fma(n, -LN2_LO, r);
        float p = Math.fma(r, P0, P1);
        p = Math.fma(p, r, P2);
        p = Math.fma(p, r, P3);
        p = Math.fma(p, r, P4);
        p = Math.fma(p, r, P5);
        p = Math.fma(p, r * r, r) + 1f;
        float pow2 = Float.intBitsToFloat((Float.floatToRawIntBits(t) - (ROUNDER_BITS - 127)) << 23);
        return x < MIN_X ? 0f : x > MAX_X ? Float.POSITIVE_INFINITY : p * pow2;
    }
}
