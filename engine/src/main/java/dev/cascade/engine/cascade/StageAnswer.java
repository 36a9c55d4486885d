package dev.cascade.engine.cascade;

/**
 * What one cascade stage produced, as its scorer sees it.
 *
 * @param text     the answer text
 * @param logprobs log-probability of each generated token under the model that produced it
 *                 (empty for a stage that reported none)
 */
public record StageAnswer(String text, float[] logprobs) {

    public StageAnswer {
        logprobs = logprobs.clone();
    }
}
