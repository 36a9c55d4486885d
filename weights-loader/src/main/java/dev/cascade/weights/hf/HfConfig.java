package dev.cascade.weights.hf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cascade.weights.ModelConfig;
import dev.cascade.weights.ModelFormatException;
import dev.cascade.weights.RopePairing;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A Hugging Face config.json for LlamaForCausalLM, MistralForCausalLM or Qwen2ForCausalLM.
 *
 * @param config       the model's hyper-parameters (RoPE pairs are halves, as HF checkpoints store Q/K)
 * @param eosTokenIds  eos_token_id (one id or a list), possibly empty
 * @param bosTokenId   bos_token_id, or -1
 * @param torchDtype   the dtype the checkpoint was saved in ("bfloat16" …), or null
 */
public record HfConfig(ModelConfig config, List<Integer> eosTokenIds, int bosTokenId, String torchDtype) {

    private static final Map<String, String> ARCHITECTURES = Map.of(
            "LlamaForCausalLM", "llama",
            "MistralForCausalLM", "mistral",
            "Qwen2ForCausalLM", "qwen2");
    private static final String SUPPORTED = "LlamaForCausalLM, MistralForCausalLM, Qwen2ForCausalLM";

    public static HfConfig read(Path configJson) {
        Json j = Json.read(configJson);
        String family = family(j);
        String act = j.string("hidden_act", "silu");
        if (!act.equals("silu")) {
            throw j.error("hidden_act " + act + " is not supported (only silu)");
        }
        if (j.bool("mlp_bias", false)) {
            throw j.error("mlp_bias is not supported");
        }
        int dim = j.integer("hidden_size");
        int heads = j.integer("num_attention_heads");
        int headDim = j.integer("head_dim", heads > 0 ? dim / heads : 0);
        Json ropeParameters = j.child("rope_parameters");  // transformers 5 moves rope_theta here
        float theta = ropeParameters != null && ropeParameters.has("rope_theta")
                ? ropeParameters.number("rope_theta", 10000f) : j.number("rope_theta", 10000f);
        Json scaling = j.child("rope_scaling") != null ? j.child("rope_scaling") : ropeParameters;
        int contextLength = j.integer("max_position_embeddings");
        boolean bias = family.equals("qwen2") || j.bool("attention_bias", false);
        int slidingWindow = switch (family) {
            case "mistral" -> j.integer("sliding_window", 0);
            case "qwen2" -> j.bool("use_sliding_window", false) ? j.integer("sliding_window", 0) : 0;
            default -> 0;
        };
        int hiddenDim = j.integer("intermediate_size");
        int layers = j.integer("num_hidden_layers");
        int kvHeads = j.integer("num_key_value_heads", heads);
        int vocab = j.integer("vocab_size");
        float eps = j.number("rms_norm_eps", 1e-6f);
        ModelConfig.RopeScaling ropeScaling = scaling == null ? null : ropeScaling(scaling, contextLength);
        boolean tied = j.bool("tie_word_embeddings", false);
        ModelConfig config;
        try {
            config = new ModelConfig(family, dim, hiddenDim, layers, heads, kvHeads, headDim, vocab, contextLength,
                    eps, theta, ropeScaling, RopePairing.HALVES, bias, tied, slidingWindow);
        } catch (ModelFormatException e) {
            throw new ModelFormatException(configJson, e.getMessage(), e);
        }
        String dtype = j.string("torch_dtype", j.string("dtype", null));
        return new HfConfig(config, j.ids("eos_token_id"), j.integer("bos_token_id", -1), dtype);
    }

    private static String family(Json j) {
        JsonNode archs = j.node("architectures");
        if (archs != null) {
            if (!archs.isArray() || archs.isEmpty() || !archs.get(0).isTextual()) {
                throw j.error("architectures must be a list of class names, got " + archs);
            }
            String arch = archs.get(0).asText();
            String family = ARCHITECTURES.get(arch);
            if (family == null) {
                throw j.error("architecture " + arch + " is not supported; supported: " + SUPPORTED);
            }
            return family;
        }
        String type = j.string("model_type", null);
        if (type == null || !ARCHITECTURES.containsValue(type)) {
            throw j.error("model_type " + type + " is not supported; supported: " + SUPPORTED);
        }
        return type;
    }

    private static ModelConfig.RopeScaling ropeScaling(Json s, int contextLength) {
        String type = s.string("rope_type", s.string("type", "default"));
        if (!type.equals("default") && !s.has("factor")) {
            throw new ModelFormatException(s.file(), "rope_scaling of type " + type + " has no factor");
        }
        return switch (type) {
            case "default" -> null;
            case "llama3" -> new ModelConfig.RopeScaling("llama3",
                    s.number("factor", Float.NaN),
                    s.number("low_freq_factor", 1f),
                    s.number("high_freq_factor", 4f),
                    s.integer("original_max_position_embeddings"));
            case "linear" -> new ModelConfig.RopeScaling("linear", s.number("factor", Float.NaN), 0f, 0f,
                    s.integer("original_max_position_embeddings", contextLength));
            default -> throw new ModelFormatException(s.file(), "rope_scaling type " + type
                    + " is not supported; supported: default, llama3, linear");
        };
    }
}
