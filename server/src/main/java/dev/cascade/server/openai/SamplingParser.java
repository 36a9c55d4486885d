package dev.cascade.server.openai;

import dev.cascade.engine.sampling.InvalidParameterException;
import dev.cascade.engine.sampling.SamplingParams;

/** The sampling fields of a request, OpenAI's plus vLLM's top_k, min_p and repetition_penalty. */
final class SamplingParser {
    // OpenAI's default; a client wanting greedy decoding says temperature 0
    static final double DEFAULT_TEMPERATURE = 1.0;

    private SamplingParser() {
    }

    static SamplingParams parse(Fields f, int topLogprobs) {
        double temperature = orElse(f.number("temperature", 0, 2), DEFAULT_TEMPERATURE);
        double topP = orElse(f.number("top_p"), 1.0);
        if (!(topP > 0 && topP <= 1)) {
            throw f.outOfRange("top_p", "greater than 0 and at most 1", f.get("top_p"));
        }
        Integer topK = f.integer("top_k", -1, Integer.MAX_VALUE);
        double minP = orElse(f.number("min_p", 0, 1), 0.0);
        double repetitionPenalty = orElse(f.number("repetition_penalty"), 1.0);
        if (!(repetitionPenalty > 0 && Double.isFinite(repetitionPenalty))) {
            throw f.outOfRange("repetition_penalty", "greater than 0", f.get("repetition_penalty"));
        }
        double presencePenalty = orElse(f.number("presence_penalty", -2, 2), 0.0);
        double frequencyPenalty = orElse(f.number("frequency_penalty", -2, 2), 0.0);
        Long seed = f.integer("seed");
        // vLLM's convention: -1 and 0 both mean no top-k cut
        int k = topK == null || topK == -1 ? 0 : topK;
        try {
            return new SamplingParams((float) temperature, k, (float) topP, (float) minP, (float) repetitionPenalty,
                    (float) presencePenalty, (float) frequencyPenalty, seed, topLogprobs);
        } catch (InvalidParameterException e) {
            // what our own checks let through but the engine refuses, e.g. a top_p that rounds to 0 as a float
            throw ApiException.badRequest(e.param(), e.getMessage());
        }
    }

    private static double orElse(Double value, double absent) {
        return value == null ? absent : value;
    }
}
