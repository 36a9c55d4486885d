package dev.cascade.kernels.cpu;

import static dev.cascade.kernels.cpu.Lanes.F;
import static dev.cascade.kernels.cpu.Lanes.FLOAT;
import static dev.cascade.kernels.cpu.Lanes.FLOATS;
import static dev.cascade.kernels.cpu.Lanes.LE;

import dev.cascade.weights.DType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;

/**
 * RMSNorm, {@code out = x · w / sqrt(mean(x²) + eps)}, over rows of float32, and the fused
 * residual form used between transformer blocks. Weights may be stored in any {@link DType}; other
 * than F32 they are decoded (exactly) into a scratch row once per call.
 *
 * <p>Rows are [rows][dim] float32, contiguous. Runs on the calling thread: a row is a few KB.
 * The sum of squares uses one 8-lane accumulator and {@link Lanes#sum}, so a row's result never
 * depends on the other rows. One instance per calling thread (it owns the scratch row).
 */
public final class RmsNorm {

    private MemorySegment decodedWeight = MemorySegment.NULL;
    /** Accumulator lanes on their way to a scalar sum (see ArrayDotTiles#tail). */
    private final float[] lanes = new float[Lanes.FLOATS];

    /** out[r] = rmsnorm(x[r]) · w for {@code rows} rows of {@code dim}. {@code out} may be {@code x}. */
    public void apply(MemorySegment x, MemorySegment out, int rows, int dim,
                      MemorySegment weight, DType weightType, float eps) {
        MemorySegment w = weights(weight, weightType, dim);
        for (int r = 0; r < rows; r++) {
            long row = 4L * r * dim;
            float inv = inverseRms(sumOfSquares(x, row, dim, lanes), dim, eps);
            scale(x, row, w, out, row, dim, inv);
        }
    }

    /**
     * The residual step: {@code residual += delta}, then {@code out = rmsnorm(residual) · w}, in one
     * pass over the residual for the add and the sum of squares.
     */
    public void addAndApply(MemorySegment residual, MemorySegment delta, MemorySegment out, int rows, int dim,
                            MemorySegment weight, DType weightType, float eps) {
        MemorySegment w = weights(weight, weightType, dim);
        int vecEnd = dim - dim % FLOATS;
        for (int r = 0; r < rows; r++) {
            long row = 4L * r * dim;
            FloatVector acc = FloatVector.zero(F);
            for (int i = 0; i < vecEnd; i += FLOATS) {
                long o = row + 4L * i;
                FloatVector v = FloatVector.fromMemorySegment(F, residual, o, LE)
                        .add(FloatVector.fromMemorySegment(F, delta, o, LE));
                v.intoMemorySegment(residual, o, LE);
                acc = v.fma(v, acc);
            }
            acc.intoArray(lanes, 0);
            float ss = Lanes.sum(lanes, 0);
            for (int i = vecEnd; i < dim; i++) {
                long o = row + 4L * i;
                float v = residual.get(FLOAT, o) + delta.get(FLOAT, o);
                residual.set(FLOAT, o, v);
                ss = Math.fma(v, v, ss);
            }
            scale(residual, row, w, out, row, dim, inverseRms(ss, dim, eps));
        }
    }

    static float sumOfSquares(MemorySegment x, long row, int dim, float[] lanes) {
        int vecEnd = dim - dim % FLOATS;
        FloatVector acc = FloatVector.zero(F);
        for (int i = 0; i < vecEnd; i += FLOATS) {
            FloatVector v = FloatVector.fromMemorySegment(F, x, row + 4L * i, LE);
            acc = v.fma(v, acc);
        }
        acc.intoArray(lanes, 0);
        float ss = Lanes.sum(lanes, 0);
        for (int i = vecEnd; i < dim; i++) {
            float v = x.get(FLOAT, row + 4L * i);
            ss = Math.fma(v, v, ss);
        }
        return ss;
    }

    static float inverseRms(float sumOfSquares, int dim, float eps) {
        return (float) (1.0 / Math.sqrt((double) sumOfSquares / dim + eps));
    }

    /** out = (x · inv) · w, element-wise. */
    static void scale(MemorySegment x, long xRow, MemorySegment w, MemorySegment out, long outRow, int dim, float inv) {
        int vecEnd = dim - dim % FLOATS;
        for (int i = 0; i < vecEnd; i += FLOATS) {
            FloatVector.fromMemorySegment(F, x, xRow + 4L * i, LE).mul(inv)
                    .mul(FloatVector.fromMemorySegment(F, w, 4L * i, LE))
                    .intoMemorySegment(out, outRow + 4L * i, LE);
        }
        for (int i = vecEnd; i < dim; i++) {
            out.set(FLOAT, outRow + 4L * i, x.get(FLOAT, xRow + 4L * i) * inv * w.get(FLOAT, 4L * i));
        }
    }

    private MemorySegment weights(MemorySegment weight, DType type, int dim) {
        if (weight.byteSize() < type.byteSize(dim)) {
            throw new IllegalArgumentException("norm weight has " + weight.byteSize() + " bytes, "
                    + type + " x " + dim + " needs " + type.byteSize(dim));
        }
        if (type == DType.F32) {
            return weight;
        }
        if (decodedWeight.byteSize() < 4L * dim) {
            decodedWeight = Arena.ofAuto().allocate(4L * dim, 64);
        }
        RowDecoder.decode(type, weight, 0, dim, decodedWeight, 0);
        return decodedWeight;
    }
}
