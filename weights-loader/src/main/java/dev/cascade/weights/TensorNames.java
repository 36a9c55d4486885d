package dev.cascade.weights;

/**
 * The one naming scheme weights come out under, whatever the file format (the GGUF names, which
 * every loader maps to). Matrices are [out][in]: row r of {@code blk.N.attn_q.weight} produces
 * output element r.
 */
public final class TensorNames {
    public static final String TOKEN_EMBEDDING = "token_embd.weight";
    public static final String OUTPUT_NORM = "output_norm.weight";
    /** Absent when the embeddings are tied. */
    public static final String OUTPUT = "output.weight";
    /**
     * Per-frequency divisors of RoPE, [headDim / 2], present only in GGUF conversions of Llama 3.1
     * style models (llama.cpp stores the "llama3" rope scaling this way instead of as metadata).
     */
    public static final String ROPE_FREQS = "rope_freqs.weight";

    private TensorNames() {
    }

    public static String attnNorm(int layer) {
        return "blk." + layer + ".attn_norm.weight";
    }

    public static String attnQ(int layer) {
        return "blk." + layer + ".attn_q.weight";
    }

    public static String attnK(int layer) {
        return "blk." + layer + ".attn_k.weight";
    }

    public static String attnV(int layer) {
        return "blk." + layer + ".attn_v.weight";
    }

    public static String attnQBias(int layer) {
        return "blk." + layer + ".attn_q.bias";
    }

    public static String attnKBias(int layer) {
        return "blk." + layer + ".attn_k.bias";
    }

    public static String attnVBias(int layer) {
        return "blk." + layer + ".attn_v.bias";
    }

    public static String attnOutput(int layer) {
        return "blk." + layer + ".attn_output.weight";
    }

    public static String ffnNorm(int layer) {
        return "blk." + layer + ".ffn_norm.weight";
    }

    /** w1 in llama2.c. */
    public static String ffnGate(int layer) {
        return "blk." + layer + ".ffn_gate.weight";
    }

    /** w3 in llama2.c. */
    public static String ffnUp(int layer) {
        return "blk." + layer + ".ffn_up.weight";
    }

    /** w2 in llama2.c. */
    public static String ffnDown(int layer) {
        return "blk." + layer + ".ffn_down.weight";
    }
}
