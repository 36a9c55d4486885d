package dev.cascade.server.openai;

import java.util.List;

/**
 * A generated token and how likely it was.
 *
 * @param token   its text as the tokenizer decodes it alone
 * @param bytes   its raw UTF-8 bytes, which may be part of a character; null if it has none
 * @param logprob its log probability; -infinity is fine here and is clamped on writing
 * @param top     the most likely alternatives at its position, most likely first; null or empty when
 *                none were asked
 */
public record TokenLogprob(String token, byte[] bytes, float logprob, List<TopLogprob> top) {

    public TokenLogprob {
        top = top == null ? List.of() : List.copyOf(top);
    }
}
