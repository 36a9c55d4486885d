package dev.cascade.engine.cascade;

/**
 * What one cascade stage produced, as its scorer sees it.
 *
 * @param text     the answer text
 * @param logprobs log-probability of each generated token under the model that produced it
 *                 (empty for a stage that reported none)
 * @param question the prompt it answers (the user's text for a chat), for scorers that judge the
 *                 answer against it
 */
public record StageAnswer(String text, float[] logprobs, String question) {

    public StageAnswer(String text, float[] logprobs) {
        this(text, logprobs, "");
    }

    public StageAnswer {
        logprobs = logprobs.clone();
    }
}
