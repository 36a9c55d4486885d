package dev.cascade.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One stage of a configured cascade.
 *
 * @param model     a model served here, by its name
 * @param scorer    min_logprob (default), mean_logprob, json, regex (needs pattern) or regex_absent
 * @param threshold a score at or above it accepts the answer (ignored for the last stage)
 */
public record StageSettings(String model, String scorer, String pattern, Double threshold,
                            @JsonProperty("cost_per_prompt_token") Double costPerPromptToken,
                            @JsonProperty("cost_per_generated_token") Double costPerGeneratedToken) {
}
