package dev.cascade.kernels.reference;

import dev.cascade.kernels.Activations;
import dev.cascade.kernels.Backend;
import dev.cascade.kernels.KvCache;
import dev.cascade.kernels.KvLayout;
import dev.cascade.kernels.Rope;
import dev.cascade.kernels.StepPlan;
import dev.cascade.kernels.Weight;
import dev.cascade.weights.DType;
import dev.cascade.weights.RopePairing;
import dev.cascade.weights.Tensor;

/**
 * The backend contract in plain loops, one row at a time, float32 with weights dequantized to
 * float32 at load: slow, obviously right, and the reference the fast backends are tested against.
 * Sums run in index order, so results are the same for any batch.
 */
public final class ScalarBackend implements Backend {

    private StepPlan plan;

    record ScalarWeight(String name, DType dtype, int rows, int cols, float[] values) implements Weight {
    }

    record ScalarActivations(int capacity, int width, float[] values) implements Activations {
    }

    record ScalarKv(KvLayout layout, float[][] keys, float[][] values) implements KvCache {
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public Weight weight(Tensor t) {
        return new ScalarWeight(t.name(), t.dtype(), WeightRows.rows(t), WeightRows.cols(t), WeightRows.readAll(t));
    }

    @Override
    public Activations activations(int rows, int width) {
        return new ScalarActivations(rows, width, new float[rows * width]);
    }

    @Override
    public KvCache kvCache(KvLayout l) {
        long perLayer = (long) l.blocks() * l.blockSize() * l.kvDim();
        if (perLayer > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the scalar backend holds at most 2^31 floats per layer");
        }
        float[][] k = new float[l.layers()][(int) perLayer];
        float[][] v = new float[l.layers()][(int) perLayer];
        return new ScalarKv(l, k, v);
    }

    @Override
    public void beginStep(StepPlan plan) {
        this.plan = plan;
    }

    private static float[] a(Activations x) {
        return ((ScalarActivations) x).values();
    }

    private static ScalarWeight w(Weight w) {
        return (ScalarWeight) w;
    }

    @Override
    public void embed(Weight table, Activations out) {
        ScalarWeight t = w(table);
        for (int r = 0; r < plan.rows(); r++) {
            System.arraycopy(t.values(), plan.token(r) * t.cols(), a(out), r * out.width(), t.cols());
        }
    }

    @Override
    public int currentRows() {
        return plan.rows();
    }

    @Override
    public void matmul(Activations x, int rows, Weight weight, Activations out) {
        ScalarWeight m = w(weight);
        float[] in = a(x);
        float[] o = a(out);
        int n = m.cols();
        for (int r = 0; r < rows; r++) {
            matmulRow(m, in, r * x.width(), o, r * out.width(), n);
        }
    }

    private static void matmulRow(ScalarWeight m, float[] in, int inOffset, float[] o, int outOffset, int n) {
        for (int j = 0; j < m.rows(); j++) {
            float sum = 0;
            int wOffset = j * n;
            for (int i = 0; i < n; i++) {
                sum += m.values()[wOffset + i] * in[inOffset + i];
            }
            o[outOffset + j] = sum;
        }
    }

    @Override
    public void addBias(Activations x, Weight bias) {
        float[] b = w(bias).values();
        for (int r = 0; r < plan.rows(); r++) {
            for (int i = 0; i < b.length; i++) {
                a(x)[r * x.width() + i] += b[i];
            }
        }
    }

    @Override
    public void rmsNorm(Activations x, Weight gain, float eps, Activations out) {
        float[] g = w(gain).values();
        for (int r = 0; r < plan.rows(); r++) {
            normRow(a(x), r * x.width(), g, eps, a(out), r * out.width());
        }
    }

    private static void normRow(float[] x, int off, float[] g, float eps, float[] out, int outOff) {
        float ss = 0;
        for (int i = 0; i < g.length; i++) {
            ss += x[off + i] * x[off + i];
        }
        float scale = (float) (1.0 / Math.sqrt(ss / g.length + eps));
        for (int i = 0; i < g.length; i++) {
            out[outOff + i] = x[off + i] * scale * g[i];
        }
    }

    @Override
    public void addRmsNorm(Activations residual, Activations delta, Weight gain, float eps, Activations out) {
        add(residual, delta);
        rmsNorm(residual, gain, eps, out);
    }

    @Override
    public void add(Activations residual, Activations delta) {
        for (int r = 0; r < plan.rows(); r++) {
            for (int i = 0; i < residual.width(); i++) {
                a(residual)[r * residual.width() + i] += a(delta)[r * delta.width() + i];
            }
        }
    }

    @Override
    public void rope(Activations q, Activations k, Rope rope) {
        for (int r = 0; r < plan.rows(); r++) {
            int pos = plan.position(r);
            rotate(a(q), r * q.width(), rope.heads(), rope, pos);
            rotate(a(k), r * k.width(), rope.kvHeads(), rope, pos);
        }
    }

    private static void rotate(float[] x, int off, int heads, Rope rope, int pos) {
        int d = rope.headDim();
        for (int h = 0; h < heads; h++) {
            int base = off + h * d;
            for (int i = 0; i < d / 2; i++) {
                double angle = pos * rope.frequency(i);
                float cos = (float) Math.cos(angle);
                float sin = (float) Math.sin(angle);
                int a = rope.pairing() == RopePairing.HALVES ? base + i : base + 2 * i;
                int b = rope.pairing() == RopePairing.HALVES ? base + i + d / 2 : base + 2 * i + 1;
                float x0 = x[a];
                float x1 = x[b];
                x[a] = x0 * cos - x1 * sin;
                x[b] = x0 * sin + x1 * cos;
            }
        }
    }

    @Override
    public void writeKv(KvCache cache, int layer, Activations k, Activations v) {
        ScalarKv kv = (ScalarKv) cache;
        int dim = kv.layout().kvDim();
        for (int r = 0; r < plan.rows(); r++) {
            int slot = plan.slot(r);
            System.arraycopy(a(k), r * k.width(), kv.keys()[layer], slot * dim, dim);
            System.arraycopy(a(v), r * v.width(), kv.values()[layer], slot * dim, dim);
        }
    }

    @Override
    public void attention(KvCache cache, int layer, Activations q, Activations out) {
        ScalarKv kv = (ScalarKv) cache;
        KvLayout l = kv.layout();
        int d = l.headDim();
        int heads = q.width() / d;
        int group = heads / l.kvHeads();
        float scale = (float) (1.0 / Math.sqrt(d));
        float[] keys = kv.keys()[layer];
        float[] values = kv.values()[layer];
        for (int r = 0; r < plan.rows(); r++) {
            int s = plan.sequenceOf(r);
            int n = plan.position(r) + 1;
            float[] scores = new float[n];
            for (int h = 0; h < heads; h++) {
                int qOff = r * q.width() + h * d;
                int kvHead = h / group;
                float max = Float.NEGATIVE_INFINITY;
                for (int t = 0; t < n; t++) {
                    int slot = plan.block(s, t / l.blockSize()) * l.blockSize() + t % l.blockSize();
                    int kOff = slot * l.kvDim() + kvHead * d;
                    float dot = 0;
                    for (int i = 0; i < d; i++) {
                        dot += a(q)[qOff + i] * keys[kOff + i];
                    }
                    scores[t] = dot * scale;
                    max = Math.max(max, scores[t]);
                }
                float sum = 0;
                for (int t = 0; t < n; t++) {
                    scores[t] = (float) Math.exp(scores[t] - max);
                    sum += scores[t];
                }
                int oOff = r * out.width() + h * d;
                for (int i = 0; i < d; i++) {
                    a(out)[oOff + i] = 0;
                }
                for (int t = 0; t < n; t++) {
                    int slot = plan.block(s, t / l.blockSize()) * l.blockSize() + t % l.blockSize();
                    int vOff = slot * l.kvDim() + kvHead * d;
                    float p = scores[t] / sum;
                    for (int i = 0; i < d; i++) {
                        a(out)[oOff + i] += p * values[vOff + i];
                    }
                }
            }
        }
    }

    @Override
    public void siluMul(Activations gate, Activations up) {
        for (int r = 0; r < plan.rows(); r++) {
            for (int i = 0; i < gate.width(); i++) {
                int gi = r * gate.width() + i;
                float g = a(gate)[gi];
                a(gate)[gi] = (float) (g / (1 + Math.exp(-g))) * a(up)[r * up.width() + i];
            }
        }
    }

    @Override
    public void gatherLogitRows(Activations x, Activations out) {
        for (int i = 0; i < plan.logitCount(); i++) {
            System.arraycopy(a(x), plan.logitRow(i) * x.width(), a(out), i * out.width(), x.width());
        }
    }

    @Override
    public void read(Activations x, int rows, float[] dst) {
        System.arraycopy(a(x), 0, dst, 0, rows * x.width());
    }

    @Override
    public void close() {
    }
}
