package dev.cascade.weights;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Conversions between float32 and the stored dtypes, bit for bit as ggml (Q8_0, Q4_0, its F16 and
 * BF16 rounding) and PyTorch do them, so that files we write match files they write.
 */
public final class Quantization {
    public static final int BLOCK = 32;

    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private Quantization() {
    }

    /** IEEE half precision, round to nearest even (what ggml's F16C path and PyTorch do). */
    public static short toF16(float v) {
        return Float.floatToFloat16(v);
    }

    public static float fromF16(short bits) {
        return Float.float16ToFloat(bits);
    }

    /** bfloat16, round to nearest even; NaN stays a (quiet) NaN, as in ggml_compute_fp32_to_bf16. */
    public static short toBf16(float v) {
        int u = Float.floatToRawIntBits(v);
        if ((u & 0x7fffffff) > 0x7f800000) {
            return (short) ((u >>> 16) | 64);
        }
        return (short) ((u + (0x7fff + ((u >>> 16) & 1))) >>> 16);
    }

    public static float fromBf16(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    /** The bytes of {@code values} stored as {@code dtype}, little-endian. */
    public static byte[] encode(float[] values, DType dtype) {
        return switch (dtype) {
            case F32 -> {
                byte[] out = new byte[values.length * 4];
                MemorySegment s = MemorySegment.ofArray(out);
                for (int i = 0; i < values.length; i++) {
                    s.set(F32, 4L * i, values[i]);
                }
                yield out;
            }
            case F16, BF16 -> {
                byte[] out = new byte[values.length * 2];
                MemorySegment s = MemorySegment.ofArray(out);
                for (int i = 0; i < values.length; i++) {
                    s.set(I16, 2L * i, dtype == DType.F16 ? toF16(values[i]) : toBf16(values[i]));
                }
                yield out;
            }
            case Q8_0 -> quantizeQ8_0(values);
            case Q4_0 -> quantizeQ4_0(values);
        };
    }

    /** All elements of a tensor as float32 (quantized blocks dequantized). */
    public static float[] toFloats(Tensor t) {
        long n = t.elementCount();
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("tensor " + t.name() + " has too many elements for one array: " + n);
        }
        return decode(t.data(), t.dtype(), (int) n);
    }

    /** {@code count} values stored as {@code dtype} at the start of {@code data}, as float32. */
    public static float[] decode(MemorySegment data, DType dtype, int count) {
        long needed = dtype.byteSize(count);
        if (data.byteSize() < needed) {
            throw new IllegalArgumentException(count + " " + dtype + " values need " + needed + " bytes, got "
                    + data.byteSize());
        }
        float[] out = new float[count];
        switch (dtype) {
            case F32 -> {
                for (int i = 0; i < count; i++) {
                    out[i] = data.get(F32, 4L * i);
                }
            }
            case F16 -> {
                for (int i = 0; i < count; i++) {
                    out[i] = fromF16(data.get(I16, 2L * i));
                }
            }
            case BF16 -> {
                for (int i = 0; i < count; i++) {
                    out[i] = fromBf16(data.get(I16, 2L * i));
                }
            }
            case Q8_0 -> dequantizeQ8_0(data, out);
            case Q4_0 -> dequantizeQ4_0(data, out);
        }
        return out;
    }

    /**
     * ggml's quantize_row_q8_0_ref: per block of 32, d = max|w| / 127 stored as F16, and
     * q = round-half-away(w * (1/d)) with 1/d computed from the float32 d.
     */
    public static byte[] quantizeQ8_0(float[] values) {
        requireBlocks(values.length);
        byte[] out = new byte[values.length / BLOCK * DType.Q8_0.blockBytes()];
        MemorySegment s = MemorySegment.ofArray(out);
        for (int b = 0; b < values.length / BLOCK; b++) {
            int base = b * BLOCK;
            float amax = 0;
            for (int j = 0; j < BLOCK; j++) {
                amax = Math.max(amax, Math.abs(values[base + j]));
            }
            float d = amax / 127f;
            float id = d != 0 ? 1f / d : 0f;
            long at = (long) b * DType.Q8_0.blockBytes();
            s.set(I16, at, toF16(d));
            for (int j = 0; j < BLOCK; j++) {
                out[(int) at + 2 + j] = (byte) roundHalfAway(values[base + j] * id);
            }
        }
        return out;
    }

    /**
     * ggml's quantize_row_q4_0_ref: per block of 32, d = (the value of largest magnitude, signed) / -8
     * stored as F16, q = min(15, (int)(w * (1/d) + 8.5)); byte j holds element j in its low nibble and
     * element j + 16 in its high nibble.
     */
    public static byte[] quantizeQ4_0(float[] values) {
        requireBlocks(values.length);
        byte[] out = new byte[values.length / BLOCK * DType.Q4_0.blockBytes()];
        MemorySegment s = MemorySegment.ofArray(out);
        for (int b = 0; b < values.length / BLOCK; b++) {
            int base = b * BLOCK;
            float amax = 0;
            float max = 0;
            for (int j = 0; j < BLOCK; j++) {
                float v = values[base + j];
                if (amax < Math.abs(v)) {
                    amax = Math.abs(v);
                    max = v;
                }
            }
            float d = max / -8f;
            float id = d != 0 ? 1f / d : 0f;
            long at = (long) b * DType.Q4_0.blockBytes();
            s.set(I16, at, toF16(d));
            for (int j = 0; j < BLOCK / 2; j++) {
                int lo = Math.min(15, (int) (values[base + j] * id + 8.5f));
                int hi = Math.min(15, (int) (values[base + BLOCK / 2 + j] * id + 8.5f));
                out[(int) at + 2 + j] = (byte) (lo | (hi << 4));
            }
        }
        return out;
    }

    /** w = q * d per block. */
    public static void dequantizeQ8_0(MemorySegment data, float[] out) {
        requireBlocks(out.length);
        for (int b = 0; b < out.length / BLOCK; b++) {
            long at = (long) b * DType.Q8_0.blockBytes();
            float d = fromF16(data.get(I16, at));
            for (int j = 0; j < BLOCK; j++) {
                out[b * BLOCK + j] = data.get(ValueLayout.JAVA_BYTE, at + 2 + j) * d;
            }
        }
    }

    /** w = (q - 8) * d per block, low nibbles first. */
    public static void dequantizeQ4_0(MemorySegment data, float[] out) {
        requireBlocks(out.length);
        for (int b = 0; b < out.length / BLOCK; b++) {
            long at = (long) b * DType.Q4_0.blockBytes();
            float d = fromF16(data.get(I16, at));
            for (int j = 0; j < BLOCK / 2; j++) {
                int q = data.get(ValueLayout.JAVA_BYTE, at + 2 + j) & 0xff;
                out[b * BLOCK + j] = ((q & 0x0f) - 8) * d;
                out[b * BLOCK + BLOCK / 2 + j] = ((q >>> 4) - 8) * d;
            }
        }
    }

    /** C's roundf: halves go away from zero (Math.round would send -2.5 to -2). */
    private static int roundHalfAway(float v) {
        double r = Math.floor(Math.abs((double) v) + 0.5);
        return (int) (v < 0 ? -r : r);
    }

    private static void requireBlocks(int n) {
        if (n % BLOCK != 0) {
            throw new IllegalArgumentException("quantized blocks hold " + BLOCK + " values; " + n + " is not a multiple");
        }
    }
}
