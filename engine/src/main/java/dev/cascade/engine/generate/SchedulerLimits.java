package dev.cascade.engine.generate;

/**
 * How much one step may hold.
 *
 * @param maxSequences     running sequences at most (each decode takes one row)
 * @param maxBatchedTokens rows per forward step: decode tokens plus prefill chunks
 * @param prefixCaching    whether full KV blocks are kept for later prompts that begin the same way
 */
public record SchedulerLimits(int maxSequences, int maxBatchedTokens, boolean prefixCaching) {

    /** Limits with prefix caching on. */
    public SchedulerLimits(int maxSequences, int maxBatchedTokens) {
        this(maxSequences, maxBatchedTokens, true);
    }

    public SchedulerLimits {
        if (maxSequences < 1) {
            throw new IllegalArgumentException("max sequences must be >= 1, got " + maxSequences);
        }
        if (maxBatchedTokens < 1) {
            throw new IllegalArgumentException("max batched tokens must be >= 1, got " + maxBatchedTokens);
        }
    }
}
