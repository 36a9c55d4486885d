package dev.cascade.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * The model that judges a stage's answers when its scorer is {@code judge}.
 *
 * @param model    a model served here, by its name
 * @param template the judge's prompt, with {@code {question}} and {@code {answer}} (default:
 *                 {@link dev.cascade.engine.cascade.JudgeScorer#DEFAULT_TEMPLATE})
 * @param yes      the words whose tokens count as yes (default: Yes)
 * @param costPerPromptToken    the judge's prices (default: those of the cascade's stage that runs the
 *                              same model; required when no stage does)
 */
public record JudgeSettings(String model, String template, List<String> yes,
                            @JsonProperty("cost_per_prompt_token") Double costPerPromptToken,
                            @JsonProperty("cost_per_generated_token") Double costPerGeneratedToken) {
}
