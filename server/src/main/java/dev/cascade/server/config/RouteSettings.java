package dev.cascade.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An upfront routing rule of a configured cascade: requests whose prompt matches {@code regex}
 * and/or has at least {@code minPromptTokens} tokens start at the stage serving {@code startAt}.
 */
public record RouteSettings(String regex, @JsonProperty("min_prompt_tokens") Integer minPromptTokens,
                            @JsonProperty("start_at") String startAt) {
}
