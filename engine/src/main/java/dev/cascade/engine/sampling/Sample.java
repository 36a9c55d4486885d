package dev.cascade.engine.sampling;

/**
 * One sampled token and its log-probabilities under the model (before penalties, temperature and
 * truncation, as OpenAI's API reports them). Owned by one sequence and refilled for every token,
 * so sampling allocates nothing.
 */
public final class Sample {
    public int token;
    /** log p(token) under the model's own distribution. */
    public float logprob;
    /** How many alternatives {@link #topTokens} holds, most likely first. */
    public int topCount;
    public final int[] topTokens = new int[SamplingParams.MAX_TOP_LOGPROBS];
    public final float[] topLogprobs = new float[SamplingParams.MAX_TOP_LOGPROBS];
    /** Token ids whose log-probabilities are reported at every position, asked for by the request. */
    public final int[] probeTokens;
    /** log p(probeTokens[i]) under the model's own distribution. */
    public final float[] probeLogprobs;

    public Sample() {
        this(new int[0]);
    }

    public Sample(int[] probeTokens) {
        this.probeTokens = probeTokens.clone();
        this.probeLogprobs = new float[probeTokens.length];
    }
}
