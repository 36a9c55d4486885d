package dev.cascade.engine.cascade;

/**
 * One stage of a cascade.
 *
 * @param model         the served model (or endpoint) that answers at this stage
 * @param scorer        judges its answer
 * @param threshold     a score at or above it accepts the answer (the last stage is unconditional)
 * @param promptCost    cost per prompt token, in the cascade's units
 * @param generatedCost cost per generated token
 */
public record StageSpec(String model, Scorer scorer, double threshold, double promptCost, double generatedCost) {

    public double cost(int promptTokens, int generatedTokens) {
        return promptCost * promptTokens + generatedCost * generatedTokens;
    }
}
