package dev.cascade.kernels;

/**
 * The layout of one forward step, refilled by the engine every step (so a step allocates nothing):
 * which token each row holds, at which position of which sequence, where its key and value go in
 * the cache, each sequence's block table, and which rows need logits.
 */
public final class StepPlan {
    private final int maxRows;
    private final int maxSequences;
    private final int maxBlocksPerSequence;
    private final int blockSize;

    private final int[] tokens;
    private final int[] positions;
    private final int[] rowSequence;
    private final int[] blockTables;
    private final int[] logitRows;
    private int rows;
    private int sequences;
    private int logitCount;

    public StepPlan(int maxRows, int maxSequences, int maxBlocksPerSequence, int blockSize) {
        this.maxRows = maxRows;
        this.maxSequences = maxSequences;
        this.maxBlocksPerSequence = maxBlocksPerSequence;
        this.blockSize = blockSize;
        tokens = new int[maxRows];
        positions = new int[maxRows];
        rowSequence = new int[maxRows];
        blockTables = new int[maxSequences * maxBlocksPerSequence];
        logitRows = new int[maxRows];
    }

    public void clear() {
        rows = 0;
        sequences = 0;
        logitCount = 0;
    }

    /**
     * Adds a sequence's chunk: tokens[from..to) at positions start.., reading its block table
     * blocks[0..blockCount). Returns the sequence's index in this step.
     */
    public int addSequence(int[] blocks, int blockCount, int[] chunk, int from, int to, int start, boolean wantLogits) {
        if (sequences == maxSequences) {
            throw new IllegalStateException("step already holds " + maxSequences + " sequences");
        }
        if (rows + (to - from) > maxRows) {
            throw new IllegalStateException("step would exceed " + maxRows + " rows");
        }
        if (blockCount > maxBlocksPerSequence || (long) (start + to - from) > (long) blockCount * blockSize) {
            throw new IllegalStateException("block table too small for position " + (start + to - from - 1));
        }
        int s = sequences++;
        System.arraycopy(blocks, 0, blockTables, s * maxBlocksPerSequence, blockCount);
        for (int i = from; i < to; i++) {
            tokens[rows] = chunk[i];
            positions[rows] = start + (i - from);
            rowSequence[rows] = s;
            rows++;
        }
        if (wantLogits && to > from) {
            logitRows[logitCount++] = rows - 1;
        }
        return s;
    }

    public int rows() {
        return rows;
    }

    public int sequences() {
        return sequences;
    }

    public int token(int row) {
        return tokens[row];
    }

    public int position(int row) {
        return positions[row];
    }

    public int sequenceOf(int row) {
        return rowSequence[row];
    }

    /** The cache slot of a row's key and value: block · blockSize + offset. */
    public int slot(int row) {
        int p = positions[row];
        return blockTables[rowSequence[row] * maxBlocksPerSequence + p / blockSize] * blockSize + p % blockSize;
    }

    /** Block i of sequence s's table. */
    public int block(int sequence, int i) {
        return blockTables[sequence * maxBlocksPerSequence + i];
    }

    public int logitCount() {
        return logitCount;
    }

    public int logitRow(int i) {
        return logitRows[i];
    }

    public int blockSize() {
        return blockSize;
    }

    public int maxRows() {
        return maxRows;
    }

    public int maxSequences() {
        return maxSequences;
    }

    public int maxBlocksPerSequence() {
        return maxBlocksPerSequence;
    }

    /** Raw arrays for backends that copy the plan to a device in one go. */
    public int[] tokensArray() {
        return tokens;
    }

    public int[] positionsArray() {
        return positions;
    }

    public int[] rowSequenceArray() {
        return rowSequence;
    }

    public int[] blockTablesArray() {
        return blockTables;
    }

    public int[] logitRowsArray() {
        return logitRows;
    }
}
