package dev.cascade.server.config;

import java.util.List;

/** A trained verifier scorer: weights for mean_logprob, min_logprob, log_length and json, and a bias (written by calibrate). */
public record VerifierSettings(List<Double> weights, Double bias) {
}
