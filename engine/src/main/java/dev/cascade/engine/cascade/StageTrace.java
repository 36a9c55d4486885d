package dev.cascade.engine.cascade;

/**
 * What one stage did for a request, as the response's trace reports it.
 *
 * @param earlyEscalated stopped before its end because its score could no longer reach the threshold
 */
public record StageTrace(String model, double score, boolean accepted, boolean earlyEscalated, int promptTokens,
                         int generatedTokens, double cost, double latencyMs) {
}
