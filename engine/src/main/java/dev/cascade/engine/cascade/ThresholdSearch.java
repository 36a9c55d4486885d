package dev.cascade.engine.cascade;

import java.util.Arrays;
import java.util.TreeSet;

/**
 * FrugalGPT-style threshold search over recorded stage outcomes: every stage was run alone on
 * every item, giving per stage and item whether the answer was right, its score and its cost. A
 * cascade with thresholds t is then simulated exactly (stage i answers when its score ≥ t_i; the
 * last stage always answers; a rejected stage's cost is paid in full, which overstates what early
 * escalation pays). Candidate thresholds are the observed scores themselves (thinned to
 * {@code candidatesPerStage} quantiles), plus "always accept" and "never accept".
 */
public final class ThresholdSearch {

    /** What to optimise. */
    public sealed interface Goal {
        /** Least cost with accuracy at least {@code accuracy}. */
        record TargetAccuracy(double accuracy) implements Goal {
        }

        /** Best accuracy with cost at most {@code relativeCost} of the last stage alone. */
        record MaxCost(double relativeCost) implements Goal {
        }

        /** Best accuracy with at most this share of requests escalated past the stage they started at. */
        record MaxEscalationRate(double rate) implements Goal {
        }
    }

    /** The simulated outcome of one set of thresholds on a set of items. */
    public record Outcome(double[] thresholds, double accuracy, double relativeCost, double escalationRate,
                          double[] answeredBy) {
    }

    /**
     * Recorded outcomes, indexed [stage][item].
     */
    public record Records(boolean[][] correct, double[][] score, double[][] cost) {
        public int stages() {
            return correct.length;
        }

        public int items() {
            return correct[0].length;
        }

        /** The same records restricted to some items. */
        public Records subset(int[] items) {
            int s = stages();
            boolean[][] c = new boolean[s][items.length];
            double[][] sc = new double[s][items.length];
            double[][] co = new double[s][items.length];
            for (int i = 0; i < s; i++) {
                for (int j = 0; j < items.length; j++) {
                    c[i][j] = correct[i][items[j]];
                    sc[i][j] = score[i][items[j]];
                    co[i][j] = cost[i][items[j]];
                }
            }
            return new Records(c, sc, co);
        }
    }

    private ThresholdSearch() {
    }

    /** The cascade with these thresholds (one per stage; the last is ignored) on these items. */
    public static Outcome simulate(Records r, double[] thresholds) {
        return simulate(r, thresholds, new int[r.items()]);
    }

    /**
     * The same, with item j entering the cascade at stage {@code start[j]} (upfront routing): the
     * stages before it are neither paid nor asked, and only an answer from a stage after its start
     * counts as an escalation.
     */
    public static Outcome simulate(Records r, double[] thresholds, int[] start) {
        int stages = r.stages();
        int n = r.items();
        int right = 0;
        int escalated = 0;
        double cost = 0;
        double lastAlone = 0;
        double[] answeredBy = new double[stages];
        for (int j = 0; j < n; j++) {
            lastAlone += r.cost()[stages - 1][j];
            for (int i = start[j]; i < stages; i++) {
                cost += r.cost()[i][j];
                if (i == stages - 1 || r.score()[i][j] >= thresholds[i]) {
                    right += r.correct()[i][j] ? 1 : 0;
                    escalated += i > start[j] ? 1 : 0;
                    answeredBy[i]++;
                    break;
                }
            }
        }
        for (int i = 0; i < stages; i++) {
            answeredBy[i] /= n;
        }
        return new Outcome(thresholds.clone(), right / (double) n, lastAlone == 0 ? 0 : cost / lastAlone, escalated / (double) n,
                answeredBy);
    }

    /** The best thresholds for {@code goal} on these records; null when no candidate meets it. */
    public static Outcome search(Records r, Goal goal, int candidatesPerStage) {
        return search(r, goal, candidatesPerStage, new int[r.items()]);
    }

    /** The same with per-item start stages (see {@link #simulate(Records, double[], int[])}). */
    public static Outcome search(Records r, Goal goal, int candidatesPerStage, int[] start) {
        int stages = r.stages();
        double[][] candidates = new double[stages][];
        for (int i = 0; i < stages - 1; i++) {
            candidates[i] = candidates(r.score()[i], candidatesPerStage);
        }
        candidates[stages - 1] = new double[] {Double.NEGATIVE_INFINITY};
        Outcome[] best = {null};
        double[] t = new double[stages];
        walk(r, goal, candidates, 0, t, start, best);
        return best[0];
    }

    private static void walk(Records r, Goal goal, double[][] candidates, int stage, double[] t, int[] start, Outcome[] best) {
        if (stage == candidates.length) {
            Outcome o = simulate(r, t, start);
            if (meets(goal, o) && (best[0] == null || better(goal, o, best[0]))) {
                best[0] = o;
            }
            return;
        }
        for (double c : candidates[stage]) {
            t[stage] = c;
            walk(r, goal, candidates, stage + 1, t, start, best);
        }
    }

    static boolean meets(Goal goal, Outcome o) {
        return switch (goal) {
            case Goal.TargetAccuracy g -> o.accuracy() >= g.accuracy() - 1e-12;
            case Goal.MaxCost g -> o.relativeCost() <= g.relativeCost() + 1e-12;
            case Goal.MaxEscalationRate g -> o.escalationRate() <= g.rate() + 1e-12;
        };
    }

    /** Target accuracy: cheaper wins (then more accurate); otherwise more accurate wins (then cheaper). */
    static boolean better(Goal goal, Outcome a, Outcome b) {
        if (goal instanceof Goal.TargetAccuracy) {
            return a.relativeCost() < b.relativeCost() || (a.relativeCost() == b.relativeCost() && a.accuracy() > b.accuracy());
        }
        return a.accuracy() > b.accuracy() || (a.accuracy() == b.accuracy() && a.relativeCost() < b.relativeCost());
    }

    /** Quantiles of the observed scores (finite ones), plus accept-all and accept-none. */
    static double[] candidates(double[] scores, int count) {
        double[] finite = Arrays.stream(scores).filter(Double::isFinite).sorted().toArray();
        TreeSet<Double> out = new TreeSet<>();
        out.add(Double.NEGATIVE_INFINITY);
        out.add(Double.POSITIVE_INFINITY);
        for (int k = 0; k < count && finite.length > 0; k++) {
            out.add(finite[(int) Math.min(finite.length - 1, Math.round(k * (finite.length - 1) / (double) Math.max(1, count - 1)))]);
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * How well a stage's scorer at its threshold picks out right answers: precision = share of
     * accepted answers that are right, recall = share of right answers that are accepted.
     */
    public static double[] precisionRecall(boolean[] correct, double[] score, double threshold) {
        int accepted = 0, acceptedRight = 0, right = 0;
        for (int j = 0; j < correct.length; j++) {
            boolean a = score[j] >= threshold;
            accepted += a ? 1 : 0;
            acceptedRight += a && correct[j] ? 1 : 0;
            right += correct[j] ? 1 : 0;
        }
        return new double[] {accepted == 0 ? Double.NaN : acceptedRight / (double) accepted,
                right == 0 ? Double.NaN : acceptedRight / (double) right};
    }
}
