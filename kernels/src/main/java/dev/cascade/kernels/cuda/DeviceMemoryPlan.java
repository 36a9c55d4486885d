package dev.cascade.kernels.cuda;

import dev.cascade.kernels.KvLayout;
import dev.cascade.weights.Model;
import dev.cascade.weights.ModelConfig;
import dev.cascade.weights.Tensor;

import java.util.Locale;

/**
 * What one model takes on the GPU, counted before anything is allocated so that a model that
 * does not fit is refused with the reason, not half-loaded into an out-of-memory error.
 *
 * @param weights     every tensor in its device dtype (matrices per {@link WeightPrecision}, vectors float32)
 * @param staging     the largest raw tensor that is converted on the GPU (uploaded there first)
 * @param kvCache     the paged KV cache (float32 keys and values, every layer)
 * @param activations the transformer's float32 buffers for {@code maxRows} rows
 * @param gemmInput   the BF16/F16 copy of a product's input activations
 * @param workspace   the attention split partials, the step's plan and cuBLAS's workspace
 * @param reserve     headroom for the CUDA context, cuBLAS's own allocations and fragmentation
 */
public record DeviceMemoryPlan(long weights, long staging, long kvCache, long activations, long gemmInput,
                               long workspace, long reserve) {
    /** cuBLAS's workspace: NVIDIA recommends 32 MiB on Hopper. */
    public static final long CUBLAS_WORKSPACE = 32L << 20;
    public static final long RESERVE = 256L << 20;
    /** Room for the step's plan (tokens, positions, slots, block tables), generously. */
    static final long PLAN = 4L << 20;

    public long total() {
        return weights + staging + kvCache + activations + gemmInput + workspace + reserve;
    }

    public static DeviceMemoryPlan of(Model model, KvLayout kv, int maxRows, WeightPrecision precision,
                                      long attentionPartials) {
        long weights = 0;
        long staging = 0;
        for (Tensor t : model.tensors().values()) {
            long elements = t.elementCount();
            if (t.rank() == 1) {
                weights += 4 * elements;
                continue;
            }
            var target = precision.deviceType(t.dtype());
            weights += WeightPrecision.bytes(target) * elements;
            if (target != t.dtype()) {
                staging = Math.max(staging, t.data().byteSize());
            }
        }
        ModelConfig c = model.config();
        long rows = maxRows;
        long activations = 4 * rows * (4L * c.dim() + 2L * c.qDim() + 2L * c.kvDim() + 2L * c.hiddenDim() + c.vocabSize());
        long widest = Math.max(Math.max(c.dim(), c.qDim()), c.hiddenDim());
        long gemmInput = precision == WeightPrecision.F32 ? 0 : 2 * rows * widest;
        return new DeviceMemoryPlan(weights, staging, kv.totalBytes(), activations, gemmInput,
                attentionPartials + PLAN + CUBLAS_WORKSPACE, RESERVE);
    }

    /**
     * Throws unless the plan fits in {@code free} bytes, naming each part and what to change.
     *
     * @param device the GPU, for the message
     */
    public void check(long free, long total, String device, WeightPrecision precision, int maxRows) {
        if (total() <= free) {
            return;
        }
        throw new DeviceMemoryException(String.format(Locale.ROOT,
                "the model does not fit on %s: it needs %s (weights %s as %s, KV cache %s, activations %s for %d rows, "
                        + "half-precision inputs %s, load staging %s, workspaces %s, reserve %s) but %s of %s are free. "
                        + "Give it less KV cache memory (--kv-memory), fewer batched tokens (--max-batched-tokens), "
                        + "or a smaller model%s",
                device, gib(total()), gib(weights), precision, gib(kvCache), gib(activations), maxRows, gib(gemmInput),
                gib(staging), gib(workspace), gib(reserve), gib(free), gib(total),
                precision == WeightPrecision.F32 ? "; -D" + WeightPrecision.PROPERTY + "=bf16 halves the weights" : ""));
    }

    static String gib(long bytes) {
        return bytes >= (1L << 30) ? String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30))
                : String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }
}
