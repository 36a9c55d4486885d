package dev.cascade.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cascade.kernels.KvLayout;
import dev.cascade.kernels.Backends;
import dev.cascade.weights.Model;
import dev.cascade.weights.ModelLoader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Logits of random-weight Hugging Face models against tools/reference/reference.py (numpy,
 * float64): Llama with GQA and an untied head, Llama with tied embeddings, Llama 3 RoPE scaling,
 * Qwen2 with QKV biases.
 */
class ReferenceLogitsTest {

    record Reference(Path folder, int[] prompt, float[][] logits) {
        static Reference load(String name) throws IOException, URISyntaxException {
            Path folder = Path.of(ReferenceLogitsTest.class.getResource("/reference/" + name + "/config.json").toURI()).getParent();
            JsonNode meta = new ObjectMapper().readTree(folder.resolve("expected.json").toFile());
            int[] prompt = new int[meta.get("prompt").size()];
            for (int i = 0; i < prompt.length; i++) {
                prompt[i] = meta.get("prompt").get(i).asInt();
            }
            int vocab = meta.get("vocab").asInt();
            ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(folder.resolve("logits.f32"))).order(ByteOrder.LITTLE_ENDIAN);
            float[][] logits = new float[prompt.length][vocab];
            for (float[] row : logits) {
                bytes.asFloatBuffer().get(row);
                bytes.position(bytes.position() + vocab * 4);
            }
            return new Reference(folder, prompt, logits);
        }
    }

    static final int PREFILL = 7;

    static Stream<Arguments> cases() {
        return Stream.of("llama-gqa", "llama-tied", "llama3-scaled", "qwen2-bias")
                .flatMap(name -> EngineBackends.names().stream().map(backend -> Arguments.of(name, backend)));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void logitsMatchNumpy(String name, String backend) throws Exception {
        Reference ref = Reference.load(name);
        try (Model m = ModelLoader.loadWeights(ref.folder())) {
            KvLayout layout = new KvLayout(m.config().layers(), 8, 16, m.config().kvHeads(), m.config().headDim());
            Transformer t = new Transformer(m, Backends.create(backend, 2).backend(), layout, 16);
            float[][] got = ForcedDecoding.run(t, layout, ref.prompt(), PREFILL);
            for (int i = 0; i < got.length; i++) {
                double err = ForcedDecoding.relativeError(got[i], ref.logits()[PREFILL - 1 + i]);
                assertTrue(err < 1e-4, name + " on " + backend + ", position " + (PREFILL - 1 + i) + ": relative error " + err);
            }
            t.close();
        }
    }
}
