package dev.cascade.weights;

/**
 * Sampling settings the model's files recommend (Hugging Face generation_config.json); each is null
 * when the files do not set it, so the server can tell "not set" from a value.
 *
 * @param doSample          false asks for greedy decoding
 * @param temperature       softmax temperature
 * @param topP              nucleus sampling mass
 * @param topK              keep only the k most likely tokens
 * @param minP              drop tokens below this fraction of the most likely one
 * @param repetitionPenalty CTRL-style penalty on repeated tokens
 * @param maxNewTokens      default generation length
 */
public record GenerationDefaults(Boolean doSample, Float temperature, Float topP, Integer topK, Float minP,
                                 Float repetitionPenalty, Integer maxNewTokens) {

    public static final GenerationDefaults NONE = new GenerationDefaults(null, null, null, null, null, null, null);
}
