package dev.cascade.engine.cascade;

/**
 * The {@code verifier} scorer: logistic regression over features of the answer, giving the
 * probability that it is right. Features: mean and minimum token log-probability, log(1 + length
 * in tokens), and whether the text parses as JSON. Weights come from {@link #fit} (the calibrate
 * command trains them on labelled data).
 */
public record Verifier(double[] weights, double bias) implements Scorer {

    public static final int FEATURES = 4;

    public Verifier {
        if (weights.length != FEATURES) {
            throw new IllegalArgumentException("a verifier takes " + FEATURES + " weights (mean_logprob, min_logprob, "
                    + "log_length, json), got " + weights.length);
        }
        weights = weights.clone();
    }

    @Override
    public String name() {
        return "verifier";
    }

    @Override
    public double score(StageAnswer answer) {
        return probability(features(answer));
    }

    /** The probability of a right answer for a feature vector (see {@link #features}). */
    public double probability(double[] x) {
        double z = bias;
        for (int i = 0; i < FEATURES; i++) {
            z += weights[i] * x[i];
        }
        return 1 / (1 + Math.exp(-z));
    }

    /** The feature vector of an answer; an empty answer has log-probabilities of -20. */
    public static double[] features(StageAnswer a) {
        float[] lp = a.logprobs();
        double mean = -20;
        double min = -20;
        if (lp.length > 0) {
            double sum = 0;
            min = 0;
            for (float v : lp) {
                sum += v;
                min = Math.min(min, v);
            }
            mean = sum / lp.length;
        }
        return new double[] {Math.max(-20, mean), Math.max(-20, min), Math.log1p(lp.length),
                FormatScorers.json().score(a)};
    }

    /**
     * Fits the weights by gradient descent on the log-loss with a little L2 (the features are few
     * and on similar scales, so plain full-batch descent converges in a few thousand steps).
     */
    public static Verifier fit(double[][] x, boolean[] right) {
        double[] w = new double[FEATURES];
        double b = 0;
        double lr = 0.1;
        double l2 = 1e-3;
        int n = x.length;
        for (int step = 0; step < 4000; step++) {
            double[] gw = new double[FEATURES];
            double gb = 0;
            for (int j = 0; j < n; j++) {
                double z = b;
                for (int i = 0; i < FEATURES; i++) {
                    z += w[i] * x[j][i];
                }
                double err = 1 / (1 + Math.exp(-z)) - (right[j] ? 1 : 0);
                for (int i = 0; i < FEATURES; i++) {
                    gw[i] += err * x[j][i];
                }
                gb += err;
            }
            for (int i = 0; i < FEATURES; i++) {
                w[i] -= lr * (gw[i] / n + l2 * w[i]);
            }
            b -= lr * gb / n;
        }
        return new Verifier(w, b);
    }
}
