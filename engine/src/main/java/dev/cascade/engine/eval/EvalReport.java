package dev.cascade.engine.eval;

import java.util.List;
import java.util.Map;

/**
 * What an evaluation found.
 *
 * @param results         one per item, in the dataset's order
 * @param byDifficulty    accuracy (0..1) per difficulty label, in first-seen order
 * @param countByDifficulty items per difficulty label
 * @param generatedTokens tokens generated over all items
 * @param wallSeconds     time for the whole run
 */
public record EvalReport(List<Result> results, Map<String, Double> byDifficulty, Map<String, Integer> countByDifficulty,
                         long generatedTokens, double wallSeconds) {

    /** One item's outcome. */
    public record Result(EvalItem item, String completion, boolean correct, int tokens) {
    }

    public int items() {
        return results.size();
    }

    public double accuracy() {
        return results.stream().filter(Result::correct).count() / (double) results.size();
    }
}
