package dev.cascade.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.weights.DType;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MatmulTest {
    /** Float32 accumulation against a double reference over a few hundred terms. */
    static final double TOLERANCE = 1e-5;

    static final WorkerPool POOL = new WorkerPool(3);

    @AfterAll
    static void closePool() {
        POOL.close();
    }

    static int[] ins(DType dtype) {
        return dtype.quantized() ? new int[] {32, 96, 160, 288} : new int[] {1, 7, 33, 97, 161};
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void matchesScalarReferenceOnOddShapes(DType dtype) {
        Random rnd = new Random(dtype.ordinal());
        for (int in : ins(dtype)) {
            for (int out : new int[] {1, 3, 33, 97}) {
                MemorySegment w = TestData.encode(TestData.gaussian(rnd, out * in, 0.5f), out, in, dtype);
                for (int batch : new int[] {1, 3, 7, 15, 17}) {
                    for (int mode : new int[] {0, 1, 8}) {
                        float[] x = TestData.gaussian(rnd, batch * in, 1f);
                        MemorySegment y = TestData.floats(batch * out);
                        new Matmul(POOL, mode).multiply(TestData.segment(x), batch, in, w, dtype, out, y);
                        float[] ref = ScalarReference.matmul(x, batch, in, w, dtype, out);
                        double err = TestData.relativeError(TestData.toArray(y, batch * out), ref);
                        assertTrue(err < TOLERANCE, dtype + " in=" + in + " out=" + out + " batch=" + batch
                                + " mode=" + mode + ": relative error " + err);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void stridedRowsAndOffsets(DType dtype) {
        Random rnd = new Random(11);
        int in = 64, out = 13, batch = 3, xStride = 70, yStride = 20;
        MemorySegment w = TestData.encode(TestData.gaussian(rnd, out * in, 0.5f), out, in, dtype);
        float[] xs = TestData.gaussian(rnd, 2 + batch * xStride, 1f);
        MemorySegment y = TestData.floats(1 + batch * yStride);
        new Matmul(POOL).multiply(TestData.segment(xs), 8, xStride, batch, in, w, dtype, out, y, 4, yStride);
        float[] x = new float[batch * in];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(xs, 2 + b * xStride, x, b * in, in);
        }
        float[] ref = ScalarReference.matmul(x, batch, in, w, dtype, out);
        float[] all = TestData.toArray(y, 1 + batch * yStride);
        float[] got = new float[batch * out];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(all, 1 + b * yStride, got, b * out, out);
        }
        assertTrue(TestData.relativeError(got, ref) < TOLERANCE);
    }

    /** A row's output is bit-identical alone or in a batch of 8, whatever the kernel path. */
    @ParameterizedTest
    @EnumSource(DType.class)
    void batchInvariant(DType dtype) {
        Random rnd = new Random(5);
        // 31 rows: groups of 8, 8, 8, 4, 2 and 1 on the quantized path, and Q4_0 rewritten as Q8_0
        int in = dtype.quantized() ? 160 : 161, out = 37, batch = 31;
        MemorySegment w = TestData.encode(TestData.gaussian(rnd, out * in, 0.5f), out, in, dtype);
        float[] x = TestData.gaussian(rnd, batch * in, 1f);
        MemorySegment batched = TestData.floats(batch * out);
        // The first results come from the interpreter, later ones from C1 and C2; all must agree.
        float[][] cold = new float[batch][];
        // convert in registers up to: decoded tiles, converted for a single row, converted for all
        for (int mode : new int[] {0, 1, 31}) {
            Matmul mm = new Matmul(POOL, mode);
            for (int rep = 0; rep < 100; rep++) {
                batched.fill((byte) 0xff); // NaN: an output the kernel skips cannot pass for an old one
                mm.multiply(TestData.segment(x), batch, in, w, dtype, out, batched);
                float[] all = TestData.toArray(batched, batch * out);
                for (int b = 0; b < batch; b++) {
                    float[] row = new float[in];
                    System.arraycopy(x, b * in, row, 0, in);
                    MemorySegment single = TestData.floats(out);
                    new Matmul(POOL, rep % 2).multiply(TestData.segment(row), 1, in, w, dtype, out, single);
                    float[] alone = TestData.toArray(single, out);
                    float[] inBatch = new float[out];
                    System.arraycopy(all, b * out, inBatch, 0, out);
                    assertArrayEquals(alone, inBatch, 0f, dtype + " row " + b + " mode " + mode + " rep " + rep);
                    if (cold[b] == null) {
                        cold[b] = alone;
                    }
                    assertArrayEquals(cold[b], alone, 0f, dtype + " row " + b + " cold vs warm, rep " + rep);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void threadCountInvariant(DType dtype) {
        Random rnd = new Random(9);
        int in = 96, out = 101, batch = 5;
        MemorySegment w = TestData.encode(TestData.gaussian(rnd, out * in, 0.5f), out, in, dtype);
        MemorySegment x = TestData.segment(TestData.gaussian(rnd, batch * in, 1f));
        float[] first = null;
        for (int threads : new int[] {1, 2, 5}) {
            try (WorkerPool pool = new WorkerPool(threads)) {
                MemorySegment y = TestData.floats(batch * out);
                new Matmul(pool).multiply(x, batch, in, w, dtype, out, y);
                float[] got = TestData.toArray(y, batch * out);
                if (first == null) {
                    first = got;
                } else {
                    assertArrayEquals(first, got, 0f, threads + " threads");
                }
            }
        }
    }

    /** The vector width a run asked for is the one the kernels use; the property takes 256 or 512 only. */
    @Test
    void vectorBitsProperty() {
        String asked = System.getProperty("cascade.cpu.vectorBits");
        int expected = asked != null ? Integer.parseInt(asked) : Lanes.wideVectorsSupported() ? 512 : 256;
        assertEquals(expected, Lanes.F.vectorBitSize());
        assertEquals(expected, CpuBackend.vectorBits());
        assertEquals(Lanes.F.length(), Lanes.FLOATS);
        assertEquals(Lanes.FLOATS, Lanes.B.length());
        assertEquals(Lanes.FLOATS, Lanes.S.length());
        assertEquals(Lanes.FLOATS, 2 * Lanes.D.length());
        org.junit.jupiter.api.Assertions.assertFalse(Lanes.wide("256"));
        if (Lanes.wideVectorsSupported()) {
            assertTrue(Lanes.wide("512"));
        } else {
            var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Lanes.wide("512"));
            assertTrue(e.getMessage().contains("bits wide"), e.getMessage());
        }
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Lanes.wide("128"));
        assertTrue(e.getMessage().contains("256 or 512"), e.getMessage());
    }

    @Test
    void rejectsMatrixTooSmall() {
        MemorySegment w = TestData.floats(10);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new Matmul(POOL).multiply(TestData.floats(4), 1, 4, w, DType.F32, 3, TestData.floats(3)));
    }
}
