package dev.cascade.kernels.cpu;

import dev.cascade.kernels.Backend;
import dev.cascade.kernels.KvCache;
import dev.cascade.kernels.KvLayout;
import dev.cascade.kernels.StepPlan;
import dev.cascade.kernels.Weight;
import dev.cascade.weights.DType;
import dev.cascade.weights.Tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.cascade.kernels.cpu.Lanes.F;
import static dev.cascade.kernels.cpu.Lanes.FLOATS;
import static dev.cascade.kernels.cpu.Lanes.LE;

/**
 * The backend contract on the CPU: Vector API kernels, weights read in place from the mapped
 * files, activations and the paged KV cache in off-heap memory, one fixed pool of worker threads.
 * Buffers and per-step index arrays are sized once, so a step allocates nothing.
 */
public final class CpuBackend implements Backend {
    private final Arena arena = Arena.ofShared();
    private final WorkerPool pool;
    private final Matmul matmul;
    private final PagedAttention attention;
    private final RmsNorm norm = new RmsNorm();

    private StepPlan plan;
    private int[] slots = new int[0];
    private int[] rowLength = new int[0];
    private int[][] tables = new int[0][];
    private dev.cascade.kernels.Rope ropeSpec;
    private Rope rope;

    record CpuWeight(String name, DType dtype, int rows, int cols, MemorySegment data) implements Weight {
    }

    record CpuActivations(int capacity, int width, MemorySegment data) implements dev.cascade.kernels.Activations {
    }

    record CpuKv(KvLayout layout, PagedKvLayout paged, MemorySegment[] keys, MemorySegment[] values) implements KvCache {
    }

    /** Bits per vector in this process's CPU kernels: 512 or 256 (see Lanes). */
    public static int vectorBits() {
        return Lanes.F.vectorBitSize();
    }

    public CpuBackend(int threads) {
        pool = new WorkerPool(threads);
        matmul = new Matmul(pool);
        attention = new PagedAttention(pool);
    }

    @Override
    public String name() {
        return "cpu";
    }

    public int threads() {
        return pool.parallelism();
    }

    @Override
    public Weight weight(Tensor t) {
        long[] shape = t.shape();
        int cols = (int) shape[shape.length - 1];
        int rows = (int) (t.elementCount() / cols);
        return new CpuWeight(t.name(), t.dtype(), rows, cols, t.data());
    }

    @Override
    public dev.cascade.kernels.Activations activations(int rows, int width) {
        return new CpuActivations(rows, width, arena.allocate(4L * rows * width, 64));
    }

    @Override
    public KvCache kvCache(KvLayout l) {
        MemorySegment[] k = new MemorySegment[l.layers()];
        MemorySegment[] v = new MemorySegment[l.layers()];
        long bytes = 4L * l.blocks() * l.blockSize() * l.kvDim();
        for (int i = 0; i < l.layers(); i++) {
            k[i] = arena.allocate(bytes, 64);
            v[i] = arena.allocate(bytes, 64);
        }
        return new CpuKv(l, new PagedKvLayout(l.blockSize(), l.kvHeads(), l.headDim()), k, v);
    }

    @Override
    public void beginStep(StepPlan p) {
        plan = p;
        if (slots.length < p.maxRows()) {
            slots = new int[p.maxRows()];
            rowLength = new int[p.maxRows()];
        }
        if (tables.length < p.maxSequences() || (tables.length > 0 && tables[0].length < p.maxBlocksPerSequence())) {
            tables = new int[p.maxSequences()][p.maxBlocksPerSequence()];
        }
        int blockSize = p.blockSize();
        for (int r = 0; r < p.rows(); r++) {
            slots[r] = p.slot(r);
            rowLength[r] = p.position(r) + 1;
        }
        // copy only the blocks this step's rows reach
        for (int r = 0; r < p.rows(); r++) {
            int s = p.sequenceOf(r);
            if (r + 1 < p.rows() && p.sequenceOf(r + 1) == s) {
                continue; // the last row of a sequence reaches furthest
            }
            int blocks = p.position(r) / blockSize + 1;
            for (int i = 0; i < blocks; i++) {
                tables[s][i] = p.block(s, i);
            }
        }
    }

    @Override
    public int currentRows() {
        return plan.rows();
    }

    private static MemorySegment seg(dev.cascade.kernels.Activations a) {
        return ((CpuActivations) a).data();
    }

    private static CpuWeight w(Weight w) {
        return (CpuWeight) w;
    }

    @Override
    public void embed(Weight table, dev.cascade.kernels.Activations out) {
        CpuWeight t = w(table);
        Embedding.lookup(t.data(), t.dtype(), t.cols(), plan.tokensArray(), plan.rows(), seg(out));
    }

    @Override
    public void matmul(dev.cascade.kernels.Activations x, int rows, Weight weight, dev.cascade.kernels.Activations out) {
        CpuWeight m = w(weight);
        matmul.multiply(seg(x), 0, x.width(), rows, m.cols(), m.data(), m.dtype(), m.rows(), seg(out), 0, out.width());
    }

    @Override
    public void addBias(dev.cascade.kernels.Activations x, Weight bias) {
        CpuWeight b = w(bias);
        if (b.dtype() != DType.F32) {
            throw new UnsupportedOperationException("bias " + b.name() + " in " + b.dtype() + "; biases are F32");
        }
        int n = b.cols() * b.rows();
        for (int r = 0; r < plan.rows(); r++) {
            addInPlace(seg(x), 4L * r * x.width(), b.data(), 0, n);
        }
    }

    @Override
    public void rmsNorm(dev.cascade.kernels.Activations x, Weight gain, float eps, dev.cascade.kernels.Activations out) {
        CpuWeight g = w(gain);
        norm.apply(seg(x), seg(out), plan.rows(), x.width(), g.data(), g.dtype(), eps);
    }

    @Override
    public void addRmsNorm(dev.cascade.kernels.Activations residual, dev.cascade.kernels.Activations delta, Weight gain,
                           float eps, dev.cascade.kernels.Activations out) {
        CpuWeight g = w(gain);
        norm.addAndApply(seg(residual), seg(delta), seg(out), plan.rows(), residual.width(), g.data(), g.dtype(), eps);
    }

    @Override
    public void add(dev.cascade.kernels.Activations residual, dev.cascade.kernels.Activations delta) {
        addInPlace(seg(residual), 0, seg(delta), 0, (long) plan.rows() * residual.width());
    }

    /** dst[dstOff..] += src[srcOff..] for n floats. */
    private static void addInPlace(MemorySegment dst, long dstOff, MemorySegment src, long srcOff, long n) {
        long i = 0;
        for (; i <= n - FLOATS; i += FLOATS) {
            jdk.incubator.vector.FloatVector.fromMemorySegment(F, dst, dstOff + 4 * i, LE)
                    .add(jdk.incubator.vector.FloatVector.fromMemorySegment(F, src, srcOff + 4 * i, LE))
                    .intoMemorySegment(dst, dstOff + 4 * i, LE);
        }
        for (; i < n; i++) {
            long d = dstOff + 4 * i;
            dst.set(Lanes.FLOAT, d, dst.get(Lanes.FLOAT, d) + src.get(Lanes.FLOAT, srcOff + 4 * i));
        }
    }

    @Override
    public void rope(dev.cascade.kernels.Activations q, dev.cascade.kernels.Activations k, dev.cascade.kernels.Rope spec) {
        int maxPosition = 0;
        for (int r = 0; r < plan.rows(); r++) {
            maxPosition = Math.max(maxPosition, plan.position(r));
        }
        if (rope == null || spec != ropeSpec || maxPosition >= rope.maxPositions()) {
            // the tables grow in powers of two, so they are rebuilt a handful of times per model
            int size = Integer.highestOneBit(Math.max(maxPosition, 255)) * 2;
            rope = new Rope(spec.headDim(), spec.frequencies(), spec.pairing(), size);
            ropeSpec = spec;
        }
        rope.apply(seg(q), 0, q.width(), plan.rows(), spec.heads(), plan.positionsArray());
        rope.apply(seg(k), 0, k.width(), plan.rows(), spec.kvHeads(), plan.positionsArray());
    }

    @Override
    public void writeKv(KvCache cache, int layer, dev.cascade.kernels.Activations k, dev.cascade.kernels.Activations v) {
        CpuKv kv = (CpuKv) cache;
        KvCacheWriter.write(seg(k), seg(v), plan.rows(), slots, kv.paged(), kv.keys()[layer], kv.values()[layer]);
    }

    @Override
    public void attention(KvCache cache, int layer, dev.cascade.kernels.Activations q, dev.cascade.kernels.Activations out) {
        CpuKv kv = (CpuKv) cache;
        int heads = q.width() / kv.layout().headDim();
        attention.attend(seg(q), seg(out), plan.rows(), heads, kv.paged(), kv.keys()[layer], kv.values()[layer],
                tables, plan.rowSequenceArray(), rowLength);
    }

    @Override
    public void siluMul(dev.cascade.kernels.Activations gate, dev.cascade.kernels.Activations up) {
        Activations.siluMul(seg(gate), seg(up), seg(gate), (long) plan.rows() * gate.width());
    }

    @Override
    public void gatherLogitRows(dev.cascade.kernels.Activations x, dev.cascade.kernels.Activations out) {
        long rowBytes = 4L * x.width();
        for (int i = 0; i < plan.logitCount(); i++) {
            MemorySegment.copy(seg(x), plan.logitRow(i) * rowBytes, seg(out), i * rowBytes, rowBytes);
        }
    }

    @Override
    public void read(dev.cascade.kernels.Activations x, int rows, float[] dst) {
        MemorySegment.copy(seg(x), ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), 0, dst, 0,
                rows * x.width());
    }

    @Override
    public void close() {
        pool.close();
        arena.close();
    }
}
