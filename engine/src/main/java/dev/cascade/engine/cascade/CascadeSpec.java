package dev.cascade.engine.cascade;

import java.util.List;

/**
 * A cascade: stages tried in order until one's answer is accepted.
 *
 * @param fallback        what to answer when every stage, the last one included, scores below its
 *                        threshold: the last answer, or the best-scored one
 * @param earlyEscalation stop a stage as soon as its score can no longer reach the threshold
 * @param routes          upfront rules, first match wins, that start a request at a later stage
 * @param router          a learned router, asked when no rule matches; null for none
 */
public record CascadeSpec(String name, List<StageSpec> stages, Fallback fallback, boolean earlyEscalation,
                          List<RouteRule> routes, LearnedRouter router) {

    public enum Fallback { LAST, BEST }

    public CascadeSpec(String name, List<StageSpec> stages, Fallback fallback) {
        this(name, stages, fallback, true);
    }

    public CascadeSpec(String name, List<StageSpec> stages, Fallback fallback, boolean earlyEscalation) {
        this(name, stages, fallback, earlyEscalation, List.of());
    }

    public CascadeSpec(String name, List<StageSpec> stages, Fallback fallback, boolean earlyEscalation, List<RouteRule> routes) {
        this(name, stages, fallback, earlyEscalation, routes, null);
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
        if (router != null && (router.stage() < 1 || router.stage() >= stages.size())) {
            throw new IllegalArgumentException("cascade " + name + ": the router starts at stage " + router.stage()
                    + "; it must be a later stage than the first");
        }
    }

    /** The stage a request starts at: the first matching rule's, else the router's choice, else 0. */
    public StartDecision start(String prompt, int promptTokens) {
        for (int i = 0; i < routes.size(); i++) {
            if (routes.get(i).matches(prompt, promptTokens)) {
                return new StartDecision(routes.get(i).stage(), "route " + (i + 1), Double.NaN);
            }
        }
        if (router != null) {
            double p = router.failureProbability(prompt);
            return router.skips(p) ? new StartDecision(router.stage(), "router", p) : new StartDecision(0, "default", p);
        }
        return StartDecision.firstStage();
    }

    /** {@link #start}'s stage. */
    public int firstStage(String prompt, int promptTokens) {
        return start(prompt, promptTokens).stage();
    }
}
