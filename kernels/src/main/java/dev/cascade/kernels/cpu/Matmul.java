package dev.cascade.kernels.cpu;

import dev.cascade.weights.DType;
import dev.cascade.weights.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * Matrix product of a batch of float32 activation rows with a weight matrix in its stored dtype:
 * {@code y[b][o] = sum_i x[b][i] * W[o][i]}, W row-major [out][in], read in place.
 *
 * <p>Layouts (all little-endian, offsets in bytes, strides in elements):
 * <ul>
 * <li>{@code x}: float32, row b at {@code xOffset + 4 * b * xStride}, {@code in} values;</li>
 * <li>{@code w}: {@code out} rows of {@code dtype.byteSize(in)} bytes each, contiguous;</li>
 * <li>{@code y}: float32, row b at {@code yOffset + 4 * b * yStride}, {@code out} values.</li>
 * </ul>
 *
 * <p>Work is split over output rows in tiles of {@value #ROW_TILE} weight rows. Each tile is read
 * from the matrix once per call and all batch rows are run against it while it is in cache, so a
 * batch costs one pass over the weights. F32 tiles are copied and F16/BF16 tiles decoded into
 * per-worker float scratch (exact, see {@link RowDecoder}), except that a single BF16 row converts
 * in registers ({@link ConvertingDotTiles}). Either way each output uses the same canonical
 * arithmetic ({@link ArrayDotTiles}). Q8_0 and Q4_0 weights convert in registers, once per group
 * of up to 8 batch rows, with their own canonical arithmetic that applies each block's scale once
 * ({@link QuantizedDotTiles}, or {@link WideQuantizedDotTiles} where vectors are 16 floats wide);
 * large Q4_0 batches first rewrite their rows as Q8_0 blocks (see
 * {@link #TRANSCODE_Q4_FROM}). So results are bit-identical for any batch size, thread count, or
 * tiling.
 *
 * <p>One instance per calling thread; a call allocates nothing once the scratch has grown to the
 * largest {@code in} seen.
 */
public final class Matmul {

    /** Weight rows per tile. */
    public static final int ROW_TILE = 4;

    /** Batches up to this size convert weights in registers rather than decoding tiles, by default. */
    public static final int DEFAULT_CONVERT_IN_REGISTERS_UP_TO = 1;

    /**
     * Quantized weight rows per sub-tile: all batch groups run over these rows before the next
     * ones, so the rows are read from memory once and then from L1 (16 rows of a 2048-wide Q8_0
     * matrix are 35 KB).
     */
    static final int QUANTIZED_ROWS = 16;

    /**
     * Q4_0 batches from this size rewrite each sub-tile of rows as Q8_0 blocks (same scales, the
     * nibbles as bytes) before the products: unpacking nibbles costs more than twice a Q8_0
     * conversion, and a batch this large would unpack every row at least twice. The products are
     * the same numbers, so results stay bit-identical.
     */
    static final int TRANSCODE_Q4_FROM = 16;

    /**
     * One group width's quantized products (see QuantizedDotTiles for the arguments): the 8-lane
     * or the 16-lane kernels, as this process's vectors are wide. Called once per 16 weight rows,
     * so the interface call costs nothing next to the work, and no vector crosses it.
     */
    @FunctionalInterface
    private interface QuantizedGroup {
        void run(MemorySegment w, long rowBytes, int r0, int rows, float[] x, int xa, int xStride, int in,
                 MemorySegment y, long ya, long yStride, float[] lanes);
    }

    /** Q8_0 and Q4_0 kernels for groups of 1, 2, 4 and 8 batch rows, by log2 of the width. */
    private static final QuantizedGroup[] Q8_GROUPS = Lanes.WIDE
            ? new QuantizedGroup[] {WideQuantizedDotTiles::q8x1, WideQuantizedDotTiles::q8x2, WideQuantizedDotTiles::q8x4,
                WideQuantizedDotTiles::q8x8}
            : new QuantizedGroup[] {QuantizedDotTiles::q8x1, QuantizedDotTiles::q8x2, QuantizedDotTiles::q8x4,
                QuantizedDotTiles::q8x8};
    private static final QuantizedGroup[] Q4_GROUPS = Lanes.WIDE
            ? new QuantizedGroup[] {WideQuantizedDotTiles::q4x1, WideQuantizedDotTiles::q4x2, WideQuantizedDotTiles::q4x4,
                WideQuantizedDotTiles::q4x8}
            : new QuantizedGroup[] {QuantizedDotTiles::q4x1, QuantizedDotTiles::q4x2, QuantizedDotTiles::q4x4,
                QuantizedDotTiles::q4x8};

    private final WorkerPool pool;
    private final int convertInRegistersUpTo;
    /** Per worker: a decoded tile of ROW_TILE weight rows (native, then on the heap), and 8 results. */
    private final float[][] tileScratch;
    /** Per worker: QUANTIZED_ROWS Q4_0 rows rewritten as Q8_0 (see TRANSCODE_Q4_FROM). */
    private final MemorySegment[] q8Scratch;
    /** Per worker: one F16 row on its way to the tile (see RowDecoder#decodeF16). */
    private final short[][] halfScratch;
    private final MemorySegment[] decodeTarget;
    private final float[][] results;
    /** The batch's activation rows, copied to the heap once per call for the batched path. */
    private float[] xHeap = new float[0];
    /** Per worker: accumulator lanes on their way to a scalar sum (see ArrayDotTiles#tail). */
    private final float[][] lanes;
    private final Task task = new Task();

    public Matmul(WorkerPool pool) {
        this(pool, DEFAULT_CONVERT_IN_REGISTERS_UP_TO);
    }

    /**
     * @param convertInRegistersUpTo largest batch for which BF16 weights are converted in
     *     registers for each batch row instead of decoded once per tile (0 = always decode)
     */
    public Matmul(WorkerPool pool, int convertInRegistersUpTo) {
        this.pool = Objects.requireNonNull(pool);
        this.convertInRegistersUpTo = convertInRegistersUpTo;
        this.tileScratch = new float[pool.parallelism()][];
        this.halfScratch = new short[pool.parallelism()][];
        this.q8Scratch = new MemorySegment[pool.parallelism()];
        this.decodeTarget = new MemorySegment[pool.parallelism()];
        this.results = new float[pool.parallelism()][8];
        this.lanes = new float[pool.parallelism()][8 * 16];
    }

    /** {@code y = x · Wᵀ} with a weight tensor of shape [out][in], contiguous x and y. */
    public void multiply(MemorySegment x, int batch, Tensor weight, MemorySegment y) {
        if (weight.rank() != 2) {
            throw new IllegalArgumentException("matrix expected, got " + weight);
        }
        int out = Math.toIntExact(weight.dim(0));
        int in = Math.toIntExact(weight.dim(1));
        multiply(x, 0, in, batch, in, weight.data(), weight.dtype(), out, y, 0, out);
    }

    /** {@code y = x · Wᵀ} with contiguous x [batch][in] and y [batch][out]. */
    public void multiply(MemorySegment x, int batch, int in, MemorySegment w, DType dtype, int out, MemorySegment y) {
        multiply(x, 0, in, batch, in, w, dtype, out, y, 0, out);
    }

    /** The general form; see the class comment for the layouts. */
    public void multiply(MemorySegment x, long xOffset, int xStride, int batch, int in,
                         MemorySegment w, DType dtype, int out,
                         MemorySegment y, long yOffset, int yStride) {
        if (batch <= 0 || out <= 0) {
            return;
        }
        checkShapes(x, xOffset, xStride, batch, in, w, dtype, out, y, yOffset, yStride);
        Task t = task;
        t.x = x;
        t.xOffset = xOffset;
        t.xStride = 4L * xStride;
        t.batch = batch;
        t.in = in;
        t.w = w;
        t.dtype = dtype;
        t.rowBytes = dtype.byteSize(in);
        t.out = out;
        t.y = y;
        t.yOffset = yOffset;
        t.yStride = 4L * yStride;
        t.quantized = dtype.quantized();
        // F32 and F16 always go through heap tiles: a bulk copy streams F32 faster than vector
        // loads from the file, and F16 converts with one instruction in a plain loop (see
        // RowDecoder#decodeF16) against a dozen in registers
        t.convertInRegisters = dtype == DType.BF16 && batch <= convertInRegistersUpTo;
        if (!t.convertInRegisters) {
            // the batched and quantized paths read every activation row once per weight row or
            // tile: from the heap, which C2 reads faster than a segment
            if (xHeap.length < batch * in) {
                xHeap = new float[batch * in];
            }
            for (int b = 0; b < batch; b++) {
                MemorySegment.copy(x, Lanes.FLOAT, xOffset + 4L * b * xStride, xHeap, b * in, in);
            }
            t.xHeap = xHeap;
        }
        int tiles = (out + ROW_TILE - 1) / ROW_TILE;
        int wanted = Math.min(tiles, pool.parallelism() * 8);
        t.tilesPerChunk = (tiles + wanted - 1) / wanted;
        t.tiles = tiles;
        int chunks = (tiles + t.tilesPerChunk - 1) / t.tilesPerChunk;
        try {
            pool.run(t, chunks);
        } finally {
            t.x = t.w = t.y = null;
            t.xHeap = null;
        }
    }

    private static void checkShapes(MemorySegment x, long xOffset, int xStride, int batch, int in,
                                     MemorySegment w, DType dtype, int out,
                                     MemorySegment y, long yOffset, int yStride) {
        if (in <= 0 || xStride < in || yStride < out) {
            throw new IllegalArgumentException("bad shape: in=" + in + " xStride=" + xStride
                    + " out=" + out + " yStride=" + yStride);
        }
        long wBytes = Math.multiplyExact(dtype.byteSize(in), (long) out);
        if (w.byteSize() < wBytes) {
            throw new IllegalArgumentException(dtype + " [" + out + "][" + in + "] needs " + wBytes
                    + " bytes, segment has " + w.byteSize());
        }
        if (x.byteSize() < xOffset + 4L * ((long) (batch - 1) * xStride + in)) {
            throw new IllegalArgumentException("x too small for " + batch + " rows of " + in);
        }
        if (y.byteSize() < yOffset + 4L * ((long) (batch - 1) * yStride + out)) {
            throw new IllegalArgumentException("y too small for " + batch + " rows of " + out);
        }
    }

    private MemorySegment q8Rows(int worker, int in) {
        MemorySegment m = q8Scratch[worker];
        long bytes = QUANTIZED_ROWS * DType.Q8_0.byteSize(in);
        if (m == null || m.byteSize() < bytes) {
            m = Arena.ofAuto().allocate(bytes, 64);
            q8Scratch[worker] = m;
        }
        return m;
    }

    private short[] halves(int worker, int in) {
        short[] h = halfScratch[worker];
        if (h == null || h.length < in) {
            h = new short[in];
            halfScratch[worker] = h;
        }
        return h;
    }

    /** Heap scratch of worker {@code worker}: ROW_TILE decoded rows of {@code in} values. */
    private float[] tile(int worker, int in) {
        float[] t = tileScratch[worker];
        if (t == null || t.length < ROW_TILE * in) {
            t = new float[ROW_TILE * in];
            tileScratch[worker] = t;
            // decoding writes vectors to native memory (to a heap segment they are boxed)
            decodeTarget[worker] = Arena.ofAuto().allocate(4L * ROW_TILE * in, 64);
        }
        return t;
    }

    /** The parallel step; one instance per Matmul, refilled each call. */
    private final class Task implements ParallelTask {
        MemorySegment x, w, y;
        float[] xHeap;
        long xOffset, xStride, yOffset, yStride, rowBytes;
        int batch, in, out, tiles, tilesPerChunk;
        DType dtype;
        boolean convertInRegisters;
        boolean quantized;

        @Override
        public void run(int chunk, int worker) {
            float[] acc = lanes[worker];
            int firstTile = chunk * tilesPerChunk;
            int endTile = Math.min(tiles, firstTile + tilesPerChunk);
            if (quantized) {
                int end = Math.min(out, endTile * ROW_TILE);
                boolean transcode = dtype == DType.Q4_0 && batch >= TRANSCODE_Q4_FROM;
                for (int r0 = firstTile * ROW_TILE; r0 < end; r0 += QUANTIZED_ROWS) {
                    int rows = Math.min(QUANTIZED_ROWS, end - r0);
                    if (transcode) {
                        MemorySegment q8 = q8Rows(worker, in);
                        RowDecoder.q4RowsToQ8(w, r0 * rowBytes, rows * (in / 32), q8);
                        convertGrouped(q8, DType.Q8_0.byteSize(in), true, 0, r0, rows, acc);
                    } else {
                        convertGrouped(w, rowBytes, dtype == DType.Q8_0, r0, r0, rows, acc);
                    }
                }
                return;
            }
            if (convertInRegisters) {
                int r0 = firstTile * ROW_TILE;
                convertInRegisters(r0, Math.min(out, endTile * ROW_TILE) - r0, acc);
                return;
            }
            for (int tile = firstTile; tile < endTile; tile++) {
                int r0 = tile * ROW_TILE;
                int rows = Math.min(ROW_TILE, out - r0);
                float[] t = tile(worker, in);
                if (dtype == DType.F32) {
                    MemorySegment.copy(w, Lanes.FLOAT, r0 * rowBytes, t, 0, rows * in);
                } else if (dtype == DType.F16) {
                    short[] halves = halves(worker, in);
                    for (int r = 0; r < rows; r++) {
                        RowDecoder.decodeF16(w, (r0 + r) * rowBytes, in, halves, t, r * in);
                    }
                } else {
                    MemorySegment decoded = decodeTarget[worker];
                    for (int r = 0; r < rows; r++) {
                        RowDecoder.decode(dtype, w, (r0 + r) * rowBytes, in, decoded, 4L * r * in);
                    }
                    MemorySegment.copy(decoded, Lanes.FLOAT, 0, t, 0, rows * in);
                }
                runHeapTile(t, r0, rows, acc, results[worker]);
            }
        }

        /** Every batch row against a decoded tile of {@code rows} weight rows, from heap arrays. */
        private void runHeapTile(float[] t, int r0, int rows, float[] acc, float[] res) {
            int b = 0;
            if (rows == ROW_TILE) {
                for (; b + 1 < batch; b += 2) {
                    ArrayDotTiles.tile4x2(t, 0, xHeap, b * in, (b + 1) * in, in, res, 0, 4, acc);
                    long ya = yOffset + b * yStride + 4L * r0;
                    for (int r = 0; r < ROW_TILE; r++) {
                        y.set(Lanes.FLOAT, ya + 4L * r, res[r]);
                        y.set(Lanes.FLOAT, ya + yStride + 4L * r, res[4 + r]);
                    }
                }
            }
            for (; b < batch; b++) {
                long ya = yOffset + b * yStride + 4L * r0;
                if (rows == ROW_TILE) {
                    ArrayDotTiles.tile4x1(t, 0, xHeap, b * in, in, res, acc);
                    for (int r = 0; r < ROW_TILE; r++) {
                        y.set(Lanes.FLOAT, ya + 4L * r, res[r]);
                    }
                    continue;
                }
                for (int r = 0; r < rows; r++) {
                    y.set(Lanes.FLOAT, ya + 4L * r, ArrayDotTiles.dot(t, r * in, xHeap, b * in, in, acc));
                }
            }
        }

        /**
         * Output rows [r0, r0 + rows), from weight rows [s0, s0 + rows) of {@code src}, converted in
         * registers once per group of 8, 4, 2 or 1 batch rows.
         */
        private void convertGrouped(MemorySegment src, long srcRowBytes, boolean q8, int s0, int r0, int rows, float[] acc) {
            int b = 0;
            for (; b + 8 <= batch; b += 8) {
                group(8, src, srcRowBytes, q8, s0, r0, rows, b, acc);
            }
            for (int width = 4; width >= 1; width /= 2) {
                if (b + width <= batch) {
                    group(width, src, srcRowBytes, q8, s0, r0, rows, b, acc);
                    b += width;
                }
            }
        }

        /** Batch rows [b, b + width) against the weight rows, one group of 8, 4, 2 or 1. */
        private void group(int width, MemorySegment src, long srcRowBytes, boolean q8, int s0, int r0, int rows, int b,
                           float[] acc) {
            QuantizedGroup g = (q8 ? Q8_GROUPS : Q4_GROUPS)[Integer.numberOfTrailingZeros(width)];
            g.run(src, srcRowBytes, s0, rows, xHeap, b * in, in, in, y, yOffset + b * yStride + 4L * r0, yStride, acc);
        }

        /** BF16 rows [r0, r0 + rows) converted in registers, once per batch row. */
        private void convertInRegisters(int r0, int rows, float[] acc) {
            for (int b = 0; b < batch; b++) {
                ConvertingDotTiles.bf16(w, rowBytes, r0, rows, x, xOffset + b * xStride, in, y, yOffset + b * yStride + 4L * r0, acc);
            }
        }

    }
}
