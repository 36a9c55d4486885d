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
}
