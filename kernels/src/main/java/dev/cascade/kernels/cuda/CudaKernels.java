package dev.cascade.kernels.cuda;

import dev.cascade.kernels.cuda.driver.CudaFunction;
import dev.cascade.kernels.cuda.driver.CudaModule;
import dev.cascade.kernels.cuda.driver.CudaStream;
import dev.cascade.kernels.cuda.driver.KernelArgs;
import dev.cascade.weights.DType;

import java.util.EnumMap;
import java.util.Map;

/**
 * Typed launches of the kernels in src/main/cuda. Each method's arguments follow its kernel's C
 * signature in order and type (CUDA cannot check them): keep the two in step. Pointers are device
 * addresses; sizes are elements unless named bytes.
 */
final class CudaKernels {
    /** Threads of a block that walks one row. */
    static final int ROW_THREADS = 256;
    /** Threads per block of a grid-stride element-wise kernel, and the most blocks it is given. */
    static final int ELEMENT_THREADS = 256;
    static final int MAX_ELEMENT_BLOCKS = 65536;
    /** paged_attention's block: ATTENTION_WARPS (attention.cuh) warps. */
    static final int ATTENTION_THREADS = 4 * 32;
    static final int MAX_HEAD_DIM = 256;

    private final Map<Kernel, CudaFunction> functions = new EnumMap<>(Kernel.class);
    private final CudaStream stream;

    CudaKernels(CudaModule module, CudaStream stream) {
        this.stream = stream;
        for (Kernel k : Kernel.values()) {
            functions.put(k, module.function(k.symbol()));
        }
    }

    private CudaFunction f(Kernel k) {
        return functions.get(k);
    }

    /** Threads for a block over {@code n} items of a row: whole warps, at most ROW_THREADS. */
    static int rowThreads(long n) {
        return (int) Math.max(32, Math.min(ROW_THREADS, (n + 31) / 32 * 32));
    }

    static int elementBlocks(long n) {
        return (int) Math.max(1, Math.min(MAX_ELEMENT_BLOCKS, (n + ELEMENT_THREADS - 1) / ELEMENT_THREADS));
    }

    private void elementwise(Kernel k, long n, KernelArgs args) {
        if (n > 0) {
            f(k).launch(stream, elementBlocks(n), ELEMENT_THREADS, args);
        }
    }

    // --- load time: weights to their device dtype ---

    /** out = in converted, {@code n} elements; the pairs CudaBackend needs. */
    void convert(DType from, DType to, long in, long out, long n) {
        Kernel k;
        if (from == DType.F32 && to == DType.BF16) {
            k = Kernel.CONVERT_F32_TO_BF16;
        } else if (from == DType.F32 && to == DType.F16) {
            k = Kernel.CONVERT_F32_TO_F16;
        } else if (from == DType.F16 && to == DType.F32) {
            k = Kernel.CONVERT_F16_TO_F32;
        } else if (from == DType.BF16 && to == DType.F32) {
            k = Kernel.CONVERT_BF16_TO_F32;
        } else if (from == DType.Q8_0 && to == DType.BF16) {
            k = Kernel.DEQUANTIZE_Q8_0_TO_BF16;
        } else if (from == DType.Q8_0 && to == DType.F32) {
            k = Kernel.DEQUANTIZE_Q8_0_TO_F32;
        } else if (from == DType.Q4_0 && to == DType.BF16) {
            k = Kernel.DEQUANTIZE_Q4_0_TO_BF16;
        } else if (from == DType.Q4_0 && to == DType.F32) {
            k = Kernel.DEQUANTIZE_Q4_0_TO_F32;
        } else {
            throw new IllegalArgumentException("no kernel converts " + from + " to " + to);
        }
        // (const In* in, Out* out, long long n) — for the quantized kernels n counts blocks of 32
        long count = from.quantized() ? n / from.blockSize() : n;
        elementwise(k, n, new KernelArgs().ptr(in).ptr(out).i64(count));
    }

    // --- per step ---

    /** rows_f32_to_{bf16,f16}(const float* in, int inStride, Out* out, int rows, int cols). */
    void rowsToHalf(DType to, long in, int inStride, long out, int rows, int cols) {
        Kernel k = switch (to) {
            case BF16 -> Kernel.ROWS_F32_TO_BF16;
            case F16 -> Kernel.ROWS_F32_TO_F16;
            default -> throw new IllegalArgumentException("matrix inputs are converted to BF16 or F16, not " + to);
        };
        elementwise(k, (long) rows * cols, new KernelArgs().ptr(in).i32(inStride).ptr(out).i32(rows).i32(cols));
    }

    /** embed_{f32,f16,bf16}(const T* table, const int* tokens, float* out, int outStride, int dim). */
    void embed(DType tableType, long table, long tokens, long out, int outStride, int dim, int rows) {
        Kernel k = switch (tableType) {
            case F32 -> Kernel.EMBED_F32;
            case F16 -> Kernel.EMBED_F16;
            case BF16 -> Kernel.EMBED_BF16;
            default -> throw new IllegalArgumentException("embedding table in " + tableType + " on the device");
        };
        f(k).launch(stream, rows, rowThreads(dim), new KernelArgs().ptr(table).ptr(tokens).ptr(out).i32(outStride).i32(dim));
    }

    /** rms_norm(const float* x, const float* gain, float* out, int dim, float eps). */
    void rmsNorm(long x, long gain, long out, int dim, float eps, int rows) {
        f(Kernel.RMS_NORM).launch(stream, rows, rowThreads(dim), new KernelArgs().ptr(x).ptr(gain).ptr(out).i32(dim).f32(eps));
    }

    /** add_rms_norm(float* residual, const float* delta, const float* gain, float* out, int dim, float eps). */
    void addRmsNorm(long residual, long delta, long gain, long out, int dim, float eps, int rows) {
        f(Kernel.ADD_RMS_NORM).launch(stream, rows, rowThreads(dim),
                new KernelArgs().ptr(residual).ptr(delta).ptr(gain).ptr(out).i32(dim).f32(eps));
    }

    /** add_in_place(float* residual, const float* delta, long long n). */
    void add(long residual, long delta, long n) {
        elementwise(Kernel.ADD_IN_PLACE, n, new KernelArgs().ptr(residual).ptr(delta).i64(n));
    }

    /** add_bias(float* x, int stride, const float* bias, int rows, int n). */
    void addBias(long x, int stride, long bias, int rows, int n) {
        elementwise(Kernel.ADD_BIAS, (long) rows * n, new KernelArgs().ptr(x).i32(stride).ptr(bias).i32(rows).i32(n));
    }

    /** silu_mul(float* gate, const float* up, long long n). */
    void siluMul(long gate, long up, long n) {
        elementwise(Kernel.SILU_MUL, n, new KernelArgs().ptr(gate).ptr(up).i64(n));
    }

    /** gather_rows(const float* x, int width, const int* rowIndex, float* out), one block per gathered row. */
    void gatherRows(long x, int width, long rowIndex, long out, int count) {
        if (count > 0) {
            f(Kernel.GATHER_ROWS).launch(stream, count, rowThreads(width), new KernelArgs().ptr(x).i32(width).ptr(rowIndex).ptr(out));
        }
    }

    /**
     * rope(float* q, int qStride, float* k, int kStride, const int* positions, const double* freq,
     * int heads, int kvHeads, int headDim, int interleaved).
     */
    void rope(long q, int qStride, long k, int kStride, long positions, long frequencies, int heads, int kvHeads,
              int headDim, boolean interleaved, int rows) {
        f(Kernel.ROPE).launch(stream, rows, rowThreads((long) (heads + kvHeads) * headDim / 2),
                new KernelArgs().ptr(q).i32(qStride).ptr(k).i32(kStride).ptr(positions).ptr(frequencies)
                        .i32(heads).i32(kvHeads).i32(headDim).i32(interleaved ? 1 : 0));
    }

    /** write_kv(const float* k, int kStride, const float* v, int vStride, const int* slots, float* kCache, float* vCache, int kvDim). */
    void writeKv(long k, int kStride, long v, int vStride, long slots, long kCache, long vCache, int kvDim, int rows) {
        f(Kernel.WRITE_KV).launch(stream, rows, rowThreads(kvDim),
                new KernelArgs().ptr(k).i32(kStride).ptr(v).i32(vStride).ptr(slots).ptr(kCache).ptr(vCache).i32(kvDim));
    }

    /** The paged_attention variant whose per-lane arrays hold {@code headDim}. */
    static Kernel attentionKernel(int headDim) {
        if (headDim <= 32) {
            return Kernel.PAGED_ATTENTION_D32;
        }
        if (headDim <= 64) {
            return Kernel.PAGED_ATTENTION_D64;
        }
        if (headDim <= 128) {
            return Kernel.PAGED_ATTENTION_D128;
        }
        if (headDim <= MAX_HEAD_DIM) {
            return Kernel.PAGED_ATTENTION_D256;
        }
        throw new IllegalArgumentException("head dimension " + headDim + ": the CUDA attention kernels take up to "
                + MAX_HEAD_DIM);
    }

    /** Where the tensors of one attention call are. */
    record AttentionArgs(long q, int qStride, long kCache, long vCache, long positions, long rowSequence,
                         long blockTables, int maxBlocksPerSequence, int blockSize, int heads, int kvHeads, int headDim,
                         long out, int outStride, long partial) {
    }

    /**
     * paged_attention_dN(const float* q, int qStride, const float* kCache, const float* vCache,
     * const int* positions, const int* rowSequence, const int* blockTables, int maxBlocksPerSequence,
     * int blockSize, int heads, int kvHeads, int headDim, float scale, int tokensPerSplit, float* out,
     * int outStride, float* partial), then attention_combine(const float* partial, int splits,
     * int heads, int headDim, float* out, int outStride) when split.
     */
    void attention(AttentionArgs a, int rows, AttentionSplits splits) {
        float scale = (float) (1.0 / Math.sqrt(a.headDim()));
        f(attentionKernel(a.headDim())).launch(stream, rows, a.heads(), splits.splits(), ATTENTION_THREADS, 0,
                new KernelArgs().ptr(a.q()).i32(a.qStride()).ptr(a.kCache()).ptr(a.vCache()).ptr(a.positions())
                        .ptr(a.rowSequence()).ptr(a.blockTables()).i32(a.maxBlocksPerSequence()).i32(a.blockSize())
                        .i32(a.heads()).i32(a.kvHeads()).i32(a.headDim()).f32(scale).i32(splits.tokensPerSplit())
                        .ptr(a.out()).i32(a.outStride()).ptr(a.partial()));
        if (splits.splits() > 1) {
            f(Kernel.ATTENTION_COMBINE).launch(stream, rows, a.heads(), 1, rowThreads(a.headDim()), 0,
                    new KernelArgs().ptr(a.partial()).i32(splits.splits()).i32(a.heads()).i32(a.headDim()).ptr(a.out())
                            .i32(a.outStride()));
        }
    }

    /** sample_rows's block (SAMPLE_THREADS in sampling.cuh). */
    static final int SAMPLE_THREADS = 256;

    /**
     * sample_rows(const float* logits, int stride, int vocab, const float* temperature, const int* topK,
     * const float* topP, const double* uniform, int* tokenOut, float* logprobOut): one block per row.
     */
    void sample(long logits, int stride, int vocab, long temperature, long topK, long topP, long uniform, long tokens,
                long logprobs, int rows) {
        f(Kernel.SAMPLE_ROWS).launch(stream, rows, SAMPLE_THREADS, new KernelArgs().ptr(logits).i32(stride).i32(vocab)
                .ptr(temperature).ptr(topK).ptr(topP).ptr(uniform).ptr(tokens).ptr(logprobs));
    }

    /** prefill_attention's block: PREFILL_WARPS (prefill_attention.cuh) warps. */
    static final int PREFILL_ATTENTION_THREADS = 4 * 32;
    /** The largest head the tiled prefill kernel holds (its tiles in shared memory); larger ones use paged_attention. */
    static final int MAX_PREFILL_HEAD_DIM = 128;

    /** The prefill_attention variant for {@code headDim}, or null when it is too large for one. */
    static Kernel prefillAttentionKernel(int headDim) {
        if (headDim <= 32) {
            return Kernel.PREFILL_ATTENTION_D32;
        }
        if (headDim <= 64) {
            return Kernel.PREFILL_ATTENTION_D64;
        }
        if (headDim <= MAX_PREFILL_HEAD_DIM) {
            return Kernel.PREFILL_ATTENTION_D128;
        }
        return null;
    }

    /**
     * prefill_attention_dN(const float* q, int qStride, const float* kCache, const float* vCache,
     * const int* positions, const int* rowSequence, const int* blockTables, int maxBlocksPerSequence,
     * int blockSize, int heads, int kvHeads, int headDim, float scale, const int* tileFirst,
     * const int* tileRows, float* out, int outStride): one block per (tile, head).
     */
    void prefillAttention(AttentionArgs a, long tileFirst, long tileRows, int tiles) {
        float scale = (float) (1.0 / Math.sqrt(a.headDim()));
        f(prefillAttentionKernel(a.headDim())).launch(stream, tiles, a.heads(), 1, PREFILL_ATTENTION_THREADS, 0,
                new KernelArgs().ptr(a.q()).i32(a.qStride()).ptr(a.kCache()).ptr(a.vCache()).ptr(a.positions())
                        .ptr(a.rowSequence()).ptr(a.blockTables()).i32(a.maxBlocksPerSequence()).i32(a.blockSize())
                        .i32(a.heads()).i32(a.kvHeads()).i32(a.headDim()).f32(scale).ptr(tileFirst).ptr(tileRows)
                        .ptr(a.out()).i32(a.outStride()));
    }
}
