package dev.cascade.kernels.cuda;

import dev.cascade.kernels.StepPlan;

import java.nio.ByteBuffer;

/**
 * Where the step's plan lives in the one device buffer it is uploaded to each step, int32
 * sections at fixed offsets (so the kernels' arguments, and a captured graph, never change):
 * tokens, positions, the sequence of each row, each row's cache slot and the logit rows, each
 * {@code maxRows} long, then the block tables, {@code maxSequences × maxBlocksPerSequence}.
 */
public record PlanLayout(int maxRows, int maxSequences, int maxBlocksPerSequence) {
    static final int TOKENS = 0;
    static final int POSITIONS = 1;
    static final int ROW_SEQUENCE = 2;
    static final int SLOTS = 3;
    static final int LOGIT_ROWS = 4;
    private static final int ROW_SECTIONS = 5;

    public static PlanLayout of(StepPlan p) {
        return new PlanLayout(p.maxRows(), p.maxSequences(), p.maxBlocksPerSequence());
    }

    public boolean holds(StepPlan p) {
        return p.maxRows() <= maxRows && p.maxSequences() <= maxSequences
                && p.maxBlocksPerSequence() == maxBlocksPerSequence;
    }

    /** Byte offset of a per-row section (TOKENS ... LOGIT_ROWS). */
    public long rowSection(int section) {
        return 4L * section * maxRows;
    }

    public long blockTables() {
        return 4L * ROW_SECTIONS * maxRows;
    }

    public long bytes() {
        return blockTables() + 4L * maxSequences * maxBlocksPerSequence;
    }

    /**
     * Writes the plan into {@code out} (little-endian, at this layout's offsets) and returns how many
     * bytes from the start must be copied: the row sections whole, the block tables of the plan's
     * sequences only.
     */
    public long write(StepPlan p, ByteBuffer out) {
        if (!holds(p)) {
            throw new IllegalArgumentException("plan of " + p.maxRows() + " rows, " + p.maxSequences() + " sequences, "
                    + p.maxBlocksPerSequence() + " blocks each does not fit " + this);
        }
        int rows = p.rows();
        for (int r = 0; r < rows; r++) {
            out.putInt((int) rowSection(TOKENS) + 4 * r, p.token(r));
            out.putInt((int) rowSection(POSITIONS) + 4 * r, p.position(r));
            out.putInt((int) rowSection(ROW_SEQUENCE) + 4 * r, p.sequenceOf(r));
            out.putInt((int) rowSection(SLOTS) + 4 * r, p.slot(r));
        }
        for (int i = 0; i < p.logitCount(); i++) {
            out.putInt((int) rowSection(LOGIT_ROWS) + 4 * i, p.logitRow(i));
        }
        int[] tables = p.blockTablesArray();
        int n = p.sequences() * p.maxBlocksPerSequence();
        int base = (int) blockTables();
        for (int i = 0; i < n; i++) {
            out.putInt(base + 4 * i, tables[i]);
        }
        return blockTables() + 4L * n;
    }
}
