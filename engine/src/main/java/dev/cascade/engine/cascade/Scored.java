package dev.cascade.engine.cascade;

/**
 * A scorer's verdict on one answer.
 *
 * @param score the score, compared with the stage's threshold
 * @param cost  what scoring this answer cost, in the cascade's units (a judge model's tokens)
 */
public record Scored(double score, double cost) {
}
