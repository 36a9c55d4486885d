package dev.cascade.engine.cascade;

/**
 * Where a request enters its cascade, and why.
 *
 * @param stage              index of the first stage to run
 * @param by                 what chose it: {@code "route N"} (the N-th rule, from 1), {@code "router"}, or
 *                           {@code "default"} when nothing moved it from the first stage
 * @param routerProbability  the learned router's probability that the first stage fails, when it was
 *                           asked (NaN when a rule decided first or there is no router)
 */
public record StartDecision(int stage, String by, double routerProbability) {

    public static StartDecision firstStage() {
        return new StartDecision(0, "default", Double.NaN);
    }
}
