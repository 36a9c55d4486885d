package dev.cascade.kernels.cpu;

import static dev.cascade.kernels.cpu.Lanes.B8;
import static dev.cascade.kernels.cpu.Lanes.F;
import static dev.cascade.kernels.cpu.Lanes.FLOAT;
import static dev.cascade.kernels.cpu.Lanes.FLOATS;
import static dev.cascade.kernels.cpu.Lanes.LE;
import static dev.cascade.kernels.cpu.Lanes.S8;
import static dev.cascade.kernels.cpu.Lanes.SHORT;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Dot products of stored weight rows with one activation row, converting the weights to float in
 * registers (no round trip through a scratch buffer). Used for single-row products, where each
 * weight is used once and the matrix streams from memory.
 *
 * <p>The arithmetic is exactly {@link FloatDotTiles}'s: the converted weights are exact (see
 * {@link RowDecoder}), terms are added with one 8-lane FMA accumulator per row in index order,
 * reduced with {@link Lanes#sum(float[], int)}, and any tail is added by scalar FMA. A row computed here is
 * bit-identical to the same row computed by decoding first, which keeps batching invisible.
 *
 * <p>Each method handles a whole range of rows, two at a time. Two rows, not four: C2 parses every
 * Vector API call into hundreds of IR nodes, and a four-row body of conversions exceeds its
 * inlining node budget, leaving vectors boxed on the heap (measured 10-30x slower).
 */
final class ConvertingDotTiles {

    private static final VectorSpecies<Byte> B16 = ByteVector.SPECIES_128;

    private ConvertingDotTiles() {
    }

    /** y[r] for rows [r0, r0 + rows) of an F16 matrix ({@code rowBytes} apart), written from ya. */
    static void f16(MemorySegment w, long rowBytes, int r0, int rows, MemorySegment x, long xa, int in,
                    MemorySegment y, long ya, float[] lanes) {
        int vecEnd = in - in % FLOATS;
        for (int r = 0; r < rows; r += 2) {
            long w0 = (r0 + r) * rowBytes;
            long w1 = r + 1 < rows ? w0 + rowBytes : w0; // odd count: the last row twice, stored once
            FloatVector a0 = FloatVector.zero(F), a1 = a0;
            for (int i = 0; i < vecEnd; i += FLOATS) {
                FloatVector va = FloatVector.fromMemorySegment(F, x, xa + 4L * i, LE);
                a0 = HalfFloats.halfToFloat(ShortVector.fromMemorySegment(S8, w, w0 + 2L * i, LE)).fma(va, a0);
                a1 = HalfFloats.halfToFloat(ShortVector.fromMemorySegment(S8, w, w1 + 2L * i, LE)).fma(va, a1);
            }
            a0.intoArray(lanes, 0);
            a1.intoArray(lanes, 8);
            float s0 = Lanes.sum(lanes, 0), s1 = Lanes.sum(lanes, 8);
            for (int i = vecEnd; i < in; i++) {
                float xi = x.get(FLOAT, xa + 4L * i);
                s0 = Math.fma(Float.float16ToFloat(w.get(SHORT, w0 + 2L * i)), xi, s0);
                s1 = Math.fma(Float.float16ToFloat(w.get(SHORT, w1 + 2L * i)), xi, s1);
            }
            store(y, ya, r, rows, s0, s1);
        }
    }

    static void bf16(MemorySegment w, long rowBytes, int r0, int rows, MemorySegment x, long xa, int in,
                     MemorySegment y, long ya, float[] lanes) {
        int vecEnd = in - in % FLOATS;
        for (int r = 0; r < rows; r += 2) {
            long w0 = (r0 + r) * rowBytes;
            long w1 = r + 1 < rows ? w0 + rowBytes : w0;
            FloatVector a0 = FloatVector.zero(F), a1 = a0;
            for (int i = 0; i < vecEnd; i += FLOATS) {
                FloatVector va = FloatVector.fromMemorySegment(F, x, xa + 4L * i, LE);
                a0 = HalfFloats.bfloat16ToFloat(ShortVector.fromMemorySegment(S8, w, w0 + 2L * i, LE)).fma(va, a0);
                a1 = HalfFloats.bfloat16ToFloat(ShortVector.fromMemorySegment(S8, w, w1 + 2L * i, LE)).fma(va, a1);
            }
            a0.intoArray(lanes, 0);
            a1.intoArray(lanes, 8);
            float s0 = Lanes.sum(lanes, 0), s1 = Lanes.sum(lanes, 8);
            for (int i = vecEnd; i < in; i++) {
                float xi = x.get(FLOAT, xa + 4L * i);
                s0 = Math.fma(HalfFloats.bfloat16ToFloat(w.get(SHORT, w0 + 2L * i)), xi, s0);
                s1 = Math.fma(HalfFloats.bfloat16ToFloat(w.get(SHORT, w1 + 2L * i)), xi, s1);
            }
            store(y, ya, r, rows, s0, s1);
        }
    }

    /** Q8_0 rows: per block the scale is broadcast and each 8 int8 become d·q, exactly. */
    static void q8(MemorySegment w, long rowBytes, int r0, int rows, MemorySegment x, long xa, int in,
                   MemorySegment y, long ya, float[] lanes) {
        for (int r = 0; r < rows; r += 2) {
            long w0 = (r0 + r) * rowBytes;
            long w1 = r + 1 < rows ? w0 + rowBytes : w0;
            FloatVector a0 = FloatVector.zero(F), a1 = a0;
            for (int blk = 0; blk < in / 32; blk++) {
                long q = 34L * blk;
                long xb = xa + 128L * blk;
                FloatVector d0 = scale(w, w0 + q), d1 = scale(w, w1 + q);
                for (int k = 0; k < 4; k++) {
                    FloatVector va = FloatVector.fromMemorySegment(F, x, xb + 32L * k, LE);
                    a0 = RowDecoder.q8(w, w0 + q + 2 + 8 * k).mul(d0).fma(va, a0);
                    a1 = RowDecoder.q8(w, w1 + q + 2 + 8 * k).mul(d1).fma(va, a1);
                }
            }
            a0.intoArray(lanes, 0);
            a1.intoArray(lanes, 8);
            store(y, ya, r, rows, Lanes.sum(lanes, 0), Lanes.sum(lanes, 8));
        }
    }

    /**
     * Q4_0 rows. Byte j of a block holds element j (low nibble) and j + 16 (high nibble), so the
     * two 8-byte halves give elements 0-7 / 16-23 and 8-15 / 24-31; they are accumulated in element
     * order 0-7, 8-15, 16-23, 24-31 to keep the canonical order.
     */
    static void q4(MemorySegment w, long rowBytes, int r0, int rows, MemorySegment x, long xa, int in,
                   MemorySegment y, long ya, float[] lanes) {
        for (int r = 0; r < rows; r++) {
            long w0 = (r0 + r) * rowBytes;
            FloatVector a0 = FloatVector.zero(F);
            for (int blk = 0; blk < in / 32; blk++) {
                long q = w0 + 18L * blk;
                long xb = xa + 128L * blk;
                FloatVector d = FloatVector.broadcast(F, Float.float16ToFloat(w.get(SHORT, q)));
                ByteVector packed = ByteVector.fromMemorySegment(B16, w, q + 2, LE);
                ByteVector low = packed.and((byte) 0x0f).sub((byte) 8);
                ByteVector high = packed.lanewise(VectorOperators.LSHR, 4).sub((byte) 8);
                a0 = ((FloatVector) low.convertShape(VectorOperators.B2F, F, 0)).mul(d)
                        .fma(FloatVector.fromMemorySegment(F, x, xb, LE), a0);
                a0 = ((FloatVector) low.convertShape(VectorOperators.B2F, F, 1)).mul(d)
                        .fma(FloatVector.fromMemorySegment(F, x, xb + 32, LE), a0);
                a0 = ((FloatVector) high.convertShape(VectorOperators.B2F, F, 0)).mul(d)
                        .fma(FloatVector.fromMemorySegment(F, x, xb + 64, LE), a0);
                a0 = ((FloatVector) high.convertShape(VectorOperators.B2F, F, 1)).mul(d)
                        .fma(FloatVector.fromMemorySegment(F, x, xb + 96, LE), a0);
            }
            a0.intoArray(lanes, 0);
            y.set(FLOAT, ya + 4L * r, Lanes.sum(lanes, 0));
        }
    }

    private static void store(MemorySegment y, long ya, int r, int rows, float s0, float s1) {
        y.set(FLOAT, ya + 4L * r, s0);
        if (r + 1 < rows) {
            y.set(FLOAT, ya + 4L * r + 4, s1);
        }
    }

    private static FloatVector scale(MemorySegment w, long block) {
        return FloatVector.broadcast(F, Float.float16ToFloat(w.get(SHORT, block)));
    }
}
