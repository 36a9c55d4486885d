package dev.cascade.engine.generate;

/**
 * How much one step may hold.
 *
 * @param maxSequences     running sequences at most (each decode takes one row)
 * @param maxBatchedTokens rows per forward step: decode tokens plus prefill chunks
 */
public record SchedulerLimits(int maxSequences, int maxBatchedTokens) {

    public SchedulerLimits {
        if (maxSequences < 1) {
            throw new IllegalArgumentException("max sequences must be >= 1, got " + maxSequences);
        }
        if (maxBatchedTokens < 1) {
            throw new IllegalArgumentException("max batched tokens must be >= 1, got " + maxBatchedTokens);
        }
    }
}
