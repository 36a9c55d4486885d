package dev.cascade.kernels.cpu;

import dev.cascade.weights.DType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import dev.cascade.weights.RopePairing;

/**
 * Plain-loop versions of every kernel, written straight from the definitions, accumulating in
 * double. Only tests use them.
 */
final class ScalarReference {
    private ScalarReference() {
    }

    /** Element i of row r of a stored [rows][cols] matrix. */
    static float weight(MemorySegment m, DType dtype, long r, int cols, int i) {
        long row = r * dtype.byteSize(cols);
        return switch (dtype) {
            case F32 -> m.get(TestData.FLOAT, row + 4L * i);
            case F16 -> Float.float16ToFloat(m.get(TestData.SHORT, row + 2L * i));
            case BF16 -> Float.intBitsToFloat(m.get(TestData.SHORT, row + 2L * i) << 16);
            case Q8_0 -> {
                long blk = row + 34L * (i / 32);
                yield Float.float16ToFloat(m.get(TestData.SHORT, blk)) * m.get(ValueLayout.JAVA_BYTE, blk + 2 + i % 32);
            }
            case Q4_0 -> {
                long blk = row + 18L * (i / 32);
                int j = i % 32;
                int packed = m.get(ValueLayout.JAVA_BYTE, blk + 2 + j % 16) & 0xff;
                int q = (j < 16 ? packed & 0x0f : packed >>> 4) - 8;
                yield Float.float16ToFloat(m.get(TestData.SHORT, blk)) * q;
            }
        };
    }

    static float[] row(MemorySegment m, DType dtype, long r, int cols) {
        float[] v = new float[cols];
        for (int i = 0; i < cols; i++) {
            v[i] = weight(m, dtype, r, cols, i);
        }
        return v;
    }

    /** y[b][o] = Σ_i x[b][i]·W[o][i]. */
    static float[] matmul(float[] x, int batch, int in, MemorySegment w, DType dtype, int out) {
        float[] y = new float[batch * out];
        for (int o = 0; o < out; o++) {
            float[] wr = row(w, dtype, o, in);
            for (int b = 0; b < batch; b++) {
                double s = 0;
                for (int i = 0; i < in; i++) {
                    s += (double) x[b * in + i] * wr[i];
                }
                y[b * out + o] = (float) s;
            }
        }
        return y;
    }

    /** x · w / sqrt(mean(x²) + eps), per row. */
    static float[] rmsNorm(float[] x, int rows, int dim, float[] w, float eps) {
        float[] out = new float[rows * dim];
        for (int r = 0; r < rows; r++) {
            double ss = 0;
            for (int i = 0; i < dim; i++) {
                ss += (double) x[r * dim + i] * x[r * dim + i];
            }
            double inv = 1 / Math.sqrt(ss / dim + eps);
            for (int i = 0; i < dim; i++) {
                out[r * dim + i] = (float) (x[r * dim + i] * inv * w[i]);
            }
        }
        return out;
    }

    /** Llama 3 frequency scaling, written out again from the definition. */
    static double llama3(double freq, double factor, double low, double high, int orig) {
        double wavelen = 2 * Math.PI / freq;
        if (wavelen < orig / high) {
            return freq;
        }
        if (wavelen > orig / low) {
            return freq / factor;
        }
        double smooth = (orig / wavelen - low) / (high - low);
        return (1 - smooth) * freq / factor + smooth * freq;
    }

    /** Rotates each head of each row in place; freq[j] is pair j's frequency. */
    static void rope(float[] x, int rows, int heads, int headDim, int[] pos, double[] freq, RopePairing pairing) {
        for (int r = 0; r < rows; r++) {
            for (int h = 0; h < heads; h++) {
                int base = (r * heads + h) * headDim;
                for (int j = 0; j < headDim / 2; j++) {
                    int a = pairing == RopePairing.HALVES ? base + j : base + 2 * j;
                    int b = pairing == RopePairing.HALVES ? base + j + headDim / 2 : base + 2 * j + 1;
                    double angle = pos[r] * freq[j];
                    double xa = x[a], xb = x[b];
                    x[a] = (float) (xa * Math.cos(angle) - xb * Math.sin(angle));
                    x[b] = (float) (xb * Math.cos(angle) + xa * Math.sin(angle));
                }
            }
        }
    }

    static float[] siluMul(float[] g, float[] u) {
        float[] out = new float[g.length];
        for (int i = 0; i < g.length; i++) {
            out[i] = (float) (g[i] / (1 + Math.exp(-g[i])) * u[i]);
        }
        return out;
    }

    static float[] softmax(float[] x, int rows, int n) {
        float[] out = new float[x.length];
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int i = 0; i < n; i++) {
                max = Math.max(max, x[r * n + i]);
            }
            for (int i = 0; i < n; i++) {
                sum += Math.exp(x[r * n + i] - max);
            }
            for (int i = 0; i < n; i++) {
                out[r * n + i] = (float) (Math.exp(x[r * n + i] - max) / sum);
            }
        }
        return out;
    }

    /**
     * Attention of each row against the tokens of its sequence, K/V read from [block][slot][kvHead][dim]
     * pools through the block table.
     */
    static float[] attention(float[] q, int rows, int heads, int kvHeads, int headDim, int blockSize,
                             float[] kPool, float[] vPool, int[][] tables, int[] rowSeq, int[] rowLen) {
        float[] out = new float[rows * heads * headDim];
        for (int r = 0; r < rows; r++) {
            int[] table = tables[rowSeq[r]];
            int n = rowLen[r];
            for (int h = 0; h < heads; h++) {
                int kvh = h / (heads / kvHeads);
                double[] score = new double[n];
                double max = Double.NEGATIVE_INFINITY;
                for (int t = 0; t < n; t++) {
                    int base = ((table[t / blockSize] * blockSize + t % blockSize) * kvHeads + kvh) * headDim;
                    double s = 0;
                    for (int d = 0; d < headDim; d++) {
                        s += (double) q[(r * heads + h) * headDim + d] * kPool[base + d];
                    }
                    score[t] = s / Math.sqrt(headDim);
                    max = Math.max(max, score[t]);
                }
                double sum = 0;
                for (int t = 0; t < n; t++) {
                    score[t] = Math.exp(score[t] - max);
                    sum += score[t];
                }
                for (int d = 0; d < headDim; d++) {
                    double acc = 0;
                    for (int t = 0; t < n; t++) {
                        int base = ((table[t / blockSize] * blockSize + t % blockSize) * kvHeads + kvh) * headDim;
                        acc += score[t] * vPool[base + d];
                    }
                    out[(r * heads + h) * headDim + d] = (float) (acc / sum);
                }
            }
        }
        return out;
    }
}
