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
 * Products of Q8_0 and Q4_0 weight rows with 8, 4, 2 or 1 activation rows at once on 8 float lanes
 * (256-bit vectors; {@link WideQuantizedDotTiles} is the 16-lane twin), converting the
 * weights in registers once per group of activation rows. Every quantized product, at any batch
 * size, goes through here, so this class defines the canonical quantized arithmetic:
 *
 * <pre>
 *   for each 32-weight block k, with q the block's integers as floats and d its scale:
 *     s   = q[0..8)·x[0..8)                  (8 lanes)
 *     s   = fma(q[8..16),  x[8..16),  s)
 *     s   = fma(q[16..24), x[16..24), s)
 *     s   = fma(q[24..32), x[24..32), s)
 *     acc = fma(s, d, acc)
 *   y = Lanes.sum(acc)
 * </pre>
 *
 * Applying the scale once per block rather than to every weight keeps the chain that carries
 * {@code acc} at one FMA per block: the four products of a block do not depend on the previous
 * block, so the core overlaps them, where scaling each weight first made four dependent FMAs per
 * block (measured on a Q8_0 row, single activation row: 17 cycles per block before, 10 after).
 * Rows are therefore bit-identical whichever group width computed them, and batching stays
 * invisible.
 *
 * <p>Q4_0: byte j of a block holds element j (low nibble) and j + 16 (high nibble), so the two
 * 8-byte halves give elements 0-7 / 16-23 and 8-15 / 24-31; the terms still go in element order.
 * The bytes are widened to int lanes before the nibbles are split: AVX2 has no byte shift, so a
 * shift on byte lanes costs three instructions where an int lane shift costs one.
 *
 * <p>Activation row j starts at index {@code xa + j·xStride} of the heap copy {@code x} (C2
 * compiles array loads about twice as fast as segment loads); its outputs go to byte offset
 * {@code ya + j·yStride}. Each width is written out: C2 parses every Vector API call into many IR
 * nodes, and a vector handed to a helper it does not inline is boxed on the heap, which measured
 * 5-10x slower.
 */
final class QuantizedDotTiles {

    // 8 float lanes whatever Lanes.F is: this class runs only in processes whose vectors are 256
    // bits wide (WideQuantizedDotTiles runs in the others), and its block layout assumes 8
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_256;
    private static final VectorSpecies<Byte> B8 = ByteVector.SPECIES_64;

    private QuantizedDotTiles() {
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
                FloatVector v0 = (FloatVector) ByteVector.fromMemorySegment(B8, w, q + 2, LE).convertShape(VectorOperators.B2F, F, 0);
                FloatVector v1 = (FloatVector) ByteVector.fromMemorySegment(B8, w, q + 10, LE).convertShape(VectorOperators.B2F, F, 0);
                FloatVector v2 = (FloatVector) ByteVector.fromMemorySegment(B8, w, q + 18, LE).convertShape(VectorOperators.B2F, F, 0);
                FloatVector v3 = (FloatVector) ByteVector.fromMemorySegment(B8, w, q + 26, LE).convertShape(VectorOperators.B2F, F, 0);
                FloatVector s0 = v0.mul(FloatVector.fromArray(F, x, xa + xb));
                s0 = v1.fma(FloatVector.fromArray(F, x, xa + xb + 8), s0);
                s0 = v2.fma(FloatVector.fromArray(F, x, xa + xb + 16), s0);
                s0 = v3.fma(FloatVector.fromArray(F, x, xa + xb + 24), s0);
                a0 = s0.fma(d, a0);
                FloatVector s1 = v0.mul(FloatVector.fromArray(F, x, xa1 + xb));
                s1 = v1.fma(FloatVector.fromArray(F, x, xa1 + xb + 8), s1);
                s1 = v2.fma(FloatVector.fromArray(F, x, xa1 + xb + 16), s1);
                s1 = v3.fma(FloatVector.fromArray(F, x, xa1 + xb + 24), s1);
                a1 = s1.fma(d, a1);
                FloatVector s2 = v0.mul(FloatVector.fromArray(F, x, xa2 + xb));
                s2 = v1.fma(FloatVector.fromArray(F, x, xa2 + xb + 8), s2);
                s2 = v2.fma(FloatVector.fromArray(F, x, xa2 + xb + 16), s2);
                s2 = v3.fma(FloatVector.fromArray(F, x, xa2 + xb + 24), s2);
                a2 = s2.fma(d, a2);
                FloatVector s3 = v0.mul(FloatVector.fromArray(F, x, xa3 + xb));
                s3 = v1.fma(FloatVector.fromArray(F, x, xa3 + xb + 8), s3);
                s3 = v2.fma(FloatVector.fromArray(F, x, xa3 + xb + 16), s3);
                s3 = v3.fma(FloatVector.fromArray(F, x, xa3 + xb + 24), s3);
                a3 = s3.fma(d, a3);
                FloatVector s4 = v0.mul(FloatVector.fromArray(F, x, xa4 + xb));
                s4 = v1.fma(FloatVector.fromArray(F, x, xa4 + xb + 8), s4);
                s4 = v2.fma(FloatVector.fromArray(F, x, xa4 + xb + 16), s4);
                s4 = v3.fma(FloatVector.fromArray(F, x, xa4 + xb + 24), s4);
                a4 = s4.fma(d, a4);
                FloatVector s5 = v0.mul(FloatVector.fromArray(F, x, xa5 + xb));
                s5 = v1.fma(FloatVector.fromArray(F, x, xa5 + xb + 8), s5);
                s5 = v2.fma(FloatVector.fromArray(F, x, xa5 + xb + 16), s5);
                s5 = v3.fma(FloatVector.fromArray(F, x, xa5 + xb + 24), s5);
                a5 = s5.fma(d, a5);
                FloatVector s6 = v0.mul(FloatVector.fromArray(F, x, xa6 + xb));
                s6 = v1.fma(FloatVector.fromArray(F, x, xa6 + xb + 8), s6);
                s6 = v2.fma(FloatVector.fromArray(F, x, xa6 + xb + 16), s6);
                s6 = v3.fma(FloatVector.fromArray(F, x, xa6 + xb + 24), s6);
                a6 = s6.fma(d, a6);
                FloatVector s7 = v0.mul(FloatVector.fromArray(F, x, xa7 + xb));
                s7 = v1.fma(FloatVector.fromArray(F, x, xa7 + xb + 8), s7);
                s7 = v2.fma(FloatVector.fromArray(F, x, xa7 + xb + 16), s7);
                s7 = v3.fma(FloatVector.fromArray(F, x, xa7 + xb + 24), s7);
                a7 = s7.fma(d, a7);
            }
            a0.intoArray(lanes, 0);
            a1.intoArray(lanes, 8);
            a2.intoArray(lanes, 16);
            a3.intoArray(lanes, 24);
            a4.intoArray(lanes, 32);
            a5.intoArray(lanes, 40);
            a6.intoArray(lanes, 48);
            a7.intoArray(lanes, 56);
            y.set(FLOAT, ya + 0 * yStride + 4L * r, Lanes.sum(lanes, 0));
            y.set(FLOAT, ya + 1 * yStride + 4L * r, Lanes.sum(lanes, 8));
            y.set(FLOAT, ya + 2 * yStride + 4L * r, Lanes.sum(lanes, 16));
            y.set(FLOAT, ya + 3 * yStride + 4L * r, Lanes.sum(lanes, 24));
            y.set(FLOAT, ya + 4 * yStride + 4L * r, Lanes.sum(lanes, 32));
            y.set(FLOAT, ya + 5 * yStride + 4L * r, Lanes.sum(lanes, 40));
            y.set(FLOAT, ya + 6 * yStride + 4L * r, Lanes.sum(lanes, 48));
            y.set(FLOAT, ya + 7 * yStride + 4L * r, Lanes.sum(lanes, 56));
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
                FloatVector v0 = (FloatVector) ByteVector.fromMemorySegment(B8, w, q + 2, LE).convertShape(VectorOperators.B2F, F, 0);
                FloatVector v1 = (FloatVector) ByteVector.fromMemorySegment(B8, w, q + 10, LE).convertShape(VectorOperators.B2F, F, 0);
                FloatVector v2 = (FloatVector) ByteVector.fromMemorySegment(B8, w, q + 18, LE).convertShape(VectorOperators.B2F, F, 0);
                FloatVector v3 = (FloatVector) ByteVector.fromMemorySegment(B8, w, q + 26, LE).convertShape(VectorOperators.B2F, F, 0);
                FloatVector s0 = v0.mul(FloatVector.fromArray(F, x, xa + xb));
                s0 = v1.fma(FloatVector.fromArray(F, x, xa + xb + 8), s0);
                s0 = v2.fma(FloatVector.fromArray(F, x, xa + xb + 16), s0);
                s0 = v3.fma(FloatVector.fromArray(F, x, xa + xb + 24), s0);
                a0 = s0.fma(d, a0);
                FloatVector s1 = v0.mul(FloatVector.fromArray(F, x, xa1 + xb));
                s1 = v1.fma(FloatVector.fromArray(F, x, xa1 + xb + 8), s1);
                s1 = v2.fma(FloatVector.fromArray(F, x, xa1 + xb + 16), s1);
                s1 = v3.fma(FloatVector.fromArray(F, x, xa1 + xb + 24), s1);
                a1 = s1.fma(d, a1);
                FloatVector s2 = v0.mul(FloatVector.fromArray(F, x, xa2 + xb));
                s2 = v1.fma(FloatVector.fromArray(F, x, xa2 + xb + 8), s2);
                s2 = v2.fma(FloatVector.fromArray(F, x, xa2 + xb + 16), s2);
                s2 = v3.fma(FloatVector.fromArray(F, x, xa2 + xb + 24), s2);
                a2 = s2.fma(d, a2);
                FloatVector s3 = v0.mul(FloatVector.fromArray(F, x, xa3 + xb));
                s3 = v1.fma(FloatVector.fromArray(F, x, xa3 + xb + 8), s3);
                s3 = v2.fma(FloatVector.fromArray(F, x, xa3 + xb + 16), s3);
                s3 = v3.fma(FloatVector.fromArray(F, x, xa3 + xb + 24), s3);
                a3 = s3.fma(d, a3);
            }
            a0.intoArray(lanes, 0);
            a1.intoArray(lanes, 8);
            a2.intoArray(lanes, 16);
            a3.intoArray(lanes, 24);
            y.set(FLOAT, ya + 0 * yStride + 4L * r, Lanes.sum(lanes, 0));
            y.set(FLOAT, ya + 1 * yStride + 4L * r, Lanes.sum(lanes, 8));
            y.set(FLOAT, ya + 2 * yStride + 4L * r, Lanes.sum(lanes, 16));
            y.set(FLOAT, ya + 3 * yStride + 4L * r, Lanes.sum(lanes, 24));
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
                FloatVector v0 = (FloatVector) ByteVector.fromMemorySegment(B8, w, q + 2, LE).convertShape(VectorOperators.B2F, F, 0);
                FloatVector v1 = (FloatVector) ByteVector.fromMemorySegment(B8, w, q + 10, LE).convertShape(VectorOperators.B2F, F, 0);
                FloatVector v2 = (FloatVector) ByteVector.fromMemorySegment(B8, w, q + 18, LE).convertShape(VectorOperators.B2F, F, 0);
                FloatVector v3 = (FloatVector) ByteVector.fromMemorySegment(B8, w, q + 26, LE).convertShape(VectorOperators.B2F, F, 0);
                FloatVector s0 = v0.mul(FloatVector.fromArray(F, x, xa + xb));
                s0 = v1.fma(FloatVector.fromArray(F, x, xa + xb + 8), s0);
                s0 = v2.fma(FloatVector.fromArray(F, x, xa + xb + 16), s0);
                s0 = v3.fma(FloatVector.fromArray(F, x, xa + xb + 24), s0);
                a0 = s0.fma(d, a0);
                FloatVector s1 = v0.mul(FloatVector.fromArray(F, x, xa1 + xb));
                s1 = v1.fma(FloatVector.fromArray(F, x, xa1 + xb + 8), s1);
                s1 = v2.fma(FloatVector.fromArray(F, x, xa1 + xb + 16), s1);
                s1 = v3.fma(FloatVector.fromArray(F, x, xa1 + xb + 24), s1);
                a1 = s1.fma(d, a1);
            }
            a0.intoArray(lanes, 0);
            a1.intoArray(lanes, 8);
            y.set(FLOAT, ya + 0 * yStride + 4L * r, Lanes.sum(lanes, 0));
            y.set(FLOAT, ya + 1 * yStride + 4L * r, Lanes.sum(lanes, 8));
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
                FloatVector v0 = (FloatVector) ByteVector.fromMemorySegment(B8, w, q + 2, LE).convertShape(VectorOperators.B2F, F, 0);
                FloatVector v1 = (FloatVector) ByteVector.fromMemorySegment(B8, w, q + 10, LE).convertShape(VectorOperators.B2F, F, 0);
                FloatVector v2 = (FloatVector) ByteVector.fromMemorySegment(B8, w, q + 18, LE).convertShape(VectorOperators.B2F, F, 0);
                FloatVector v3 = (FloatVector) ByteVector.fromMemorySegment(B8, w, q + 26, LE).convertShape(VectorOperators.B2F, F, 0);
                FloatVector s0 = v0.mul(FloatVector.fromArray(F, x, xa + xb));
                s0 = v1.fma(FloatVector.fromArray(F, x, xa + xb + 8), s0);
                s0 = v2.fma(FloatVector.fromArray(F, x, xa + xb + 16), s0);
                s0 = v3.fma(FloatVector.fromArray(F, x, xa + xb + 24), s0);
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
                IntVector p0 = (IntVector) ByteVector.fromMemorySegment(B8, w, q + 2, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                IntVector p1 = (IntVector) ByteVector.fromMemorySegment(B8, w, q + 10, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                FloatVector v0 = (FloatVector) p0.and(0x0f).sub(8).convert(VectorOperators.I2F, 0);
                FloatVector v1 = (FloatVector) p1.and(0x0f).sub(8).convert(VectorOperators.I2F, 0);
                FloatVector v2 = (FloatVector) p0.lanewise(VectorOperators.LSHR, 4).sub(8).convert(VectorOperators.I2F, 0);
                FloatVector v3 = (FloatVector) p1.lanewise(VectorOperators.LSHR, 4).sub(8).convert(VectorOperators.I2F, 0);
                FloatVector s0 = v0.mul(FloatVector.fromArray(F, x, xa + xb));
                s0 = v1.fma(FloatVector.fromArray(F, x, xa + xb + 8), s0);
                s0 = v2.fma(FloatVector.fromArray(F, x, xa + xb + 16), s0);
                s0 = v3.fma(FloatVector.fromArray(F, x, xa + xb + 24), s0);
                a0 = s0.fma(d, a0);
                FloatVector s1 = v0.mul(FloatVector.fromArray(F, x, xa1 + xb));
                s1 = v1.fma(FloatVector.fromArray(F, x, xa1 + xb + 8), s1);
                s1 = v2.fma(FloatVector.fromArray(F, x, xa1 + xb + 16), s1);
                s1 = v3.fma(FloatVector.fromArray(F, x, xa1 + xb + 24), s1);
                a1 = s1.fma(d, a1);
                FloatVector s2 = v0.mul(FloatVector.fromArray(F, x, xa2 + xb));
                s2 = v1.fma(FloatVector.fromArray(F, x, xa2 + xb + 8), s2);
                s2 = v2.fma(FloatVector.fromArray(F, x, xa2 + xb + 16), s2);
                s2 = v3.fma(FloatVector.fromArray(F, x, xa2 + xb + 24), s2);
                a2 = s2.fma(d, a2);
                FloatVector s3 = v0.mul(FloatVector.fromArray(F, x, xa3 + xb));
                s3 = v1.fma(FloatVector.fromArray(F, x, xa3 + xb + 8), s3);
                s3 = v2.fma(FloatVector.fromArray(F, x, xa3 + xb + 16), s3);
                s3 = v3.fma(FloatVector.fromArray(F, x, xa3 + xb + 24), s3);
                a3 = s3.fma(d, a3);
                FloatVector s4 = v0.mul(FloatVector.fromArray(F, x, xa4 + xb));
                s4 = v1.fma(FloatVector.fromArray(F, x, xa4 + xb + 8), s4);
                s4 = v2.fma(FloatVector.fromArray(F, x, xa4 + xb + 16), s4);
                s4 = v3.fma(FloatVector.fromArray(F, x, xa4 + xb + 24), s4);
                a4 = s4.fma(d, a4);
                FloatVector s5 = v0.mul(FloatVector.fromArray(F, x, xa5 + xb));
                s5 = v1.fma(FloatVector.fromArray(F, x, xa5 + xb + 8), s5);
                s5 = v2.fma(FloatVector.fromArray(F, x, xa5 + xb + 16), s5);
                s5 = v3.fma(FloatVector.fromArray(F, x, xa5 + xb + 24), s5);
                a5 = s5.fma(d, a5);
                FloatVector s6 = v0.mul(FloatVector.fromArray(F, x, xa6 + xb));
                s6 = v1.fma(FloatVector.fromArray(F, x, xa6 + xb + 8), s6);
                s6 = v2.fma(FloatVector.fromArray(F, x, xa6 + xb + 16), s6);
                s6 = v3.fma(FloatVector.fromArray(F, x, xa6 + xb + 24), s6);
                a6 = s6.fma(d, a6);
                FloatVector s7 = v0.mul(FloatVector.fromArray(F, x, xa7 + xb));
                s7 = v1.fma(FloatVector.fromArray(F, x, xa7 + xb + 8), s7);
                s7 = v2.fma(FloatVector.fromArray(F, x, xa7 + xb + 16), s7);
                s7 = v3.fma(FloatVector.fromArray(F, x, xa7 + xb + 24), s7);
                a7 = s7.fma(d, a7);
            }
            a0.intoArray(lanes, 0);
            a1.intoArray(lanes, 8);
            a2.intoArray(lanes, 16);
            a3.intoArray(lanes, 24);
            a4.intoArray(lanes, 32);
            a5.intoArray(lanes, 40);
            a6.intoArray(lanes, 48);
            a7.intoArray(lanes, 56);
            y.set(FLOAT, ya + 0 * yStride + 4L * r, Lanes.sum(lanes, 0));
            y.set(FLOAT, ya + 1 * yStride + 4L * r, Lanes.sum(lanes, 8));
            y.set(FLOAT, ya + 2 * yStride + 4L * r, Lanes.sum(lanes, 16));
            y.set(FLOAT, ya + 3 * yStride + 4L * r, Lanes.sum(lanes, 24));
            y.set(FLOAT, ya + 4 * yStride + 4L * r, Lanes.sum(lanes, 32));
            y.set(FLOAT, ya + 5 * yStride + 4L * r, Lanes.sum(lanes, 40));
            y.set(FLOAT, ya + 6 * yStride + 4L * r, Lanes.sum(lanes, 48));
            y.set(FLOAT, ya + 7 * yStride + 4L * r, Lanes.sum(lanes, 56));
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
                IntVector p0 = (IntVector) ByteVector.fromMemorySegment(B8, w, q + 2, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                IntVector p1 = (IntVector) ByteVector.fromMemorySegment(B8, w, q + 10, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                FloatVector v0 = (FloatVector) p0.and(0x0f).sub(8).convert(VectorOperators.I2F, 0);
                FloatVector v1 = (FloatVector) p1.and(0x0f).sub(8).convert(VectorOperators.I2F, 0);
                FloatVector v2 = (FloatVector) p0.lanewise(VectorOperators.LSHR, 4).sub(8).convert(VectorOperators.I2F, 0);
                FloatVector v3 = (FloatVector) p1.lanewise(VectorOperators.LSHR, 4).sub(8).convert(VectorOperators.I2F, 0);
                FloatVector s0 = v0.mul(FloatVector.fromArray(F, x, xa + xb));
                s0 = v1.fma(FloatVector.fromArray(F, x, xa + xb + 8), s0);
                s0 = v2.fma(FloatVector.fromArray(F, x, xa + xb + 16), s0);
                s0 = v3.fma(FloatVector.fromArray(F, x, xa + xb + 24), s0);
                a0 = s0.fma(d, a0);
                FloatVector s1 = v0.mul(FloatVector.fromArray(F, x, xa1 + xb));
                s1 = v1.fma(FloatVector.fromArray(F, x, xa1 + xb + 8), s1);
                s1 = v2.fma(FloatVector.fromArray(F, x, xa1 + xb + 16), s1);
                s1 = v3.fma(FloatVector.fromArray(F, x, xa1 + xb + 24), s1);
                a1 = s1.fma(d, a1);
                FloatVector s2 = v0.mul(FloatVector.fromArray(F, x, xa2 + xb));
                s2 = v1.fma(FloatVector.fromArray(F, x, xa2 + xb + 8), s2);
                s2 = v2.fma(FloatVector.fromArray(F, x, xa2 + xb + 16), s2);
                s2 = v3.fma(FloatVector.fromArray(F, x, xa2 + xb + 24), s2);
                a2 = s2.fma(d, a2);
                FloatVector s3 = v0.mul(FloatVector.fromArray(F, x, xa3 + xb));
                s3 = v1.fma(FloatVector.fromArray(F, x, xa3 + xb + 8), s3);
                s3 = v2.fma(FloatVector.fromArray(F, x, xa3 + xb + 16), s3);
                s3 = v3.fma(FloatVector.fromArray(F, x, xa3 + xb + 24), s3);
                a3 = s3.fma(d, a3);
            }
            a0.intoArray(lanes, 0);
            a1.intoArray(lanes, 8);
            a2.intoArray(lanes, 16);
            a3.intoArray(lanes, 24);
            y.set(FLOAT, ya + 0 * yStride + 4L * r, Lanes.sum(lanes, 0));
            y.set(FLOAT, ya + 1 * yStride + 4L * r, Lanes.sum(lanes, 8));
            y.set(FLOAT, ya + 2 * yStride + 4L * r, Lanes.sum(lanes, 16));
            y.set(FLOAT, ya + 3 * yStride + 4L * r, Lanes.sum(lanes, 24));
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
                IntVector p0 = (IntVector) ByteVector.fromMemorySegment(B8, w, q + 2, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                IntVector p1 = (IntVector) ByteVector.fromMemorySegment(B8, w, q + 10, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                FloatVector v0 = (FloatVector) p0.and(0x0f).sub(8).convert(VectorOperators.I2F, 0);
                FloatVector v1 = (FloatVector) p1.and(0x0f).sub(8).convert(VectorOperators.I2F, 0);
                FloatVector v2 = (FloatVector) p0.lanewise(VectorOperators.LSHR, 4).sub(8).convert(VectorOperators.I2F, 0);
                FloatVector v3 = (FloatVector) p1.lanewise(VectorOperators.LSHR, 4).sub(8).convert(VectorOperators.I2F, 0);
                FloatVector s0 = v0.mul(FloatVector.fromArray(F, x, xa + xb));
                s0 = v1.fma(FloatVector.fromArray(F, x, xa + xb + 8), s0);
                s0 = v2.fma(FloatVector.fromArray(F, x, xa + xb + 16), s0);
                s0 = v3.fma(FloatVector.fromArray(F, x, xa + xb + 24), s0);
                a0 = s0.fma(d, a0);
                FloatVector s1 = v0.mul(FloatVector.fromArray(F, x, xa1 + xb));
                s1 = v1.fma(FloatVector.fromArray(F, x, xa1 + xb + 8), s1);
                s1 = v2.fma(FloatVector.fromArray(F, x, xa1 + xb + 16), s1);
                s1 = v3.fma(FloatVector.fromArray(F, x, xa1 + xb + 24), s1);
                a1 = s1.fma(d, a1);
            }
            a0.intoArray(lanes, 0);
            a1.intoArray(lanes, 8);
            y.set(FLOAT, ya + 0 * yStride + 4L * r, Lanes.sum(lanes, 0));
            y.set(FLOAT, ya + 1 * yStride + 4L * r, Lanes.sum(lanes, 8));
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
                IntVector p0 = (IntVector) ByteVector.fromMemorySegment(B8, w, q + 2, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                IntVector p1 = (IntVector) ByteVector.fromMemorySegment(B8, w, q + 10, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                FloatVector v0 = (FloatVector) p0.and(0x0f).sub(8).convert(VectorOperators.I2F, 0);
                FloatVector v1 = (FloatVector) p1.and(0x0f).sub(8).convert(VectorOperators.I2F, 0);
                FloatVector v2 = (FloatVector) p0.lanewise(VectorOperators.LSHR, 4).sub(8).convert(VectorOperators.I2F, 0);
                FloatVector v3 = (FloatVector) p1.lanewise(VectorOperators.LSHR, 4).sub(8).convert(VectorOperators.I2F, 0);
                FloatVector s0 = v0.mul(FloatVector.fromArray(F, x, xa + xb));
                s0 = v1.fma(FloatVector.fromArray(F, x, xa + xb + 8), s0);
                s0 = v2.fma(FloatVector.fromArray(F, x, xa + xb + 16), s0);
                s0 = v3.fma(FloatVector.fromArray(F, x, xa + xb + 24), s0);
                a0 = s0.fma(d, a0);
            }
            a0.intoArray(lanes, 0);
            y.set(FLOAT, ya + 0 * yStride + 4L * r, Lanes.sum(lanes, 0));
        }
    }
}
