package dev.cascade.kernels.cpu;

import static dev.cascade.kernels.cpu.Lanes.F;
import static dev.cascade.kernels.cpu.Lanes.FLOAT;
import static dev.cascade.kernels.cpu.Lanes.FLOATS;
import static dev.cascade.kernels.cpu.Lanes.LE;

import dev.cascade.weights.ModelConfig;
import dev.cascade.weights.RopePairing;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;

/**
 * Rotary position embedding applied in place to rows of Q or K heads.
 *
 * <p>Pair j (j &lt; headDim/2) turns by angle {@code pos · freq_j}, {@code freq_j = theta^(-2j/headDim)}
 * (optionally with Llama 3 scaling). With {@link RopePairing#HALVES} pair j is elements
 * (j, j + headDim/2); with {@link RopePairing#INTERLEAVED} it is (2j, 2j + 1).
 *
 * <p>cos and sin are tabulated once for positions [0, maxPositions) (computed in double, stored
 * as float), since a decode step would otherwise call sin and cos headDim times per head per
 * token. For the interleaved layout the tables are stored already interleaved, with the sine's sign
 * folded in, so a rotation is two multiplies, one lane swap and one add.
 */
public final class Rope {

    private final int headDim;
    private final RopePairing pairing;
    private final int maxPositions;
    /** HALVES: [pos][headDim/2]; INTERLEAVED: [pos][headDim] (cos repeated per pair). */
    private final float[] cos;
    /** HALVES: [pos][headDim/2]; INTERLEAVED: [pos][headDim] as (-sin, +sin) per pair. */
    private final float[] sin;

    /** @param scaling Llama 3 scaling, or null for none */
    public Rope(int headDim, double theta, ModelConfig.RopeScaling scaling, RopePairing pairing, int maxPositions) {
        this(headDim, dev.cascade.kernels.Rope.frequencies(headDim, theta, scaling), pairing, maxPositions);
    }

    /** Tables for pair frequencies computed elsewhere (one per pair: headDim / 2 of them). */
    public Rope(int headDim, double[] freq, RopePairing pairing, int maxPositions) {
        if (headDim <= 0 || headDim % 2 != 0) {
            throw new IllegalArgumentException("head dimension must be even, got " + headDim);
        }
        if (freq.length != headDim / 2) {
            throw new IllegalArgumentException("need " + headDim / 2 + " frequencies, got " + freq.length);
        }
        this.headDim = headDim;
        this.pairing = pairing;
        this.maxPositions = maxPositions;
        int half = headDim / 2;
        int width = pairing == RopePairing.HALVES ? half : headDim;
        cos = new float[Math.multiplyExact(maxPositions, width)];
        sin = new float[cos.length];
        for (int p = 0; p < maxPositions; p++) {
            for (int j = 0; j < half; j++) {
                double angle = p * freq[j];
                float c = (float) Math.cos(angle);
                float s = (float) Math.sin(angle);
                if (pairing == RopePairing.HALVES) {
                    cos[p * width + j] = c;
                    sin[p * width + j] = s;
                } else {
                    cos[p * width + 2 * j] = c;
                    cos[p * width + 2 * j + 1] = c;
                    sin[p * width + 2 * j] = -s;
                    sin[p * width + 2 * j + 1] = s;
                }
            }
        }
    }

    public int maxPositions() {
        return maxPositions;
    }

    /**
     * Rotates {@code heads} heads of each of {@code rows} rows in place. Row r starts at byte
     * {@code offset + 4 · r · rowStride} and holds heads of {@code headDim} floats back to back;
     * it is at position {@code positions[r]}.
     */
    public void apply(MemorySegment x, long offset, int rowStride, int rows, int heads, int[] positions) {
        for (int r = 0; r < rows; r++) {
            int pos = positions[r];
            if (pos < 0 || pos >= maxPositions) {
                throw new IllegalArgumentException("position " + pos + " outside the table [0, " + maxPositions + ")");
            }
            long row = offset + 4L * r * rowStride;
            for (int h = 0; h < heads; h++) {
                long head = row + 4L * h * headDim;
                if (pairing == RopePairing.HALVES) {
                    rotateHalves(x, head, pos * (headDim / 2));
                } else {
                    rotateInterleaved(x, head, pos * headDim);
                }
            }
        }
    }

    private void rotateHalves(MemorySegment x, long head, int table) {
        int half = headDim / 2;
        long second = head + 4L * half;
        int vecEnd = half - half % FLOATS;
        for (int j = 0; j < vecEnd; j += FLOATS) {
            FloatVector a = FloatVector.fromMemorySegment(F, x, head + 4L * j, LE);
            FloatVector b = FloatVector.fromMemorySegment(F, x, second + 4L * j, LE);
            FloatVector c = FloatVector.fromArray(F, cos, table + j);
            FloatVector s = FloatVector.fromArray(F, sin, table + j);
            a.mul(c).sub(b.mul(s)).intoMemorySegment(x, head + 4L * j, LE);
            b.mul(c).add(a.mul(s)).intoMemorySegment(x, second + 4L * j, LE);
        }
        for (int j = vecEnd; j < half; j++) {
            float a = x.get(FLOAT, head + 4L * j);
            float b = x.get(FLOAT, second + 4L * j);
            float c = cos[table + j];
            float s = sin[table + j];
            x.set(FLOAT, head + 4L * j, a * c - b * s);
            x.set(FLOAT, second + 4L * j, b * c + a * s);
        }
    }

    private void rotateInterleaved(MemorySegment x, long head, int table) {
        int vecEnd = headDim - headDim % FLOATS;
        for (int i = 0; i < vecEnd; i += FLOATS) {
            FloatVector v = FloatVector.fromMemorySegment(F, x, head + 4L * i, LE);
            FloatVector c = FloatVector.fromArray(F, cos, table + i);
            FloatVector s = FloatVector.fromArray(F, sin, table + i);
            v.mul(c).add(v.rearrange(Lanes.SWAP_NEIGHBOURS).mul(s)).intoMemorySegment(x, head + 4L * i, LE);
        }
        for (int i = vecEnd; i < headDim; i += 2) {
            float a = x.get(FLOAT, head + 4L * i);
            float b = x.get(FLOAT, head + 4L * i + 4);
            float c = cos[table + i];
            float s = sin[table + i + 1];
            x.set(FLOAT, head + 4L * i, a * c - b * s);
            x.set(FLOAT, head + 4L * i + 4, b * c + a * s);
        }
    }
}
