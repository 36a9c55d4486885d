package dev.cascade.engine.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cascade.engine.model.Transformer;
import dev.cascade.engine.model.EngineBackends;
import dev.cascade.kernels.Backends;
import dev.cascade.kernels.KvLayout;
import dev.cascade.weights.Model;
import dev.cascade.weights.ModelLoader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * stories260K, a real trained model, generates greedily what llama2.c's algorithm generates
 * (tools/reference/stories.py), from the .bin pair and from the GGUF copy alike, all prompts in
 * one batch.
 */
class Stories260KTest {
    /** llama2.c's run.c, greedy, prompt "Once upon a time", 124 new tokens (the issue's own text). */
    static final String EXPECTED = "Once upon a time, there was a little girl named Lily. She loved to play outside in the park. "
            + "One day, she saw a big, red ball. She wanted to play with it, but it was too high.\n"
            + "Lily's mom said, \"Lily, let's go to the park.\" Lily was sad and didn't know what to do. "
            + "She said, \"I want to play with your ball, but I can't find";

    record Case(String prompt, int[] promptIds, int[] generatedIds, String text) {
    }

    static List<Case> cases() throws Exception {
        try (InputStream in = Stories260KTest.class.getResourceAsStream("/reference/stories260K.json")) {
            JsonNode root = new ObjectMapper().readTree(in);
            List<Case> out = new ArrayList<>();
            for (JsonNode c : root.get("cases")) {
                out.add(new Case(c.get("prompt").asText(), ints(c.get("prompt_ids")), ints(c.get("generated_ids")),
                        c.get("text").asText()));
            }
            return out;
        }
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    static Stream<Arguments> runs() {
        return Stream.of("stories260K.bin", "stories260K.gguf")
                .flatMap(file -> EngineBackends.names().stream().map(backend -> Arguments.of(file, backend)));
    }

    @ParameterizedTest
    @MethodSource("runs")
    void greedyTextAsLlama2c(String file, String backend) throws Exception {
        Path dir = Path.of(System.getProperty("cascade.shared", "../shared"), "models/stories260K");
        assumeTrue(Files.exists(dir), "skipped: ../shared is absent");
        List<Case> cases = cases();
        Path tokenizer = file.endsWith(".bin") ? dir.resolve("tok512.bin") : null;
        try (Model m = ModelLoader.load(dir.resolve(file), tokenizer)) {
            KvLayout layout = new KvLayout(m.config().layers(), cases.size() * 10, 16, m.config().kvHeads(), m.config().headDim());
            Transformer t = new Transformer(m, Backends.create(backend, 2).backend(), layout, 64);
            Generator g = new Generator(t, m.tokenizer(), EndTokens.of(m), layout, cases.size());
            List<GenerationRequest> requests = new ArrayList<>();
            for (Case c : cases) {
                int[] ids = m.tokenizer().encode(c.prompt(), true);
                assertArrayEquals(c.promptIds(), ids, "prompt ids of " + c.prompt());
                requests.add(GenerationRequest.greedy(ids, 124));
            }
            List<Completion> results = g.generate(requests, null);
            for (int i = 0; i < cases.size(); i++) {
                Case c = cases.get(i);
                assertArrayEquals(c.generatedIds(), results.get(i).tokens(), "tokens for " + c.prompt());
                assertEquals(c.text(), results.get(i).text(), "text for " + c.prompt());
            }
            assertEquals(EXPECTED, cases.getFirst().prompt() + results.getFirst().text());
            t.close();
        }
    }
}
