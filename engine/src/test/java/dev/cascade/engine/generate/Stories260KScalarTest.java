package dev.cascade.engine.generate;

import dev.cascade.engine.model.Transformer;
import dev.cascade.kernels.KvLayout;
import dev.cascade.kernels.reference.ScalarBackend;
import dev.cascade.weights.Model;
import dev.cascade.weights.ModelLoader;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The reference backend and the engine reproduce llama2.c's greedy text on a real model. */
class Stories260KScalarTest {
    /** llama2.c's run.c, greedy, prompt "Once upon a time", 124 new tokens. */
    static final String EXPECTED = "Once upon a time, there was a little girl named Lily. She loved to play outside in the park. "
            + "One day, she saw a big, red ball. She wanted to play with it, but it was too high.\n"
            + "Lily's mom said, \"Lily, let's go to the park.\" Lily was sad and didn't know what to do. "
            + "She said, \"I want to play with your ball, but I can't find";

    @Test
    void greedyTextAsLlama2c() {
        Path dir = Path.of(System.getProperty("cascade.shared", "../shared"), "models/stories260K");
        assumeTrue(Files.exists(dir), "skipped: ../shared is absent");
        try (Model m = ModelLoader.load(dir.resolve("stories260K.bin"), dir.resolve("tok512.bin"))) {
            KvLayout layout = new KvLayout(m.config().layers(), 64, 16, m.config().kvHeads(), m.config().headDim());
            Transformer t = new Transformer(m, new ScalarBackend(), layout, 64);
            Generator g = new Generator(t, m.tokenizer(), new HashSet<>(m.eosTokenIds()), layout, 4);
            int[] prompt = m.tokenizer().encode("Once upon a time", true);
            Completion c = g.generate(List.of(GenerationRequest.greedy(prompt, 124)), null).getFirst();
            assertEquals(124, c.tokens().length);
            assertEquals(FinishReason.LENGTH, c.finishReason());
            assertEquals(EXPECTED, "Once upon a time" + c.text());
        }
    }
}
