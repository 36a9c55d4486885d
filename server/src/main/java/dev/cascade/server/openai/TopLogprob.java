package dev.cascade.server.openai;

/** One of the most likely tokens at a position; fields as in {@link TokenLogprob}. */
public record TopLogprob(String token, byte[] bytes, float logprob) {
}
