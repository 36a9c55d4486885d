package dev.cascade.weights;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cascade.weights.gguf.GgufWriter;
import dev.cascade.weights.hf.HfTensorNames;
import dev.cascade.weights.llama2c.Llama2cHeader;
import dev.cascade.weights.llama2c.Llama2cWriter;
import dev.cascade.weights.safetensors.SafetensorsWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random weights for a given configuration, writable as a Hugging Face folder, a GGUF file and a
 * llama2.c checkpoint, so that tests (here and in the engine) can check that every format gives the
 * same model. Weights are held in Hugging Face layout (RoPE pairs as halves) under
 * {@link TensorNames}; the GGUF (llama) and llama2.c writers permute Q/K as their converters do.
 */
public record SyntheticModel(ModelConfig config, Map<String, float[]> weights) {

    public SyntheticModel {
        weights = Map.copyOf(weights);
    }

    /** Gaussian weights (scale 0.5 / sqrt(fan-in)) and norms near 1, deterministic in {@code seed}. */
    public static SyntheticModel random(ModelConfig c, long seed) {
        Random random = new Random(seed);
        Map<String, float[]> w = new LinkedHashMap<>();
        Map<String, long[]> shapes = shapes(c);
        shapes.forEach((name, shape) -> {
            float[] v = new float[(int) Tensor.elementCount(shape)];
            boolean norm = shape.length == 1 && !name.endsWith(".bias");
            double scale = shape.length == 2 ? 0.5 / Math.sqrt(shape[1]) : 0.1;
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) ((norm ? 1.0 : 0.0) + scale * random.nextGaussian());
            }
            w.put(name, v);
        });
        return new SyntheticModel(c, w);
    }

    /** Every tensor the configuration implies, with its shape, in llama.cpp's order. */
    public static Map<String, long[]> shapes(ModelConfig c) {
        Map<String, long[]> s = new LinkedHashMap<>();
        s.put(TensorNames.TOKEN_EMBEDDING, new long[] {c.vocabSize(), c.dim()});
        s.put(TensorNames.OUTPUT_NORM, new long[] {c.dim()});
        if (!c.tiedEmbeddings()) {
            s.put(TensorNames.OUTPUT, new long[] {c.vocabSize(), c.dim()});
        }
        for (int l = 0; l < c.layers(); l++) {
            s.put(TensorNames.attnNorm(l), new long[] {c.dim()});
            s.put(TensorNames.attnQ(l), new long[] {c.qDim(), c.dim()});
            s.put(TensorNames.attnK(l), new long[] {c.kvDim(), c.dim()});
            s.put(TensorNames.attnV(l), new long[] {c.kvDim(), c.dim()});
            if (c.attentionBias()) {
                s.put(TensorNames.attnQBias(l), new long[] {c.qDim()});
                s.put(TensorNames.attnKBias(l), new long[] {c.kvDim()});
                s.put(TensorNames.attnVBias(l), new long[] {c.kvDim()});
            }
            s.put(TensorNames.attnOutput(l), new long[] {c.dim(), c.qDim()});
            s.put(TensorNames.ffnNorm(l), new long[] {c.dim()});
            s.put(TensorNames.ffnGate(l), new long[] {c.hiddenDim(), c.dim()});
            s.put(TensorNames.ffnUp(l), new long[] {c.hiddenDim(), c.dim()});
            s.put(TensorNames.ffnDown(l), new long[] {c.dim(), c.hiddenDim()});
        }
        return s;
    }

    /** The weights as the engine should see them for {@code pairing} (Q/K rows permuted for INTERLEAVED). */
    public float[] weight(String name, RopePairing pairing) {
        float[] w = weights.get(name);
        if (pairing == RopePairing.HALVES) {
            return w;
        }
        for (int l = 0; l < config.layers(); l++) {
            if (name.equals(TensorNames.attnQ(l))) {
                return RopePermutation.toInterleaved(w, config.qDim(), config.dim(), config.heads());
            }
            if (name.equals(TensorNames.attnK(l))) {
                return RopePermutation.toInterleaved(w, config.kvDim(), config.dim(), config.kvHeads());
            }
            if (name.equals(TensorNames.attnQBias(l))) {
                return RopePermutation.toInterleaved(w, config.qDim(), 1, config.heads());
            }
            if (name.equals(TensorNames.attnKBias(l))) {
                return RopePermutation.toInterleaved(w, config.kvDim(), 1, config.kvHeads());
            }
        }
        return w;
    }

    /**
     * A Hugging Face folder: config.json and safetensors in {@code dtype} (F32, F16 or BF16), split
     * into {@code shards} files when more than one.
     */
    public void writeHf(Path folder, DType dtype, int shards) {
        Map<String, String> hfNames = hfNames();
        SafetensorsWriter w = new SafetensorsWriter().metadata("format", "pt");
        shapes(config).forEach((name, shape) ->
                w.add(hfNames.get(name), dtype, shape, Quantization.encode(weights.get(name), dtype)));
        try {
            Files.createDirectories(folder);
            writeConfigJson(folder.resolve("config.json"), dtype);
        } catch (IOException e) {
            throw new ModelFormatException(folder, "cannot write: " + e.getMessage(), e);
        }
        if (shards > 1) {
            w.writeSharded(folder, shards);
        } else {
            w.write(folder.resolve("model.safetensors"));
        }
    }

    /**
     * A GGUF file as llama.cpp's converter lays it out: 1-D tensors in F32, matrices in
     * {@code dtype} (a quantized dtype needs rows that are whole blocks), Q/K permuted for llama.
     */
    public void writeGguf(Path file, DType dtype) {
        String arch = config.architecture().equals("qwen2") ? "qwen2" : "llama";
        RopePairing pairing = arch.equals("llama") ? RopePairing.INTERLEAVED : RopePairing.HALVES;
        GgufWriter w = new GgufWriter()
                .putString("general.architecture", arch)
                .putString("general.name", "synthetic")
                .putUint32(arch + ".context_length", config.contextLength())
                .putUint32(arch + ".embedding_length", config.dim())
                .putUint32(arch + ".feed_forward_length", config.hiddenDim())
                .putUint32(arch + ".block_count", config.layers())
                .putUint32(arch + ".attention.head_count", config.heads())
                .putUint32(arch + ".attention.head_count_kv", config.kvHeads())
                .putUint32(arch + ".attention.key_length", config.headDim())
                .putUint32(arch + ".attention.value_length", config.headDim())
                .putUint32(arch + ".rope.dimension_count", config.headDim())
                .putFloat32(arch + ".attention.layer_norm_rms_epsilon", config.normEps())
                .putFloat32(arch + ".rope.freq_base", config.ropeTheta())
                .putUint32("tokenizer.ggml.bos_token_id", 1)
                .putUint32("tokenizer.ggml.eos_token_id", 2);
        shapes(config).forEach((name, shape) -> {
            DType t = shape.length == 1 ? DType.F32 : dtype;
            w.addTensor(name, t, shape, Quantization.encode(weight(name, pairing), t));
        });
        w.write(file);
    }

    /** A legacy llama2.c checkpoint (F32, interleaved RoPE pairs, no biases). */
    public void writeLlama2c(Path file) {
        if (config.attentionBias() || config.headDim() * config.heads() != config.dim()) {
            throw new IllegalArgumentException("llama2.c stores neither biases nor head_dim != dim / heads");
        }
        Llama2cHeader h = new Llama2cHeader(config.dim(), config.hiddenDim(), config.layers(), config.heads(),
                config.kvHeads(), config.tiedEmbeddings() ? config.vocabSize() : -config.vocabSize(),
                config.contextLength());
        Map<String, float[]> w = new HashMap<>();
        shapes(config).keySet().forEach(name -> w.put(name, weight(name, RopePairing.INTERLEAVED)));
        Llama2cWriter.write(file, h, w);
    }

    /** Our name → the Hugging Face parameter name, by inverting {@link HfTensorNames}. */
    private Map<String, String> hfNames() {
        Map<String, String> out = new HashMap<>();
        List<String> perLayer = List.of("input_layernorm.weight", "post_attention_layernorm.weight",
                "self_attn.q_proj.weight", "self_attn.k_proj.weight", "self_attn.v_proj.weight",
                "self_attn.q_proj.bias", "self_attn.k_proj.bias", "self_attn.v_proj.bias", "self_attn.o_proj.weight",
                "mlp.gate_proj.weight", "mlp.up_proj.weight", "mlp.down_proj.weight");
        for (String hf : List.of("model.embed_tokens.weight", "model.norm.weight", "lm_head.weight")) {
            out.put(HfTensorNames.map(hf), hf);
        }
        for (int l = 0; l < config.layers(); l++) {
            for (String suffix : perLayer) {
                String hf = "model.layers." + l + "." + suffix;
                out.put(HfTensorNames.map(hf), hf);
            }
        }
        return out;
    }

    private void writeConfigJson(Path file, DType dtype) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode c = json.createObjectNode();
        String arch = switch (config.architecture()) {
            case "qwen2" -> "Qwen2ForCausalLM";
            case "mistral" -> "MistralForCausalLM";
            default -> "LlamaForCausalLM";
        };
        c.putArray("architectures").add(arch);
        c.put("model_type", config.architecture());
        c.put("hidden_size", config.dim());
        c.put("intermediate_size", config.hiddenDim());
        c.put("num_hidden_layers", config.layers());
        c.put("num_attention_heads", config.heads());
        c.put("num_key_value_heads", config.kvHeads());
        c.put("head_dim", config.headDim());
        c.put("vocab_size", config.vocabSize());
        c.put("max_position_embeddings", config.contextLength());
        c.put("rms_norm_eps", config.normEps());
        c.put("rope_theta", config.ropeTheta());
        c.put("attention_bias", config.attentionBias());
        c.put("tie_word_embeddings", config.tiedEmbeddings());
        c.put("hidden_act", "silu");
        c.put("bos_token_id", 1);
        c.put("eos_token_id", 2);
        c.put("torch_dtype", switch (dtype) {
            case F16 -> "float16";
            case BF16 -> "bfloat16";
            default -> "float32";
        });
        json.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), c);
    }
}
