package dev.cascade.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import static dev.cascade.server.http.Bodies.ADD_PROMPT_TOKENS;
import static dev.cascade.server.http.Bodies.completion;
import static dev.cascade.server.http.Shapes.fields;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /metrics in Prometheus' text format, /health, and the model list. */
class MetricsHttpTest {
    private static final String M = "{model=\"demo-tiny\"}";

    private static TestServer server;
    private static Api api;
    /** Taken before any request was made. */
    private static Prometheus first;

    @BeforeAll
    static void start() throws InterruptedException {
        server = TestServer.start();
        api = server.api();
        first = scrape();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void health() {
        Reply r = api.get("/health");
        assertEquals(200, r.status());
        assertEquals("application/json", r.header("content-type"));
        assertEquals("{\"status\":\"ok\"}", r.body());
    }

    @Test
    void modelList() {
        Reply r = api.get("/v1/models");
        assertEquals(200, r.status());
        JsonNode root = r.json();
        assertEquals(List.of("object", "data"), fields(root));
        assertEquals("list", root.get("object").textValue());
        assertEquals(1, root.get("data").size());
        JsonNode model = root.get("data").get(0);
        assertEquals(List.of("id", "object", "created", "owned_by", "max_model_len"), fields(model));
        assertEquals("demo-tiny", model.get("id").textValue());
        assertEquals("model", model.get("object").textValue());
        assertTrue(Math.abs(model.get("created").longValue() - System.currentTimeMillis() / 1000) < 600);
        assertEquals("cascade", model.get("owned_by").textValue());
        assertEquals(64, model.get("max_model_len").intValue());
        assertEquals(model, api.get("/v1/models/demo-tiny").ok(), "one model: the same object alone");
        assertEquals(model, api.get("/v1/models/demo-tiny/").ok(), "a trailing slash is the same path");
    }

    @Test
    void textFormat() {
        Reply r = api.get("/metrics");
        assertEquals(200, r.status());
        assertTrue(r.header("content-type").startsWith("text/plain; version=0.0.4"), r.header("content-type"));
        assertTrue(r.body().contains("# HELP cascade_time_to_first_token_seconds "), r.body());
    }

    /** Every series is there from the start, at zero, so that rate() and dashboards work before any traffic. */
    @Test
    void everyMetricIsThereLabelledByModel() {
        Prometheus p = first;
        for (String gauge : List.of("cascade_requests_running", "cascade_requests_waiting", "cascade_kv_blocks_used",
                "cascade_kv_blocks_free", "cascade_kv_blocks_cached")) {
            assertEquals("gauge", p.types().get(gauge), gauge);
            p.get(gauge + M);
        }
        for (String counter : List.of("cascade_prompt_tokens_total", "cascade_generation_tokens_total",
                "cascade_preemptions_total", "cascade_prefix_cache_queries_total", "cascade_prefix_cache_hits_total")) {
            assertEquals("counter", p.types().get(counter), counter);
            assertEquals(0, p.get(counter + M), counter);
        }
        assertEquals("counter", p.types().get("cascade_requests_total"));
        for (String reason : List.of("stop", "length", "abort")) {
            assertEquals(0, p.get("cascade_requests_total{finish_reason=\"" + reason + "\",model=\"demo-tiny\"}"));
        }
        for (String histogram : List.of("cascade_time_to_first_token_seconds", "cascade_time_per_output_token_seconds",
                "cascade_e2e_request_latency_seconds")) {
            assertEquals("histogram", p.types().get(histogram), histogram);
            assertEquals(0, p.get(histogram + "_count" + M), histogram);
            assertEquals(0, p.get(histogram + "_sum" + M), histogram);
            assertEquals(0, p.get(histogram + "_bucket{model=\"demo-tiny\",le=\"+Inf\"}"), histogram);
        }
        assertEquals(0, p.get("cascade_requests_running" + M));
        assertEquals(0, p.get("cascade_requests_waiting" + M));
        // the cache is sized to maxSeqs full contexts: 8 × 64 tokens in blocks of 16
        assertEquals(0, p.get("cascade_kv_blocks_used" + M));
        assertEquals(32, p.get("cascade_kv_blocks_free" + M));
    }

    @Test
    void countersGrowWithARequest() {
        Prometheus before = scrape();
        api.post("/v1/completions", completion(",'ignore_eos':true,'max_tokens':4")).ok();
        Prometheus after = scrape();
        assertEquals(ADD_PROMPT_TOKENS, delta(before, after, "cascade_prompt_tokens_total" + M));
        assertEquals(4, delta(before, after, "cascade_generation_tokens_total" + M));
        assertEquals(1, delta(before, after, "cascade_requests_total{finish_reason=\"length\",model=\"demo-tiny\"}"));
        assertEquals(1, delta(before, after, "cascade_time_to_first_token_seconds_count" + M));
        // four tokens, three gaps between them
        assertEquals(3, delta(before, after, "cascade_time_per_output_token_seconds_count" + M));
        assertEquals(1, delta(before, after, "cascade_e2e_request_latency_seconds_count" + M));
        assertTrue(delta(before, after, "cascade_e2e_request_latency_seconds_sum" + M) > 0);
        assertEquals(0, after.get("cascade_preemptions_total" + M));
        api.post("/v1/completions", completion("")).ok();
        assertEquals(1, delta(after, scrape(), "cascade_requests_total{finish_reason=\"stop\",model=\"demo-tiny\"}"));
    }

    /**
     * The same 42-token prompt twice: the second finds its first two full blocks (32 tokens) in the
     * prefix cache, and the answer is the same.
     */
    @Test
    void prefixCacheHitsCountPromptTokensFoundCached() {
        String prompt = "Q: 12+34\\nA: 46\\nQ: 56+21\\nA: 77\\nQ: 38+47\\nA:"; // one token per character, with BOS: 42
        Prometheus before = scrape();
        String first = api.post("/v1/completions", Bodies.prompt(prompt, ",'temperature':0,'max_tokens':3")).ok()
                .get("choices").get(0).get("text").textValue();
        Prometheus between = scrape();
        String second = api.post("/v1/completions", Bodies.prompt(prompt, ",'temperature':0,'max_tokens':3")).ok()
                .get("choices").get(0).get("text").textValue();
        Prometheus after = scrape();
        assertEquals(first, second);
        assertEquals(42, delta(before, between, "cascade_prefix_cache_queries_total" + M));
        assertEquals(42, delta(between, after, "cascade_prefix_cache_queries_total" + M));
        assertEquals(32, delta(between, after, "cascade_prefix_cache_hits_total" + M), "two full blocks of 16");
        assertTrue(after.get("cascade_kv_blocks_cached" + M) >= 2, "the blocks stay cached once released");
    }

    /** A {@link LoopGate} holds the loop while the request's four choices run, one token in. */
    @Test
    void gaugesShowARunningRequest() throws Exception {
        ServedModel model = server.server.models().get(TestServer.MODEL);
        try (LoopGate gate = LoopGate.holdingAtToken(model, 1)) {
            CompletableFuture<Reply> running = api.postAsync("/v1/completions",
                    completion(",'ignore_eos':true,'max_tokens':50,'n':4"));
            // the loop has not yet finished the gate's first step, so it counts the gate as waiting too
            Waiting.until(() -> scrape().get("cascade_requests_waiting" + M) == 5, "the choices are submitted");
            long started = server.firstTokens();
            gate.releaseUntil(() -> server.firstTokens() >= started + 4);
            Prometheus during = scrape();
            assertEquals(5, during.get("cascade_requests_running" + M), "the gate and four choices");
            assertEquals(0, during.get("cascade_requests_waiting" + M));
            assertTrue(during.get("cascade_kv_blocks_used" + M) >= 5, "a block each at least");
            assertEquals(32, during.get("cascade_kv_blocks_used" + M) + during.get("cascade_kv_blocks_free" + M));
            gate.release();
            running.get().ok();
            gate.finished.get();
        }
        // the gauges are sampled after each step, and the reply may come just before
        Waiting.until(() -> scrape().get("cascade_kv_blocks_used" + M) == 0, "the blocks return to the pool");
        Prometheus idle = scrape();
        assertEquals(32, idle.get("cascade_kv_blocks_free" + M));
        assertEquals(0, idle.get("cascade_requests_running" + M));
    }

    private static Prometheus scrape() {
        return Prometheus.parse(api.get("/metrics").body());
    }

    private static double delta(Prometheus before, Prometheus after, String series) {
        return after.get(series) - before.get(series);
    }
}
