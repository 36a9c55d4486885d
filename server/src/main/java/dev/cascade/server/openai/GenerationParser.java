package dev.cascade.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cascade.engine.sampling.SamplingParams;

import java.util.List;

/** The fields completions and chat share; each endpoint reads its own token budget and logprobs first. */
final class GenerationParser {
    private GenerationParser() {
    }

    static Generation parse(Fields f, Limits limits, Integer maxTokens, LogprobsMode logprobs) {
        SamplingParams sampling = SamplingParser.parse(f, logprobs.top());
        List<String> stop = StopParser.parse(f);
        Integer n = f.integer("n", 1, limits.maxN());
        boolean stream = f.bool("stream", false);
        boolean includeUsage = includeUsage(f, stream);
        boolean ignoreEos = f.bool("ignore_eos", false);
        String user = f.string("user");
        return new Generation(maxTokens, sampling, stop, n == null ? 1 : n, stream, includeUsage, logprobs,
                ignoreEos, user);
    }

    private static boolean includeUsage(Fields f, boolean stream) {
        JsonNode options = f.get("stream_options");
        if (options == null) {
            return false;
        }
        // OpenAI refuses it too: without streaming there are no chunks for the option to shape
        if (!stream) {
            throw ApiException.badRequest(f.param("stream_options"),
                    f.param("stream_options") + " is only allowed when stream is true");
        }
        if (!(options instanceof ObjectNode object)) {
            throw f.wrongType("stream_options", "an object", options);
        }
        return new Fields(object, f.param("stream_options") + ".").bool("include_usage", false);
    }

    /** A positive token budget, or null when absent. */
    static Integer maxTokens(Fields f, String name) {
        return f.integer(name, 1, Integer.MAX_VALUE);
    }
}
