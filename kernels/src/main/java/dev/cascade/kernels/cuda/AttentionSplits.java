package dev.cascade.kernels.cuda;

/**
 * How many context splits paged attention runs per (row, head) in one step (flash-decoding):
 * enough blocks to fill the GPU when there are few rows and long contexts, none when the rows
 * alone fill it. Splits shorter than {@value #MIN_TOKENS_PER_SPLIT} tokens cost more to merge than
 * they save.
 *
 * @param splits         splits per (row, head), 1 for none
 * @param tokensPerSplit context positions each split covers (rows shorter than a split's start skip it)
 */
public record AttentionSplits(int splits, int tokensPerSplit) {
    static final int MIN_TOKENS_PER_SPLIT = 128;
    static final int MAX_SPLITS = 64;
    /** Blocks per multiprocessor worth aiming for (4 warps each). */
    static final int BLOCKS_PER_MULTIPROCESSOR = 4;

    /**
     * @param rows               rows of the step
     * @param heads              query heads
     * @param longest            the longest context a row may have (the backend passes the plan's
     *                           capacity, so that a step's split count, and a graph's, is fixed)
     * @param multiprocessors    the GPU's
     * @param rowSplitCapacity   how many (row, split) pairs the partial-results buffer holds
     */
    public static AttentionSplits choose(int rows, int heads, int longest, int multiprocessors, int rowSplitCapacity) {
        if (rows <= 0 || longest <= 0) {
            throw new IllegalArgumentException("no rows (" + rows + ") or no context (" + longest + ")");
        }
        long blocks = (long) rows * heads;
        long target = (long) BLOCKS_PER_MULTIPROCESSOR * multiprocessors;
        int splits = 1;
        if (blocks < target && longest >= 2 * MIN_TOKENS_PER_SPLIT) {
            long wanted = (target + blocks - 1) / blocks;
            long byLength = longest / MIN_TOKENS_PER_SPLIT;
            long byCapacity = rowSplitCapacity / rows;
            splits = (int) Math.max(1, Math.min(Math.min(wanted, byLength), Math.min(byCapacity, MAX_SPLITS)));
        }
        return new AttentionSplits(splits, (longest + splits - 1) / splits);
    }
}
