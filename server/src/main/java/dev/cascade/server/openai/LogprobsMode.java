package dev.cascade.server.openai;

/**
 * Whether a request wants log probabilities and, if so, how many alternatives per token.
 * Enabled with top 0 is meaningful: the chosen token's logprob alone (completions' logprobs=0,
 * chat's logprobs=true without top_logprobs).
 */
public record LogprobsMode(boolean enabled, int top) {

    public static final LogprobsMode NONE = new LogprobsMode(false, 0);

    public LogprobsMode {
        if (top < 0 || (!enabled && top != 0)) {
            throw new IllegalArgumentException("top must be >= 0 and 0 when disabled, got " + top);
        }
    }

    public static LogprobsMode of(int top) {
        return new LogprobsMode(true, top);
    }
}
