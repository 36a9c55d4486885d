package dev.cascade.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * The {@code serve --config FILE.yaml} file. Top-level values are defaults that command-line
 * options override; each model may set its own KV budget and limits.
 *
 * @param apiKeys    accepted API keys (prefer apiKeysEnv: keys do not belong in files)
 * @param apiKeysEnv an environment variable holding comma-separated keys
 * @param cascades   cascades over the models above, each served under its own name
 * @param prefixCaching false keeps no KV blocks for later prompts that begin the same way (default on)
 * @param blockSize  tokens per KV block (default 16)
 */
public record ServeConfig(String host, Integer port, String backend, Integer threads,
                          @JsonProperty("api_keys") List<String> apiKeys,
                          @JsonProperty("api_keys_env") String apiKeysEnv,
                          @JsonProperty("kv_memory") String kvMemory,
                          @JsonProperty("max_seqs") Integer maxSeqs,
                          @JsonProperty("max_batched_tokens") Integer maxBatchedTokens,
                          @JsonProperty("max_waiting") Integer maxWaiting,
                          @JsonProperty("max_body") String maxBody,
                          @JsonProperty("shutdown_grace") String shutdownGrace,
                          List<ModelSettings> models,
                          List<CascadeSettings> cascades,
                          @JsonProperty("prefix_caching") Boolean prefixCaching,
                          @JsonProperty("block_size") Integer blockSize) {

    public ServeConfig withCascades(List<CascadeSettings> newCascades) {
        return new ServeConfig(host, port, backend, threads, apiKeys, apiKeysEnv, kvMemory, maxSeqs, maxBatchedTokens, maxWaiting, maxBody,
                shutdownGrace, models, newCascades, prefixCaching, blockSize);
    }
}
