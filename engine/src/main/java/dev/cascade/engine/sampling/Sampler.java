package dev.cascade.engine.sampling;

import dev.cascade.kernels.cpu.ExpSums;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Chooses tokens from logits for one sequence: penalties, then temperature, top-k, top-p and min-p
 * in Hugging Face's order, then a draw from the seeded generator. Scratch space is sized to the
 * vocabulary once, so a call allocates nothing.
 *
 * <p>Ties are broken towards the lower token id everywhere, so greedy decoding is deterministic.
 */
public final class Sampler {
    /** Pruning levels tried before top-p: tokens below this fraction of the top probability. */
    private static final float[] PRUNE_LEVELS = {1e-3f, 1e-6f, 0f};

    private final SamplingParams params;
    private final SplittableRandom random;
    /** Logits after penalties (the caller's stay as the model produced them). */
    private final float[] work;
    /** Probabilities relative to the most likely token (which has 1). */
    private final float[] probs;
    /** Candidates as {@link #key} values, so one primitive sort orders them. */
    private final long[] keys;

    public Sampler(SamplingParams params, int vocabSize) {
        this.params = params;
        long seed = params.seed() != null ? params.seed() : new SecureRandom().nextLong();
        this.random = new SplittableRandom(seed);
        this.work = new float[vocabSize];
        this.probs = new float[vocabSize];
        this.keys = new long[vocabSize];
    }

    public SamplingParams params() {
        return params;
    }

    public int vocabSize() {
        return work.length;
    }

    /**
     * Picks the next token from {@code vocabSize} logits starting at {@code offset} (left unchanged)
     * and reports its log-probability and the top alternatives under the model's distribution.
     */
    public void sample(float[] logits, int offset, TokenHistory history, Sample out) {
        sample(logits, offset, history, out, params.greedy() ? 0 : nextUniform());
    }

    /** The next uniform draw in [0, 1) of this sequence's generator: one per token it samples (none when greedy). */
    public double nextUniform() {
        return random.nextDouble();
    }

    /**
     * Whether a device can choose this sampler's tokens ({@link dev.cascade.kernels.DeviceSampling}):
     * no penalties, no min-p, no alternatives or probe tokens to report.
     */
    public boolean deviceCompatible(Sample out) {
        return !params.penalized() && params.minP() == 0f && params.topLogprobs() == 0 && out.probeTokens.length == 0;
    }

    /** {@link #sample} with the uniform draw already taken (a row a device left to the host). */
    public void sample(float[] logits, int offset, TokenHistory history, Sample out, double u) {
        int n = work.length;
        System.arraycopy(logits, offset, work, 0, n);
        float logZ = logSumExp(work, n);
        reportTop(out, logZ);
        for (int i = 0; i < out.probeTokens.length; i++) {
            out.probeLogprobs[i] = work[out.probeTokens[i]] - logZ;
        }
        if (params.penalized() && history != null) {
            applyPenalties(history);
        }
        int token = params.greedy() ? argmax(n) : draw(n, u);
        out.token = token;
        out.logprob = logits[offset + token] - logZ;
    }

    private static float logSumExp(float[] x, int n) {
        float max = ExpSums.max(x, n);
        return max + (float) Math.log(ExpSums.sum(x, n, max, 1f, null));
    }

    private void reportTop(Sample out, float logZ) {
        int k = params.topLogprobs();
        int count = k > 0 ? selectTop(work, work.length, k) : 0;
        for (int j = 0; j < count; j++) {
            int id = idOf(keys[count - 1 - j]);
            out.topTokens[j] = id;
            out.topLogprobs[j] = work[id] - logZ;
        }
        out.topCount = count;
    }

    private void applyPenalties(TokenHistory history) {
        float rep = params.repetitionPenalty();
        float presence = params.presencePenalty();
        float frequency = params.frequencyPenalty();
        for (int i = 0; i < history.size(); i++) {
            int id = history.token(i);
            float l = work[id];
            if (rep != 1f) {
                l = l > 0 ? l / rep : l * rep;
            }
            int count = history.generatedCount(id);
            if (count > 0) {
                l -= presence + frequency * count;
            }
            work[id] = l;
        }
    }

    private int argmax(int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (work[i] > work[best]) {
                best = i;
            }
        }
        return best;
    }

    private int draw(int n, double u) {
        float invT = 1f / params.temperature();
        float max = ExpSums.max(work, n);
        double total = ExpSums.sum(work, n, max, invT, probs);
        boolean topK = params.topK() > 0 && params.topK() < n;
        boolean topP = params.topP() < 1f;
        float minP = params.minP();
        if (!topK && !topP) {
            return drawUnsorted(n, minP, u);
        }
        int count;
        if (topK) {
            // top-p after top-k renormalises over the k kept, as Hugging Face's warpers do
            count = selectTop(probs, n, params.topK());
            total = 0;
            for (int j = 0; j < count; j++) {
                total += probs[idOf(keys[j])];
            }
        } else {
            count = candidatesForTopP(n, total);
        }
        // keys[0..count) ascending: the most likely token is last; keep keys[first..count)
        int first = 0;
        if (topP) {
            double target = params.topP() * total;
            double cumulative = 0;
            first = count - 1;
            while (first > 0) {
                cumulative += probs[idOf(keys[first])];
                if (cumulative >= target) {
                    break;
                }
                first--;
            }
        }
        double kept = 0;
        int last = count - 1;
        int stop = last;
        for (int j = last; j >= first; j--) {
            float p = probs[idOf(keys[j])];
            if (p < minP) {
                break;
            }
            kept += p;
            stop = j;
        }
        double target = u * kept;
        double cumulative = 0;
        for (int j = last; j >= stop; j--) {
            int id = idOf(keys[j]);
            cumulative += probs[id];
            if (target < cumulative) {
                return id;
            }
        }
        return idOf(keys[stop]);
    }

    private int drawUnsorted(int n, float minP, double u) {
        double kept = 0;
        for (int i = 0; i < n; i++) {
            if (probs[i] >= minP) {
                kept += probs[i];
            }
        }
        double target = u * kept;
        double cumulative = 0;
        int last = -1;
        for (int i = 0; i < n; i++) {
            if (probs[i] >= minP) {
                cumulative += probs[i];
                last = i;
                if (target < cumulative) {
                    return i;
                }
            }
        }
        return last;
    }

    /**
     * Sorts the tokens that can be in the top-p nucleus into keys[0..count), ascending. Tokens far
     * below the top are left out only when those kept already hold the nucleus's mass: then no
     * left-out token can be reached, so the result is exact.
     */
    private int candidatesForTopP(int n, double total) {
        double target = params.topP() * total;
        int count = 0;
        for (float level : PRUNE_LEVELS) {
            count = 0;
            double mass = 0;
            for (int i = 0; i < n; i++) {
                float p = probs[i];
                if (p >= level) {
                    keys[count++] = key(p, i);
                    mass += p;
                }
            }
            if (mass >= target) {
                break;
            }
        }
        Arrays.sort(keys, 0, count);
        return count;
    }

    /**
     * Puts the k largest of values[0..n) into keys[0..k) in ascending order (the largest last) and
     * returns k. A min-heap of size k keeps it O(n log k).
     */
    private int selectTop(float[] values, int n, int k) {
        k = Math.min(k, n);
        int size = 0;
        for (int i = 0; i < n; i++) {
            long key = key(values[i], i);
            if (size < k) {
                keys[size] = key;
                siftUp(size++);
            } else if (key > keys[0]) {
                keys[0] = key;
                siftDown(size);
            }
        }
        Arrays.sort(keys, 0, size);
        return size;
    }

    private void siftUp(int i) {
        long key = keys[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (keys[parent] <= key) {
                break;
            }
            keys[i] = keys[parent];
            i = parent;
        }
        keys[i] = key;
    }

    private void siftDown(int size) {
        int i = 0;
        long key = keys[0];
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && keys[child + 1] < keys[child]) {
                child++;
            }
            if (key <= keys[child]) {
                break;
            }
            keys[i] = keys[child];
            i = child;
        }
        keys[i] = key;
    }

    /**
     * Orders by value, then by lower id: the float's bits are made monotonic (negative values
     * flipped) and the id is inverted in the low half so that, ascending, equal values put the
     * lower id last, where the largest keys are read from.
     */
    static long key(float value, int id) {
        int bits = Float.floatToRawIntBits(value);
        int ordered = bits >= 0 ? bits : bits ^ 0x7fffffff;
        return ((long) ordered << 32) | (0xffffffffL - id);
    }

    static int idOf(long key) {
        return (int) (0xffffffffL - (key & 0xffffffffL));
    }
}
