package dev.cascade.kernels.cuda;

import dev.cascade.kernels.Activations;
import dev.cascade.kernels.Backend;
import dev.cascade.kernels.KvCache;
import dev.cascade.kernels.KvLayout;
import dev.cascade.kernels.Rope;
import dev.cascade.kernels.StepPlan;
import dev.cascade.kernels.Weight;
import dev.cascade.kernels.cpu.CpuBackend;
import dev.cascade.weights.DType;
import dev.cascade.weights.ModelConfig;
import dev.cascade.weights.Quantization;
import dev.cascade.weights.RopePairing;
import dev.cascade.weights.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every backend operation on the GPU against the CPU backend, on random inputs of odd sizes, with
 * the GPU's outputs poisoned (NaN) before each call so that an unwritten element fails. Bounds on
 * ‖gpu − cpu‖ / ‖cpu‖: float32 work 1e-5; products of BF16 weights and inputs 1e-2, F16 2e-3.
 */
@Tag("gpu")
class CudaOpsGpuTest {
    static CudaBackend bf16;
    static CudaBackend f32;
    static CpuBackend cpu;
    static final Arena ARENA = Arena.ofShared();

    @BeforeAll
    static void open() {
        bf16 = GpuTests.openOrSkip(WeightPrecision.BF16);
        f32 = GpuTests.openOrSkip(WeightPrecision.F32);
        cpu = new CpuBackend(2);
        System.out.println("GPU tests on " + bf16.description());
    }

    @AfterAll
    static void close() {
        for (Backend b : new Backend[] {bf16, f32, cpu}) {
            if (b != null) {
                b.close();
            }
        }
    }

    /** The same activations on the CPU and on one GPU backend. */
    record Pair(Activations cpu, Activations gpu, CudaBackend cuda, int rows, int width) {
    }

    static Pair pair(CudaBackend cuda, int rows, int width) {
        return new Pair(cpu.activations(rows, width), cuda.activations(rows, width), cuda, rows, width);
    }

    static float[] random(SplittableRandom r, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
        }
        return v;
    }

    static Tensor tensor(String name, DType dtype, int rows, int cols, float[] values) {
        byte[] bytes = Quantization.encode(values, dtype);
        MemorySegment data = ARENA.allocate(bytes.length, 64);
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, data, 0, bytes.length);
        return new Tensor(name, dtype, rows == 1 ? new long[] {cols} : new long[] {rows, cols}, data);
    }

    /** Writes values into both sides: on the CPU by looking up an F32 table with tokens 0..rows-1, on the GPU directly. */
    static void fill(Pair p, float[] values) {
        StepPlan plan = new StepPlan(p.rows(), 1, 1, p.rows());
        int[] tokens = new int[p.rows()];
        Arrays.setAll(tokens, i -> i);
        plan.addSequence(new int[] {0}, 1, tokens, 0, p.rows(), 0, false);
        cpu.beginStep(plan);
        cpu.embed(cpu.weight(tensor("fill", DType.F32, p.rows(), p.width(), values)), p.cpu());
        p.cuda().write(p.gpu(), values);
    }

    static void poison(Pair p) {
        float[] nan = new float[p.rows() * p.width()];
        Arrays.fill(nan, Float.NaN);
        p.cuda().write(p.gpu(), nan);
    }

    /** The first rows of both sides, checked within the bound; returns the error. */
    static double compare(Pair p, int rows, double bound, String what) {
        float[] want = new float[rows * p.width()];
        float[] got = new float[rows * p.width()];
        cpu.read(p.cpu(), rows, want);
        p.cuda().read(p.gpu(), rows, got);
        double err = GpuTests.relativeError(got, want, want.length);
        assertTrue(err <= bound, what + ": relative error " + err + " (bound " + bound + ")");
        return err;
    }

    /** A plan of `rows` single-token sequences at the given positions, each in its own block. */
    static StepPlan rowsAt(int... positions) {
        int maxPos = Arrays.stream(positions).max().orElse(0);
        int blockSize = 16;
        int blocks = maxPos / blockSize + 1;
        StepPlan plan = new StepPlan(positions.length, positions.length, blocks, blockSize);
        for (int i = 0; i < positions.length; i++) {
            int[] table = new int[blocks];
            Arrays.setAll(table, b -> b);
            plan.addSequence(table, blocks, new int[] {i}, 0, 1, positions[i], true);
        }
        return plan;
    }

    static void begin(StepPlan plan, CudaBackend cuda) {
        cpu.beginStep(plan);
        cuda.beginStep(plan);
    }

    @ParameterizedTest(name = "embed {0} as {1}")
    @CsvSource({"F32,BF16", "F16,BF16", "BF16,BF16", "Q8_0,BF16", "Q4_0,BF16", "F32,F32", "F16,F32", "BF16,F32", "Q8_0,F32",
            "Q4_0,F32"})
    void embed(DType stored, WeightPrecision precision) {
        CudaBackend cuda = precision == WeightPrecision.BF16 ? bf16 : f32;
        SplittableRandom r = new SplittableRandom(1);
        int vocab = 37;
        int dim = 96;
        Tensor table = tensor("table", stored, vocab, dim, random(r, vocab * dim, 1));
        Weight tc = cpu.weight(table);
        Weight tg = cuda.weight(table);
        int[] tokens = {5, 36, 0, 5, 17};
        StepPlan plan = new StepPlan(tokens.length, 1, 1, tokens.length);
        plan.addSequence(new int[] {0}, 1, tokens, 0, tokens.length, 0, true);
        Pair out = pair(cuda, tokens.length, dim);
        poison(out);
        begin(plan, cuda);
        cpu.embed(tc, out.cpu());
        cuda.embed(tg, out.gpu());
        // F32 on the device is exact; BF16 rounds each value once
        compare(out, tokens.length, precision == WeightPrecision.F32 || stored == DType.F16 || stored == DType.BF16 ? 0 : 4e-3,
                "embed " + stored + " as " + precision);
    }

    @ParameterizedTest(name = "matmul {0} as {1}, {2} rows, {3} -> {4}")
    @CsvSource({
            "F32,F32,1,96,45", "F32,F32,37,160,67", "F16,F32,5,96,131", "BF16,F32,3,64,45", "Q8_0,F32,17,96,45",
            "Q4_0,F32,2,192,33",
            "F32,BF16,1,96,45", "F32,BF16,37,160,67", "F16,BF16,5,96,131", "BF16,BF16,3,64,45", "Q8_0,BF16,17,96,45",
            "Q4_0,BF16,2,192,33", "BF16,BF16,300,1024,515"})
    void matmul(DType stored, WeightPrecision precision, int rows, int in, int out) {
        CudaBackend cuda = precision == WeightPrecision.BF16 ? bf16 : f32;
        SplittableRandom r = new SplittableRandom(rows * 31L + in);
        Tensor w = tensor("w", stored, out, in, random(r, out * in, 1 / Math.sqrt(in)));
        Weight wc = cpu.weight(w);
        Weight wg = cuda.weight(w);
        Pair x = pair(cuda, rows, in);
        fill(x, random(r, rows * in, 1));
        Pair y = pair(cuda, rows, out);
        poison(y);
        StepPlan plan = rowsAt(new int[rows]);
        begin(plan, cuda);
        cpu.matmul(x.cpu(), wc, y.cpu());
        cuda.matmul(x.gpu(), wg, y.gpu());
        double bound = precision == WeightPrecision.F32 ? 1e-5 : stored == DType.F16 ? 2e-3 : 1e-2;
        double err = compare(y, rows, bound, "matmul " + stored + " as " + precision);
        System.out.printf("matmul %s as %s, %d x %d -> %d: relative error %.2e%n", stored, precision, rows, in, out, err);
        // the first rows only (the LM head on gathered rows); the same input again reuses its half-precision copy
        if (rows > 1) {
            poison(y);
            cpu.matmul(x.cpu(), rows - 1, wc, y.cpu());
            cuda.matmul(x.gpu(), rows - 1, wg, y.gpu());
            compare(y, rows - 1, bound, "matmul of the first rows");
        }
    }

    @Test
    void normsAndElementwise() {
        SplittableRandom r = new SplittableRandom(2);
        for (int dim : new int[] {45, 4099}) {
            int rows = 7;
            Tensor gain = tensor("gain", DType.F32, 1, dim, random(r, dim, 2));
            Tensor bias = tensor("bias", DType.F32, 1, dim, random(r, dim, 1));
            Weight gc = cpu.weight(gain);
            Weight gg = bf16.weight(gain);
            Pair x = pair(bf16, rows, dim);
            Pair delta = pair(bf16, rows, dim);
            Pair out = pair(bf16, rows, dim);
            float[] xv = random(r, rows * dim, 3);
            fill(x, xv);
            fill(delta, random(r, rows * dim, 1));
            StepPlan plan = rowsAt(new int[rows]);
            poison(out);
            begin(plan, bf16);
            cpu.rmsNorm(x.cpu(), gc, 1e-5f, out.cpu());
            bf16.rmsNorm(x.gpu(), gg, 1e-5f, out.gpu());
            compare(out, rows, 1e-5, "rmsNorm " + dim);
            poison(out);
            cpu.addRmsNorm(x.cpu(), delta.cpu(), gc, 1e-6f, out.cpu());
            bf16.addRmsNorm(x.gpu(), delta.gpu(), gg, 1e-6f, out.gpu());
            compare(out, rows, 1e-5, "addRmsNorm " + dim);
            compare(x, rows, 1e-6, "addRmsNorm's residual " + dim);
            cpu.add(x.cpu(), delta.cpu());
            bf16.add(x.gpu(), delta.gpu());
            compare(x, rows, 1e-6, "add " + dim);
            cpu.addBias(x.cpu(), cpu.weight(bias));
            bf16.addBias(x.gpu(), bf16.weight(bias));
            compare(x, rows, 1e-6, "addBias " + dim);
            fill(out, random(r, rows * dim, 4));
            cpu.siluMul(out.cpu(), delta.cpu());
            bf16.siluMul(out.gpu(), delta.gpu());
            compare(out, rows, 2e-6, "siluMul " + dim);
        }
    }

    @ParameterizedTest(name = "rope {0}, head dim {1}")
    @CsvSource({"HALVES,64", "INTERLEAVED,64", "HALVES,10", "INTERLEAVED,8", "HALVES,128"})
    void rope(RopePairing pairing, int headDim) {
        SplittableRandom r = new SplittableRandom(headDim);
        int heads = 6;
        int kvHeads = 2;
        ModelConfig.RopeScaling llama3 = new ModelConfig.RopeScaling("llama3", 32f, 1f, 4f, 8192);
        Rope spec = new Rope(pairing, heads, kvHeads, headDim, Rope.frequencies(headDim, 500000, llama3));
        int[] positions = {0, 1, 17, 4095, 100_000};
        Pair q = pair(bf16, positions.length, heads * headDim);
        Pair k = pair(bf16, positions.length, kvHeads * headDim);
        fill(q, random(r, positions.length * heads * headDim, 1));
        fill(k, random(r, positions.length * kvHeads * headDim, 1));
        begin(rowsAt(positions), bf16);
        cpu.rope(q.cpu(), k.cpu(), spec);
        bf16.rope(q.gpu(), k.gpu(), spec);
        compare(q, positions.length, 1e-6, "rope q");
        compare(k, positions.length, 1e-6, "rope k");
    }

    /**
     * Attention over a paged cache: a first step prefills three sequences, writing their keys and
     * values and attending causally (the tiled prefill kernel); a second step mixes a decode row of
     * each with a prefill chunk of a fourth sequence, in non-contiguous blocks (tiled too); a third
     * decodes one more token of each (the split kernel: the long sequence splits).
     */
    @ParameterizedTest(name = "attention {0} heads over {1} KV heads of {2}")
    @CsvSource({"6,2,64", "4,4,8", "8,1,128", "4,2,256", "3,3,80"})
    void attention(int heads, int kvHeads, int headDim) {
        SplittableRandom r = new SplittableRandom(heads * 100 + headDim);
        int blockSize = 16;
        int[] lengths = {700, 333, 40};
        int chunk = 23;
        int blocksPer = (700 + 1) / blockSize + 2;
        int sequences = lengths.length + 1;
        KvLayout layout = new KvLayout(1, sequences * blocksPer, blockSize, kvHeads, headDim);
        KvCache cc = cpu.kvCache(layout);
        KvCache cg = bf16.kvCache(layout);
        // block tables: sequence s owns blocks s, s + sequences, s + 2·sequences, ... (interleaved, not contiguous)
        int[][] tables = new int[sequences][blocksPer];
        for (int s = 0; s < sequences; s++) {
            for (int i = 0; i < blocksPer; i++) {
                tables[s][i] = s + i * sequences;
            }
        }
        int prefillRows = Arrays.stream(lengths).sum();
        StepPlan prefill = new StepPlan(prefillRows, sequences, blocksPer, blockSize);
        for (int s = 0; s < lengths.length; s++) {
            prefill.addSequence(tables[s], blocksPer, new int[lengths[s]], 0, lengths[s], 0, true);
        }
        StepPlan mixed = new StepPlan(prefillRows, sequences, blocksPer, blockSize);
        for (int s = 0; s < lengths.length; s++) {
            mixed.addSequence(tables[s], blocksPer, new int[] {1}, 0, 1, lengths[s], true);
        }
        mixed.addSequence(tables[lengths.length], blocksPer, new int[chunk], 0, chunk, 0, true);
        // pure decode (the split kernel: the long sequence splits; prefill and mixed steps take the tiled one)
        StepPlan decode = new StepPlan(prefillRows, sequences, blocksPer, blockSize);
        for (int s = 0; s < lengths.length; s++) {
            decode.addSequence(tables[s], blocksPer, new int[] {1}, 0, 1, lengths[s] + 1, true);
        }
        for (StepPlan plan : new StepPlan[] {prefill, mixed, decode}) {
            int rows = plan.rows();
            Pair q = pair(bf16, rows, heads * headDim);
            Pair k = pair(bf16, rows, kvHeads * headDim);
            Pair v = pair(bf16, rows, kvHeads * headDim);
            Pair out = pair(bf16, rows, heads * headDim);
            fill(q, random(r, rows * heads * headDim, 2));
            fill(k, random(r, rows * kvHeads * headDim, 2));
            fill(v, random(r, rows * kvHeads * headDim, 1));
            poison(out);
            begin(plan, bf16);
            cpu.writeKv(cc, 0, k.cpu(), v.cpu());
            bf16.writeKv(cg, 0, k.gpu(), v.gpu());
            cpu.attention(cc, 0, q.cpu(), out.cpu());
            bf16.attention(cg, 0, q.gpu(), out.gpu());
            String kind = plan == prefill ? "prefill" : plan == mixed ? "mixed" : "decode";
            double err = compare(out, rows, 1e-5, kind + " attention");
            System.out.printf("attention %d/%d heads of %d, %s step of %d rows: relative error %.2e%n", heads, kvHeads,
                    headDim, kind, rows, err);
        }
    }

    @Test
    void gatherLogitRows() {
        SplittableRandom r = new SplittableRandom(4);
        StepPlan plan = new StepPlan(12, 3, 1, 16);
        plan.addSequence(new int[] {0}, 1, new int[5], 0, 5, 0, true);
        plan.addSequence(new int[] {1}, 1, new int[4], 0, 4, 0, false);
        plan.addSequence(new int[] {2}, 1, new int[3], 0, 3, 0, true);
        int width = 77;
        Pair x = pair(bf16, 12, width);
        Pair out = pair(bf16, 12, width);
        fill(x, random(r, 12 * width, 1));
        poison(out);
        begin(plan, bf16);
        cpu.gatherLogitRows(x.cpu(), out.cpu());
        bf16.gatherLogitRows(x.gpu(), out.gpu());
        assertEquals(2, plan.logitCount());
        compare(out, plan.logitCount(), 0, "gathered rows");
    }
}
