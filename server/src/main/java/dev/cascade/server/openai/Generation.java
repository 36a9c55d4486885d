package dev.cascade.server.openai;

import dev.cascade.engine.sampling.SamplingParams;

import java.util.List;

/**
 * What to generate, shared by completions and chat.
 *
 * @param maxTokens    the completion's token budget, or null when the client left it to the server
 * @param sampling     the engine's sampling settings; its topLogprobs equals {@code logprobs.top()}
 * @param stop         strings that end a choice (not included in the output); empty for none
 * @param n            choices per prompt
 * @param stream       answer as server-sent events
 * @param includeUsage stream_options.include_usage: send a final usage chunk (always false unless stream)
 * @param logprobs     whether and how many log probabilities to report
 * @param ignoreEos    vLLM's ignore_eos: keep generating past end-of-sequence until maxTokens or a stop
 * @param user         the client's end-user id, or null; only for logs
 */
public record Generation(Integer maxTokens, SamplingParams sampling, List<String> stop, int n, boolean stream,
                         boolean includeUsage, LogprobsMode logprobs, boolean ignoreEos, String user) {

    public Generation {
        stop = List.copyOf(stop);
    }
}
