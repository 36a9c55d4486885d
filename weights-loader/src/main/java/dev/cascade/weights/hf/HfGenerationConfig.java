package dev.cascade.weights.hf;

import dev.cascade.weights.GenerationDefaults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * generation_config.json: the ids that end generation and the sampling defaults the model's
 * authors recommend. An absent file means no defaults.
 */
public record HfGenerationConfig(List<Integer> eosTokenIds, int bosTokenId, GenerationDefaults defaults) {
    public static final String FILE = "generation_config.json";

    public HfGenerationConfig {
        eosTokenIds = List.copyOf(eosTokenIds);
    }

    public static HfGenerationConfig read(Path folder) {
        Path file = folder.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return new HfGenerationConfig(List.of(), -1, GenerationDefaults.NONE);
        }
        Json j = Json.read(file);
        GenerationDefaults d = new GenerationDefaults(
                j.has("do_sample") ? j.bool("do_sample", false) : null,
                j.has("temperature") ? j.number("temperature", 0f) : null,
                j.has("top_p") ? j.number("top_p", 0f) : null,
                j.has("top_k") ? j.integer("top_k") : null,
                j.has("min_p") ? j.number("min_p", 0f) : null,
                j.has("repetition_penalty") ? j.number("repetition_penalty", 0f) : null,
                j.has("max_new_tokens") ? j.integer("max_new_tokens") : null);
        return new HfGenerationConfig(j.ids("eos_token_id"), j.integer("bos_token_id", -1), d);
    }
}
