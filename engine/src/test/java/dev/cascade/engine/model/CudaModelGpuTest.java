package dev.cascade.engine.model;

import dev.cascade.kernels.Backend;
import dev.cascade.kernels.Backends;
import dev.cascade.kernels.KvLayout;
import dev.cascade.kernels.cuda.CudaBackend;
import dev.cascade.kernels.cuda.CudaUnavailableException;
import dev.cascade.kernels.cuda.WeightPrecision;
import dev.cascade.weights.Model;
import dev.cascade.weights.ModelLoader;
import dev.cascade.weights.random.RandomModels;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whole models on the GPU: logits of random models against the CPU backend (every stored dtype,
 * both weight precisions), the numpy reference models, and how far a sequence's logits drift when
 * it is batched with others (the CPU backend is exactly batch-invariant; the GPU splits attention
 * differently for different batches, which DESIGN.md asks us to measure).
 */
@Tag("gpu")
class CudaModelGpuTest {

    static CudaBackend cuda(WeightPrecision precision) {
        try {
            return CudaBackend.open(Integer.getInteger("cascade.cuda.device", 0), precision);
        } catch (CudaUnavailableException e) {
            Assumptions.abort("skipped: no usable GPU: " + e.getMessage());
            throw new AssertionError("unreachable");
        }
    }

    static float[][] logits(Model m, Backend backend, int[] tokens, int prefill) {
        KvLayout layout = new KvLayout(m.config().layers(), 8, 16, m.config().kvHeads(), m.config().headDim());
        try (Transformer t = new Transformer(m, backend, layout, 16)) {
            return ForcedDecoding.run(t, layout, tokens, prefill);
        }
    }

    static double worst(float[][] got, float[][] want) {
        double worst = 0;
        for (int i = 0; i < want.length; i++) {
            worst = Math.max(worst, ForcedDecoding.relativeError(got[i], want[i]));
        }
        return worst;
    }

    @ParameterizedTest(name = "{0} as {1}")
    @CsvSource({"random:tiny:F32,F32", "random:tiny:Q8_0,F32", "random:tiny:F32,BF16", "random:tiny:F16,BF16",
            "random:tiny:BF16,BF16", "random:tiny:Q8_0,BF16", "random:tiny:Q4_0,BF16", "random:llama-110m:Q8_0,BF16",
            "random:qwen2-0.5b:BF16,BF16"})
    void randomModelsAgreeWithTheCpu(String spec, WeightPrecision precision) {
        CudaBackend gpu = cuda(precision); // first, so that a machine without a GPU skips before building the model
        try (Model m = RandomModels.create(spec, null)) {
            int[] tokens = new Random(5).ints(40, 0, m.config().vocabSize()).toArray();
            float[][] got = logits(m, gpu, tokens, 15);
            float[][] want = logits(m, Backends.create("cpu", Runtime.getRuntime().availableProcessors()).backend(), tokens, 15);
            double err = worst(got, want);
            System.out.printf("%s as %s: worst relative error of the logits against the CPU %.2e%n", spec, precision, err);
            double bound = precision == WeightPrecision.F32 ? 1e-4 : 2e-2;
            assertTrue(err < bound, spec + " as " + precision + ": relative error " + err);
        }
    }

    @ParameterizedTest(name = "{0} as {1}")
    @CsvSource({"llama-gqa,F32", "llama-tied,F32", "llama3-scaled,F32", "qwen2-bias,F32", "llama-gqa,BF16", "qwen2-bias,BF16"})
    void referenceModelsAgreeWithNumpy(String name, WeightPrecision precision) throws Exception {
        CudaBackend gpu = cuda(precision);
        ReferenceLogitsTest.Reference ref = ReferenceLogitsTest.Reference.load(name);
        try (Model m = ModelLoader.loadWeights(ref.folder())) {
            float[][] got = logits(m, gpu, ref.prompt(), ReferenceLogitsTest.PREFILL);
            double worst = 0;
            for (int i = 0; i < got.length; i++) {
                worst = Math.max(worst, ForcedDecoding.relativeError(got[i], ref.logits()[ReferenceLogitsTest.PREFILL - 1 + i]));
            }
            System.out.printf("%s as %s: worst relative error against numpy %.2e%n", name, precision, worst);
            assertTrue(worst < (precision == WeightPrecision.F32 ? 1e-4 : 2e-2), name + ": relative error " + worst);
        }
    }

    @Test
    void batchingDriftIsSmall() throws Exception {
        java.nio.file.Path folder = java.nio.file.Path.of(
                CudaModelGpuTest.class.getResource("/reference/llama-gqa/config.json").toURI()).getParent();
        cuda(WeightPrecision.F32).close(); // skips here when there is no GPU
        String before = System.getProperty(WeightPrecision.PROPERTY);
        System.setProperty(WeightPrecision.PROPERTY, "f32");
        try (Model m = ModelLoader.loadWeights(folder)) {
            Random r = new Random(3);
            int[][] seqs = new int[8][];
            for (int i = 0; i < seqs.length; i++) {
                seqs[i] = r.ints(5 + 6 * i, 0, m.config().vocabSize()).toArray();
            }
            float[][] alone = BatchInvarianceTest.run(m, "cuda", new int[][] {seqs[3]})[0];
            float[][][] together = BatchInvarianceTest.run(m, "cuda", seqs);
            double worst = 0;
            int identical = 0;
            for (int step = 0; step < alone.length; step++) {
                worst = Math.max(worst, ForcedDecoding.relativeError(together[3][step], alone[step]));
                identical += java.util.Arrays.equals(alone[step], together[3][step]) ? 1 : 0;
            }
            System.out.printf("batch drift on the GPU (F32 weights): worst relative difference %.2e, %d of %d steps "
                    + "bit-identical%n", worst, identical, alone.length);
            assertTrue(worst < 1e-4, "batching changes the logits by " + worst);
        } finally {
            if (before == null) {
                System.clearProperty(WeightPrecision.PROPERTY);
            } else {
                System.setProperty(WeightPrecision.PROPERTY, before);
            }
        }
    }

    /**
     * Decode steps replayed from CUDA graphs give the logits the same steps give eagerly: one-row
     * steps (the first eager, the second captured, the rest replayed) and 8-row steps of several
     * sequences, with the graphs turned off by the property for the eager run.
     */
    @Test
    void decodeGraphsReplayWhatEagerStepsCompute() {
        cuda(WeightPrecision.F32).close(); // skips here when there is no GPU
        try (Model m = RandomModels.create("random:tiny:F32", null)) {
            int[] tokens = new Random(7).ints(60, 0, m.config().vocabSize()).toArray();
            CudaBackend withGraphs = cuda(WeightPrecision.F32);
            KvLayout layout = new KvLayout(m.config().layers(), 8, 16, m.config().kvHeads(), m.config().headDim());
            float[][] graphed;
            String summary;
            try (Transformer t = new Transformer(m, withGraphs, layout, 16)) {
                graphed = ForcedDecoding.run(t, layout, tokens, 15);
                summary = withGraphs.graphSummary();
            }
            String before = System.getProperty(CudaBackend.GRAPHS_PROPERTY);
            System.setProperty(CudaBackend.GRAPHS_PROPERTY, "false");
            float[][] eager;
            float[][][] batchEager;
            try {
                eager = logits(m, cuda(WeightPrecision.F32), tokens, 15);
                batchEager = BatchInvarianceTest.run(m, "cuda", batch(m));
            } finally {
                if (before == null) {
                    System.clearProperty(CudaBackend.GRAPHS_PROPERTY);
                } else {
                    System.setProperty(CudaBackend.GRAPHS_PROPERTY, before);
                }
            }
            float[][][] batchGraphed = BatchInvarianceTest.run(m, "cuda", batch(m));
            int identical = 0;
            for (int i = 0; i < eager.length; i++) {
                identical += java.util.Arrays.equals(graphed[i], eager[i]) ? 1 : 0;
            }
            double err = worst(graphed, eager);
            double batchErr = 0;
            for (int s = 0; s < batchEager.length; s++) {
                for (int step = 0; step < batchEager[s].length; step++) {
                    if (batchEager[s][step] != null) {
                        batchErr = Math.max(batchErr, ForcedDecoding.relativeError(batchGraphed[s][step], batchEager[s][step]));
                    }
                }
            }
            System.out.printf("decode graphs (%s): %d of %d one-row steps bit-identical to eager, worst relative "
                    + "difference %.2e; 8 sequences %.2e%n", summary, identical, eager.length, err, batchErr);
            assertTrue(summary.startsWith("1 decode graphs"), "one-row decode steps ran from one graph: " + summary);
            assertTrue(err < 1e-6, "graphs change the logits by " + err);
            assertTrue(batchErr < 1e-6, "graphs change batched logits by " + batchErr);
        }
    }

    private static int[][] batch(Model m) {
        Random r = new Random(11);
        int[][] seqs = new int[8][];
        for (int i = 0; i < seqs.length; i++) {
            seqs[i] = r.ints(30, 0, m.config().vocabSize()).toArray();
        }
        return seqs;
    }
}
