package dev.cascade.kernels.cuda;

import dev.cascade.kernels.StepPlan;

import java.nio.ByteBuffer;

/**
 * Where the step's plan lives in the one device buffer it is uploaded to each step, int32
 * sections at fixed offsets (so the kernels' arguments, and a captured graph, never change):
 * tokens, positions, the sequence of each row, each row's cache slot, the logit rows, and the
 * first row and row count of each prefill attention tile, each {@code maxRows} long, then the
 * block tables, {@code maxSequences × maxBlocksPerSequence}.
 *
 * <p>An attention tile is up to {@value #TILE_ROWS} consecutive rows of one sequence (a sequence's
 * rows are consecutive in a plan), so a prefill chunk reads its keys and values once per tile.
 */
public record PlanLayout(int maxRows, int maxSequences, int maxBlocksPerSequence) {
    static final int TOKENS = 0;
    static final int POSITIONS = 1;
    static final int ROW_SEQUENCE = 2;
    static final int SLOTS = 3;
    static final int LOGIT_ROWS = 4;
    static final int TILE_FIRST = 5;
    static final int TILE_ROWS_SECTION = 6;
    private static final int ROW_SECTIONS = 7;
    /** Rows per prefill attention tile: PREFILL_TILE_ROWS in prefill_attention.cuh. */
    static final int TILE_ROWS = 16;

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

    /** How many attention tiles the plan's rows make (as {@link #write} lays them out). */
    public static int tiles(StepPlan p) {
        int tiles = 0;
        for (int r = 0; r < p.rows(); r += tileAt(p, r)) {
            tiles++;
        }
        return tiles;
    }

    /** Rows of the tile starting at row r: the rest of r's sequence, at most TILE_ROWS. */
    private static int tileAt(StepPlan p, int r) {
        int n = 1;
        while (r + n < p.rows() && n < TILE_ROWS && p.sequenceOf(r + n) == p.sequenceOf(r)) {
            n++;
        }
        return n;
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
        int tiles = 0;
        for (int r = 0; r < rows; tiles++) {
            int n = tileAt(p, r);
            out.putInt((int) rowSection(TILE_FIRST) + 4 * tiles, r);
            out.putInt((int) rowSection(TILE_ROWS_SECTION) + 4 * tiles, n);
            r += n;
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
