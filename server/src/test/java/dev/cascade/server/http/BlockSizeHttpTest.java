package dev.cascade.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.kernels.Backends;
import dev.cascade.weights.Model;
import dev.cascade.weights.ModelLoader;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A server whose KV blocks hold 8 tokens: prompts share their prefix 8 tokens at a time. */
class BlockSizeHttpTest {
    private static final String M = "{model=\"demo-tiny\"}";
    private static final StringWriter log = new StringWriter();
    private static TestServer server;
    private static Api api;

    @BeforeAll
    static void start() throws InterruptedException {
        ServedModel tiny = ModelServing.serve(TestServer.MODEL, ModelLoader.open(TestServer.MODEL, null),
                Backends.create("cpu", 2).backend(), 8L << 20, 8, 8, 64, 64, true, new PrintWriter(log));
        server = TestServer.start(TestServer.Setup.DEFAULT, tiny);
        api = server.api();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theStartupLineNamesTheBlockSize() {
        assertTrue(log.toString().contains(" blocks of 8 = "), log.toString());
    }

    /** The 42-token prompt of MetricsHttpTest finds five blocks of 8 cached (40 tokens) where blocks of 16 give 32. */
    @Test
    void prefixCacheHitsComeInBlocksOfEight() {
        String prompt = "Q: 12+34\\nA: 46\\nQ: 56+21\\nA: 77\\nQ: 38+47\\nA:";
        String first = api.post("/v1/completions", Bodies.prompt(prompt, ",'temperature':0,'max_tokens':3")).ok()
                .get("choices").get(0).get("text").textValue();
        Prometheus between = Prometheus.parse(api.get("/metrics").body());
        String second = api.post("/v1/completions", Bodies.prompt(prompt, ",'temperature':0,'max_tokens':3")).ok()
                .get("choices").get(0).get("text").textValue();
        Prometheus after = Prometheus.parse(api.get("/metrics").body());
        assertEquals(first, second, "the same answer from cached blocks");
        assertEquals(40, after.get("cascade_prefix_cache_hits_total" + M) - between.get("cascade_prefix_cache_hits_total" + M),
                "five full blocks of 8");
    }

    @Test
    void aBlockSizeOutOfRangeIsNamed() {
        Model model = ModelLoader.open(TestServer.MODEL, null);
        try {
            for (int bad : new int[] {0, -16, ModelServing.MAX_BLOCK_SIZE + 1}) {
                var e = assertThrows(IllegalArgumentException.class, () -> ModelServing.serve("tiny", model,
                        Backends.create("cpu", 1).backend(), 8L << 20, bad, 8, 64, 64, true, new PrintWriter(new StringWriter())));
                assertTrue(e.getMessage().contains("--block-size must be 1..1024 tokens, got " + bad), e.getMessage());
            }
        } finally {
            model.close();
        }
    }
}
