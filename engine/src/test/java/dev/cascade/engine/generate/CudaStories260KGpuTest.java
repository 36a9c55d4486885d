package dev.cascade.engine.generate;

import dev.cascade.engine.model.Transformer;
import dev.cascade.kernels.Backend;
import dev.cascade.kernels.Backends;
import dev.cascade.kernels.KvLayout;
import dev.cascade.kernels.cuda.CudaBackend;
import dev.cascade.kernels.cuda.CudaUnavailableException;
import dev.cascade.kernels.cuda.WeightPrecision;
import dev.cascade.weights.Model;
import dev.cascade.weights.ModelLoader;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * stories260K generates greedily on the GPU what it generates on the CPU: token for token with F32
 * weights; with BF16 weights the test reports how long the texts agree (a trained model's greedy
 * path is sensitive to rounding; the first tokens must still agree).
 */
@Tag("gpu")
class CudaStories260KGpuTest {

    static List<int[]> generate(Model m, Backend backend, List<Stories260KTest.Case> cases) {
        KvLayout layout = new KvLayout(m.config().layers(), cases.size() * 10, 16, m.config().kvHeads(), m.config().headDim());
        try (Transformer t = new Transformer(m, backend, layout, 64)) {
            Generator g = new Generator(t, m.tokenizer(), EndTokens.of(m), layout, cases.size());
            List<GenerationRequest> requests = new ArrayList<>();
            for (Stories260KTest.Case c : cases) {
                requests.add(GenerationRequest.greedy(m.tokenizer().encode(c.prompt(), true), 124));
            }
            return g.generate(requests, null).stream().map(Completion::tokens).toList();
        }
    }

    @ParameterizedTest(name = "{0} as {1}")
    @CsvSource({"stories260K.bin,F32", "stories260K.gguf,F32", "stories260K.bin,BF16", "stories260K.gguf,BF16"})
    void greedyTokensAsOnTheCpu(String file, WeightPrecision precision) throws Exception {
        Path dir = Path.of(System.getProperty("cascade.shared", "../shared"), "models/stories260K");
        assumeTrue(Files.exists(dir), "skipped: ../shared is absent");
        CudaBackend cuda;
        try {
            cuda = CudaBackend.open(Integer.getInteger("cascade.cuda.device", 0), precision);
        } catch (CudaUnavailableException e) {
            Assumptions.abort("skipped: no usable GPU: " + e.getMessage());
            return;
        }
        List<Stories260KTest.Case> cases = Stories260KTest.cases();
        Path tokenizer = file.endsWith(".bin") ? dir.resolve("tok512.bin") : null;
        try (Model m = ModelLoader.load(dir.resolve(file), tokenizer)) {
            List<int[]> gpu = generate(m, cuda, cases);
            List<int[]> cpu = generate(m, Backends.create("cpu", 2).backend(), cases);
            for (int i = 0; i < cases.size(); i++) {
                int agree = 0;
                while (agree < Math.min(gpu.get(i).length, cpu.get(i).length) && gpu.get(i)[agree] == cpu.get(i)[agree]) {
                    agree++;
                }
                System.out.printf("%s as %s, \"%s\": %d of %d tokens as on the CPU%n", file, precision, cases.get(i).prompt(),
                        agree, cpu.get(i).length);
                if (precision == WeightPrecision.F32) {
                    assertArrayEquals(cpu.get(i), gpu.get(i), "tokens for " + cases.get(i).prompt());
                    assertArrayEquals(cases.get(i).generatedIds(), gpu.get(i), "llama2.c's tokens for " + cases.get(i).prompt());
                } else {
                    assertTrue(agree >= Math.min(8, cpu.get(i).length), "only " + agree + " tokens agree for "
                            + cases.get(i).prompt());
                }
            }
        }
    }

    /**
     * Seeded sampling (temperature, top-k, top-p) on the GPU, where sample_rows chooses the tokens,
     * gives the CPU's tokens (F32 weights: the logits differ by rounding only).
     */
    @org.junit.jupiter.api.Test
    void seededSamplingAsOnTheCpu() throws Exception {
        Path dir = Path.of(System.getProperty("cascade.shared", "../shared"), "models/stories260K");
        assumeTrue(Files.exists(dir), "skipped: ../shared is absent");
        CudaBackend cuda;
        try {
            cuda = CudaBackend.open(Integer.getInteger("cascade.cuda.device", 0), WeightPrecision.F32);
        } catch (CudaUnavailableException e) {
            Assumptions.abort("skipped: no usable GPU: " + e.getMessage());
            return;
        }
        try (Model m = ModelLoader.load(dir.resolve("stories260K.bin"), dir.resolve("tok512.bin"))) {
            List<GenerationRequest> requests = new ArrayList<>();
            float[][] settings = {{0.8f, 40, 1f}, {1f, 0, 0.9f}, {0.7f, 0, 1f}, {1.1f, 20, 0.8f}};
            for (int i = 0; i < settings.length; i++) {
                dev.cascade.engine.sampling.SamplingParams p = new dev.cascade.engine.sampling.SamplingParams(settings[i][0],
                        (int) settings[i][1], settings[i][2], 0f, 1f, 0f, 0f, 40L + i, 0);
                requests.add(new GenerationRequest(m.tokenizer().encode(SchedulerTest.PROMPTS.get(i), true), p, 100,
                        List.of(), false));
            }
            List<int[]> gpu = sample(m, cuda, requests);
            List<int[]> cpu = sample(m, Backends.create("cpu", 2).backend(), requests);
            for (int i = 0; i < requests.size(); i++) {
                System.out.printf("stories260K sampled on the GPU, request %d: %d tokens, %s%n", i, gpu.get(i).length,
                        java.util.Arrays.equals(cpu.get(i), gpu.get(i)) ? "as on the CPU" : "NOT as on the CPU");
                assertArrayEquals(cpu.get(i), gpu.get(i), "sampled tokens of request " + i);
            }
        }
    }

    static List<int[]> sample(Model m, Backend backend, List<GenerationRequest> requests) {
        KvLayout layout = new KvLayout(m.config().layers(), requests.size() * 10, 16, m.config().kvHeads(), m.config().headDim());
        try (Transformer t = new Transformer(m, backend, layout, 64)) {
            Generator g = new Generator(t, m.tokenizer(), EndTokens.of(m), layout, requests.size());
            return g.generate(requests, null).stream().map(Completion::tokens).toList();
        }
    }
}
