package dev.cascade.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.weights.ModelConfig;
import dev.cascade.weights.RopePairing;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RopeTest {
    /** cos/sin are tabulated as float: one extra rounding per factor. */
    static final double TOLERANCE = 1e-6;

    @ParameterizedTest
    @EnumSource(RopePairing.class)
    void matchesReferenceWithAndWithoutLlama3Scaling(RopePairing pairing) {
        Random rnd = new Random(8);
        ModelConfig.RopeScaling llama3 = new ModelConfig.RopeScaling("llama3", 8, 1, 4, 8192);
        for (ModelConfig.RopeScaling scaling : new ModelConfig.RopeScaling[] {null, llama3}) {
            for (int headDim : new int[] {2, 36, 64, 130}) {
                int rows = 3, heads = 5, stride = heads * headDim + 3;
                Rope rope = new Rope(headDim, 500000, scaling, pairing, 40000);
                int[] pos = {0, 17, 39999};
                float[] x = TestData.gaussian(rnd, rows * stride, 1f);
                MemorySegment seg = TestData.segment(x);
                rope.apply(seg, 0, stride, rows, heads, pos);
                double[] freq = new double[headDim / 2];
                for (int j = 0; j < freq.length; j++) {
                    freq[j] = Math.pow(500000, -2.0 * j / headDim);
                    if (scaling != null) {
                        freq[j] = ScalarReference.llama3(freq[j], 8, 1, 4, 8192);
                    }
                }
                float[] packed = new float[rows * heads * headDim];
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(x, r * stride, packed, r * heads * headDim, heads * headDim);
                }
                ScalarReference.rope(packed, rows, heads, headDim, pos, freq, pairing);
                float[] all = TestData.toArray(seg, rows * stride);
                float[] got = new float[packed.length];
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(all, r * stride, got, r * heads * headDim, heads * headDim);
                    for (int i = heads * headDim; i < stride; i++) {
                        assertEquals(x[r * stride + i], all[r * stride + i], "padding after the heads is untouched");
                    }
                }
                double err = TestData.relativeError(got, packed);
                assertTrue(err < TOLERANCE, pairing + " headDim " + headDim + " scaling " + scaling + ": " + err);
            }
        }
    }

    /** Pairing matters: HALVES rotates (0, d/2), INTERLEAVED rotates (0, 1). */
    @Test
    void pairingsRotateDifferentElements() {
        int d = 8;
        for (RopePairing pairing : RopePairing.values()) {
            float[] x = new float[d];
            x[0] = 1;
            MemorySegment seg = TestData.segment(x);
            new Rope(d, 10000, null, pairing, 4).apply(seg, 0, d, 1, 1, new int[] {1});
            float[] got = TestData.toArray(seg, d);
            int partner = pairing == RopePairing.HALVES ? d / 2 : 1;
            assertEquals(Math.cos(1), got[0], 1e-6);
            assertEquals(Math.sin(1), got[partner], 1e-6);
        }
    }

    @Test
    void llama3ScalingKeepsHighAndDividesLowFrequencies() {
        ModelConfig.RopeScaling s = new ModelConfig.RopeScaling("llama3", 8, 1, 4, 8192);
        assertEquals(1.0, dev.cascade.kernels.Rope.llama3(1.0, s), 0); // wavelength 2π, far below 8192/4
        double low = 2 * Math.PI / 20000; // wavelength 20000 > 8192
        assertEquals(low / 8, dev.cascade.kernels.Rope.llama3(low, s), 1e-18);
        double mid = 2 * Math.PI / 4096; // between 2048 and 8192: blended
        double smooth = (8192 / 4096.0 - 1) / 3;
        assertEquals((1 - smooth) * mid / 8 + smooth * mid, dev.cascade.kernels.Rope.llama3(mid, s), 1e-18);
    }

    @Test
    void rejectsPositionsOutsideTheTable() {
        Rope rope = new Rope(4, 10000, null, RopePairing.HALVES, 8);
        assertThrows(IllegalArgumentException.class, () -> rope.apply(TestData.floats(4), 0, 4, 1, 1, new int[] {8}));
    }
}
