package dev.cascade.engine.cascade;

/** Scorers on the generating model's own confidence: the mean and the minimum token log-probability. */
public final class LogprobScorers {
    private LogprobScorers() {
    }

    /** Mean log-probability of the generated tokens; an empty answer scores negative infinity. */
    public static Scorer mean() {
        return new Scorer() {
            @Override
            public String name() {
                return "mean_logprob";
            }

            @Override
            public double score(StageAnswer answer) {
                float[] lp = answer.logprobs();
                if (lp.length == 0) {
                    return Double.NEGATIVE_INFINITY;
                }
                double sum = 0;
                for (float v : lp) {
                    sum += v;
                }
                return sum / lp.length;
            }
        };
    }

    /**
     * Minimum log-probability: the answer is as good as its least certain token. It can only fall
     * as tokens arrive, which makes early escalation possible.
     */
    public static Scorer min() {
        return new Scorer() {
            @Override
            public String name() {
                return "min_logprob";
            }

            @Override
            public double score(StageAnswer answer) {
                float[] lp = answer.logprobs();
                return lp.length == 0 ? Double.NEGATIVE_INFINITY : minimum(lp, lp.length);
            }

            @Override
            public double bestReachable(float[] logprobs, int count) {
                return count == 0 ? Double.POSITIVE_INFINITY : minimum(logprobs, count);
            }
        };
    }

    private static double minimum(float[] lp, int count) {
        double min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < count; i++) {
            min = Math.min(min, lp[i]);
        }
        return min;
    }
}
