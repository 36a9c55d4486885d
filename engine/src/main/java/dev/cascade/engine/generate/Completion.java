package dev.cascade.engine.generate;

/**
 * The result of one request.
 *
 * @param text           the generated text (without a stop string that ended it)
 * @param tokens         the generated token ids (an end-of-sequence token that ended it is not included)
 * @param logprobs       log-probability of each generated token
 * @param finishReason   why it ended
 * @param promptTokens   prompt length in tokens
 */
public record Completion(String text, int[] tokens, float[] logprobs, FinishReason finishReason, int promptTokens) {
}
