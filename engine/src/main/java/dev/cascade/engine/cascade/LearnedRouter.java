package dev.cascade.engine.cascade;

/**
 * Upfront routing learnt from data (RouteLLM-style): a {@link PromptClassifier} estimates the
 * probability that the cascade's first stage would answer a prompt wrongly; above
 * {@code threshold} the request skips straight to stage {@code stage}, saving the stages it would
 * have tried in vain.
 */
public record LearnedRouter(PromptClassifier classifier, double threshold, int stage) {

    /** The probability that the first stage fails on this prompt. */
    public double failureProbability(String prompt) {
        return classifier.probability(prompt);
    }

    public boolean skips(double failureProbability) {
        return failureProbability > threshold;
    }
}
