package dev.cascade.engine.sampling;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SamplerTest {

    private static SamplingParams params(float temperature, int topK, float topP, float minP, Long seed) {
        return new SamplingParams(temperature, topK, topP, minP, 1f, 0f, 0f, seed, 0);
    }

    private static float[] randomLogits(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (r.nextGaussian() * 3);
        }
        return x;
    }

    private static double[] softmax(float[] logits, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp((logits[i] - max) / temperature);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    private static int[] histogram(SamplingParams sp, float[] logits, int draws) {
        Sampler s = new Sampler(sp, logits.length);
        Sample out = new Sample();
        int[] counts = new int[logits.length];
        for (int i = 0; i < draws; i++) {
            s.sample(logits, 0, null, out);
            counts[out.token]++;
        }
        return counts;
    }

    @Test
    void greedyTakesTheLargestAndTheLowerIdOnTies() {
        float[] logits = {0.5f, 2f, -1f, 2f, 1.9f};
        Sampler s = new Sampler(SamplingParams.GREEDY, logits.length);
        Sample out = new Sample();
        s.sample(logits, 0, null, out);
        assertEquals(1, out.token);
    }

    @Test
    void logprobsAreTheModelsLogSoftmax() {
        float[] logits = randomLogits(1000, 7);
        double[] p = softmax(logits, 1);
        SamplingParams sp = new SamplingParams(0.7f, 0, 0.9f, 0f, 1.3f, 0.5f, 0.5f, 42L, 5);
        Sampler s = new Sampler(sp, logits.length);
        TokenHistory h = new TokenHistory(logits.length);
        Sample out = new Sample();
        float[] before = logits.clone();
        s.sample(logits, 0, h, out);
        assertArrayEquals(before, logits, "the caller's logits stay as the model made them");
        assertEquals(Math.log(p[out.token]), out.logprob, 1e-4);
        assertEquals(5, out.topCount);
        Integer[] order = new Integer[p.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(p[b], p[a]));
        for (int j = 0; j < 5; j++) {
            assertEquals(order[j], out.topTokens[j]);
            assertEquals(Math.log(p[order[j]]), out.topLogprobs[j], 1e-4);
        }
    }

    @Test
    void theSameSeedGivesTheSameTokens() {
        float[] logits = randomLogits(500, 3);
        int[] a = draws(params(1f, 40, 0.95f, 0.01f, 123L), logits, 200);
        int[] b = draws(params(1f, 40, 0.95f, 0.01f, 123L), logits, 200);
        int[] c = draws(params(1f, 40, 0.95f, 0.01f, 124L), logits, 200);
        assertArrayEquals(a, b);
        assertFalse(java.util.Arrays.equals(a, c));
    }

    private static int[] draws(SamplingParams sp, float[] logits, int n) {
        Sampler s = new Sampler(sp, logits.length);
        Sample out = new Sample();
        int[] tokens = new int[n];
        for (int i = 0; i < n; i++) {
            s.sample(logits, 0, null, out);
            tokens[i] = out.token;
        }
        return tokens;
    }

    @Test
    void plainSamplingFollowsTheDistribution() {
        float[] logits = {1f, 0f, 2f, -1f, 0.5f};
        double[] p = softmax(logits, 0.8);
        int draws = 40_000;
        int[] counts = histogram(params(0.8f, 0, 1f, 0f, 9L), logits, draws);
        for (int i = 0; i < p.length; i++) {
            double sd = Math.sqrt(draws * p[i] * (1 - p[i]));
            assertEquals(draws * p[i], counts[i], 5 * sd + 1, "token " + i);
        }
    }

    @Test
    void topKKeepsOnlyTheKMostLikelyRenormalised() {
        float[] logits = randomLogits(300, 11);
        double[] p = softmax(logits, 1);
        Integer[] order = sortedDescending(p);
        int draws = 30_000;
        int[] counts = histogram(params(1f, 3, 1f, 0f, 5L), logits, draws);
        double kept = p[order[0]] + p[order[1]] + p[order[2]];
        for (int i = 0; i < p.length; i++) {
            boolean inTop = i == order[0] || i == order[1] || i == order[2];
            if (!inTop) {
                assertEquals(0, counts[i], "token " + i + " is outside the top 3");
            } else {
                double q = p[i] / kept;
                assertEquals(draws * q, counts[i], 5 * Math.sqrt(draws * q * (1 - q)) + 1);
            }
        }
    }

    @Test
    void topKOfOneIsGreedy() {
        float[] logits = randomLogits(100, 13);
        int[] tokens = draws(params(2f, 1, 1f, 0f, 1L), logits, 50);
        int best = draws(params(0f, 0, 1f, 0f, 1L), logits, 1)[0];
        for (int t : tokens) {
            assertEquals(best, t);
        }
    }

    @Test
    void topPKeepsTheSmallestNucleus() {
        float[] logits = {3f, 2f, 1f, 0f, -1f, -2f};
        double[] p = softmax(logits, 1);
        // p ≈ .636 .234 .086 .032 .012 .004: a nucleus of 0.9 needs the first three
        int[] counts = histogram(params(1f, 0, 0.9f, 0f, 17L), logits, 20_000);
        assertTrue(counts[0] > 0 && counts[1] > 0 && counts[2] > 0);
        assertEquals(0, counts[3] + counts[4] + counts[5]);
        double kept = p[0] + p[1] + p[2];
        assertEquals(20_000 * p[2] / kept, counts[2], 5 * Math.sqrt(20_000 * p[2] / kept) + 1);
    }

    /** A long flat tail beyond the pruning levels must still be reachable when the nucleus needs it. */
    @Test
    void topPReachesAFlatTailWhenTheNucleusNeedsIt() {
        int n = 50_000;
        float[] logits = new float[n];
        logits[0] = 12f; // p(0) = e^12 / (e^12 + 49999 e^-1) ≈ 0.9, the rest an even tail
        for (int i = 1; i < n; i++) {
            logits[i] = -1f;
        }
        double[] p = softmax(logits, 1);
        assertTrue(p[1] / p[0] < 1e-5, "the tail sits below the first pruning levels");
        assertTrue(p[0] < 0.99);
        int[] counts = histogram(params(1f, 0, 0.999f, 0f, 21L), logits, 500);
        int tail = 500 - counts[0];
        assertTrue(tail > 0, "tail tokens are drawn");
    }

    @Test
    void minPDropsTokensFarBelowTheTop() {
        float[] logits = {2f, 1.5f, 0f, -3f};
        // relative to the top: 1, .61, .14, .007
        int[] counts = histogram(params(1f, 0, 1f, 0.1f, 4L), logits, 20_000);
        assertTrue(counts[2] > 0);
        assertEquals(0, counts[3]);
        int[] withTopK = histogram(params(1f, 3, 1f, 0.2f, 4L), logits, 20_000);
        assertEquals(0, withTopK[2] + withTopK[3]);
    }

    @Test
    void repetitionPenaltyAsHuggingFace() {
        float[] logits = {2f, 1.9f, -1f};
        TokenHistory h = new TokenHistory(3);
        h.addPrompt(0);
        SamplingParams sp = new SamplingParams(0f, 0, 1f, 0f, 1.2f, 0f, 0f, null, 0);
        Sampler s = new Sampler(sp, 3);
        Sample out = new Sample();
        s.sample(logits, 0, h, out);
        assertEquals(1, out.token, "2 / 1.2 < 1.9");
    }

    @Test
    void presenceAndFrequencyPenaltiesCountGeneratedTokensOnly() {
        float[] logits = {2f, 1.5f, 0f};
        TokenHistory h = new TokenHistory(3);
        h.addPrompt(0);
        Sample out = new Sample();
        new Sampler(new SamplingParams(0f, 0, 1f, 0f, 1f, 0.6f, 0f, null, 0), 3).sample(logits, 0, h, out);
        assertEquals(0, out.token, "prompt tokens carry no presence penalty");
        h.addGenerated(0);
        new Sampler(new SamplingParams(0f, 0, 1f, 0f, 1f, 0.6f, 0f, null, 0), 3).sample(logits, 0, h, out);
        assertEquals(1, out.token, "2 - 0.6 < 1.5");
        h.clear();
        h.addGenerated(0);
        new Sampler(new SamplingParams(0f, 0, 1f, 0f, 1f, 0f, 0.3f, null, 0), 3).sample(logits, 0, h, out);
        assertEquals(0, out.token, "2 - 0.3 > 1.5");
        h.addGenerated(0);
        new Sampler(new SamplingParams(0f, 0, 1f, 0f, 1f, 0f, 0.3f, null, 0), 3).sample(logits, 0, h, out);
        assertEquals(1, out.token, "2 - 2 × 0.3 < 1.5");
    }

    @Test
    void keysOrderByValueThenLowerId() {
        assertTrue(Sampler.key(1f, 5) > Sampler.key(0.5f, 1));
        assertTrue(Sampler.key(-0.5f, 5) > Sampler.key(-1f, 1));
        assertTrue(Sampler.key(1f, 2) > Sampler.key(1f, 3), "equal values: the lower id ranks higher");
        assertEquals(12345, Sampler.idOf(Sampler.key(-3.5f, 12345)));
        assertNotEquals(Sampler.key(0f, 0), Sampler.key(0f, 1));
    }

    @Test
    void invalidParametersNameThemselves() {
        InvalidParameterException e = assertThrows(InvalidParameterException.class,
                () -> new SamplingParams(-1f, 0, 1f, 0f, 1f, 0f, 0f, null, 0));
        assertEquals("temperature", e.param());
        assertEquals("top_p", assertThrows(InvalidParameterException.class,
                () -> new SamplingParams(1f, 0, 0f, 0f, 1f, 0f, 0f, null, 0)).param());
        assertEquals("top_logprobs", assertThrows(InvalidParameterException.class,
                () -> new SamplingParams(1f, 0, 1f, 0f, 1f, 0f, 0f, null, 21)).param());
    }

    private static Integer[] sortedDescending(double[] p) {
        Integer[] order = new Integer[p.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(p[b], p[a]));
        return order;
    }

    @Test
    void probedTokensGetTheirLogProbabilitiesUnderTheModelWhateverTheirRank() {
        float[] logits = {3f, 0.5f, -2f, 1f, -7f};
        double z = 0;
        for (float l : logits) {
            z += Math.exp(l);
        }
        // penalties and temperature change the draw, not what is reported
        Sampler s = new Sampler(new SamplingParams(0.7f, 2, 1f, 0f, 1.3f, 0f, 0f, 1L, 0), logits.length);
        Sample out = new Sample(new int[] {4, 1});
        s.sample(logits, 0, null, out);
        assertEquals(Math.log(Math.exp(-7) / z), out.probeLogprobs[0], 1e-5, "the least likely token");
        assertEquals(Math.log(Math.exp(0.5) / z), out.probeLogprobs[1], 1e-5);
        assertEquals(0, new Sample().probeLogprobs.length);
    }
}
