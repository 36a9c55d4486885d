package dev.cascade.engine.model;

import dev.cascade.engine.sampling.Sample;
import dev.cascade.engine.sampling.Sampler;
import dev.cascade.engine.sampling.SamplingParams;
import dev.cascade.kernels.Activations;
import dev.cascade.kernels.DeviceSampling;
import dev.cascade.kernels.cuda.CudaBackend;
import dev.cascade.kernels.cuda.WeightPrecision;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * sample_rows on the GPU against the host's Sampler on the same logits and the same uniform draws:
 * greedy (with a tie), temperature alone, top-k, top-p and both, over vocabularies of Llama 2's and
 * Llama 3's size; the same tokens, log-probabilities within float rounding, and rows left to the
 * host only where the nucleus is wide. Also times a call at 1 and 128 rows.
 */
@Tag("gpu")
class CudaSamplingGpuTest {

    @ParameterizedTest(name = "vocabulary {0}")
    @ValueSource(ints = {32000, 128256})
    void deviceChoicesAreTheHostsChoices(int vocab) {
        try (CudaBackend gpu = CudaModelGpuTest.cuda(WeightPrecision.F32)) {
            int rows = 96;
            Random random = new Random(vocab);
            float[] logits = new float[rows * vocab];
            for (int i = 0; i < logits.length; i++) {
                logits[i] = (float) (random.nextGaussian() * 3);
            }
            logits[5] = logits[vocab - 1] = 40f; // row 0: a tie at the maximum goes to the lower id
            Activations a = gpu.activations(rows, vocab);
            gpu.write(a, logits);
            float[] temps = {0f, 0.6f, 1f, 1.3f};
            int[] ks = {0, 1, 40, 500};
            float[] ps = {1f, 0.5f, 0.9f};
            DeviceSampling s = new DeviceSampling(rows);
            for (int r = 0; r < rows; r++) {
                s.set(r, temps[r % 4], ks[(r / 4) % 4], ps[(r / 16) % 3], random.nextDouble());
            }
            gpu.sample(a, rows, s);
            int leftToHost = 0;
            double worstLogprob = 0;
            for (int r = 0; r < rows; r++) {
                Sample want = new Sample();
                new Sampler(new SamplingParams(s.temperature[r], s.topK[r], s.topP[r], 0f, 1f, 0f, 0f, 0L, 0), vocab)
                        .sample(logits, r * vocab, null, want, s.uniform[r]);
                if (s.token[r] == -1) {
                    leftToHost++;
                    assertTrue(s.topK[r] == 0 || s.topK[r] > 256, "row " + r + " (top-k " + s.topK[r] + ") left to the host");
                    continue;
                }
                assertEquals(want.token, s.token[r], "row " + r + ": T " + s.temperature[r] + ", k " + s.topK[r] + ", p "
                        + s.topP[r] + ", u " + s.uniform[r]);
                worstLogprob = Math.max(worstLogprob, Math.abs(want.logprob - s.logprob[r]));
            }
            assertEquals(5, s.token[0], "greedy ties go to the lower id");
            assertTrue(worstLogprob < 1e-4, "log-probabilities differ by " + worstLogprob);
            assertTrue(leftToHost < rows / 4, leftToHost + " rows left to the host");
            System.out.printf("sample_rows, vocabulary %d: %d rows as on the host, %d left to the host, log-probabilities "
                    + "within %.1e; %s%n", vocab, rows - leftToHost, leftToHost, worstLogprob, timing(gpu, a, vocab));
        }
    }

    private static String timing(CudaBackend gpu, Activations a, int vocab) {
        StringBuilder out = new StringBuilder();
        for (int rows : new int[] {1, 96}) {
            for (String kind : new String[] {"greedy", "top-k 40 / top-p 0.9"}) {
                DeviceSampling s = new DeviceSampling(rows);
                for (int r = 0; r < rows; r++) {
                    s.set(r, kind.equals("greedy") ? 0f : 0.8f, kind.equals("greedy") ? 0 : 40, kind.equals("greedy") ? 1f : 0.9f, 0.5);
                }
                for (int i = 0; i < 5; i++) {
                    gpu.sample(a, rows, s);
                }
                int reps = 50;
                long t0 = System.nanoTime();
                for (int i = 0; i < reps; i++) {
                    gpu.sample(a, rows, s);
                }
                out.append(String.format("%s %d rows %.0f µs; ", kind, rows, (System.nanoTime() - t0) / 1e3 / reps));
            }
        }
        return out.toString();
    }
}
