package dev.cascade.kernels.cpu;

import dev.cascade.weights.DType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Random;

/** Random inputs in native segments, and weight matrices encoded in each dtype. */
final class TestData {
    static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private TestData() {
    }

    /** Gaussian values, never all zero. */
    static float[] gaussian(Random rnd, int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian() * scale;
        }
        v[0] = v[0] == 0 ? scale : v[0];
        return v;
    }

    static MemorySegment segment(float[] v) {
        MemorySegment s = Arena.ofAuto().allocate(4L * v.length, 64);
        MemorySegment.copy(v, 0, s, FLOAT, 0, v.length);
        return s;
    }

    static MemorySegment floats(int n) {
        return Arena.ofAuto().allocate(4L * n, 64);
    }

    static float[] toArray(MemorySegment s, int n) {
        float[] v = new float[n];
        MemorySegment.copy(s, FLOAT, 0, v, 0, n);
        return v;
    }

    /**
     * Encodes a row-major [rows][cols] matrix of floats in {@code dtype}, at an odd byte offset into
     * a larger segment so kernels cannot rely on alignment.
     */
    static MemorySegment encode(float[] values, int rows, int cols, DType dtype) {
        long rowBytes = dtype.byteSize(cols);
        MemorySegment all = Arena.ofAuto().allocate(rowBytes * rows + 3, 8);
        MemorySegment m = all.asSlice(3, rowBytes * rows);
        for (int r = 0; r < rows; r++) {
            long base = r * rowBytes;
            int off = r * cols;
            switch (dtype) {
                case F32 -> {
                    for (int i = 0; i < cols; i++) {
                        m.set(FLOAT, base + 4L * i, values[off + i]);
                    }
                }
                case F16 -> {
                    for (int i = 0; i < cols; i++) {
                        m.set(SHORT, base + 2L * i, Float.floatToFloat16(values[off + i]));
                    }
                }
                case BF16 -> {
                    for (int i = 0; i < cols; i++) {
                        int bits = Float.floatToRawIntBits(values[off + i]);
                        bits += 0x7fff + ((bits >>> 16) & 1); // round to nearest even
                        m.set(SHORT, base + 2L * i, (short) (bits >>> 16));
                    }
                }
                case Q8_0 -> {
                    for (int b = 0; b < cols / 32; b++) {
                        long blk = base + 34L * b;
                        float amax = 0;
                        for (int j = 0; j < 32; j++) {
                            amax = Math.max(amax, Math.abs(values[off + 32 * b + j]));
                        }
                        short dBits = Float.floatToFloat16(amax / 127f);
                        float d = Float.float16ToFloat(dBits);
                        m.set(SHORT, blk, dBits);
                        for (int j = 0; j < 32; j++) {
                            int q = d == 0 ? 0 : Math.round(values[off + 32 * b + j] / d);
                            m.set(ValueLayout.JAVA_BYTE, blk + 2 + j, (byte) Math.max(-127, Math.min(127, q)));
                        }
                    }
                }
                case Q4_0 -> {
                    for (int b = 0; b < cols / 32; b++) {
                        long blk = base + 18L * b;
                        float max = 0;
                        for (int j = 0; j < 32; j++) {
                            float v = values[off + 32 * b + j];
                            if (Math.abs(v) > Math.abs(max)) {
                                max = v;
                            }
                        }
                        short dBits = Float.floatToFloat16(max / -8f);
                        float d = Float.float16ToFloat(dBits);
                        m.set(SHORT, blk, dBits);
                        for (int j = 0; j < 16; j++) {
                            int lo = nibble(values[off + 32 * b + j], d);
                            int hi = nibble(values[off + 32 * b + j + 16], d);
                            m.set(ValueLayout.JAVA_BYTE, blk + 2 + j, (byte) (lo | (hi << 4)));
                        }
                    }
                }
            }
        }
        return m;
    }

    private static int nibble(float v, float d) {
        int q = d == 0 ? 8 : Math.round(v / d) + 8;
        return Math.max(0, Math.min(15, q));
    }

    /** ‖a − b‖ / ‖b‖. */
    static double relativeError(float[] a, float[] b) {
        double num = 0, den = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (double) a[i] - b[i];
            num += d * d;
            den += (double) b[i] * b[i];
        }
        if (den == 0) {
            throw new AssertionError("reference is all zero; the test would prove nothing");
        }
        return Math.sqrt(num / den);
    }
}
