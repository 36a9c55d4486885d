package dev.cascade.engine.cascade;

import java.util.List;

/**
 * A cascade: stages tried in order until one's answer is accepted.
 *
 * @param fallback        what to answer when every stage, the last one included, scores below its
 *                        threshold: the last answer, or the best-scored one
 * @param earlyEscalation stop a stage as soon as its score can no longer reach the threshold
 * @param routes          upfront rules, first match wins, that start a request at a later stage
 */
public record CascadeSpec(String name, List<StageSpec> stages, Fallback fallback, boolean earlyEscalation,
                          List<RouteRule> routes) {

    public enum Fallback { LAST, BEST }

    public CascadeSpec(String name, List<StageSpec> stages, Fallback fallback) {
        this(name, stages, fallback, true);
    }

    public CascadeSpec(String name, List<StageSpec> stages, Fallback fallback, boolean earlyEscalation) {
        this(name, stages, fallback, earlyEscalation, List.of());
    }

    public CascadeSpec {
        stages = List.copyOf(stages);
        routes = List.copyOf(routes);
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("cascade " + name + " has no stages");
        }
        for (RouteRule r : routes) {
            if (r.stage() < 0 || r.stage() >= stages.size()) {
                throw new IllegalArgumentException("cascade " + name + ": a route starts at stage " + r.stage()
                        + ", which does not exist");
            }
        }
    }

    /** The stage a request starts at: the first matching route's, else 0. */
    public int firstStage(String prompt, int promptTokens) {
        for (RouteRule r : routes) {
            if (r.matches(prompt, promptTokens)) {
                return r.stage();
            }
        }
        return 0;
    }
}
