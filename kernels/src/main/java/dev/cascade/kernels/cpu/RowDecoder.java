package dev.cascade.kernels.cpu;

import static dev.cascade.kernels.cpu.Lanes.B;
import static dev.cascade.kernels.cpu.Lanes.F;
import static dev.cascade.kernels.cpu.Lanes.FLOAT;
import static dev.cascade.kernels.cpu.Lanes.FLOATS;
import static dev.cascade.kernels.cpu.Lanes.I;
import static dev.cascade.kernels.cpu.Lanes.LE;
import static dev.cascade.kernels.cpu.Lanes.S;
import static dev.cascade.kernels.cpu.Lanes.SHORT;

import dev.cascade.weights.DType;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Decodes stored weights of any {@link DType} into float32, vectorised. Every decoded value is
 * exact: halves and bfloat16 widen exactly, and a quantized weight d·q (an 11-bit F16 scale times
 * an integer of at most 8 bits) fits in float32's 24-bit mantissa. So a kernel that decodes first
 * and one that converts in registers compute with the very same weights.
 */
public final class RowDecoder {

    private RowDecoder() {
    }

    /**
     * Writes {@code n} floats to {@code dst} at byte offset {@code dstOffset}, decoded from the
     * {@code n} consecutive values stored at byte offset {@code srcOffset} of {@code src}. For
     * quantized types {@code srcOffset} must start a block and {@code n} be a whole number of blocks.
     */
    public static void decode(DType dtype, MemorySegment src, long srcOffset, int n, MemorySegment dst, long dstOffset) {
        switch (dtype) {
            case F32 -> MemorySegment.copy(src, srcOffset, dst, dstOffset, (long) n * Float.BYTES);
            case F16 -> decodeF16(src, srcOffset, n, dst, dstOffset);
            case BF16 -> decodeBf16(src, srcOffset, n, dst, dstOffset);
            case Q8_0 -> decodeQ8(src, srcOffset, n, dst, dstOffset);
            case Q4_0 -> decodeQ4(src, srcOffset, n, dst, dstOffset);
        }
    }

    /** Decodes row {@code row} of a row-major [rows][cols] matrix. */
    public static void decodeRow(DType dtype, MemorySegment matrix, long row, int cols, MemorySegment dst, long dstOffset) {
        decode(dtype, matrix, row * dtype.byteSize(cols), cols, dst, dstOffset);
    }

    static void decodeF16(MemorySegment src, long s, int n, MemorySegment dst, long d) {
        int i = 0;
        for (; i <= n - FLOATS; i += FLOATS) {
            ShortVector h = ShortVector.fromMemorySegment(S, src, s + 2L * i, LE);
            HalfFloats.halfToFloat(h).intoMemorySegment(dst, d + 4L * i, LE);
        }
        for (; i < n; i++) {
            dst.set(FLOAT, d + 4L * i, Float.float16ToFloat(src.get(SHORT, s + 2L * i)));
        }
    }

    /**
     * F16 values straight into a heap array: the halves are copied to {@code halves} and widened
     * by a plain loop, which C2 compiles to the F16C instruction (vcvtph2ps) on every 8 values; the
     * Vector API has no half-precision conversion, and its bit-twiddling equivalent
     * ({@link HalfFloats#halfToFloat}) takes a dozen instructions per vector.
     */
    static void decodeF16(MemorySegment src, long s, int n, short[] halves, float[] dst, int d) {
        MemorySegment.copy(src, SHORT, s, halves, 0, n);
        for (int i = 0; i < n; i++) {
            dst[d + i] = Float.float16ToFloat(halves[i]);
        }
    }

    static void decodeBf16(MemorySegment src, long s, int n, MemorySegment dst, long d) {
        int i = 0;
        for (; i <= n - FLOATS; i += FLOATS) {
            // written out, not HalfFloats.bfloat16ToFloat(vector): inlined into a big caller, C2 may leave
            // a helper that takes a vector out of line, and then boxes every vector it passes
            IntVector h = (IntVector) ShortVector.fromMemorySegment(S, src, s + 2L * i, LE)
                    .convertShape(VectorOperators.S2I, I, 0);
            h.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().intoMemorySegment(dst, d + 4L * i, LE);
        }
        for (; i < n; i++) {
            dst.set(FLOAT, d + 4L * i, HalfFloats.bfloat16ToFloat(src.get(SHORT, s + 2L * i)));
        }
    }

    static void decodeQ8(MemorySegment src, long s, int n, MemorySegment dst, long d) {
        checkBlocks(n);
        for (int b = 0; b < n / 32; b++) {
            long block = s + 34L * b;
            long out = d + 128L * b;
            FloatVector scale = FloatVector.broadcast(F, Float.float16ToFloat(src.get(SHORT, block)));
            for (int k = 0; k < 32; k += FLOATS) {
                ByteVector q = ByteVector.fromMemorySegment(B, src, block + 2 + k, LE);
                ((FloatVector) q.convertShape(VectorOperators.B2F, F, 0)).mul(scale)
                        .intoMemorySegment(dst, out + 4L * k, LE);
            }
        }
    }

    static void decodeQ4(MemorySegment src, long s, int n, MemorySegment dst, long d) {
        checkBlocks(n);
        for (int b = 0; b < n / 32; b++) {
            long block = s + 18L * b;
            long out = d + 128L * b;
            FloatVector scale = FloatVector.broadcast(F, Float.float16ToFloat(src.get(SHORT, block)));
            for (int h = 0; h < 16; h += FLOATS) {
                // bytes h.. hold elements h.. (low nibbles) and 16 + h.. (high nibbles)
                ByteVector packed = ByteVector.fromMemorySegment(B, src, block + 2 + h, LE);
                ((FloatVector) packed.and((byte) 0x0f).sub((byte) 8).convertShape(VectorOperators.B2F, F, 0))
                        .mul(scale).intoMemorySegment(dst, out + 4L * h, LE);
                ((FloatVector) packed.lanewise(VectorOperators.LSHR, 4).sub((byte) 8).convertShape(VectorOperators.B2F, F, 0))
                        .mul(scale).intoMemorySegment(dst, out + 64 + 4L * h, LE);
            }
        }
    }

    /**
     * Rewrites {@code blocks} consecutive Q4_0 blocks at {@code srcOffset} as Q8_0 blocks at the
     * start of {@code dst}: the same F16 scale, and element j (low nibble of byte j, or high nibble
     * of byte j - 16, minus 8) as byte j. Every value is the same number in both formats.
     */
    static void q4RowsToQ8(MemorySegment src, long srcOffset, int blocks, MemorySegment dst) {
        for (int b = 0; b < blocks; b++) {
            long in = srcOffset + 18L * b;
            long out = 34L * b;
            dst.set(SHORT, out, src.get(SHORT, in));
            for (int h = 0; h < 16; h += FLOATS) { // in the process's byte shape (see Lanes)
                ByteVector packed = ByteVector.fromMemorySegment(B, src, in + 2 + h, LE);
                packed.and((byte) 0x0f).sub((byte) 8).intoMemorySegment(dst, out + 2 + h, LE);
                packed.lanewise(VectorOperators.LSHR, 4).sub((byte) 8).intoMemorySegment(dst, out + 18 + h, LE);
            }
        }
    }

    private static void checkBlocks(int n) {
        if (n % 32 != 0) {
            throw new IllegalArgumentException("quantized rows hold whole blocks of 32 values; got " + n);
        }
    }
}
