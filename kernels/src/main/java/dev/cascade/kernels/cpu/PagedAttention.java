package dev.cascade.kernels.cpu;

import static dev.cascade.kernels.cpu.Lanes.F;
import static dev.cascade.kernels.cpu.Lanes.FLOAT;
import static dev.cascade.kernels.cpu.Lanes.FLOATS;
import static dev.cascade.kernels.cpu.Lanes.LE;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import jdk.incubator.vector.FloatVector;

/**
 * Causal attention of query rows against K/V held in a paged cache ({@link PagedKvLayout}).
 *
 * <p>Each query row belongs to a sequence (its block table) and attends to that sequence's first
 * {@code rowLength[r]} tokens (its own position + 1, which makes chunked prefill causal: rows of
 * one sequence simply have growing lengths). Query head h reads KV head
 * {@code h / (heads / kvHeads)} (grouped-query attention). Scores are scaled by 1/sqrt(headDim);
 * the softmax subtracts the row maximum first.
 *
 * <p>Layouts: {@code q} and {@code out} are [rows][heads·headDim] float32, contiguous. The work is
 * split over (row, head) pairs on the pool; each pair is computed start to finish by one thread in
 * a fixed order (tokens ascending), so results do not depend on the batch or the thread count.
 * One instance per calling thread; per-worker score buffers grow to the longest context seen.
 */
public final class PagedAttention {

    private final WorkerPool pool;
    private final float[][] scores;
    /** Per worker: vector lanes on their way to a scalar sum (see FloatDotTiles#scalarTail). */
    private final float[][] lanes;
    private final Task task = new Task();

    public PagedAttention(WorkerPool pool) {
        this.pool = Objects.requireNonNull(pool);
        this.scores = new float[pool.parallelism()][];
        this.lanes = new float[pool.parallelism()][8];
    }

    /**
     * @param rowSequence index into {@code blockTables} of each row's sequence
     * @param rowLength number of tokens row r attends to (its position + 1)
     */
    public void attend(MemorySegment q, MemorySegment out, int rows, int heads, PagedKvLayout layout,
                       MemorySegment kPool, MemorySegment vPool,
                       int[][] blockTables, int[] rowSequence, int[] rowLength) {
        if (heads % layout.kvHeads() != 0) {
            throw new IllegalArgumentException(heads + " query heads do not share " + layout.kvHeads() + " KV heads evenly");
        }
        for (int r = 0; r < rows; r++) {
            int[] table = blockTables[rowSequence[r]];
            int n = rowLength[r];
            if (n <= 0 || (n + layout.blockSize() - 1) / layout.blockSize() > table.length) {
                throw new IllegalArgumentException("row " + r + " attends to " + n + " tokens; its block table has "
                        + table.length + " blocks of " + layout.blockSize());
            }
        }
        Task t = task;
        t.q = q;
        t.out = out;
        t.heads = heads;
        t.layout = layout;
        t.kPool = kPool;
        t.vPool = vPool;
        t.blockTables = blockTables;
        t.rowSequence = rowSequence;
        t.rowLength = rowLength;
        t.group = heads / layout.kvHeads();
        t.scale = (float) (1.0 / Math.sqrt(layout.headDim()));
        try {
            pool.run(t, rows * heads);
        } finally {
            t.q = t.out = t.kPool = t.vPool = null;
            t.blockTables = null;
            t.rowSequence = t.rowLength = null;
        }
    }

    private float[] scores(int worker, int n) {
        float[] s = scores[worker];
        if (s == null || s.length < n) {
            s = new float[Math.max(n, 256) + FLOATS];
            scores[worker] = s;
        }
        return s;
    }

    private final class Task implements ParallelTask {
        MemorySegment q, out, kPool, vPool;
        PagedKvLayout layout;
        int[][] blockTables;
        int[] rowSequence, rowLength;
        int heads, group;
        float scale;

        @Override
        public void run(int chunk, int worker) {
            int row = chunk / heads;
            int head = chunk % heads;
            int kvHead = head / group;
            int headDim = layout.headDim();
            int[] table = blockTables[rowSequence[row]];
            int n = rowLength[row];
            long qOff = 4L * ((long) row * heads + head) * headDim;
            float[] s = scores(worker, n);
            float[] tmp = lanes[worker];

            float max = Float.NEGATIVE_INFINITY;
            for (int t = 0; t < n; t++) {
                float score = dot(q, qOff, kPool, layout.offset(table, t, kvHead), headDim, tmp) * scale;
                s[t] = score;
                max = Math.max(max, score);
            }
            float sum = expAndSum(s, n, max, tmp);
            weightedSum(s, n, 1f / sum, table, kvHead, qOff);
        }

        /** s[t] = e^(s[t] - max) for t &lt; n; returns their sum (lanes, then tail, in fixed order). */
        private float expAndSum(float[] s, int n, float max, float[] tmp) {
            int vecEnd = n - n % FLOATS;
            VectorMath.expShifted(s, vecEnd, max);
            FloatVector acc = FloatVector.zero(F);
            for (int t = 0; t < vecEnd; t += FLOATS) {
                acc = acc.add(FloatVector.fromArray(F, s, t));
            }
            acc.intoArray(tmp, 0);
            float sum = Lanes.sum(tmp, 0);
            for (int t = vecEnd; t < n; t++) {
                s[t] = VectorMath.exp(s[t] - max);
                sum += s[t];
            }
            return sum;
        }

        /** out_head = (Σ_t p_t · V_t) · inv, accumulating 8 dims at a time over tokens in order. */
        private void weightedSum(float[] p, int n, float inv, int[] table, int kvHead, long outOff) {
            int headDim = layout.headDim();
            int vecEnd = headDim - headDim % FLOATS;
            for (int d = 0; d < vecEnd; d += FLOATS) {
                FloatVector acc = FloatVector.zero(F);
                for (int t = 0; t < n; t++) {
                    FloatVector v = FloatVector.fromMemorySegment(F, vPool, layout.offset(table, t, kvHead) + 4L * d, LE);
                    acc = v.fma(FloatVector.broadcast(F, p[t]), acc);
                }
                acc.mul(inv).intoMemorySegment(out, outOff + 4L * d, LE);
            }
            for (int d = vecEnd; d < headDim; d++) {
                float acc = 0;
                for (int t = 0; t < n; t++) {
                    acc = Math.fma(vPool.get(FLOAT, layout.offset(table, t, kvHead) + 4L * d), p[t], acc);
                }
                out.set(FLOAT, outOff + 4L * d, acc * inv);
            }
        }
    }

    /** q·k over {@code dim} floats: 8-lane FMA accumulator, fixed lane sum, scalar tail. */
    static float dot(MemorySegment a, long aOff, MemorySegment b, long bOff, int dim, float[] tmp) {
        int vecEnd = dim - dim % FLOATS;
        FloatVector acc = FloatVector.zero(F);
        for (int i = 0; i < vecEnd; i += FLOATS) {
            acc = FloatVector.fromMemorySegment(F, a, aOff + 4L * i, LE)
                    .fma(FloatVector.fromMemorySegment(F, b, bOff + 4L * i, LE), acc);
        }
        acc.intoArray(tmp, 0);
        float s = Lanes.sum(tmp, 0);
        for (int i = vecEnd; i < dim; i++) {
            s = Math.fma(a.get(FLOAT, aOff + 4L * i), b.get(FLOAT, bOff + 4L * i), s);
        }
        return s;
    }

}
