package dev.cascade.weights.gguf;

import dev.cascade.weights.GenerationDefaults;
import dev.cascade.weights.Model;
import dev.cascade.weights.ModelConfig;
import dev.cascade.weights.ModelTensors;
import dev.cascade.weights.Tensor;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads a GGUF model's weights and configuration (the tokenizer is attached by the caller). */
public final class GgufModelReader {
    private GgufModelReader() {
    }

    /** Maps the file into {@code arena}; the returned builder's tensors live as long as the arena. */
    public static Model.Builder read(Path path, Arena arena) {
        return read(GgufFile.open(path, arena));
    }

    /** The model in an open file; its tensors live as long as the file's mapping. */
    public static Model.Builder read(GgufFile f) {
        Path path = f.path();
        ModelConfig config = GgufModelConfig.of(f);
        // GGUF names are already our names.
        Map<String, Tensor> tensors = f.tensors();
        ModelTensors.check(config, tensors, path);
        Model.Builder b = Model.builder(Model.Format.GGUF, config)
                .tensors(tensors)
                .files(List.of(path))
                .fileBytes(f.fileSize())
                .eosTokenIds(endOfGenerationIds(f.meta()))
                .bosTokenId(f.meta().intOr("tokenizer.ggml.bos_token_id", -1))
                .generationDefaults(GenerationDefaults.NONE)
                .chatTemplate(f.meta().string("tokenizer.chat_template").orElse(null));
        summarize(f, b);
        return b;
    }

    /** The ids llama.cpp treats as end of generation: EOS, and EOT/EOM where the vocabulary has them. */
    public static List<Integer> endOfGenerationIds(GgufMetadata m) {
        List<Integer> ids = new ArrayList<>();
        for (String key : List.of("tokenizer.ggml.eos_token_id", "tokenizer.ggml.eot_token_id",
                "tokenizer.ggml.eom_token_id")) {
            long id = m.integer(key).orElse(-1);
            // 0xFFFFFFFF (uint32 -1) is how converters write "none"
            if (id >= 0 && id < Integer.MAX_VALUE && !ids.contains((int) id)) {
                ids.add((int) id);
            }
        }
        return ids;
    }

    /** Everything gguf-dump would show in its header: scalars as values, arrays by type and length. */
    static void summarize(GgufFile f, Model.Builder b) {
        b.summary("format", "GGUF v" + f.version());
        b.summary("alignment", Integer.toString(f.alignment()));
        b.summary("tensors", Integer.toString(f.tensorInfos().size()));
        Map<String, Integer> types = new TreeMap<>();
        for (GgufTensorInfo t : f.tensorInfos()) {
            types.merge(t.type().name(), 1, Integer::sum);
        }
        b.summary("tensor types", types.toString());
        f.metadata().forEach((key, value) -> {
            if (value.getClass().isArray()) {
                b.summary(key, value.getClass().getComponentType().getSimpleName() + "["
                        + java.lang.reflect.Array.getLength(value) + "]");
            } else {
                String s = value.toString();
                b.summary(key, s.length() > 200 ? s.substring(0, 200) + "… (" + s.length() + " chars)" : s);
            }
        });
    }
}
