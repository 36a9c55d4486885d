package dev.cascade.kernels.cpu;

import static dev.cascade.kernels.cpu.Lanes.FLOAT;
import static dev.cascade.kernels.cpu.Lanes.LE;
import static dev.cascade.kernels.cpu.Lanes.SHORT;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link QuantizedDotTiles} on 16 float lanes, for processes whose vectors are 512 bits wide
 * ({@link Lanes#WIDE}): a 32-weight block is two vectors instead of four, which halves the
 * conversions and multiply-adds per block. The canonical arithmetic on 16 lanes:
 *
 * <pre>
 *   for each 32-weight block k, with q the block's integers as floats and d its scale:
 *     s   = q[0..16)·x[0..16)                (16 lanes)
 *     s   = fma(q[16..32), x[16..32), s)
 *     acc = fma(s, d, acc)
 *   y = Lanes.sum(acc)
 * </pre>
 *
 * <p>Q4_0: byte j of a block holds element j in its low nibble and j + 16 in its high nibble, so
 * the low nibbles of the 16 bytes are the first vector and the high nibbles the second, and a Q4_0
 * block rewritten as Q8_0 gives the same products. Each width is written out, as in
 * QuantizedDotTiles, so that no vector crosses a call C2 might not inline.
 */
final class WideQuantizedDotTiles {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_512;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_512;
    /** 16 bytes: half a Q8_0 block, or a whole Q4_0 block of nibbles. */
    private static final VectorSpecies<Byte> B16 = ByteVector.SPECIES_128;

    private WideQuantizedDotTiles() {
    }

    static void q8x8(MemorySegment w, long rowBytes, int r0, int rows, float[] x, int xa, int xStride, int in,
                     MemorySegment y, long ya, long yStride, float[] lanes) {
        int blocks = in / 32;
        int xa1 = xa + 1 * xStride;
        int xa2 = xa + 2 * xStride;
        int xa3 = xa + 3 * xStride;
        int xa4 = xa + 4 * xStride;
        int xa5 = xa + 5 * xStride;
        int xa6 = xa + 6 * xStride;
        int xa7 = xa + 7 * xStride;
        for (int r = 0; r < rows; r++) {
            long w0 = (r0 + r) * rowBytes;
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = a0;
            FloatVector a2 = a0;
            FloatVector a3 = a0;
            FloatVector a4 = a0;
            FloatVector a5 = a0;
            FloatVector a6 = a0;
            FloatVector a7 = a0;
            for (int blk = 0; blk < blocks; blk++) {
                long q = w0 + 34L * blk;
                int xb = 32 * blk;
                FloatVector d = FloatVector.broadcast(F, Float.float16ToFloat(w.get(SHORT, q)));
                FloatVector v0 = (FloatVector) ByteVector.fromMemorySegment(B16, w, q + 2, LE).convertShape(VectorOperators.B2F, F, 0);
                FloatVector v1 = (FloatVector) ByteVector.fromMemorySegment(B16, w, q + 18, LE).convertShape(VectorOperators.B2F, F, 0);
                FloatVector s0 = v0.mul(FloatVector.fromArray(F, x, xa + xb));
                s0 = v1.fma(FloatVector.fromArray(F, x, xa + xb + 16), s0);
                a0 = s0.fma(d, a0);
                FloatVector s1 = v0.mul(FloatVector.fromArray(F, x, xa1 + xb));
                s1 = v1.fma(FloatVector.fromArray(F, x, xa1 + xb + 16), s1);
                a1 = s1.fma(d, a1);
                FloatVector s2 = v0.mul(FloatVector.fromArray(F, x, xa2 + xb));
                s2 = v1.fma(FloatVector.fromArray(F, x, xa2 + xb + 16), s2);
                a2 = s2.fma(d, a2);
                FloatVector s3 = v0.mul(FloatVector.fromArray(F, x, xa3 + xb));
                s3 = v1.fma(FloatVector.fromArray(F, x, xa3 + xb + 16), s3);
                a3 = s3.fma(d, a3);
                FloatVector s4 = v0.mul(FloatVector.fromArray(F, x, xa4 + xb));
                s4 = v1.fma(FloatVector.fromArray(F, x, xa4 + xb + 16), s4);
                a4 = s4.fma(d, a4);
                FloatVector s5 = v0.mul(FloatVector.fromArray(F, x, xa5 + xb));
                s5 = v1.fma(FloatVector.fromArray(F, x, xa5 + xb + 16), s5);
                a5 = s5.fma(d, a5);
                FloatVector s6 = v0.mul(FloatVector.fromArray(F, x, xa6 + xb));
                s6 = v1.fma(FloatVector.fromArray(F, x, xa6 + xb + 16), s6);
                a6 = s6.fma(d, a6);
                FloatVector s7 = v0.mul(FloatVector.fromArray(F, x, xa7 + xb));
                s7 = v1.fma(FloatVector.fromArray(F, x, xa7 + xb + 16), s7);
                a7 = s7.fma(d, a7);
            }
            a0.intoArray(lanes, 0);
            a1.intoArray(lanes, 16);
            a2.intoArray(lanes, 32);
            a3.intoArray(lanes, 48);
            a4.intoArray(lanes, 64);
            a5.intoArray(lanes, 80);
            a6.intoArray(lanes, 96);
            a7.intoArray(lanes, 112);
            y.set(FLOAT, ya + 0 * yStride + 4L * r, Lanes.sum(lanes, 0));
            y.set(FLOAT, ya + 1 * yStride + 4L * r, Lanes.sum(lanes, 16));
            y.set(FLOAT, ya + 2 * yStride + 4L * r, Lanes.sum(lanes, 32));
            y.set(FLOAT, ya + 3 * yStride + 4L * r, Lanes.sum(lanes, 48));
            y.set(FLOAT, ya + 4 * yStride + 4L * r, Lanes.sum(lanes, 64));
            y.set(FLOAT, ya + 5 * yStride + 4L * r, Lanes.sum(lanes, 80));
            y.set(FLOAT, ya + 6 * yStride + 4L * r, Lanes.sum(lanes, 96));
            y.set(FLOAT, ya + 7 * yStride + 4L * r, Lanes.sum(lanes, 112));
        }
    }

    static void q8x4(MemorySegment w, long rowBytes, int r0, int rows, float[] x, int xa, int xStride, int in,
                     MemorySegment y, long ya, long yStride, float[] lanes) {
        int blocks = in / 32;
        int xa1 = xa + 1 * xStride;
        int xa2 = xa + 2 * xStride;
        int xa3 = xa + 3 * xStride;
        for (int r = 0; r < rows; r++) {
            long w0 = (r0 + r) * rowBytes;
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = a0;
            FloatVector a2 = a0;
            FloatVector a3 = a0;
            for (int blk = 0; blk < blocks; blk++) {
                long q = w0 + 34L * blk;
                int xb = 32 * blk;
                FloatVector d = FloatVector.broadcast(F, Float.float16ToFloat(w.get(SHORT, q)));
                FloatVector v0 = (FloatVector) ByteVector.fromMemorySegment(B16, w, q + 2, LE).convertShape(VectorOperators.B2F, F, 0);
                FloatVector v1 = (FloatVector) ByteVector.fromMemorySegment(B16, w, q + 18, LE).convertShape(VectorOperators.B2F, F, 0);
                FloatVector s0 = v0.mul(FloatVector.fromArray(F, x, xa + xb));
                s0 = v1.fma(FloatVector.fromArray(F, x, xa + xb + 16), s0);
                a0 = s0.fma(d, a0);
                FloatVector s1 = v0.mul(FloatVector.fromArray(F, x, xa1 + xb));
                s1 = v1.fma(FloatVector.fromArray(F, x, xa1 + xb + 16), s1);
                a1 = s1.fma(d, a1);
                FloatVector s2 = v0.mul(FloatVector.fromArray(F, x, xa2 + xb));
                s2 = v1.fma(FloatVector.fromArray(F, x, xa2 + xb + 16), s2);
                a2 = s2.fma(d, a2);
                FloatVector s3 = v0.mul(FloatVector.fromArray(F, x, xa3 + xb));
                s3 = v1.fma(FloatVector.fromArray(F, x, xa3 + xb + 16), s3);
                a3 = s3.fma(d, a3);
            }
            a0.intoArray(lanes, 0);
            a1.intoArray(lanes, 16);
            a2.intoArray(lanes, 32);
            a3.intoArray(lanes, 48);
            y.set(FLOAT, ya + 0 * yStride + 4L * r, Lanes.sum(lanes, 0));
            y.set(FLOAT, ya + 1 * yStride + 4L * r, Lanes.sum(lanes, 16));
            y.set(FLOAT, ya + 2 * yStride + 4L * r, Lanes.sum(lanes, 32));
            y.set(FLOAT, ya + 3 * yStride + 4L * r, Lanes.sum(lanes, 48));
        }
    }

    static void q8x2(MemorySegment w, long rowBytes, int r0, int rows, float[] x, int xa, int xStride, int in,
                     MemorySegment y, long ya, long yStride, float[] lanes) {
        int blocks = in / 32;
        int xa1 = xa + 1 * xStride;
        for (int r = 0; r < rows; r++) {
            long w0 = (r0 + r) * rowBytes;
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = a0;
            for (int blk = 0; blk < blocks; blk++) {
                long q = w0 + 34L * blk;
                int xb = 32 * blk;
                FloatVector d = FloatVector.broadcast(F, Float.float16ToFloat(w.get(SHORT, q)));
                FloatVector v0 = (FloatVector) ByteVector.fromMemorySegment(B16, w, q + 2, LE).convertShape(VectorOperators.B2F, F, 0);
                FloatVector v1 = (FloatVector) ByteVector.fromMemorySegment(B16, w, q + 18, LE).convertShape(VectorOperators.B2F, F, 0);
                FloatVector s0 = v0.mul(FloatVector.fromArray(F, x, xa + xb));
                s0 = v1.fma(FloatVector.fromArray(F, x, xa + xb + 16), s0);
                a0 = s0.fma(d, a0);
                FloatVector s1 = v0.mul(FloatVector.fromArray(F, x, xa1 + xb));
                s1 = v1.fma(FloatVector.fromArray(F, x, xa1 + xb + 16), s1);
                a1 = s1.fma(d, a1);
            }
            a0.intoArray(lanes, 0);
            a1.intoArray(lanes, 16);
            y.set(FLOAT, ya + 0 * yStride + 4L * r, Lanes.sum(lanes, 0));
            y.set(FLOAT, ya + 1 * yStride + 4L * r, Lanes.sum(lanes, 16));
        }
    }

    static void q8x1(MemorySegment w, long rowBytes, int r0, int rows, float[] x, int xa, int xStride, int in,
                     MemorySegment y, long ya, long yStride, float[] lanes) {
        int blocks = in / 32;
        for (int r = 0; r < rows; r++) {
            long w0 = (r0 + r) * rowBytes;
            FloatVector a0 = FloatVector.zero(F);
            for (int blk = 0; blk < blocks; blk++) {
                long q = w0 + 34L * blk;
                int xb = 32 * blk;
                FloatVector d = FloatVector.broadcast(F, Float.float16ToFloat(w.get(SHORT, q)));
                FloatVector v0 = (FloatVector) ByteVector.fromMemorySegment(B16, w, q + 2, LE).convertShape(VectorOperators.B2F, F, 0);
                FloatVector v1 = (FloatVector) ByteVector.fromMemorySegment(B16, w, q + 18, LE).convertShape(VectorOperators.B2F, F, 0);
                FloatVector s0 = v0.mul(FloatVector.fromArray(F, x, xa + xb));
                s0 = v1.fma(FloatVector.fromArray(F, x, xa + xb + 16), s0);
                a0 = s0.fma(d, a0);
            }
            a0.intoArray(lanes, 0);
            y.set(FLOAT, ya + 0 * yStride + 4L * r, Lanes.sum(lanes, 0));
        }
    }

    static void q4x8(MemorySegment w, long rowBytes, int r0, int rows, float[] x, int xa, int xStride, int in,
                     MemorySegment y, long ya, long yStride, float[] lanes) {
        int blocks = in / 32;
        int xa1 = xa + 1 * xStride;
        int xa2 = xa + 2 * xStride;
        int xa3 = xa + 3 * xStride;
        int xa4 = xa + 4 * xStride;
        int xa5 = xa + 5 * xStride;
        int xa6 = xa + 6 * xStride;
        int xa7 = xa + 7 * xStride;
        for (int r = 0; r < rows; r++) {
            long w0 = (r0 + r) * rowBytes;
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = a0;
            FloatVector a2 = a0;
            FloatVector a3 = a0;
            FloatVector a4 = a0;
            FloatVector a5 = a0;
            FloatVector a6 = a0;
            FloatVector a7 = a0;
            for (int blk = 0; blk < blocks; blk++) {
                long q = w0 + 18L * blk;
                int xb = 32 * blk;
                FloatVector d = FloatVector.broadcast(F, Float.float16ToFloat(w.get(SHORT, q)));
                IntVector p = (IntVector) ByteVector.fromMemorySegment(B16, w, q + 2, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                FloatVector v0 = (FloatVector) p.and(0x0f).sub(8).convert(VectorOperators.I2F, 0);
                FloatVector v1 = (FloatVector) p.lanewise(VectorOperators.LSHR, 4).sub(8).convert(VectorOperators.I2F, 0);
                FloatVector s0 = v0.mul(FloatVector.fromArray(F, x, xa + xb));
                s0 = v1.fma(FloatVector.fromArray(F, x, xa + xb + 16), s0);
                a0 = s0.fma(d, a0);
                FloatVector s1 = v0.mul(FloatVector.fromArray(F, x, xa1 + xb));
                s1 = v1.fma(FloatVector.fromArray(F, x, xa1 + xb + 16), s1);
                a1 = s1.fma(d, a1);
                FloatVector s2 = v0.mul(FloatVector.fromArray(F, x, xa2 + xb));
                s2 = v1.fma(FloatVector.fromArray(F, x, xa2 + xb + 16), s2);
                a2 = s2.fma(d, a2);
                FloatVector s3 = v0.mul(FloatVector.fromArray(F, x, xa3 + xb));
                s3 = v1.fma(FloatVector.fromArray(F, x, xa3 + xb + 16), s3);
                a3 = s3.fma(d, a3);
                FloatVector s4 = v0.mul(FloatVector.fromArray(F, x, xa4 + xb));
                s4 = v1.fma(FloatVector.fromArray(F, x, xa4 + xb + 16), s4);
                a4 = s4.fma(d, a4);
                FloatVector s5 = v0.mul(FloatVector.fromArray(F, x, xa5 + xb));
                s5 = v1.fma(FloatVector.fromArray(F, x, xa5 + xb + 16), s5);
                a5 = s5.fma(d, a5);
                FloatVector s6 = v0.mul(FloatVector.fromArray(F, x, xa6 + xb));
                s6 = v1.fma(FloatVector.fromArray(F, x, xa6 + xb + 16), s6);
                a6 = s6.fma(d, a6);
                FloatVector s7 = v0.mul(FloatVector.fromArray(F, x, xa7 + xb));
                s7 = v1.fma(FloatVector.fromArray(F, x, xa7 + xb + 16), s7);
                a7 = s7.fma(d, a7);
            }
            a0.intoArray(lanes, 0);
            a1.intoArray(lanes, 16);
            a2.intoArray(lanes, 32);
            a3.intoArray(lanes, 48);
            a4.intoArray(lanes, 64);
            a5.intoArray(lanes, 80);
            a6.intoArray(lanes, 96);
            a7.intoArray(lanes, 112);
            y.set(FLOAT, ya + 0 * yStride + 4L * r, Lanes.sum(lanes, 0));
            y.set(FLOAT, ya + 1 * yStride + 4L * r, Lanes.sum(lanes, 16));
            y.set(FLOAT, ya + 2 * yStride + 4L * r, Lanes.sum(lanes, 32));
            y.set(FLOAT, ya + 3 * yStride + 4L * r, Lanes.sum(lanes, 48));
            y.set(FLOAT, ya + 4 * yStride + 4L * r, Lanes.sum(lanes, 64));
            y.set(FLOAT, ya + 5 * yStride + 4L * r, Lanes.sum(lanes, 80));
            y.set(FLOAT, ya + 6 * yStride + 4L * r, Lanes.sum(lanes, 96));
            y.set(FLOAT, ya + 7 * yStride + 4L * r, Lanes.sum(lanes, 112));
        }
    }

    static void q4x4(MemorySegment w, long rowBytes, int r0, int rows, float[] x, int xa, int xStride, int in,
                     MemorySegment y, long ya, long yStride, float[] lanes) {
        int blocks = in / 32;
        int xa1 = xa + 1 * xStride;
        int xa2 = xa + 2 * xStride;
        int xa3 = xa + 3 * xStride;
        for (int r = 0; r < rows; r++) {
            long w0 = (r0 + r) * rowBytes;
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = a0;
            FloatVector a2 = a0;
            FloatVector a3 = a0;
            for (int blk = 0; blk < blocks; blk++) {
                long q = w0 + 18L * blk;
                int xb = 32 * blk;
                FloatVector d = FloatVector.broadcast(F, Float.float16ToFloat(w.get(SHORT, q)));
                IntVector p = (IntVector) ByteVector.fromMemorySegment(B16, w, q + 2, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                FloatVector v0 = (FloatVector) p.and(0x0f).sub(8).convert(VectorOperators.I2F, 0);
                FloatVector v1 = (FloatVector) p.lanewise(VectorOperators.LSHR, 4).sub(8).convert(VectorOperators.I2F, 0);
                FloatVector s0 = v0.mul(FloatVector.fromArray(F, x, xa + xb));
                s0 = v1.fma(FloatVector.fromArray(F, x, xa + xb + 16), s0);
                a0 = s0.fma(d, a0);
                FloatVector s1 = v0.mul(FloatVector.fromArray(F, x, xa1 + xb));
                s1 = v1.fma(FloatVector.fromArray(F, x, xa1 + xb + 16), s1);
                a1 = s1.fma(d, a1);
                FloatVector s2 = v0.mul(FloatVector.fromArray(F, x, xa2 + xb));
                s2 = v1.fma(FloatVector.fromArray(F, x, xa2 + xb + 16), s2);
                a2 = s2.fma(d, a2);
                FloatVector s3 = v0.mul(FloatVector.fromArray(F, x, xa3 + xb));
                s3 = v1.fma(FloatVector.fromArray(F, x, xa3 + xb + 16), s3);
                a3 = s3.fma(d, a3);
            }
            a0.intoArray(lanes, 0);
            a1.intoArray(lanes, 16);
            a2.intoArray(lanes, 32);
            a3.intoArray(lanes, 48);
            y.set(FLOAT, ya + 0 * yStride + 4L * r, Lanes.sum(lanes, 0));
            y.set(FLOAT, ya + 1 * yStride + 4L * r, Lanes.sum(lanes, 16));
            y.set(FLOAT, ya + 2 * yStride + 4L * r, Lanes.sum(lanes, 32));
            y.set(FLOAT, ya + 3 * yStride + 4L * r, Lanes.sum(lanes, 48));
        }
    }

    static void q4x2(MemorySegment w, long rowBytes, int r0, int rows, float[] x, int xa, int xStride, int in,
                     MemorySegment y, long ya, long yStride, float[] lanes) {
        int blocks = in / 32;
        int xa1 = xa + 1 * xStride;
        for (int r = 0; r < rows; r++) {
            long w0 = (r0 + r) * rowBytes;
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = a0;
            for (int blk = 0; blk < blocks; blk++) {
                long q = w0 + 18L * blk;
                int xb = 32 * blk;
                FloatVector d = FloatVector.broadcast(F, Float.float16ToFloat(w.get(SHORT, q)));
                IntVector p = (IntVector) ByteVector.fromMemorySegment(B16, w, q + 2, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                FloatVector v0 = (FloatVector) p.and(0x0f).sub(8).convert(VectorOperators.I2F, 0);
                FloatVector v1 = (FloatVector) p.lanewise(VectorOperators.LSHR, 4).sub(8).convert(VectorOperators.I2F, 0);
                FloatVector s0 = v0.mul(FloatVector.fromArray(F, x, xa + xb));
                s0 = v1.fma(FloatVector.fromArray(F, x, xa + xb + 16), s0);
                a0 = s0.fma(d, a0);
                FloatVector s1 = v0.mul(FloatVector.fromArray(F, x, xa1 + xb));
                s1 = v1.fma(FloatVector.fromArray(F, x, xa1 + xb + 16), s1);
                a1 = s1.fma(d, a1);
            }
            a0.intoArray(lanes, 0);
            a1.intoArray(lanes, 16);
            y.set(FLOAT, ya + 0 * yStride + 4L * r, Lanes.sum(lanes, 0));
            y.set(FLOAT, ya + 1 * yStride + 4L * r, Lanes.sum(lanes, 16));
        }
    }

    static void q4x1(MemorySegment w, long rowBytes, int r0, int rows, float[] x, int xa, int xStride, int in,
                     MemorySegment y, long ya, long yStride, float[] lanes) {
        int blocks = in / 32;
        for (int r = 0; r < rows; r++) {
            long w0 = (r0 + r) * rowBytes;
            FloatVector a0 = FloatVector.zero(F);
            for (int blk = 0; blk < blocks; blk++) {
                long q = w0 + 18L * blk;
                int xb = 32 * blk;
                FloatVector d = FloatVector.broadcast(F, Float.float16ToFloat(w.get(SHORT, q)));
                IntVector p = (IntVector) ByteVector.fromMemorySegment(B16, w, q + 2, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                FloatVector v0 = (FloatVector) p.and(0x0f).sub(8).convert(VectorOperators.I2F, 0);
                FloatVector v1 = (FloatVector) p.lanewise(VectorOperators.LSHR, 4).sub(8).convert(VectorOperators.I2F, 0);
                FloatVector s0 = v0.mul(FloatVector.fromArray(F, x, xa + xb));
                s0 = v1.fma(FloatVector.fromArray(F, x, xa + xb + 16), s0);
                a0 = s0.fma(d, a0);
            }
            a0.intoArray(lanes, 0);
            y.set(FLOAT, ya + 0 * yStride + 4L * r, Lanes.sum(lanes, 0));
        }
    }
}
