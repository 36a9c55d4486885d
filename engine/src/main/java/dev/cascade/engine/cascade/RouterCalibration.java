package dev.cascade.engine.cascade;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Trains a learned router and picks its threshold together with the stage thresholds.
 *
 * <p>The label of a prompt is whether the first stage answered it wrongly. The threshold is chosen
 * on out-of-fold probabilities (each calibration item scored by a classifier that did not see it),
 * because in-sample probabilities are over-confident and would make routing look better than it
 * is. For every router threshold candidate (plus "never route") the per-item start stages follow,
 * and {@link ThresholdSearch} finds the best stage thresholds for them; the best pair for the goal
 * wins, never routing on a tie. The router written out is then trained on all calibration items.
 */
public final class RouterCalibration {

    static final int FOLDS = 5;
    static final int ROUTER_CANDIDATES = 41;

    /**
     * @param classifier trained on every calibration item
     * @param threshold  route when the failure probability is above it (+infinity: never)
     * @param outcome    the stage thresholds found with it, and their simulated outcome on the calibration items
     */
    public record Result(PromptClassifier classifier, double threshold, ThresholdSearch.Outcome outcome) {
    }

    private RouterCalibration() {
    }

    /**
     * @param ruleStart where each item starts by the cascade's rules (0 when none matches); the
     *                  router decides only for items that start at 0
     * @return null when no combination meets the goal
     */
    public static Result calibrate(List<String> prompts, ThresholdSearch.Records records, int[] ruleStart, int routerStage,
                                   ThresholdSearch.Goal goal, int candidatesPerStage, int buckets, long seed) {
        int n = prompts.size();
        List<PromptFeatures> x = new ArrayList<>(n);
        boolean[] fails = new boolean[n];
        for (int j = 0; j < n; j++) {
            x.add(PromptFeatures.of(prompts.get(j), buckets));
            fails[j] = !records.correct()[0][j];
        }
        double[] p = outOfFold(x, fails, buckets, seed);
        Result best = null;
        for (double t : candidates(p)) {
            int[] start = starts(p, t, routerStage, ruleStart);
            ThresholdSearch.Outcome o = ThresholdSearch.search(records, goal, candidatesPerStage, start);
            if (o != null && (best == null || ThresholdSearch.better(goal, o, best.outcome()))) {
                best = new Result(null, t, o);
            }
        }
        return best == null ? null : new Result(PromptClassifier.fit(x, fails, buckets), best.threshold(), best.outcome());
    }

    /** Each item's start: its rule's stage, else the router's when its probability is above the threshold, else 0. */
    public static int[] starts(double[] failureProbability, double threshold, int routerStage, int[] ruleStart) {
        int[] start = new int[failureProbability.length];
        for (int j = 0; j < start.length; j++) {
            start[j] = ruleStart[j] > 0 ? ruleStart[j] : failureProbability[j] > threshold ? routerStage : 0;
        }
        return start;
    }

    /** Probabilities for every item from a classifier trained on the other folds (folds drawn with {@code seed}). */
    static double[] outOfFold(List<PromptFeatures> x, boolean[] labels, int buckets, long seed) {
        int n = x.size();
        int[] fold = new int[n];
        for (int j = 0; j < n; j++) {
            fold[j] = j % FOLDS;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int j = n - 1; j > 0; j--) {
            int k = random.nextInt(j + 1);
            int swap = fold[j];
            fold[j] = fold[k];
            fold[k] = swap;
        }
        double[] p = new double[n];
        for (int f = 0; f < FOLDS; f++) {
            List<PromptFeatures> train = new ArrayList<>();
            List<Boolean> y = new ArrayList<>();
            for (int j = 0; j < n; j++) {
                if (fold[j] != f) {
                    train.add(x.get(j));
                    y.add(labels[j]);
                }
            }
            if (train.isEmpty()) {
                continue; // fewer items than folds: this fold's items keep probability 0
            }
            boolean[] ty = new boolean[y.size()];
            for (int j = 0; j < ty.length; j++) {
                ty[j] = y.get(j);
            }
            PromptClassifier c = PromptClassifier.fit(train, ty, buckets);
            for (int j = 0; j < n; j++) {
                if (fold[j] == f) {
                    p[j] = c.probability(x.get(j));
                }
            }
        }
        return p;
    }

    /** Never (+infinity) first, so that a tie keeps the router off; then quantiles of the probabilities. */
    static double[] candidates(double[] p) {
        double[] sorted = p.clone();
        Arrays.sort(sorted);
        TreeSet<Double> quantiles = new TreeSet<>();
        for (int k = 0; k < ROUTER_CANDIDATES && sorted.length > 0; k++) {
            quantiles.add(sorted[(int) Math.round(k * (sorted.length - 1) / (double) (ROUTER_CANDIDATES - 1))]);
        }
        double[] out = new double[quantiles.size() + 1];
        out[0] = Double.POSITIVE_INFINITY;
        int i = 1;
        for (double q : quantiles.descendingSet()) {
            out[i++] = q;
        }
        return out;
    }
}
