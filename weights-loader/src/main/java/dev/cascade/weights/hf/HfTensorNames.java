package dev.cascade.weights.hf;

import dev.cascade.weights.TensorNames;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Hugging Face Llama/Mistral/Qwen2 parameter names to {@link TensorNames}. */
public final class HfTensorNames {
    private static final Pattern LAYER = Pattern.compile("model\\.layers\\.(\\d{1,6})\\.(.+)");
    private static final Map<String, String> PER_LAYER = Map.ofEntries(
            Map.entry("input_layernorm.weight", "attn_norm.weight"),
            Map.entry("post_attention_layernorm.weight", "ffn_norm.weight"),
            Map.entry("self_attn.q_proj.weight", "attn_q.weight"),
            Map.entry("self_attn.k_proj.weight", "attn_k.weight"),
            Map.entry("self_attn.v_proj.weight", "attn_v.weight"),
            Map.entry("self_attn.q_proj.bias", "attn_q.bias"),
            Map.entry("self_attn.k_proj.bias", "attn_k.bias"),
            Map.entry("self_attn.v_proj.bias", "attn_v.bias"),
            Map.entry("self_attn.o_proj.weight", "attn_output.weight"),
            Map.entry("mlp.gate_proj.weight", "ffn_gate.weight"),
            Map.entry("mlp.up_proj.weight", "ffn_up.weight"),
            Map.entry("mlp.down_proj.weight", "ffn_down.weight"));

    private HfTensorNames() {
    }

    /**
     * Our name for an HF parameter; "" for buffers that carry no weights (old checkpoints' RoPE
     * inv_freq); null for a name this architecture does not have.
     */
    public static String map(String hfName) {
        switch (hfName) {
            case "model.embed_tokens.weight":
                return TensorNames.TOKEN_EMBEDDING;
            case "model.norm.weight":
                return TensorNames.OUTPUT_NORM;
            case "lm_head.weight":
                return TensorNames.OUTPUT;
            default:
                break;
        }
        Matcher m = LAYER.matcher(hfName);
        if (!m.matches()) {
            return null;
        }
        if (m.group(2).equals("self_attn.rotary_emb.inv_freq")) {
            return "";
        }
        String suffix = PER_LAYER.get(m.group(2));
        return suffix == null ? null : "blk." + Integer.parseInt(m.group(1)) + "." + suffix;
    }
}
