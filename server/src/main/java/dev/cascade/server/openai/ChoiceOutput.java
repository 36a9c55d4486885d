package dev.cascade.server.openai;

import java.util.List;

/**
 * One choice of a response, or its delta in a streaming chunk.
 *
 * @param index        the choice's index in the response (for batched prompts: prompt × n + choice)
 * @param text         the generated text, or the new text of a chunk
 * @param finishReason "stop", "length", or null while a stream goes on
 * @param logprobs     one entry per token of {@code text}, or null when the request did not ask
 */
public record ChoiceOutput(int index, String text, String finishReason, List<TokenLogprob> logprobs) {
}
