package dev.cascade.server.config;

import java.util.List;

/**
 * A cascade in the config file.
 *
 * @param fallback        {@code last} (default) or {@code best}: the answer when every stage rejects
 * @param earlyEscalation stop a min_logprob stage at the first token that rules it out (default true)
 * @param routes          upfront rules that start matching requests at a later stage
 * @param router          a learned router, asked when no rule matches
 */
public record CascadeSettings(String name, List<StageSettings> stages, String fallback,
                              @com.fasterxml.jackson.annotation.JsonProperty("early_escalation") Boolean earlyEscalation,
                              List<RouteSettings> routes, LearnedRouterSettings router) {

    public CascadeSettings(String name, List<StageSettings> stages, String fallback) {
        this(name, stages, fallback, null, null);
    }

    public CascadeSettings(String name, List<StageSettings> stages, String fallback, Boolean earlyEscalation,
                           List<RouteSettings> routes) {
        this(name, stages, fallback, earlyEscalation, routes, null);
    }

    /** The same cascade with its stages' schema files resolved against a directory. */
    public CascadeSettings resolvedAgainst(java.nio.file.Path dir) {
        return stages == null ? this : new CascadeSettings(name, stages.stream().map(s -> s == null ? null : s.resolvedAgainst(dir)).toList(),
                fallback, earlyEscalation, routes, router);
    }
}
