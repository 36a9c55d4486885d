package dev.cascade.engine.cascade;

import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Logistic regression on {@link PromptFeatures}: the probability that a prompt is positive (for
 * the learned router: that the first stage answers it wrongly).
 *
 * @param buckets      the hashing width the weights were trained for
 * @param weights      one weight per bucket (most are exactly 0: training is L1-regularised)
 * @param lengthWeight the weight of log(1 + characters)
 */
public record PromptClassifier(int buckets, double[] weights, double lengthWeight, double bias) {

    public static final int DEFAULT_BUCKETS = 4096;

    /** Full-batch steps: the loss is convex and the data small, so a fixed count is enough and keeps fits identical. */
    static final int STEPS = 4000;
    static final double LEARNING_RATE = 2.0;
    /** Pushes weights of n-grams that barely help to exactly 0, which keeps the model written into a config short. */
    static final double L1 = 2e-4;
    static final double L2 = 1e-4;

    public PromptClassifier {
        if (weights.length != buckets) {
            throw new IllegalArgumentException("a prompt classifier over " + buckets + " buckets needs as many weights, got "
                    + weights.length);
        }
        weights = weights.clone();
    }

    /** From the non-zero weights only, as a config stores them. */
    public static PromptClassifier ofSparse(int buckets, java.util.Map<Integer, Double> weights, double lengthWeight, double bias) {
        double[] w = new double[buckets];
        weights.forEach((k, v) -> {
            if (k < 0 || k >= buckets) {
                throw new IllegalArgumentException("router weight for bucket " + k + " is outside 0.." + (buckets - 1));
            }
            w[k] = v;
        });
        return new PromptClassifier(buckets, w, lengthWeight, bias);
    }

    public double probability(String prompt) {
        return probability(PromptFeatures.of(prompt, buckets));
    }

    public double probability(PromptFeatures f) {
        double z = bias + lengthWeight * f.logLength();
        for (int i = 0; i < f.buckets().length; i++) {
            z += weights[f.buckets()[i]] * f.values()[i];
        }
        return 1 / (1 + Math.exp(-z));
    }

    /** The weights that are not 0, by bucket. */
    public SortedMap<Integer, Double> sparseWeights() {
        SortedMap<Integer, Double> out = new TreeMap<>();
        for (int i = 0; i < buckets; i++) {
            if (weights[i] != 0) {
                out.put(i, weights[i]);
            }
        }
        return out;
    }

    /**
     * Fits by proximal gradient descent on the mean log-loss (full batch, from zero weights, so the
     * same data always gives the same model): a gradient step, then soft-thresholding for the L1
     * term. The length feature is standardised while training (its scale is unlike the n-grams')
     * and folded back into raw units at the end.
     */
    public static PromptClassifier fit(List<PromptFeatures> x, boolean[] positive, int buckets) {
        int n = x.size();
        if (n == 0 || positive.length != n) {
            throw new IllegalArgumentException("fit needs one label per prompt and at least one prompt");
        }
        double mean = 0;
        int pos = 0;
        for (int j = 0; j < n; j++) {
            mean += x.get(j).logLength();
            pos += positive[j] ? 1 : 0;
        }
        mean /= n;
        double var = 0;
        for (PromptFeatures f : x) {
            var += (f.logLength() - mean) * (f.logLength() - mean);
        }
        double std = Math.sqrt(var / n);
        double[] len = new double[n];
        for (int j = 0; j < n; j++) {
            len[j] = std < 1e-9 ? 0 : (x.get(j).logLength() - mean) / std;
        }
        double[] w = new double[buckets];
        double u = 0;
        // start at the base rate: the first steps then learn the n-grams, not the prior
        double prior = Math.min(1 - 1e-3, Math.max(1e-3, pos / (double) n));
        double b = Math.log(prior / (1 - prior));
        double[] g = new double[buckets];
        for (int step = 0; step < STEPS; step++) {
            java.util.Arrays.fill(g, 0);
            double gu = 0;
            double gb = 0;
            for (int j = 0; j < n; j++) {
                PromptFeatures f = x.get(j);
                double z = b + u * len[j];
                for (int i = 0; i < f.buckets().length; i++) {
                    z += w[f.buckets()[i]] * f.values()[i];
                }
                double err = 1 / (1 + Math.exp(-z)) - (positive[j] ? 1 : 0);
                for (int i = 0; i < f.buckets().length; i++) {
                    g[f.buckets()[i]] += err * f.values()[i];
                }
                gu += err * len[j];
                gb += err;
            }
            double shrink = LEARNING_RATE * L1;
            for (int i = 0; i < buckets; i++) {
                double v = w[i] - LEARNING_RATE * (g[i] / n + L2 * w[i]);
                w[i] = v > shrink ? v - shrink : v < -shrink ? v + shrink : 0;
            }
            u -= LEARNING_RATE * (gu / n + L2 * u);
            b -= LEARNING_RATE * gb / n;
        }
        double lengthWeight = std < 1e-9 ? 0 : u / std;
        return new PromptClassifier(buckets, w, lengthWeight, b - lengthWeight * mean);
    }
}
