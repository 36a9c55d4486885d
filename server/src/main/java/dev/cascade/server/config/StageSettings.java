package dev.cascade.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One stage of a configured cascade.
 *
 * @param model     a model served here, by its name
 * @param scorer    min_logprob (default), mean_logprob, json, regex (needs pattern) or regex_absent
 * @param threshold a score at or above it accepts the answer (ignored for the last stage)
 * @param url       for a remote stage: an OpenAI-compatible endpoint (then {@code model} is just the
 *                  stage's name here, and {@code remoteModel} the model asked for there)
 * @param apiKeyEnv for a remote stage: the environment variable holding its API key
 * @param verifier  the trained weights when {@code scorer} is verifier
 * @param parts     the parts when {@code scorer} is all, any or weighted
 */
public record StageSettings(String model, String scorer, String pattern, Double threshold,
                            @JsonProperty("cost_per_prompt_token") Double costPerPromptToken,
                            @JsonProperty("cost_per_generated_token") Double costPerGeneratedToken,
                            String url, @JsonProperty("remote_model") String remoteModel,
                            @JsonProperty("api_key_env") String apiKeyEnv, VerifierSettings verifier,
                            java.util.List<ScorerPart> parts) {

    public StageSettings(String model, String scorer, String pattern, Double threshold, Double costPerPromptToken,
                         Double costPerGeneratedToken) {
        this(model, scorer, pattern, threshold, costPerPromptToken, costPerGeneratedToken, null, null, null, null, null);
    }

    public StageSettings(String model, String scorer, String pattern, Double threshold, Double costPerPromptToken,
                         Double costPerGeneratedToken, String url, String remoteModel, String apiKeyEnv) {
        this(model, scorer, pattern, threshold, costPerPromptToken, costPerGeneratedToken, url, remoteModel, apiKeyEnv, null, null);
    }
}
