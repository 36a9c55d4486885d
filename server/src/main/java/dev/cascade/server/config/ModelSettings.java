package dev.cascade.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One served model.
 *
 * @param name             its name in the API (default: derived from {@code model})
 * @param model            what to load: a folder, a .gguf, demo-tiny, random:llama-110m:Q8_0, ...
 * @param tokenizer        a llama2.c model's tokenizer file, else null
 * @param kvMemory         the KV cache budget, e.g. 2g
 * @param maxSeqs          running sequences at most
 * @param maxBatchedTokens rows per forward step (decode tokens plus prefill chunks)
 */
public record ModelSettings(String name, String model, String tokenizer,
                            @JsonProperty("kv_memory") String kvMemory,
                            @JsonProperty("max_seqs") Integer maxSeqs,
                            @JsonProperty("max_batched_tokens") Integer maxBatchedTokens) {

    /** The API name: given, or the model spec's last path element without its extension. */
    public String apiName() {
        if (name != null && !name.isBlank()) {
            return name;
        }
        if (model.startsWith("random:") || model.startsWith("demo-")) {
            return model;
        }
        String last = java.nio.file.Path.of(model).getFileName().toString();
        int dot = last.lastIndexOf('.');
        return dot > 0 ? last.substring(0, dot) : last;
    }
}
