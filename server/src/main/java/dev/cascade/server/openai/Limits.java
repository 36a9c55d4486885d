package dev.cascade.server.openai;

/**
 * Caps a request must stay within, so that one call cannot ask for an unbounded amount of work.
 *
 * @param maxN       the largest n (completions per prompt)
 * @param maxPrompts the most prompts one /v1/completions call may batch
 */
public record Limits(int maxN, int maxPrompts) {

    /** OpenAI caps n at 128; a CPU engine runs each choice as its own sequence, so far fewer. */
    public static final Limits DEFAULT = new Limits(16, 64);

    public Limits {
        if (maxN < 1 || maxPrompts < 1) {
            throw new IllegalArgumentException("limits must be >= 1, got maxN " + maxN + ", maxPrompts " + maxPrompts);
        }
    }
}
