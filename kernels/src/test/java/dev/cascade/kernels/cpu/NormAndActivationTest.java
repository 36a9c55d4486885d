package dev.cascade.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.weights.DType;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class NormAndActivationTest {
    /** Single float32 roundings per element; sums of squares over at most a few hundred terms. */
    static final double TOLERANCE = 1e-6;

    @ParameterizedTest
    @EnumSource(DType.class)
    void rmsNormMatchesReference(DType weightType) {
        Random rnd = new Random(3);
        for (int dim : weightType.quantized() ? new int[] {32, 96, 160} : new int[] {1, 7, 33, 97, 161}) {
            for (int rows : new int[] {1, 3, 7}) {
                float[] x = TestData.gaussian(rnd, rows * dim, 2f);
                MemorySegment w = TestData.encode(TestData.gaussian(rnd, dim, 1f), 1, dim, weightType);
                float[] wf = ScalarReference.row(w, weightType, 0, dim);
                MemorySegment out = TestData.floats(rows * dim);
                new RmsNorm().apply(TestData.segment(x), out, rows, dim, w, weightType, 1e-5f);
                float[] ref = ScalarReference.rmsNorm(x, rows, dim, wf, 1e-5f);
                double err = TestData.relativeError(TestData.toArray(out, rows * dim), ref);
                assertTrue(err < TOLERANCE, weightType + " dim " + dim + " rows " + rows + ": " + err);
            }
        }
    }

    @Test
    void fusedResidualAddThenNorm() {
        Random rnd = new Random(4);
        int rows = 3, dim = 97;
        float[] residual = TestData.gaussian(rnd, rows * dim, 1f);
        float[] delta = TestData.gaussian(rnd, rows * dim, 1f);
        float[] w = TestData.gaussian(rnd, dim, 1f);
        MemorySegment res = TestData.segment(residual);
        MemorySegment out = TestData.floats(rows * dim);
        new RmsNorm().addAndApply(res, TestData.segment(delta), out, rows, dim, TestData.segment(w), DType.F32, 1e-6f);
        float[] sum = new float[rows * dim];
        for (int i = 0; i < sum.length; i++) {
            sum[i] = residual[i] + delta[i];
        }
        assertArrayEquals(sum, TestData.toArray(res, rows * dim), 0f, "residual += delta, exactly");
        double err = TestData.relativeError(TestData.toArray(out, rows * dim), ScalarReference.rmsNorm(sum, rows, dim, w, 1e-6f));
        assertTrue(err < TOLERANCE, "fused norm error " + err);
    }

    @Test
    void siluMulMatchesReference() {
        Random rnd = new Random(5);
        for (int n : new int[] {1, 7, 33, 161}) {
            float[] g = TestData.gaussian(rnd, n, 4f);
            float[] u = TestData.gaussian(rnd, n, 1f);
            if (n > 1) {
                g[0] = -95f; // beyond exp's range: silu is ~0, not NaN
                g[1] = 95f; // silu(g) = g
            }
            MemorySegment out = TestData.floats(n);
            Activations.siluMul(TestData.segment(g), TestData.segment(u), out, n);
            double err = TestData.relativeError(TestData.toArray(out, n), ScalarReference.siluMul(g, u));
            assertTrue(err < TOLERANCE, "n " + n + ": " + err);
        }
    }

    @Test
    void softmaxMatchesReferenceAndSumsToOne() {
        Random rnd = new Random(6);
        for (int n : new int[] {1, 7, 33, 161}) {
            int rows = 3;
            float[] x = TestData.gaussian(rnd, rows * n, 5f);
            x[0] = 80f; // large scores must not overflow
            MemorySegment s = TestData.segment(x);
            Activations.softmax(s, rows, n);
            float[] got = TestData.toArray(s, rows * n);
            double err = TestData.relativeError(got, ScalarReference.softmax(x, rows, n));
            assertTrue(err < TOLERANCE, "n " + n + ": " + err);
            for (int r = 0; r < rows; r++) {
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    sum += got[r * n + i];
                }
                assertTrue(Math.abs(sum - 1) < 1e-5, "row sums to " + sum);
            }
        }
    }

    /** The vector exp and its scalar twin agree bit for bit, and stay within 2 ulp of Math.exp. */
    @Test
    void vectorAndScalarExpAgree() {
        Random rnd = new Random(7);
        float[] x = new float[4096];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rnd.nextDouble() * 180 - 90);
        }
        float[] v = new float[Lanes.FLOATS];
        for (int i = 0; i < x.length; i += Lanes.FLOATS) {
            VectorMath.exp(jdk.incubator.vector.FloatVector.fromArray(Lanes.F, x, i)).intoArray(v, 0);
            for (int l = 0; l < Lanes.FLOATS; l++) {
                float s = VectorMath.exp(x[i + l]);
                assertTrue(Float.floatToRawIntBits(s) == Float.floatToRawIntBits(v[l]), "x=" + x[i + l]);
                double exact = Math.exp(x[i + l]);
                if (x[i + l] >= -87.3f && x[i + l] <= 88.3f) {
                    assertTrue(Math.abs(s - exact) <= 2 * Math.ulp((float) exact), "x=" + x[i + l] + " exp=" + s + " vs " + exact);
                }
            }
        }
    }
}
