package dev.cascade.engine.generate;

import dev.cascade.engine.sampling.SamplingParams;

import java.util.List;

/**
 * One sequence to generate: its prompt ids, how to sample, and when to stop.
 *
 * @param maxTokens how many tokens at most to generate
 * @param stop      stop strings (the text returned ends before the first)
 * @param ignoreEos keep going past end-of-sequence tokens (benchmarks)
 * @param probeTokens token ids whose log-probabilities every generated token's {@link
 *                  dev.cascade.engine.sampling.Sample} reports, whether or not they are among the
 *                  most likely (a judge reads the probability of "Yes" this way)
 */
public record GenerationRequest(int[] prompt, SamplingParams sampling, int maxTokens, List<String> stop,
                                boolean ignoreEos, int[] probeTokens) {

    public GenerationRequest(int[] prompt, SamplingParams sampling, int maxTokens, List<String> stop, boolean ignoreEos) {
        this(prompt, sampling, maxTokens, stop, ignoreEos, new int[0]);
    }

    public GenerationRequest {
        prompt = prompt.clone();
        probeTokens = probeTokens.clone();
        stop = List.copyOf(stop);
        if (prompt.length == 0) {
            throw new IllegalArgumentException("the prompt is empty: it needs at least one token");
        }
        if (maxTokens < 0) {
            throw new IllegalArgumentException("max tokens must be >= 0, got " + maxTokens);
        }
    }

    public static GenerationRequest greedy(int[] prompt, int maxTokens) {
        return new GenerationRequest(prompt, SamplingParams.GREEDY, maxTokens, List.of(), false);
    }
}
