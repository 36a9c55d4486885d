package dev.cascade.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cascade.engine.kv.BlockAllocator;
import dev.cascade.engine.kv.BlockTable;
import dev.cascade.kernels.Backend;
import dev.cascade.kernels.Backends;
import dev.cascade.kernels.KvLayout;
import dev.cascade.kernels.StepPlan;
import dev.cascade.kernels.cuda.WeightPrecision;
import dev.cascade.weights.Model;
import dev.cascade.weights.ModelLoader;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Against Hugging Face transformers itself, on the GPU machine: tools/device/hf_reference.py makes
 * random Llama, Llama 3 (rope scaling, tied embeddings) and Qwen2 (QKV bias) models with
 * save_pretrained and writes, for a fixed prompt, the logits at every position and 16 greedy tokens
 * after it; this test loads the same folders ({@code -Dcascade.hf.dir}) on the CPU and on the GPU
 * (float32 weights), feeds the prompt one token per step (the decode path, CUDA graphs included),
 * compares every position's logits and then generates greedily. Skipped where the folders are not.
 */
@Tag("gpu")
class HfTransformersGpuTest {

    record Reference(Path folder, int[] prompt, int[] greedy, float[][] logits) {
        static Reference load(String name) throws IOException {
            String dir = System.getProperty("cascade.hf.dir");
            assumeTrue(dir != null, "skipped: no -Dcascade.hf.dir (tools/device/hf_reference.py writes it on the GPU machine)");
            Path folder = Path.of(dir, name);
            assumeTrue(Files.exists(folder.resolve("reference.json")), "skipped: no reference in " + folder);
            JsonNode meta = new ObjectMapper().readTree(folder.resolve("reference.json").toFile());
            int positions = meta.get("positions").asInt();
            int vocab = meta.get("vocab").asInt();
            ByteBuffer raw = ByteBuffer.wrap(Files.readAllBytes(folder.resolve("reference-logits.f32"))).order(ByteOrder.LITTLE_ENDIAN);
            float[][] logits = new float[positions][vocab];
            for (float[] row : logits) {
                raw.asFloatBuffer().get(row);
                raw.position(raw.position() + 4 * vocab);
            }
            return new Reference(folder, ints(meta.get("prompt")), ints(meta.get("greedy")), logits);
        }

        /** A JSON array of ints (the reference files' token lists). */
        static int[] ints(JsonNode array) {
            int[] out = new int[array.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = array.get(i).asInt();
            }
            return out;
        }
    }

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({"llama,cpu", "llama,cuda", "llama3,cpu", "llama3,cuda", "qwen2,cpu", "qwen2,cuda"})
    void logitsAndGreedyTokensMatchTransformers(String name, String backendName) throws IOException {
        Reference ref = Reference.load(name);
        String before = System.getProperty(WeightPrecision.PROPERTY);
        System.setProperty(WeightPrecision.PROPERTY, "f32");
        try (Model m = ModelLoader.loadWeights(ref.folder())) {
            Backend backend = backendName.equals("cuda") ? CudaModelGpuTest.cuda(WeightPrecision.F32)
                    : Backends.create(backendName, Runtime.getRuntime().availableProcessors()).backend();
            int length = ref.prompt().length + ref.greedy().length;
            KvLayout layout = new KvLayout(m.config().layers(), (length + 15) / 16 + 1, 16, m.config().kvHeads(), m.config().headDim());
            try (Transformer t = new Transformer(m, backend, layout, 64)) {
                float[][] got = ForcedDecoding.run(t, layout, ref.prompt(), 1);
                double worst = 0;
                for (int p = 0; p < ref.logits().length; p++) {
                    worst = Math.max(worst, ForcedDecoding.relativeError(got[p], ref.logits()[p]));
                }
                int[] greedy = greedy(t, layout, ref.prompt(), ref.greedy().length);
                System.out.printf("transformers %s on %s: worst relative error of the logits %.2e over %d positions; "
                        + "greedy %s (transformers %s)%n", name, backendName, worst, ref.logits().length,
                        Arrays.toString(greedy), Arrays.toString(ref.greedy()));
                assertTrue(worst < 1e-4, name + " on " + backendName + ": relative error " + worst);
                assertArrayEquals(ref.greedy(), greedy, name + " on " + backendName + ": greedy tokens");
            }
        } finally {
            if (before == null) {
                System.clearProperty(WeightPrecision.PROPERTY);
            } else {
                System.setProperty(WeightPrecision.PROPERTY, before);
            }
        }
    }

    /** The prompt as one prefill chunk, then n tokens, each the argmax of the last logits. */
    static int[] greedy(Transformer t, KvLayout layout, int[] prompt, int n) {
        int vocab = t.config().vocabSize();
        BlockAllocator blocks = new BlockAllocator(layout.blocks());
        BlockTable table = new BlockTable(layout.blocks());
        StepPlan plan = new StepPlan(t.maxRows(), 1, layout.blocks(), layout.blockSize());
        int[] tokens = Arrays.copyOf(prompt, prompt.length + n);
        float[] logits = new float[vocab];
        int done = 0;
        for (int i = 0; i < n; i++) {
            int end = prompt.length + i;
            table.ensureCapacity(end, layout.blockSize(), blocks);
            plan.clear();
            plan.addSequence(table.array(), table.count(), tokens, done, end, done, true);
            t.forward(plan, logits);
            int best = 0;
            for (int v = 1; v < vocab; v++) {
                if (logits[v] > logits[best]) {
                    best = v;
                }
            }
            tokens[end] = best;
            done = end;
        }
        return Arrays.copyOfRange(tokens, prompt.length, prompt.length + n);
    }
}
