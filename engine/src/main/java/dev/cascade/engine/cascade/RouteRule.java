package dev.cascade.engine.cascade;

import java.util.regex.Pattern;

/**
 * An upfront rule that starts a request at a later stage, for queries that obviously need a big
 * model: a prompt of at least {@code minPromptTokens} tokens, or one where {@code regex} is found
 * (either condition set; both must hold when both are set).
 *
 * @param stage index of the stage to start at
 */
public record RouteRule(Pattern regex, int minPromptTokens, int stage) {

    public RouteRule {
        if (regex == null && minPromptTokens <= 0) {
            throw new IllegalArgumentException("a route needs a regex or a minimum prompt length");
        }
    }

    public boolean matches(String prompt, int promptTokens) {
        return (regex == null || regex.matcher(prompt).find()) && promptTokens >= minPromptTokens;
    }
}
