package dev.cascade.kernels.cpu;

import dev.cascade.weights.DType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Plain-loop versions of every kernel, written straight from the definitions, accumulating in
 * double. Only tests use them.
 */
final class ScalarReference {
    private ScalarReference() {
    }

    /** Element i of row r of a stored [rows][cols] matrix. */
    static float weight(MemorySegment m, DType dtype, long r, int cols, int i) {
        long row = r * dtype.byteSize(cols);
        return switch (dtype) {
            case F32 -> m.get(TestData.FLOAT, row + 4L * i);
            case F16 -> Float.float16ToFloat(m.get(TestData.SHORT, row + 2L * i));
            case BF16 -> Float.intBitsToFloat(m.get(TestData.SHORT, row + 2L * i) << 16);
            case Q8_0 -> {
                long blk = row + 34L * (i / 32);
                yield Float.float16ToFloat(m.get(TestData.SHORT, blk)) * m.get(ValueLayout.JAVA_BYTE, blk + 2 + i % 32);
            }
            case Q4_0 -> {
                long blk = row + 18L * (i / 32);
                int j = i % 32;
                int packed = m.get(ValueLayout.JAVA_BYTE, blk + 2 + j % 16) & 0xff;
                int q = (j < 16 ? packed & 0x0f : packed >>> 4) - 8;
                yield Float.float16ToFloat(m.get(TestData.SHORT, blk)) * q;
            }
        };
    }

    static float[] row(MemorySegment m, DType dtype, long r, int cols) {
        float[] v = new float[cols];
        for (int i = 0; i < cols; i++) {
            v[i] = weight(m, dtype, r, cols, i);
        }
        return v;
    }

    /** y[b][o] = Σ_i x[b][i]·W[o][i]. */
    static float[] matmul(float[] x, int batch, int in, MemorySegment w, DType dtype, int out) {
        float[] y = new float[batch * out];
        for (int o = 0; o < out; o++) {
            float[] wr = row(w, dtype, o, in);
            for (int b = 0; b < batch; b++) {
                double s = 0;
                for (int i = 0; i < in; i++) {
                    s += (double) x[b * in + i] * wr[i];
                }
                y[b * out + o] = (float) s;
            }
        }
        return y;
    }
}
