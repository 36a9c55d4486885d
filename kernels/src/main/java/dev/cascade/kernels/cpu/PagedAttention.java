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
    /** Per worker: vector lanes on their way to a scalar sum (see ArrayDotTiles#tail). */
    private final float[][] lanes;
    private final Task task = new Task();

    public PagedAttention(WorkerPool pool) {
        this.pool = Objects.requireNonNull(pool);
        this.scores = new float[pool.parallelism()][];
        this.lanes = new float[pool.parallelism()][FLOATS];
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
            int[] table = blockTables[rowSequence[row]];
            int n = rowLength[row];
            long qOff = 4L * ((long) row * heads + head) * layout.headDim();
            float[] s = scores(worker, n);
            float max = scaledScores(s, n, table, kvHead, qOff);
            int expEnd = n - n % FLOATS;
            float sum = VectorMath.expShiftedSum(s, expEnd, max, lanes[worker]);
            for (int t = expEnd; t < n; t++) {
                s[t] = VectorMath.exp(s[t] - max);
                sum += s[t];
            }
            weightedSum(s, n, 1f / sum, table, kvHead, qOff);
        }

        /**
         * s[t] = scale · q·K_t for the row's n tokens; returns their maximum. Its own method, and
         * the lane sum written out rather than called: C2 inlines a helper that takes a vector only
         * while the caller's node count allows, and where it did not (seen in CI) every score boxed
         * its vector on the heap. The order is that of {@link Lanes#sum(float[], int)}.
         */
        private float scaledScores(float[] s, int n, int[] table, int kvHead, long qOff) {
            int headDim = layout.headDim();
            int blockSize = layout.blockSize();
            long tokenBytes = 4L * layout.tokenFloats();
            int vecEnd = headDim - headDim % FLOATS;
            // Token by token within each block: one block-table lookup per block, not per token.
            float max = Float.NEGATIVE_INFINITY;
            for (int t0 = 0; t0 < n; t0 += blockSize) {
                long k = layout.offset((long) table[t0 / blockSize] * blockSize, kvHead);
                int end = Math.min(n, t0 + blockSize);
                for (int t = t0; t < end; t++, k += tokenBytes) {
                    FloatVector acc = FloatVector.zero(F);
                    for (int i = 0; i < vecEnd; i += FLOATS) {
                        acc = FloatVector.fromMemorySegment(F, q, qOff + 4L * i, LE)
                                .fma(FloatVector.fromMemorySegment(F, kPool, k + 4L * i, LE), acc);
                    }
                    if (Lanes.WIDE) {
                        acc = acc.add(acc.rearrange(Lanes.SWAP_EIGHTS));
                    }
                    acc = acc.add(acc.rearrange(Lanes.SWAP_HALVES));
                    acc = acc.add(acc.rearrange(Lanes.SWAP_PAIRS));
                    acc = acc.add(acc.rearrange(Lanes.SWAP_NEIGHBOURS));
                    float score = acc.lane(0);
                    for (int i = vecEnd; i < headDim; i++) {
                        score = Math.fma(q.get(FLOAT, qOff + 4L * i), kPool.get(FLOAT, k + 4L * i), score);
                    }
                    score *= scale;
                    s[t] = score;
                    max = Math.max(max, score);
                }
            }
            return max;
        }

        /** out_head = (Σ_t p_t · V_t) · inv, accumulating 8 dims at a time over tokens in order. */
        private void weightedSum(float[] p, int n, float inv, int[] table, int kvHead, long outOff) {
            int headDim = layout.headDim();
            int blockSize = layout.blockSize();
            long tokenBytes = 4L * layout.tokenFloats();
            int vecEnd = headDim - headDim % FLOATS;
            for (int d = 0; d < vecEnd; d += FLOATS) {
                FloatVector acc = FloatVector.zero(F);
                for (int t0 = 0; t0 < n; t0 += blockSize) {
                    long v = layout.offset((long) table[t0 / blockSize] * blockSize, kvHead) + 4L * d;
                    int end = Math.min(n, t0 + blockSize);
                    for (int t = t0; t < end; t++, v += tokenBytes) {
                        acc = FloatVector.fromMemorySegment(F, vPool, v, LE).fma(FloatVector.broadcast(F, p[t]), acc);
                    }
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
}
