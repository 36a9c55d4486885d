package dev.cascade.kernels.reference;

import dev.cascade.weights.Tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Reads rows of a weight tensor as float32, whatever its stored dtype: the plain definition of each format. */
public final class WeightRows {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private WeightRows() {
    }

    /** Element count of one row (the innermost dimension). */
    public static int cols(Tensor t) {
        long[] s = t.shape();
        return (int) s[s.length - 1];
    }

    public static int rows(Tensor t) {
        return (int) (t.elementCount() / cols(t));
    }

    /** dst[0..cols) = row r of t. */
    public static void read(Tensor t, int r, float[] dst) {
        int cols = cols(t);
        MemorySegment m = t.data();
        long rowBytes = t.dtype().byteSize(cols);
        long base = r * rowBytes;
        switch (t.dtype()) {
            case F32 -> {
                for (int i = 0; i < cols; i++) {
                    dst[i] = m.get(F32, base + 4L * i);
                }
            }
            case F16 -> {
                for (int i = 0; i < cols; i++) {
                    dst[i] = Float.float16ToFloat(m.get(I16, base + 2L * i));
                }
            }
            case BF16 -> {
                for (int i = 0; i < cols; i++) {
                    dst[i] = Float.intBitsToFloat((m.get(I16, base + 2L * i) & 0xffff) << 16);
                }
            }
            case Q8_0 -> {
                for (int b = 0; b < cols / 32; b++) {
                    long block = base + 34L * b;
                    float d = Float.float16ToFloat(m.get(I16, block));
                    for (int j = 0; j < 32; j++) {
                        dst[32 * b + j] = d * m.get(ValueLayout.JAVA_BYTE, block + 2 + j);
                    }
                }
            }
            case Q4_0 -> {
                for (int b = 0; b < cols / 32; b++) {
                    long block = base + 18L * b;
                    float d = Float.float16ToFloat(m.get(I16, block));
                    for (int j = 0; j < 16; j++) {
                        int q = m.get(ValueLayout.JAVA_BYTE, block + 2 + j) & 0xff;
                        dst[32 * b + j] = d * ((q & 0x0f) - 8);
                        dst[32 * b + j + 16] = d * ((q >>> 4) - 8);
                    }
                }
            }
        }
    }

    /** The whole tensor as float32, row-major. */
    public static float[] readAll(Tensor t) {
        int cols = cols(t);
        int rows = rows(t);
        float[] all = new float[rows * cols];
        float[] row = new float[cols];
        for (int r = 0; r < rows; r++) {
            read(t, r, row);
            System.arraycopy(row, 0, all, r * cols, cols);
        }
        return all;
    }
}
