package dev.cascade.kernels;

import dev.cascade.weights.Model;
import dev.cascade.weights.Tensor;

/**
 * What the transformer needs from a compute device. One forward step works on a ragged batch: rows
 * are tokens of several sequences, prefill chunks and single decode tokens mixed, described by the
 * {@link StepPlan} given to {@link #beginStep}. Activations are float32 [rows][width]; a matrix
 * product reads each weight once for the whole batch. Keys and values live in a paged cache that
 * attention reads through each sequence's block table.
 *
 * <p>Two implementations: {@code cpu} (Vector API) and {@code cuda}. Calls are issued in order from
 * one thread; an implementation may run them asynchronously as long as {@link #read} sees the
 * results.
 */
public interface Backend extends AutoCloseable {

    String name();

    /**
     * Called once before a model's weights, cache and activations are created here, with what will
     * be asked for: a GPU backend checks that it all fits in device memory, so a model that does not
     * fit is refused with the reason before anything is allocated. The CPU needs nothing.
     */
    default void prepare(Model model, KvLayout layout, int maxRows) {
    }

    /** Makes a weight tensor usable here (the CPU reads the mapped file in place; a GPU copies it). */
    Weight weight(Tensor tensor);

    /** Space for activations of up to {@code rows} rows of {@code width} floats. */
    Activations activations(int rows, int width);

    /** A paged key/value cache for every layer. */
    KvCache kvCache(KvLayout layout);

    /** Takes the layout of the next forward step; the operations below work on its rows. */
    void beginStep(StepPlan plan);

    /**
     * Begins a step that this backend may run from a recording of an earlier one. True: the
     * backend has queued the whole step itself, replaying what the caller issued for an earlier
     * step of the same shape (a CUDA graph), and the caller skips its operations and only calls
     * {@link #read}. False: the caller issues them as for {@link #beginStep}, and the backend may
     * record them. The caller must issue the same operations on the same buffers for every step of
     * a shape; when a recording fails, an operation throws and {@link #abandonRecording} says so.
     */
    default boolean beginStepOrReplay(StepPlan plan) {
        beginStep(plan);
        return false;
    }

    /**
     * After an operation threw: true when the step was being recorded, in which case nothing of it
     * ran, the recording is dropped, steps of its shape are not recorded again, and the caller may
     * {@link #beginStep} and issue the step once more. False when nothing was being recorded.
     */
    default boolean abandonRecording() {
        return false;
    }

    /** out[r] = table[token of row r]. */
    void embed(Weight table, Activations out);

    /** out[r] = W · x[r] for every row of the step: W is [out][in], x is [rows][in], out is [rows][out]. */
    default void matmul(Activations x, Weight w, Activations out) {
        matmul(x, currentRows(), w, out);
    }

    /** The same for the first {@code rows} rows (the LM head runs on the gathered logit rows only). */
    void matmul(Activations x, int rows, Weight w, Activations out);

    /** Rows of the step begun last. */
    int currentRows();

    /** x[r] += bias for every row. */
    void addBias(Activations x, Weight bias);

    /** out[r] = x[r] · gain / sqrt(mean(x[r]²) + eps). */
    void rmsNorm(Activations x, Weight gain, float eps, Activations out);

    /** residual += delta, then out = rmsNorm(residual): one pass over the residual stream. */
    void addRmsNorm(Activations residual, Activations delta, Weight gain, float eps, Activations out);

    /** residual += delta. */
    void add(Activations residual, Activations delta);

    /** Rotates the query and key heads of every row by its position. */
    void rope(Activations q, Activations k, Rope rope);

    /** Stores the rows' keys and values at their cache slots in one layer. */
    void writeKv(KvCache cache, int layer, Activations k, Activations v);

    /**
     * Causal attention of every row's query heads over its sequence's cached keys and values up to
     * and including its own position (grouped-query: query head h reads KV head h·kvHeads/heads).
     */
    void attention(KvCache cache, int layer, Activations q, Activations out);

    /** gate = silu(gate) · up, element-wise. */
    void siluMul(Activations gate, Activations up);

    /** out[i] = x[plan.logitRow(i)]: the rows whose next-token logits are wanted. */
    void gatherLogitRows(Activations x, Activations out);

    /** Whether {@link #sample} chooses tokens here (a GPU: only ids and log-probabilities come back). */
    default boolean samplesOnDevice() {
        return false;
    }

    /**
     * Chooses a token for each of the first {@code rows} rows of {@code logits} as
     * {@link DeviceSampling} describes, leaving the logits as they are (a row left to the host, token
     * -1, is read from them). Only for a backend that {@link #samplesOnDevice}.
     */
    default void sample(Activations logits, int rows, DeviceSampling sampling) {
        throw new UnsupportedOperationException(name() + " does not sample on the device");
    }

    /** Copies the first {@code rows} rows to the host, row-major. */
    void read(Activations x, int rows, float[] dst);

    @Override
    void close();
}
