package dev.cascade.engine.cascade;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

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
        double[] scores = new double[parts.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = parts.get(i).score(answer);
        }
        return combine(scores);
    }

    /**
     * Every part scored asynchronously (a judge part asks its model without blocking this thread),
     * then combined as {@link #score} does; the cost is what the parts report having spent. Gates
     * (format checks, which cost nothing) go first: one that already decides {@code all} or
     * {@code any} spares the other parts, a judge's tokens included.
     */
    @Override
    public CompletableFuture<Scored> scoreAsync(StageAnswer answer) {
        if (mode != Mode.WEIGHTED) {
            for (Scorer p : parts) {
                if (p.gate()) {
                    boolean passed = p.score(answer) >= 1;
                    if (mode == Mode.ALL && !passed) {
                        return CompletableFuture.completedFuture(new Scored(Double.NEGATIVE_INFINITY, 0));
                    }
                    if (mode == Mode.ANY && passed) {
                        return CompletableFuture.completedFuture(new Scored(Double.POSITIVE_INFINITY, 0));
                    }
                }
            }
        }
        List<CompletableFuture<Scored>> pending = new ArrayList<>(parts.size());
        for (Scorer p : parts) {
            pending.add(p.scoreAsync(answer));
        }
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).thenApply(done -> {
            double[] scores = new double[pending.size()];
            double cost = 0;
            for (int i = 0; i < scores.length; i++) {
                Scored s = pending.get(i).join();
                scores[i] = s.score();
                cost += s.cost();
            }
            return new Scored(combine(scores), cost);
        });
    }

    /** The parts' scores, in part order, as one. */
    private double combine(double[] scores) {
        if (mode == Mode.WEIGHTED) {
            double sum = 0;
            for (int i = 0; i < scores.length; i++) {
                sum += weights[i] * scores[i];
            }
            return sum;
        }
        boolean all = mode == Mode.ALL;
        double graded = all ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        boolean anyGraded = false;
        for (int i = 0; i < scores.length; i++) {
            double s = scores[i];
            if (parts.get(i).gate()) {
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
