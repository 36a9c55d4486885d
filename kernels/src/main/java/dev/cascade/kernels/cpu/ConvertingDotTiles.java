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

/**
 * Dot products of 4 stored weight rows with one activation row, converting the weights to float
 * in registers (no round trip through a scratch buffer). Used for single-row products, where
 * each weight is used once and the matrix streams from memory.
 *
 * <p>The arithmetic is exactly {@link FloatDotTiles}'s: the converted weights are exact (see
 * {@link RowDecoder}), terms are added with one 8-lane FMA accumulator per row in index order,
 * reduced with {@link Lanes#sum}, and any tail is added by scalar FMA. A row computed here
 * is bit-identical to the same row computed by decoding first, which keeps batching invisible.
 */
final class ConvertingDotTiles {

    private ConvertingDotTiles() {
    }

    static void f16x4(MemorySegment w, long w0, long wStride, MemorySegment x, long xa, int in,
                      MemorySegment y, long ya) {
        long w1 = w0 + wStride, w2 = w1 + wStride, w3 = w2 + wStride;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int vecEnd = in - in % FLOATS;
        for (int i = 0; i < vecEnd; i += FLOATS) {
            FloatVector va = FloatVector.fromMemorySegment(F, x, xa + 4L * i, LE);
            long h = 2L * i;
            a0 = HalfFloats.halfToFloat(ShortVector.fromMemorySegment(S8, w, w0 + h, LE)).fma(va, a0);
            a1 = HalfFloats.halfToFloat(ShortVector.fromMemorySegment(S8, w, w1 + h, LE)).fma(va, a1);
            a2 = HalfFloats.halfToFloat(ShortVector.fromMemorySegment(S8, w, w2 + h, LE)).fma(va, a2);
            a3 = HalfFloats.halfToFloat(ShortVector.fromMemorySegment(S8, w, w3 + h, LE)).fma(va, a3);
        }
        y.set(FLOAT, ya, f16Tail(a0, w, w0, x, xa, vecEnd, in));
        y.set(FLOAT, ya + 4, f16Tail(a1, w, w1, x, xa, vecEnd, in));
        y.set(FLOAT, ya + 8, f16Tail(a2, w, w2, x, xa, vecEnd, in));
        y.set(FLOAT, ya + 12, f16Tail(a3, w, w3, x, xa, vecEnd, in));
    }

    private static float f16Tail(FloatVector acc, MemorySegment w, long w0, MemorySegment x, long xa, int from, int in) {
        float s = Lanes.sum(acc);
        for (int i = from; i < in; i++) {
            s = Math.fma(Float.float16ToFloat(w.get(SHORT, w0 + 2L * i)), x.get(FLOAT, xa + 4L * i), s);
        }
        return s;
    }

    static void bf16x4(MemorySegment w, long w0, long wStride, MemorySegment x, long xa, int in,
                       MemorySegment y, long ya) {
        long w1 = w0 + wStride, w2 = w1 + wStride, w3 = w2 + wStride;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int vecEnd = in - in % FLOATS;
        for (int i = 0; i < vecEnd; i += FLOATS) {
            FloatVector va = FloatVector.fromMemorySegment(F, x, xa + 4L * i, LE);
            long h = 2L * i;
            a0 = HalfFloats.bfloat16ToFloat(ShortVector.fromMemorySegment(S8, w, w0 + h, LE)).fma(va, a0);
            a1 = HalfFloats.bfloat16ToFloat(ShortVector.fromMemorySegment(S8, w, w1 + h, LE)).fma(va, a1);
            a2 = HalfFloats.bfloat16ToFloat(ShortVector.fromMemorySegment(S8, w, w2 + h, LE)).fma(va, a2);
            a3 = HalfFloats.bfloat16ToFloat(ShortVector.fromMemorySegment(S8, w, w3 + h, LE)).fma(va, a3);
        }
        y.set(FLOAT, ya, bf16Tail(a0, w, w0, x, xa, vecEnd, in));
        y.set(FLOAT, ya + 4, bf16Tail(a1, w, w1, x, xa, vecEnd, in));
        y.set(FLOAT, ya + 8, bf16Tail(a2, w, w2, x, xa, vecEnd, in));
        y.set(FLOAT, ya + 12, bf16Tail(a3, w, w3, x, xa, vecEnd, in));
    }

    private static float bf16Tail(FloatVector acc, MemorySegment w, long w0, MemorySegment x, long xa, int from, int in) {
        float s = Lanes.sum(acc);
        for (int i = from; i < in; i++) {
            s = Math.fma(HalfFloats.bfloat16ToFloat(w.get(SHORT, w0 + 2L * i)), x.get(FLOAT, xa + 4L * i), s);
        }
        return s;
    }

    /** Q8_0 rows: per block the scale is broadcast and each 8 int8 become d·q, exactly. */
    static void q8x4(MemorySegment w, long w0, long wStride, MemorySegment x, long xa, int in,
                     MemorySegment y, long ya) {
        long w1 = w0 + wStride, w2 = w1 + wStride, w3 = w2 + wStride;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        for (int blk = 0; blk < in / 32; blk++) {
            long q = 34L * blk;
            long xb = xa + 128L * blk;
            FloatVector d0 = scale(w, w0 + q), d1 = scale(w, w1 + q), d2 = scale(w, w2 + q), d3 = scale(w, w3 + q);
            for (int k = 0; k < 4; k++) {
                FloatVector va = FloatVector.fromMemorySegment(F, x, xb + 32L * k, LE);
                long o = q + 2 + 8L * k;
                a0 = RowDecoder.q8(w, w0 + o).mul(d0).fma(va, a0);
                a1 = RowDecoder.q8(w, w1 + o).mul(d1).fma(va, a1);
                a2 = RowDecoder.q8(w, w2 + o).mul(d2).fma(va, a2);
                a3 = RowDecoder.q8(w, w3 + o).mul(d3).fma(va, a3);
            }
        }
        y.set(FLOAT, ya, Lanes.sum(a0));
        y.set(FLOAT, ya + 4, Lanes.sum(a1));
        y.set(FLOAT, ya + 8, Lanes.sum(a2));
        y.set(FLOAT, ya + 12, Lanes.sum(a3));
    }

    /**
     * Q4_0 rows. Byte j of a block holds element j (low nibble) and j + 16 (high nibble), so the
     * two 8-byte halves give elements 0-7 / 16-23 and 8-15 / 24-31; they are accumulated in element
     * order 0-7, 8-15, 16-23, 24-31 to keep the canonical order.
     */
    static void q4x4(MemorySegment w, long w0, long wStride, MemorySegment x, long xa, int in,
                     MemorySegment y, long ya) {
        long w1 = w0 + wStride, w2 = w1 + wStride, w3 = w2 + wStride;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        for (int blk = 0; blk < in / 32; blk++) {
            long q = 18L * blk;
            long xb = xa + 128L * blk;
            FloatVector x0 = FloatVector.fromMemorySegment(F, x, xb, LE);
            FloatVector x1 = FloatVector.fromMemorySegment(F, x, xb + 32, LE);
            FloatVector x2 = FloatVector.fromMemorySegment(F, x, xb + 64, LE);
            FloatVector x3 = FloatVector.fromMemorySegment(F, x, xb + 96, LE);
            a0 = q4Block(w, w0 + q, x0, x1, x2, x3, a0);
            a1 = q4Block(w, w1 + q, x0, x1, x2, x3, a1);
            a2 = q4Block(w, w2 + q, x0, x1, x2, x3, a2);
            a3 = q4Block(w, w3 + q, x0, x1, x2, x3, a3);
        }
        y.set(FLOAT, ya, Lanes.sum(a0));
        y.set(FLOAT, ya + 4, Lanes.sum(a1));
        y.set(FLOAT, ya + 8, Lanes.sum(a2));
        y.set(FLOAT, ya + 12, Lanes.sum(a3));
    }

    private static FloatVector q4Block(MemorySegment w, long block, FloatVector x0, FloatVector x1,
                                       FloatVector x2, FloatVector x3, FloatVector acc) {
        FloatVector d = scale(w, block);
        ByteVector first = ByteVector.fromMemorySegment(B8, w, block + 2, LE);
        ByteVector second = ByteVector.fromMemorySegment(B8, w, block + 10, LE);
        acc = RowDecoder.q4Low(first).mul(d).fma(x0, acc);
        acc = RowDecoder.q4Low(second).mul(d).fma(x1, acc);
        acc = RowDecoder.q4High(first).mul(d).fma(x2, acc);
        return RowDecoder.q4High(second).mul(d).fma(x3, acc);
    }

    private static FloatVector scale(MemorySegment w, long block) {
        return FloatVector.broadcast(F, Float.float16ToFloat(w.get(SHORT, block)));
    }
}
