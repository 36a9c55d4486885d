package dev.cascade.engine.model;

import dev.cascade.kernels.Backends;
import dev.cascade.kernels.KvLayout;
import dev.cascade.weights.DType;
import dev.cascade.weights.Model;
import dev.cascade.weights.ModelConfig;
import dev.cascade.weights.ModelLoader;
import dev.cascade.weights.RopePairing;
import dev.cascade.weights.SyntheticModel;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same random weights written as a Hugging Face folder (RoPE pairs (i, i+d/2)), as GGUF with
 * Q/K permuted the way llama.cpp's converter does (pairs (2i, 2i+1)) and as llama2.c give the same
 * logits: this pins both RoPE pairings. Lower-precision copies stay within the error their
 * rounding predicts.
 */
class FormatEquivalenceTest {

    static final ModelConfig CONFIG = new ModelConfig("llama", 64, 128, 2, 4, 2, 16, 256, 128, 1e-5f, 10000f, null,
            RopePairing.HALVES, false, false, 0);

    static List<String> backends() {
        return EngineBackends.names();
    }

    private static float[][] logits(Path file, String backend, int[] tokens) {
        try (Model m = ModelLoader.loadWeights(file)) {
            KvLayout layout = new KvLayout(m.config().layers(), 8, 16, m.config().kvHeads(), m.config().headDim());
            Transformer t = new Transformer(m, Backends.create(backend, 2).backend(), layout, 16);
            float[][] out = ForcedDecoding.run(t, layout, tokens, 6);
            t.close();
            return out;
        }
    }

    /** Mean over positions of ‖a − b‖² / ‖b‖². */
    private static double nmse(float[][] a, float[][] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double e = ForcedDecoding.relativeError(a[i], b[i]);
            sum += e * e;
        }
        return sum / a.length;
    }

    @ParameterizedTest
    @MethodSource("backends")
    void everyFormatGivesTheSameLogits(String backend, @TempDir Path dir) {
        SyntheticModel model = SyntheticModel.random(CONFIG, 42);
        int[] tokens = new Random(1).ints(30, 0, CONFIG.vocabSize()).toArray();
        model.writeHf(dir.resolve("hf"), DType.F32, 2);
        model.writeGguf(dir.resolve("f32.gguf"), DType.F32);
        model.writeLlama2c(dir.resolve("model.bin"));
        float[][] hf = logits(dir.resolve("hf"), backend, tokens);
        float[][] gguf = logits(dir.resolve("f32.gguf"), backend, tokens);
        float[][] llama2c = logits(dir.resolve("model.bin"), backend, tokens);
        for (int i = 0; i < hf.length; i++) {
            assertTrue(ForcedDecoding.relativeError(gguf[i], hf[i]) < 1e-5, "GGUF position " + i);
            assertTrue(ForcedDecoding.relativeError(llama2c[i], hf[i]) < 1e-5, "llama2.c position " + i);
        }

        // F16 and BF16 round each weight to 11 and 8 significant bits
        model.writeHf(dir.resolve("f16"), DType.F16, 1);
        model.writeHf(dir.resolve("bf16"), DType.BF16, 1);
        double f16 = nmse(logits(dir.resolve("f16"), backend, tokens), hf);
        double bf16 = nmse(logits(dir.resolve("bf16"), backend, tokens), hf);
        assertTrue(f16 > 0 && f16 < 1e-5, "F16 NMSE " + f16);
        assertTrue(bf16 > f16 && bf16 < 1e-3, "BF16 NMSE " + bf16);

        // ggml's block quantizers: Q8_0 keeps 8 bits per weight, Q4_0 four
        model.writeGguf(dir.resolve("q8.gguf"), DType.Q8_0);
        model.writeGguf(dir.resolve("q4.gguf"), DType.Q4_0);
        double q8 = nmse(logits(dir.resolve("q8.gguf"), backend, tokens), hf);
        double q4 = nmse(logits(dir.resolve("q4.gguf"), backend, tokens), hf);
        assertTrue(q8 > 1e-6 && q8 < 3e-3, "Q8_0 NMSE " + q8);
        assertTrue(q4 > 10 * q8 && q4 < 0.3, "Q4_0 NMSE " + q4);
        System.out.printf("%s: NMSE against F32 logits: F16 %.2e, BF16 %.2e, Q8_0 %.2e, Q4_0 %.2e%n", backend, f16, bf16, q8, q4);
    }
}
