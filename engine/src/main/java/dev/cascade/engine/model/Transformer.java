package dev.cascade.engine.model;

import dev.cascade.kernels.Activations;
import dev.cascade.kernels.Backend;
import dev.cascade.kernels.DeviceSampling;
import dev.cascade.kernels.KvCache;
import dev.cascade.kernels.KvLayout;
import dev.cascade.kernels.Rope;
import dev.cascade.kernels.StepPlan;
import dev.cascade.kernels.Weight;
import dev.cascade.weights.Model;
import dev.cascade.weights.ModelConfig;
import dev.cascade.weights.TensorNames;

/**
 * The Llama-family transformer (Llama 2/3, Mistral, Qwen2), written once over the {@link Backend}
 * contract. One {@link #forward} runs a whole ragged batch: embed, then per layer RMSNorm → Q/K/V
 * (+bias) → RoPE → KV write → paged attention → output projection + residual → RMSNorm →
 * SiLU-gated MLP + residual, then the final norm and the LM head for the rows that want logits.
 * Buffers are sized once for {@code maxRows}; a step allocates nothing.
 */
public final class Transformer implements AutoCloseable {
    private final ModelConfig config;
    private final Backend backend;
    private final Weight embedding;
    private final Weight outputNorm;
    private final Weight output;
    private final LayerWeights[] layers;
    private final Rope rope;
    private final KvCache cache;
    private final int maxRows;

    private final Activations x;
    private final Activations xb;
    private final Activations q;
    private final Activations k;
    private final Activations v;
    private final Activations att;
    private final Activations proj;
    private final Activations gate;
    private final Activations up;
    private final Activations last;
    private final Activations logits;

    public Transformer(Model model, Backend backend, KvLayout kvLayout, int maxRows) {
        this.config = model.config();
        this.backend = backend;
        this.maxRows = maxRows;
        ModelConfig c = config;
        backend.prepare(model, kvLayout, maxRows);
        embedding = backend.weight(model.tensor(TensorNames.TOKEN_EMBEDDING));
        outputNorm = backend.weight(model.tensor(TensorNames.OUTPUT_NORM));
        output = model.tensors().containsKey(TensorNames.OUTPUT)
                ? backend.weight(model.tensor(TensorNames.OUTPUT)) : embedding;
        layers = new LayerWeights[c.layers()];
        for (int l = 0; l < c.layers(); l++) {
            layers[l] = new LayerWeights(
                    backend.weight(model.tensor(TensorNames.attnNorm(l))),
                    backend.weight(model.tensor(TensorNames.attnQ(l))),
                    backend.weight(model.tensor(TensorNames.attnK(l))),
                    backend.weight(model.tensor(TensorNames.attnV(l))),
                    c.attentionBias() ? backend.weight(model.tensor(TensorNames.attnQBias(l))) : null,
                    c.attentionBias() ? backend.weight(model.tensor(TensorNames.attnKBias(l))) : null,
                    c.attentionBias() ? backend.weight(model.tensor(TensorNames.attnVBias(l))) : null,
                    backend.weight(model.tensor(TensorNames.attnOutput(l))),
                    backend.weight(model.tensor(TensorNames.ffnNorm(l))),
                    backend.weight(model.tensor(TensorNames.ffnGate(l))),
                    backend.weight(model.tensor(TensorNames.ffnUp(l))),
                    backend.weight(model.tensor(TensorNames.ffnDown(l))));
        }
        rope = Rope.of(c);
        cache = backend.kvCache(kvLayout);
        x = backend.activations(maxRows, c.dim());
        xb = backend.activations(maxRows, c.dim());
        q = backend.activations(maxRows, c.qDim());
        k = backend.activations(maxRows, c.kvDim());
        v = backend.activations(maxRows, c.kvDim());
        att = backend.activations(maxRows, c.qDim());
        proj = backend.activations(maxRows, c.dim());
        gate = backend.activations(maxRows, c.hiddenDim());
        up = backend.activations(maxRows, c.hiddenDim());
        last = backend.activations(maxRows, c.dim());
        logits = backend.activations(maxRows, c.vocabSize());
    }

    public ModelConfig config() {
        return config;
    }

    public int maxRows() {
        return maxRows;
    }

    /**
     * Runs one step and writes the logits of the plan's logit rows, one vocabulary-sized row each,
     * into {@code logitsOut}.
     */
    public void forward(StepPlan plan, float[] logitsOut) {
        forward(plan, logitsOut, null);
    }

    /** Whether {@link #forward(StepPlan, float[], DeviceSampling)} can have the backend choose tokens. */
    public boolean samplesOnDevice() {
        return backend.samplesOnDevice();
    }

    /**
     * Runs one step. With {@code sampling} (and a backend that {@link #samplesOnDevice}), the backend
     * chooses the logit rows' tokens into it and true is returned; if it left any row to the host
     * (token -1), or without {@code sampling}, the logits are read into {@code logitsOut} and false
     * is returned. A backend that recorded an earlier step of the same shape replays it (see
     * {@link Backend#beginStepOrReplay}); one whose recording failed has the step issued again.
     */
    public boolean forward(StepPlan plan, float[] logitsOut, DeviceSampling sampling) {
        if (plan.rows() > maxRows) {
            throw new IllegalArgumentException("step has " + plan.rows() + " rows; this model was set up for " + maxRows);
        }
        DeviceSampling onDevice = sampling != null && backend.samplesOnDevice() ? sampling : null;
        try {
            if (!backend.beginStepOrReplay(plan)) {
                issue(plan);
            }
            return finish(plan, logitsOut, onDevice);
        } catch (RuntimeException e) {
            if (!backend.abandonRecording()) {
                throw e;
            }
            backend.beginStep(plan);
            issue(plan);
            return finish(plan, logitsOut, onDevice);
        }
    }

    private boolean finish(StepPlan plan, float[] logitsOut, DeviceSampling sampling) {
        int n = plan.logitCount();
        if (n == 0) {
            return false;
        }
        if (sampling != null) {
            backend.sample(logits, n, sampling);
            if (sampling.allChosen(n)) {
                return true;
            }
        }
        backend.read(logits, n, logitsOut);
        return false;
    }

    /** The step's operations, in order, up to the logits of the rows that want them. */
    private void issue(StepPlan plan) {
        float eps = config.normEps();
        backend.embed(embedding, x);
        backend.rmsNorm(x, layers[0].attnNorm(), eps, xb);
        for (int l = 0; l < layers.length; l++) {
            LayerWeights w = layers[l];
            backend.matmul(xb, w.wq(), q);
            backend.matmul(xb, w.wk(), k);
            backend.matmul(xb, w.wv(), v);
            if (w.bq() != null) {
                backend.addBias(q, w.bq());
                backend.addBias(k, w.bk());
                backend.addBias(v, w.bv());
            }
            backend.rope(q, k, rope);
            backend.writeKv(cache, l, k, v);
            backend.attention(cache, l, q, att);
            backend.matmul(att, w.wo(), proj);
            backend.addRmsNorm(x, proj, w.ffnNorm(), eps, xb);
            backend.matmul(xb, w.gate(), gate);
            backend.matmul(xb, w.up(), up);
            backend.siluMul(gate, up);
            backend.matmul(gate, w.down(), proj);
            Weight nextNorm = l + 1 < layers.length ? layers[l + 1].attnNorm() : outputNorm;
            backend.addRmsNorm(x, proj, nextNorm, eps, xb);
        }
        if (plan.logitCount() > 0) {
            backend.gatherLogitRows(xb, last);
            backend.matmul(last, plan.logitCount(), output, logits);
        }
    }

    @Override
    public void close() {
        backend.close();
    }
}
