package dev.cascade.weights;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuantizationTest {

    private static short scaleOf(byte[] block, int at) {
        return (short) ((block[at] & 0xff) | (block[at + 1] << 8));
    }

    @Test
    void q8_0ScaleIsMaxMagnitudeOver127AndRoundsHalfAwayFromZero() {
        float[] w = new float[32];
        w[0] = 127f;      // amax 127 -> d = 1, so q = round(w) exactly
        w[1] = -2.5f;     // roundf gives -3 (Math.round would give -2)
        w[2] = 2.5f;
        w[3] = -0.4f;
        w[4] = 1.49f;
        byte[] q = Quantization.quantizeQ8_0(w);
        assertEquals(34, q.length);
        assertEquals(1.0f, Quantization.fromF16(scaleOf(q, 0)));
        assertEquals(127, q[2]);
        assertEquals(-3, q[3]);
        assertEquals(3, q[4]);
        assertEquals(0, q[5]);
        assertEquals(1, q[6]);
    }

    @Test
    void q4_0UsesSignedMaximumAndSplitsNibblesByHalves() {
        float[] w = new float[32];
        for (int i = 0; i < 32; i++) {
            w[i] = i - 16;  // -16 .. 15: largest magnitude is -16, so d = -16 / -8 = 2
        }
        byte[] q = Quantization.quantizeQ4_0(w);
        assertEquals(18, q.length);
        assertEquals(2.0f, Quantization.fromF16(scaleOf(q, 0)));
        for (int j = 0; j < 16; j++) {
            int lo = Math.min(15, (int) (w[j] * 0.5f + 8.5f));
            int hi = Math.min(15, (int) (w[j + 16] * 0.5f + 8.5f));
            assertEquals(lo, q[2 + j] & 0x0f, "low nibble " + j);
            assertEquals(hi, (q[2 + j] & 0xff) >>> 4, "high nibble " + j);
        }
        assertEquals(0, q[2] & 0x0f);             // -16 -> 0
        assertEquals(15, (q[2 + 15] & 0xff) >>> 4); // 15 -> 16, clamped to 15
    }

    @Test
    void quantizedRoundTripsStayWithinHalfAStep() {
        float[] w = TestFiles.randomFloats(new Random(7), 32 * 20);
        float[] q8 = Quantization.decode(MemorySegment.ofArray(Quantization.quantizeQ8_0(w)), DType.Q8_0, w.length);
        float[] q4 = Quantization.decode(MemorySegment.ofArray(Quantization.quantizeQ4_0(w)), DType.Q4_0, w.length);
        for (int b = 0; b < w.length / 32; b++) {
            float amax = 0;
            for (int j = 0; j < 32; j++) {
                amax = Math.max(amax, Math.abs(w[b * 32 + j]));
            }
            for (int j = 0; j < 32; j++) {
                int i = b * 32 + j;
                assertTrue(Math.abs(w[i] - q8[i]) <= amax / 127 * 0.51f + 1e-3f * amax, "q8 element " + i);
                assertTrue(Math.abs(w[i] - q4[i]) <= amax / 8 * 0.51f + 1e-3f * amax + amax / 8, "q4 element " + i);
            }
        }
    }

    @Test
    void halfPrecisionConversionsRoundToNearestEven() {
        // 1 + 2^-8 is exactly between two bfloat16 values; even mantissa wins (down to 1.0)
        assertEquals(1.0f, Quantization.fromBf16(Quantization.toBf16(1.00390625f)));
        // 1 + 3 * 2^-8 is between 1 + 2^-7 (odd) and 1 + 2^-6 (even): rounds up
        assertEquals(1.015625f, Quantization.fromBf16(Quantization.toBf16(1.01171875f)));
        assertTrue(Float.isNaN(Quantization.fromBf16(Quantization.toBf16(Float.NaN))));
        assertEquals(65504f, Quantization.fromF16(Quantization.toF16(65504f)));
        float[] v = {0.1f, -3.75f, 1e-3f, 2048.5f};
        float[] back = Quantization.decode(MemorySegment.ofArray(Quantization.encode(v, DType.F16)), DType.F16, 4);
        for (int i = 0; i < v.length; i++) {
            assertEquals(Float.float16ToFloat(Float.floatToFloat16(v[i])), back[i]);
        }
        assertArrayEquals(v, Quantization.decode(MemorySegment.ofArray(Quantization.encode(v, DType.F32)), DType.F32, 4));
    }

    @Test
    void partialBlocksAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Quantization.quantizeQ8_0(new float[31]));
    }
}
