package dev.cascade.weights.gguf;

import dev.cascade.weights.ModelConfig;
import dev.cascade.weights.ModelFormatException;
import dev.cascade.weights.RopePairing;
import dev.cascade.weights.TensorNames;

import java.util.OptionalDouble;

/** A {@link ModelConfig} from the {@code llama.*} or {@code qwen2.*} metadata of a GGUF file. */
public final class GgufModelConfig {
    private GgufModelConfig() {
    }

    public static ModelConfig of(GgufFile f) {
        GgufMetadata m = f.meta();
        String arch = m.string("general.architecture").orElseThrow(() ->
                new ModelFormatException(f.path(), "has no general.architecture; is it a vocabulary-only file?"));
        // llama.cpp's converter permutes Q/K rows of llama-architecture models so RoPE pairs are adjacent;
        // it leaves qwen2 alone and runs it with NEOX (rotate-halves) RoPE.
        RopePairing pairing = switch (arch) {
            case "llama" -> RopePairing.INTERLEAVED;
            case "qwen2" -> RopePairing.HALVES;
            default -> throw new ModelFormatException(f.path(), "architecture " + arch
                    + " is not supported; supported: llama, qwen2");
        };
        String p = arch + ".";
        int dim = m.requireInt(p + "embedding_length");
        int heads = m.requireInt(p + "attention.head_count");
        int headDim = m.intOr(p + "attention.key_length", heads > 0 ? dim / heads : 0);
        int valueLength = m.intOr(p + "attention.value_length", headDim);
        if (valueLength != headDim) {
            throw new ModelFormatException(f.path(), "attention.key_length " + headDim + " differs from value_length "
                    + valueLength + "; not supported");
        }
        int ropeDims = m.intOr(p + "rope.dimension_count", headDim);
        if (ropeDims != headDim) {
            throw new ModelFormatException(f.path(), "rope.dimension_count " + ropeDims + " is not the head size "
                    + headDim + "; partial rotary embeddings are not supported");
        }
        boolean tied = f.tensorInfo(TensorNames.OUTPUT) == null;
        boolean bias = f.tensorInfo(TensorNames.attnQBias(0)) != null;
        if (arch.equals("qwen2") && !bias) {
            throw new ModelFormatException(f.path(), "qwen2 model without " + TensorNames.attnQBias(0));
        }
        int hiddenDim = m.requireInt(p + "feed_forward_length");
        int layers = m.requireInt(p + "block_count");
        int kvHeads = m.intOr(p + "attention.head_count_kv", heads);
        int vocab = vocabSize(f, p);
        int context = m.requireInt(p + "context_length");
        float eps = m.floatOr(p + "attention.layer_norm_rms_epsilon", 1e-5f);
        float theta = m.floatOr(p + "rope.freq_base", 10000f);
        ModelConfig.RopeScaling scaling = ropeScaling(f, p);
        try {
            return new ModelConfig(arch, dim, hiddenDim, layers, heads, kvHeads, headDim, vocab, context, eps, theta,
                    scaling, pairing, bias, tied, 0);
        } catch (ModelFormatException e) {
            throw new ModelFormatException(f.path(), e.getMessage(), e);
        }
    }

    /** Rows of token_embd where present (the truth), else the declared vocabulary size. */
    private static int vocabSize(GgufFile f, String p) {
        GgufTensorInfo embd = f.tensorInfo(TensorNames.TOKEN_EMBEDDING);
        if (embd != null && embd.shape().length == 2) {
            if (embd.shape()[0] > Integer.MAX_VALUE) {
                throw new ModelFormatException(f.path(), TensorNames.TOKEN_EMBEDDING + " has " + embd.shape()[0] + " rows");
            }
            return (int) embd.shape()[0];
        }
        GgufMetadata m = f.meta();
        if (m.has(p + "vocab_size")) {
            return m.requireInt(p + "vocab_size");
        }
        int tokens = m.arrayLength("tokenizer.ggml.tokens");
        if (tokens < 0) {
            throw new ModelFormatException(f.path(), "has neither " + TensorNames.TOKEN_EMBEDDING
                    + " nor a vocabulary size");
        }
        return tokens;
    }

    private static ModelConfig.RopeScaling ropeScaling(GgufFile f, String p) {
        GgufMetadata m = f.meta();
        String type = m.string(p + "rope.scaling.type").orElse(null);
        OptionalDouble legacyLinear = m.real(p + "rope.scale_linear");
        if (type == null && legacyLinear.isPresent() && legacyLinear.getAsDouble() != 1.0) {
            type = "linear";
        }
        if (type == null || type.equals("none")) {
            return null;
        }
        float factor = m.floatOr(p + "rope.scaling.factor", (float) legacyLinear.orElse(1.0));
        int original = m.intOr(p + "rope.scaling.original_context_length", m.requireInt(p + "context_length"));
        if (type.equals("linear")) {
            return factor == 1f ? null : new ModelConfig.RopeScaling("linear", factor, 0f, 0f, original);
        }
        throw new ModelFormatException(f.path(), "rope scaling type " + type + " is not supported; supported: none,"
                + " linear (Llama 3 scaling comes as the " + TensorNames.ROPE_FREQS + " tensor)");
    }
}
