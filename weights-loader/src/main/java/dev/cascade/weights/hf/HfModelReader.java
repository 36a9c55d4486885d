package dev.cascade.weights.hf;

import dev.cascade.weights.Model;
import dev.cascade.weights.ModelConfig;
import dev.cascade.weights.ModelFormatException;
import dev.cascade.weights.ModelTensors;
import dev.cascade.weights.Tensor;
import dev.cascade.weights.TensorNames;
import dev.cascade.weights.safetensors.SafetensorsModelFiles;

import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a Hugging Face model folder: config.json, safetensors weights (single or sharded),
 * generation_config.json and the chat template. The tokenizer is attached by the caller.
 */
public final class HfModelReader {
    public static final String CONFIG = "config.json";

    private HfModelReader() {
    }

    public static Model.Builder read(Path folder, Arena arena) {
        Path configFile = folder.resolve(CONFIG);
        if (!Files.isRegularFile(configFile)) {
            throw new ModelFormatException(folder, "has no " + CONFIG + " (a folder with only tokenizer files can be"
                    + " used for tokenizing, not for loading a model)");
        }
        HfConfig hf = HfConfig.read(configFile);
        ModelConfig config = hf.config();
        SafetensorsModelFiles weights = SafetensorsModelFiles.open(folder, arena);
        Map<String, Tensor> tensors = rename(weights, config);
        ModelTensors.check(config, tensors, folder);

        HfGenerationConfig gen = HfGenerationConfig.read(folder);
        // generation_config.json is what transformers' generate() obeys; config.json's ids are the fallback
        List<Integer> eos = new ArrayList<>(gen.eosTokenIds().isEmpty() ? hf.eosTokenIds() : gen.eosTokenIds());
        int bos = gen.bosTokenId() >= 0 ? gen.bosTokenId() : hf.bosTokenId();

        Model.Builder b = Model.builder(Model.Format.SAFETENSORS, config)
                .tensors(tensors)
                .files(weights.files())
                .fileBytes(weights.totalBytes())
                .eosTokenIds(eos)
                .bosTokenId(bos)
                .generationDefaults(gen.defaults())
                .chatTemplate(HfChatTemplate.find(folder));
        b.summary("format", "Hugging Face safetensors, " + weights.files().size() + " file"
                + (weights.files().size() == 1 ? "" : "s"));
        b.summary("architecture", config.architecture());
        if (hf.torchDtype() != null) {
            b.summary("torch_dtype", hf.torchDtype());
        }
        Map<String, Integer> dtypes = new TreeMap<>();
        tensors.values().forEach(t -> dtypes.merge(t.dtype().name(), 1, Integer::sum));
        b.summary("tensor types", dtypes.toString());
        weights.metadata().forEach((k, v) -> b.summary("safetensors." + k, v));
        return b;
    }

    private static Map<String, Tensor> rename(SafetensorsModelFiles weights, ModelConfig config) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Tensor t : weights.tensors().values()) {
            String name = HfTensorNames.map(t.name());
            if (name == null) {
                throw new ModelFormatException(weights.files().getFirst(), "tensor " + t.name()
                        + " is not a parameter of a " + config.architecture() + " model");
            }
            // Skip weightless buffers, and a stored lm_head that tie_word_embeddings makes transformers ignore.
            if (name.isEmpty() || (name.equals(TensorNames.OUTPUT) && config.tiedEmbeddings())) {
                continue;
            }
            out.put(name, new Tensor(name, t.dtype(), t.shape(), t.data()));
        }
        return out;
    }
}
