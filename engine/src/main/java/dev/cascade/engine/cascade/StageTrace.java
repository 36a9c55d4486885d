package dev.cascade.engine.cascade;

/**
 * What one stage did for a request, as the response's trace reports it.
 *
 * @param earlyEscalated stopped before its end because its score could no longer reach the threshold
 * @param cost           generation and scoring together
 * @param scoringCost    the part of {@code cost} that scoring took (a judge model's tokens)
 * @param latencyMs      generation and scoring together
 */
public record StageTrace(String model, double score, boolean accepted, boolean earlyEscalated, int promptTokens,
                         int generatedTokens, double cost, double scoringCost, double latencyMs) {
}
