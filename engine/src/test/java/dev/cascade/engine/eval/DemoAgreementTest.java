package dev.cascade.engine.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cascade.engine.generate.Completion;
import dev.cascade.engine.generate.EndTokens;
import dev.cascade.engine.generate.GenerationRequest;
import dev.cascade.engine.generate.Generator;
import dev.cascade.engine.model.Transformer;
import dev.cascade.kernels.KvLayout;
import dev.cascade.kernels.cpu.CpuBackend;
import dev.cascade.weights.DemoModels;
import dev.cascade.weights.Model;
import dev.cascade.weights.ModelFormatException;
import dev.cascade.weights.ModelLoader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Java engine's greedy answers on the demo eval set equal PyTorch's (greedy_answers.jsonl,
 * written by tools/demo-family/train.py) on a slice of the set; the whole set is compared by the
 * command in tools/demo-family/README.md.
 */
class DemoAgreementTest {
    static final int SLICE = 300;

    @ParameterizedTest
    @ValueSource(strings = {"demo-tiny", "demo-small", "demo-base"})
    void greedyAnswersMatchPyTorch(String name) throws Exception {
        Path folder;
        try {
            folder = DemoModels.folder(name);
        } catch (ModelFormatException e) {
            assumeTrue(false, "skipped: " + e.getMessage());
            return;
        }
        Path answers = folder.resolve("greedy_answers.jsonl");
        assumeTrue(Files.exists(answers), "skipped: " + answers + " is absent");
        List<EvalItem> items = EvalDataset.read(folder.getParent().resolve("eval.jsonl")).subList(0, SLICE);
        List<int[]> expected = pytorchIds(answers, SLICE);
        try (Model m = ModelLoader.load(folder, null)) {
            int batch = 50;
            KvLayout layout = new KvLayout(m.config().layers(), batch * 4, 16, m.config().kvHeads(), m.config().headDim());
            Transformer t = new Transformer(m, new CpuBackend(2), layout, 512);
            Generator g = new Generator(t, m.tokenizer(), EndTokens.of(m), layout, batch);
            int agree = 0;
            List<String> differ = new ArrayList<>();
            for (int from = 0; from < SLICE; from += batch) {
                List<GenerationRequest> requests = new ArrayList<>();
                for (EvalItem item : items.subList(from, from + batch)) {
                    requests.add(GenerationRequest.greedy(m.tokenizer().encode(item.prompt(), true), 24));
                }
                List<Completion> done = g.generate(requests, null);
                for (int i = 0; i < batch; i++) {
                    int[] want = expected.get(from + i);
                    int[] got = done.get(i).tokens();
                    if (Arrays.equals(want, got)) {
                        agree++;
                    } else if (differ.size() < 5) {
                        differ.add("item " + (from + i) + ": java " + Arrays.toString(got) + " torch " + Arrays.toString(want));
                    }
                }
            }
            t.close();
            double rate = agree / (double) SLICE;
            assertTrue(rate >= 0.995, name + ": " + agree + "/" + SLICE + " agree; " + differ);
        }
    }

    private static List<int[]> pytorchIds(Path answers, int n) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<int[]> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(answers, StandardCharsets.UTF_8)) {
            String line;
            while (out.size() < n && (line = r.readLine()) != null) {
                JsonNode ids = json.readTree(line).get("ids");
                int[] a = new int[ids.size()];
                for (int i = 0; i < a.length; i++) {
                    a[i] = ids.get(i).asInt();
                }
                out.add(a);
            }
        }
        return out;
    }
}
