package dev.cascade.engine.sampling;

/**
 * How the next token is chosen from the logits.
 *
 * @param temperature       0 for greedy; otherwise logits are divided by it
 * @param topK              keep the k most likely tokens (0: all)
 * @param topP              keep the smallest set whose probability reaches p (1: all)
 * @param minP              drop tokens less likely than minP × the most likely one (0: none)
 * @param repetitionPenalty Hugging Face's: a seen token's positive logit is divided by it, a
 *                          negative one multiplied (1: off); counts prompt and generated tokens
 * @param presencePenalty   OpenAI's: subtracted once from every token generated so far (0: off)
 * @param frequencyPenalty  OpenAI's: subtracted per occurrence in the generated tokens (0: off)
 * @param seed              makes sampling reproducible; null draws a random seed
 * @param topLogprobs       how many most likely alternatives to report per token (0..20)
 */
public record SamplingParams(float temperature, int topK, float topP, float minP, float repetitionPenalty,
                             float presencePenalty, float frequencyPenalty, Long seed, int topLogprobs) {

    public static final int MAX_TOP_LOGPROBS = 20;

    public static final SamplingParams GREEDY = new SamplingParams(0f, 0, 1f, 0f, 1f, 0f, 0f, null, 0);

    public SamplingParams {
        check(Float.isFinite(temperature) && temperature >= 0, "temperature", "must be >= 0, got " + temperature);
        check(topK >= 0, "top_k", "must be >= 0, got " + topK);
        check(topP > 0 && topP <= 1, "top_p", "must be in (0, 1], got " + topP);
        check(minP >= 0 && minP <= 1, "min_p", "must be in [0, 1], got " + minP);
        check(Float.isFinite(repetitionPenalty) && repetitionPenalty > 0, "repetition_penalty",
                "must be > 0, got " + repetitionPenalty);
        check(Float.isFinite(presencePenalty) && presencePenalty >= -2 && presencePenalty <= 2, "presence_penalty",
                "must be in [-2, 2], got " + presencePenalty);
        check(Float.isFinite(frequencyPenalty) && frequencyPenalty >= -2 && frequencyPenalty <= 2, "frequency_penalty",
                "must be in [-2, 2], got " + frequencyPenalty);
        check(topLogprobs >= 0 && topLogprobs <= MAX_TOP_LOGPROBS, "top_logprobs",
                "must be in [0, " + MAX_TOP_LOGPROBS + "], got " + topLogprobs);
    }

    public boolean greedy() {
        return temperature == 0f;
    }

    public boolean penalized() {
        return repetitionPenalty != 1f || presencePenalty != 0f || frequencyPenalty != 0f;
    }

    public SamplingParams withSeed(Long newSeed) {
        return new SamplingParams(temperature, topK, topP, minP, repetitionPenalty, presencePenalty, frequencyPenalty,
                newSeed, topLogprobs);
    }

    private static void check(boolean ok, String param, String message) {
        if (!ok) {
            throw new InvalidParameterException(param, param + " " + message);
        }
    }
}
