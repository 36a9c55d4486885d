package dev.cascade.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One stage of a configured cascade.
 *
 * @param model     a model served here, by its name
 * @param scorer    min_logprob (default), mean_logprob, json, regex (needs pattern), regex_absent, verifier,
 *                  judge (needs judge), all, any or weighted (need parts)
 * @param threshold a score at or above it accepts the answer (ignored for the last stage)
 * @param url       for a remote stage: an OpenAI-compatible endpoint (then {@code model} is just the
 *                  stage's name here, and {@code remoteModel} the model asked for there)
 * @param apiKeyEnv for a remote stage: the environment variable holding its API key
 * @param verifier  the trained weights when {@code scorer} is verifier
 * @param parts     the parts when {@code scorer} is all, any or weighted
 * @param schema     for {@code scorer: json}: a JSON Schema the answer must also meet, inline
 * @param schemaFile or in a file (a relative path is relative to the config file)
 * @param judge      for {@code scorer: judge}: the model that judges, its prompt and prices
 */
public record StageSettings(String model, String scorer, String pattern, Double threshold,
                            @JsonProperty("cost_per_prompt_token") Double costPerPromptToken,
                            @JsonProperty("cost_per_generated_token") Double costPerGeneratedToken,
                            String url, @JsonProperty("remote_model") String remoteModel,
                            @JsonProperty("api_key_env") String apiKeyEnv, VerifierSettings verifier,
                            java.util.List<ScorerPart> parts, com.fasterxml.jackson.databind.JsonNode schema,
                            @JsonProperty("schema_file") String schemaFile, JudgeSettings judge) {

    public StageSettings(String model, String scorer, String pattern, Double threshold, Double costPerPromptToken,
                         Double costPerGeneratedToken, String url, String remoteModel, String apiKeyEnv, VerifierSettings verifier,
                         java.util.List<ScorerPart> parts, com.fasterxml.jackson.databind.JsonNode schema, String schemaFile) {
        this(model, scorer, pattern, threshold, costPerPromptToken, costPerGeneratedToken, url, remoteModel, apiKeyEnv, verifier, parts,
                schema, schemaFile, null);
    }

    public StageSettings(String model, String scorer, String pattern, Double threshold, Double costPerPromptToken,
                         Double costPerGeneratedToken, String url, String remoteModel, String apiKeyEnv, VerifierSettings verifier,
                         java.util.List<ScorerPart> parts) {
        this(model, scorer, pattern, threshold, costPerPromptToken, costPerGeneratedToken, url, remoteModel, apiKeyEnv, verifier, parts,
                null, null);
    }

    public StageSettings(String model, String scorer, String pattern, Double threshold, Double costPerPromptToken,
                         Double costPerGeneratedToken) {
        this(model, scorer, pattern, threshold, costPerPromptToken, costPerGeneratedToken, null, null, null, null, null);
    }

    public StageSettings(String model, String scorer, String pattern, Double threshold, Double costPerPromptToken,
                         Double costPerGeneratedToken, String url, String remoteModel, String apiKeyEnv) {
        this(model, scorer, pattern, threshold, costPerPromptToken, costPerGeneratedToken, url, remoteModel, apiKeyEnv, null, null);
    }

    /** The same stage with {@code schema_file} (its own and its parts') resolved against a directory. */
    public StageSettings resolvedAgainst(java.nio.file.Path dir) {
        java.util.List<ScorerPart> p = parts == null ? null : parts.stream().map(part -> part.resolvedAgainst(dir)).toList();
        return new StageSettings(model, scorer, pattern, threshold, costPerPromptToken, costPerGeneratedToken, url, remoteModel, apiKeyEnv,
                verifier, p, schema, schemaFile == null ? null : dir.resolve(schemaFile).toString(), judge);
    }
}
