package dev.cascade.kernels.cpu;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;

import static dev.cascade.kernels.cpu.Lanes.B8;
import static dev.cascade.kernels.cpu.Lanes.F;
import static dev.cascade.kernels.cpu.Lanes.FLOAT;
import static dev.cascade.kernels.cpu.Lanes.LE;
import static dev.cascade.kernels.cpu.Lanes.SHORT;

/**
 * {@link ConvertingDotTiles} for a few batch rows at once: each 8 weights are converted in
 * registers once and multiplied into 8, 4 or 2 activation rows, so a small decode batch (a handful
 * of concurrent requests) costs little more than one row: the conversion, not the FMAs, is what
 * bounds a quantized product. Per output the arithmetic is ConvertingDotTiles' (exact converted
 * weights, one 8-lane FMA accumulator in index order, {@link Lanes#sum}), so every row stays
 * bit-identical to its single-row result. Written out per width for the reason ConvertingDotTiles
 * gives: vectors passed through helpers C2 does not inline get boxed.
 *
 * <p>Activation row j starts at index {@code xa + j·xStride} of the heap copy {@code x} (C2 compiles
 * array loads about twice as fast as segment loads, and each activation vector is loaded once per
 * weight row here); its outputs go to byte offset {@code ya + j·yStride}.
 */
final class GroupedConvertingDotTiles {

    private GroupedConvertingDotTiles() {
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
                FloatVector v0 = ((FloatVector) ByteVector.fromMemorySegment(B8, w, q + 2, LE).convertShape(VectorOperators.B2F, F, 0)).mul(d);
                FloatVector v1 = ((FloatVector) ByteVector.fromMemorySegment(B8, w, q + 10, LE).convertShape(VectorOperators.B2F, F, 0)).mul(d);
                FloatVector v2 = ((FloatVector) ByteVector.fromMemorySegment(B8, w, q + 18, LE).convertShape(VectorOperators.B2F, F, 0)).mul(d);
                FloatVector v3 = ((FloatVector) ByteVector.fromMemorySegment(B8, w, q + 26, LE).convertShape(VectorOperators.B2F, F, 0)).mul(d);
                a0 = v0.fma(FloatVector.fromArray(F, x, xa + xb), a0);
                a1 = v0.fma(FloatVector.fromArray(F, x, xa1 + xb), a1);
                a2 = v0.fma(FloatVector.fromArray(F, x, xa2 + xb), a2);
                a3 = v0.fma(FloatVector.fromArray(F, x, xa3 + xb), a3);
                a0 = v1.fma(FloatVector.fromArray(F, x, xa + xb + 8), a0);
                a1 = v1.fma(FloatVector.fromArray(F, x, xa1 + xb + 8), a1);
                a2 = v1.fma(FloatVector.fromArray(F, x, xa2 + xb + 8), a2);
                a3 = v1.fma(FloatVector.fromArray(F, x, xa3 + xb + 8), a3);
                a0 = v2.fma(FloatVector.fromArray(F, x, xa + xb + 16), a0);
                a1 = v2.fma(FloatVector.fromArray(F, x, xa1 + xb + 16), a1);
                a2 = v2.fma(FloatVector.fromArray(F, x, xa2 + xb + 16), a2);
                a3 = v2.fma(FloatVector.fromArray(F, x, xa3 + xb + 16), a3);
                a0 = v3.fma(FloatVector.fromArray(F, x, xa + xb + 24), a0);
                a1 = v3.fma(FloatVector.fromArray(F, x, xa1 + xb + 24), a1);
                a2 = v3.fma(FloatVector.fromArray(F, x, xa2 + xb + 24), a2);
                a3 = v3.fma(FloatVector.fromArray(F, x, xa3 + xb + 24), a3);
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
                FloatVector v0 = ((FloatVector) ByteVector.fromMemorySegment(B8, w, q + 2, LE).convertShape(VectorOperators.B2F, F, 0)).mul(d);
                FloatVector v1 = ((FloatVector) ByteVector.fromMemorySegment(B8, w, q + 10, LE).convertShape(VectorOperators.B2F, F, 0)).mul(d);
                FloatVector v2 = ((FloatVector) ByteVector.fromMemorySegment(B8, w, q + 18, LE).convertShape(VectorOperators.B2F, F, 0)).mul(d);
                FloatVector v3 = ((FloatVector) ByteVector.fromMemorySegment(B8, w, q + 26, LE).convertShape(VectorOperators.B2F, F, 0)).mul(d);
                a0 = v0.fma(FloatVector.fromArray(F, x, xa + xb), a0);
                a1 = v0.fma(FloatVector.fromArray(F, x, xa1 + xb), a1);
                a0 = v1.fma(FloatVector.fromArray(F, x, xa + xb + 8), a0);
                a1 = v1.fma(FloatVector.fromArray(F, x, xa1 + xb + 8), a1);
                a0 = v2.fma(FloatVector.fromArray(F, x, xa + xb + 16), a0);
                a1 = v2.fma(FloatVector.fromArray(F, x, xa1 + xb + 16), a1);
                a0 = v3.fma(FloatVector.fromArray(F, x, xa + xb + 24), a0);
                a1 = v3.fma(FloatVector.fromArray(F, x, xa1 + xb + 24), a1);
            }
            a0.intoArray(lanes, 0);
            a1.intoArray(lanes, 8);
            y.set(FLOAT, ya + 0 * yStride + 4L * r, Lanes.sum(lanes, 0));
            y.set(FLOAT, ya + 1 * yStride + 4L * r, Lanes.sum(lanes, 8));
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
                ByteVector p0 = ByteVector.fromMemorySegment(B8, w, q + 2, LE);
                ByteVector p1 = ByteVector.fromMemorySegment(B8, w, q + 10, LE);
                FloatVector v0 = ((FloatVector) p0.and((byte) 0x0f).sub((byte) 8).convertShape(VectorOperators.B2F, F, 0)).mul(d);
                FloatVector v1 = ((FloatVector) p1.and((byte) 0x0f).sub((byte) 8).convertShape(VectorOperators.B2F, F, 0)).mul(d);
                FloatVector v2 = ((FloatVector) p0.lanewise(VectorOperators.LSHR, 4).sub((byte) 8).convertShape(VectorOperators.B2F, F, 0)).mul(d);
                FloatVector v3 = ((FloatVector) p1.lanewise(VectorOperators.LSHR, 4).sub((byte) 8).convertShape(VectorOperators.B2F, F, 0)).mul(d);
                a0 = v0.fma(FloatVector.fromArray(F, x, xa + xb), a0);
                a1 = v0.fma(FloatVector.fromArray(F, x, xa1 + xb), a1);
                a2 = v0.fma(FloatVector.fromArray(F, x, xa2 + xb), a2);
                a3 = v0.fma(FloatVector.fromArray(F, x, xa3 + xb), a3);
                a0 = v1.fma(FloatVector.fromArray(F, x, xa + xb + 8), a0);
                a1 = v1.fma(FloatVector.fromArray(F, x, xa1 + xb + 8), a1);
                a2 = v1.fma(FloatVector.fromArray(F, x, xa2 + xb + 8), a2);
                a3 = v1.fma(FloatVector.fromArray(F, x, xa3 + xb + 8), a3);
                a0 = v2.fma(FloatVector.fromArray(F, x, xa + xb + 16), a0);
                a1 = v2.fma(FloatVector.fromArray(F, x, xa1 + xb + 16), a1);
                a2 = v2.fma(FloatVector.fromArray(F, x, xa2 + xb + 16), a2);
                a3 = v2.fma(FloatVector.fromArray(F, x, xa3 + xb + 16), a3);
                a0 = v3.fma(FloatVector.fromArray(F, x, xa + xb + 24), a0);
                a1 = v3.fma(FloatVector.fromArray(F, x, xa1 + xb + 24), a1);
                a2 = v3.fma(FloatVector.fromArray(F, x, xa2 + xb + 24), a2);
                a3 = v3.fma(FloatVector.fromArray(F, x, xa3 + xb + 24), a3);
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
                ByteVector p0 = ByteVector.fromMemorySegment(B8, w, q + 2, LE);
                ByteVector p1 = ByteVector.fromMemorySegment(B8, w, q + 10, LE);
                FloatVector v0 = ((FloatVector) p0.and((byte) 0x0f).sub((byte) 8).convertShape(VectorOperators.B2F, F, 0)).mul(d);
                FloatVector v1 = ((FloatVector) p1.and((byte) 0x0f).sub((byte) 8).convertShape(VectorOperators.B2F, F, 0)).mul(d);
                FloatVector v2 = ((FloatVector) p0.lanewise(VectorOperators.LSHR, 4).sub((byte) 8).convertShape(VectorOperators.B2F, F, 0)).mul(d);
                FloatVector v3 = ((FloatVector) p1.lanewise(VectorOperators.LSHR, 4).sub((byte) 8).convertShape(VectorOperators.B2F, F, 0)).mul(d);
                a0 = v0.fma(FloatVector.fromArray(F, x, xa + xb), a0);
                a1 = v0.fma(FloatVector.fromArray(F, x, xa1 + xb), a1);
                a0 = v1.fma(FloatVector.fromArray(F, x, xa + xb + 8), a0);
                a1 = v1.fma(FloatVector.fromArray(F, x, xa1 + xb + 8), a1);
                a0 = v2.fma(FloatVector.fromArray(F, x, xa + xb + 16), a0);
                a1 = v2.fma(FloatVector.fromArray(F, x, xa1 + xb + 16), a1);
                a0 = v3.fma(FloatVector.fromArray(F, x, xa + xb + 24), a0);
                a1 = v3.fma(FloatVector.fromArray(F, x, xa1 + xb + 24), a1);
            }
            a0.intoArray(lanes, 0);
            a1.intoArray(lanes, 8);
            y.set(FLOAT, ya + 0 * yStride + 4L * r, Lanes.sum(lanes, 0));
            y.set(FLOAT, ya + 1 * yStride + 4L * r, Lanes.sum(lanes, 8));
        }
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
                FloatVector v0 = ((FloatVector) ByteVector.fromMemorySegment(B8, w, q + 2, LE).convertShape(VectorOperators.B2F, F, 0)).mul(d);
                FloatVector v1 = ((FloatVector) ByteVector.fromMemorySegment(B8, w, q + 10, LE).convertShape(VectorOperators.B2F, F, 0)).mul(d);
                FloatVector v2 = ((FloatVector) ByteVector.fromMemorySegment(B8, w, q + 18, LE).convertShape(VectorOperators.B2F, F, 0)).mul(d);
                FloatVector v3 = ((FloatVector) ByteVector.fromMemorySegment(B8, w, q + 26, LE).convertShape(VectorOperators.B2F, F, 0)).mul(d);
                a0 = v0.fma(FloatVector.fromArray(F, x, xa + xb), a0);
                a1 = v0.fma(FloatVector.fromArray(F, x, xa1 + xb), a1);
                a2 = v0.fma(FloatVector.fromArray(F, x, xa2 + xb), a2);
                a3 = v0.fma(FloatVector.fromArray(F, x, xa3 + xb), a3);
                a4 = v0.fma(FloatVector.fromArray(F, x, xa4 + xb), a4);
                a5 = v0.fma(FloatVector.fromArray(F, x, xa5 + xb), a5);
                a6 = v0.fma(FloatVector.fromArray(F, x, xa6 + xb), a6);
                a7 = v0.fma(FloatVector.fromArray(F, x, xa7 + xb), a7);
                a0 = v1.fma(FloatVector.fromArray(F, x, xa + xb + 8), a0);
                a1 = v1.fma(FloatVector.fromArray(F, x, xa1 + xb + 8), a1);
                a2 = v1.fma(FloatVector.fromArray(F, x, xa2 + xb + 8), a2);
                a3 = v1.fma(FloatVector.fromArray(F, x, xa3 + xb + 8), a3);
                a4 = v1.fma(FloatVector.fromArray(F, x, xa4 + xb + 8), a4);
                a5 = v1.fma(FloatVector.fromArray(F, x, xa5 + xb + 8), a5);
                a6 = v1.fma(FloatVector.fromArray(F, x, xa6 + xb + 8), a6);
                a7 = v1.fma(FloatVector.fromArray(F, x, xa7 + xb + 8), a7);
                a0 = v2.fma(FloatVector.fromArray(F, x, xa + xb + 16), a0);
                a1 = v2.fma(FloatVector.fromArray(F, x, xa1 + xb + 16), a1);
                a2 = v2.fma(FloatVector.fromArray(F, x, xa2 + xb + 16), a2);
                a3 = v2.fma(FloatVector.fromArray(F, x, xa3 + xb + 16), a3);
                a4 = v2.fma(FloatVector.fromArray(F, x, xa4 + xb + 16), a4);
                a5 = v2.fma(FloatVector.fromArray(F, x, xa5 + xb + 16), a5);
                a6 = v2.fma(FloatVector.fromArray(F, x, xa6 + xb + 16), a6);
                a7 = v2.fma(FloatVector.fromArray(F, x, xa7 + xb + 16), a7);
                a0 = v3.fma(FloatVector.fromArray(F, x, xa + xb + 24), a0);
                a1 = v3.fma(FloatVector.fromArray(F, x, xa1 + xb + 24), a1);
                a2 = v3.fma(FloatVector.fromArray(F, x, xa2 + xb + 24), a2);
                a3 = v3.fma(FloatVector.fromArray(F, x, xa3 + xb + 24), a3);
                a4 = v3.fma(FloatVector.fromArray(F, x, xa4 + xb + 24), a4);
                a5 = v3.fma(FloatVector.fromArray(F, x, xa5 + xb + 24), a5);
                a6 = v3.fma(FloatVector.fromArray(F, x, xa6 + xb + 24), a6);
                a7 = v3.fma(FloatVector.fromArray(F, x, xa7 + xb + 24), a7);
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
                ByteVector p0 = ByteVector.fromMemorySegment(B8, w, q + 2, LE);
                ByteVector p1 = ByteVector.fromMemorySegment(B8, w, q + 10, LE);
                FloatVector v0 = ((FloatVector) p0.and((byte) 0x0f).sub((byte) 8).convertShape(VectorOperators.B2F, F, 0)).mul(d);
                FloatVector v1 = ((FloatVector) p1.and((byte) 0x0f).sub((byte) 8).convertShape(VectorOperators.B2F, F, 0)).mul(d);
                FloatVector v2 = ((FloatVector) p0.lanewise(VectorOperators.LSHR, 4).sub((byte) 8).convertShape(VectorOperators.B2F, F, 0)).mul(d);
                FloatVector v3 = ((FloatVector) p1.lanewise(VectorOperators.LSHR, 4).sub((byte) 8).convertShape(VectorOperators.B2F, F, 0)).mul(d);
                a0 = v0.fma(FloatVector.fromArray(F, x, xa + xb), a0);
                a1 = v0.fma(FloatVector.fromArray(F, x, xa1 + xb), a1);
                a2 = v0.fma(FloatVector.fromArray(F, x, xa2 + xb), a2);
                a3 = v0.fma(FloatVector.fromArray(F, x, xa3 + xb), a3);
                a4 = v0.fma(FloatVector.fromArray(F, x, xa4 + xb), a4);
                a5 = v0.fma(FloatVector.fromArray(F, x, xa5 + xb), a5);
                a6 = v0.fma(FloatVector.fromArray(F, x, xa6 + xb), a6);
                a7 = v0.fma(FloatVector.fromArray(F, x, xa7 + xb), a7);
                a0 = v1.fma(FloatVector.fromArray(F, x, xa + xb + 8), a0);
                a1 = v1.fma(FloatVector.fromArray(F, x, xa1 + xb + 8), a1);
                a2 = v1.fma(FloatVector.fromArray(F, x, xa2 + xb + 8), a2);
                a3 = v1.fma(FloatVector.fromArray(F, x, xa3 + xb + 8), a3);
                a4 = v1.fma(FloatVector.fromArray(F, x, xa4 + xb + 8), a4);
                a5 = v1.fma(FloatVector.fromArray(F, x, xa5 + xb + 8), a5);
                a6 = v1.fma(FloatVector.fromArray(F, x, xa6 + xb + 8), a6);
                a7 = v1.fma(FloatVector.fromArray(F, x, xa7 + xb + 8), a7);
                a0 = v2.fma(FloatVector.fromArray(F, x, xa + xb + 16), a0);
                a1 = v2.fma(FloatVector.fromArray(F, x, xa1 + xb + 16), a1);
                a2 = v2.fma(FloatVector.fromArray(F, x, xa2 + xb + 16), a2);
                a3 = v2.fma(FloatVector.fromArray(F, x, xa3 + xb + 16), a3);
                a4 = v2.fma(FloatVector.fromArray(F, x, xa4 + xb + 16), a4);
                a5 = v2.fma(FloatVector.fromArray(F, x, xa5 + xb + 16), a5);
                a6 = v2.fma(FloatVector.fromArray(F, x, xa6 + xb + 16), a6);
                a7 = v2.fma(FloatVector.fromArray(F, x, xa7 + xb + 16), a7);
                a0 = v3.fma(FloatVector.fromArray(F, x, xa + xb + 24), a0);
                a1 = v3.fma(FloatVector.fromArray(F, x, xa1 + xb + 24), a1);
                a2 = v3.fma(FloatVector.fromArray(F, x, xa2 + xb + 24), a2);
                a3 = v3.fma(FloatVector.fromArray(F, x, xa3 + xb + 24), a3);
                a4 = v3.fma(FloatVector.fromArray(F, x, xa4 + xb + 24), a4);
                a5 = v3.fma(FloatVector.fromArray(F, x, xa5 + xb + 24), a5);
                a6 = v3.fma(FloatVector.fromArray(F, x, xa6 + xb + 24), a6);
                a7 = v3.fma(FloatVector.fromArray(F, x, xa7 + xb + 24), a7);
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
}
