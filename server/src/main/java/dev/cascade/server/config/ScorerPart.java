package dev.cascade.server.config;

/** One part of a combined scorer (scorer: all, any or weighted): a scorer name, its pattern, its weight. */
public record ScorerPart(String scorer, String pattern, Double weight) {
}
