package dev.cascade.engine.cascade;

import java.util.List;

/**
 * Several scorers as one. {@code all}: a failed gate (format check) scores negative infinity,
 * otherwise the lowest graded score (1 when there are only gates); {@code any}: a passed gate
 * scores positive infinity, otherwise the highest graded score (0 when there are only gates);
 * {@code weighted}: the weighted sum of all scores. The cost is the parts' total.
 */
public record CombinedScorer(Mode mode, List<Scorer> parts, double[] weights) implements Scorer {

    public enum Mode { ALL, ANY, WEIGHTED }

    public CombinedScorer {
        parts = List.copyOf(parts);
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("a combined scorer needs at least one part");
        }
        if (mode == Mode.WEIGHTED && (weights == null || weights.length != parts.size())) {
            throw new IllegalArgumentException("a weighted scorer needs one weight per part: " + parts.size() + " parts");
        }
        weights = weights == null ? null : weights.clone();
    }

    public static CombinedScorer all(List<Scorer> parts) {
        return new CombinedScorer(Mode.ALL, parts, null);
    }

    public static CombinedScorer any(List<Scorer> parts) {
        return new CombinedScorer(Mode.ANY, parts, null);
    }

    public static CombinedScorer weighted(List<Scorer> parts, double[] weights) {
        return new CombinedScorer(Mode.WEIGHTED, parts, weights);
    }

    @Override
    public String name() {
        return mode.name().toLowerCase(java.util.Locale.ROOT) + parts.stream().map(Scorer::name).toList();
    }

    @Override
    public double score(StageAnswer answer) {
        if (mode == Mode.WEIGHTED) {
            double sum = 0;
            for (int i = 0; i < parts.size(); i++) {
                sum += weights[i] * parts.get(i).score(answer);
            }
            return sum;
        }
        boolean all = mode == Mode.ALL;
        double graded = all ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        boolean anyGraded = false;
        for (Scorer p : parts) {
            double s = p.score(answer);
            if (p.gate()) {
                boolean passed = s >= 1;
                if (all && !passed) {
                    return Double.NEGATIVE_INFINITY;
                }
                if (!all && passed) {
                    return Double.POSITIVE_INFINITY;
                }
            } else {
                anyGraded = true;
                graded = all ? Math.min(graded, s) : Math.max(graded, s);
            }
        }
        return anyGraded ? graded : all ? 1 : 0;
    }

    /** Only {@code all} can fall early: its score is at most each part's best reachable. */
    @Override
    public double bestReachable(float[] logprobs, int count) {
        if (mode != Mode.ALL) {
            return Double.POSITIVE_INFINITY;
        }
        double best = Double.POSITIVE_INFINITY;
        for (Scorer p : parts) {
            best = Math.min(best, p.bestReachable(logprobs, count));
        }
        return best;
    }

    @Override
    public double cost() {
        double c = 0;
        for (Scorer p : parts) {
            c += p.cost();
        }
        return c;
    }
}
