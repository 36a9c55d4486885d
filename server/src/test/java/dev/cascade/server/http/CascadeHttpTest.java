package dev.cascade.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cascade.engine.cascade.CascadeSpec;
import dev.cascade.kernels.Backends;
import dev.cascade.server.config.Cascades;
import dev.cascade.server.openai.Limits;
import dev.cascade.weights.ModelLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** demo-cascade over HTTP: listed like a model, an easy item answered by tiny, a hard one escalated, a trace either way. */
class CascadeHttpTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static ApiServer server;
    static String url;
    static HttpClient client;

    @BeforeAll
    static void start() throws Exception {
        List<ServedModel> models = new ArrayList<>();
        for (String name : List.of("demo-tiny", "demo-small", "demo-base")) {
            models.add(ModelServing.serve(name, ModelLoader.open(name, null), Backends.create("cpu", 1).backend(), 16L << 20,
                    4, 64, 16, new PrintWriter(new StringWriter())));
        }
        CascadeSpec spec = Cascades.spec(Cascades.DEMO);
        // the same cascade, but multiplications go straight to demo-base
        CascadeSpec routed = Cascades.spec(new dev.cascade.server.config.CascadeSettings("routed",
                Cascades.DEMO.stages(), "last", true,
                List.of(new dev.cascade.server.config.RouteSettings("\\d\\*\\d", null, "demo-base"))));
        server = new ApiServer(models, List.of(new ServedCascade(spec, models, 0), new ServedCascade(routed, models, 0),
                        new ServedCascade(Cascades.spec(learnedRouter()), models, 0)),
                new ApiServer.Options("127.0.0.1", 0, 1 << 20, Set.of(), Limits.DEFAULT));
        url = "http://127.0.0.1:" + server.start();
        client = HttpClient.newHttpClient();
    }

    /**
     * demo-cascade with a learned router that sends multiplications (which demo-tiny gets wrong)
     * straight to demo-base, trained here on the first 300 items of the demo set, labelled by difficulty.
     */
    static dev.cascade.server.config.CascadeSettings learnedRouter() throws Exception {
        var items = dev.cascade.engine.eval.EvalDataset.read(dev.cascade.weights.DemoModels.folder("demo-tiny").getParent()
                .resolve("eval.jsonl")).subList(0, 300);
        var x = items.stream().map(i -> dev.cascade.engine.cascade.PromptFeatures.of(i.prompt(), 1024)).toList();
        boolean[] fails = new boolean[items.size()];
        for (int j = 0; j < fails.length; j++) {
            fails[j] = items.get(j).difficulty().equals("hard"); // the multiplications
        }
        var c = dev.cascade.engine.cascade.PromptClassifier.fit(x, fails, 1024);
        return new dev.cascade.server.config.CascadeSettings("learned", Cascades.DEMO.stages(), "last", true, null,
                new dev.cascade.server.config.LearnedRouterSettings("learned", "demo-base", 0.5, 1024, c.sparseWeights(),
                        c.lengthWeight(), c.bias()));
    }

    @AfterAll
    static void stop() {
        server.close();
        client.shutdownNow();
    }

    static HttpResponse<String> post(String path, Map<String, Object> body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url + path))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void listedLikeAModel() throws Exception {
        JsonNode list = JSON.readTree(client.send(HttpRequest.newBuilder(URI.create(url + "/v1/models")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        List<String> ids = new ArrayList<>();
        list.get("data").forEach(m -> ids.add(m.get("id").asText()));
        assertEquals(List.of("demo-tiny", "demo-small", "demo-base", "demo-cascade", "routed", "learned"), ids);
        JsonNode one = JSON.readTree(client.send(HttpRequest.newBuilder(URI.create(url + "/v1/models/demo-cascade")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertEquals(64, one.get("max_model_len").asInt());
    }

    @Test
    void anEasyItemIsAnsweredByTheFirstStage() throws Exception {
        HttpResponse<String> r = post("/v1/chat/completions", Map.of("model", "demo-cascade", "temperature", 0,
                "messages", List.of(Map.of("role", "user", "content", "copy KXQ"))));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode body = JSON.readTree(r.body());
        assertEquals(" KXQ", body.at("/choices/0/message/content").asText());
        assertEquals("demo-cascade", body.get("model").asText());
        JsonNode trace = body.get("cascade");
        assertEquals("demo-tiny", trace.get("answered_by").asText());
        assertEquals(1, trace.get("stages").size());
        assertTrue(trace.at("/stages/0/accepted").asBoolean());
        assertTrue(trace.at("/stages/0/score").asDouble() >= -0.5);
        assertEquals("demo-tiny", r.headers().firstValue("x-cascade-stage").orElseThrow());
        assertEquals(trace.get("cost").asDouble(), Double.parseDouble(r.headers().firstValue("x-cascade-cost").orElseThrow()), 1e-4);
    }

    @Test
    void aHardItemEscalatesAndStreamingSaysTheSame() throws Exception {
        Map<String, Object> request = Map.of("model", "demo-cascade", "prompt", "Q: 38*47\nA:", "temperature", 0);
        HttpResponse<String> whole = post("/v1/completions", request);
        assertEquals(200, whole.statusCode(), whole.body());
        JsonNode body = JSON.readTree(whole.body());
        JsonNode stages = body.at("/cascade/stages");
        assertTrue(stages.size() >= 2, body.toString());
        assertFalse(stages.get(0).get("accepted").asBoolean(), "tiny's answer to a multiplication is rejected");
        assertEquals(stages.get(stages.size() - 1).get("model").asText(), body.at("/cascade/answered_by").asText());

        Map<String, Object> streaming = new java.util.HashMap<>(request);
        streaming.put("stream", true);
        HttpResponse<String> sse = post("/v1/completions", streaming);
        assertEquals(200, sse.statusCode());
        assertTrue(sse.body().startsWith(": cascade demo-cascade: stage 1 (demo-tiny) running"), sse.body());
        StringBuilder text = new StringBuilder();
        JsonNode last = null;
        for (String line : sse.body().split("\n")) {
            if (line.startsWith("data: {")) {
                last = JSON.readTree(line.substring(6));
                text.append(last.at("/choices/0/text").asText());
            }
        }
        assertTrue(sse.body().strip().endsWith("data: [DONE]"));
        assertEquals(body.at("/choices/0/text").asText(), text.toString(), "streamed and whole texts are equal");
        assertEquals(body.at("/cascade/answered_by").asText(), last.at("/cascade/answered_by").asText());
    }

    @Test
    void nChoicesAreNRunsWithSuccessiveSeeds() throws Exception {
        Map<String, Object> request = new java.util.HashMap<>(Map.of("model", "demo-cascade", "prompt", "Q: 38*47\nA:",
                "temperature", 1.0, "seed", 7, "n", 3));
        HttpResponse<String> r = post("/v1/completions", request);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode body = JSON.readTree(r.body());
        JsonNode choices = body.get("choices");
        assertEquals(3, choices.size());
        double total = 0;
        List<String> stages = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            JsonNode c = choices.get(i);
            assertEquals(i, c.get("index").asInt());
            JsonNode trace = c.get("cascade");
            total += trace.get("cost").asDouble();
            stages.add(trace.get("answered_by").asText());
            // choice i is the request with seed 7 + i, alone
            request.put("n", 1);
            request.put("seed", 7 + i);
            JsonNode alone = JSON.readTree(post("/v1/completions", request).body());
            assertEquals(alone.at("/choices/0/text").asText(), c.get("text").asText(), "choice " + i);
            assertEquals(alone.at("/cascade/answered_by").asText(), trace.get("answered_by").asText());
        }
        assertEquals(total, body.at("/cascade/total_cost").asDouble(), 1e-9);
        assertEquals(choices.get(0).get("cascade").get("cost"), body.at("/cascade/cost"), "the top-level trace is the first choice's");
        assertEquals(String.join(",", stages), r.headers().firstValue("x-cascade-stage").orElseThrow());
        assertEquals(total, Double.parseDouble(r.headers().firstValue("x-cascade-cost").orElseThrow()), 1e-3);
    }

    @Test
    void logprobsAreThoseOfTheStageThatAnswered() throws Exception {
        for (String prompt : List.of("Q: copy AB\nA:", "Q: 38*47\nA:")) {
            JsonNode cascaded = JSON.readTree(post("/v1/completions", Map.of("model", "demo-cascade", "prompt", prompt,
                    "temperature", 0, "logprobs", 3)).body());
            String by = cascaded.at("/cascade/answered_by").asText();
            assertEquals(prompt.contains("*"), !by.equals("demo-tiny"), "the multiplication escalates, the copy does not");
            JsonNode direct = JSON.readTree(post("/v1/completions", Map.of("model", by, "prompt", prompt, "temperature", 0,
                    "logprobs", 3)).body());
            JsonNode lp = cascaded.at("/choices/0/logprobs");
            assertEquals(direct.at("/choices/0/logprobs"), lp, prompt + " answered by " + by);
            assertEquals(cascaded.at("/usage/completion_tokens").asInt(), lp.get("tokens").size());
            assertEquals(3, lp.at("/top_logprobs/0").size());
        }
        // chat: the same, with the chat shape of logprobs
        Map<String, Object> chat = Map.of("model", "demo-cascade", "temperature", 0, "logprobs", true, "top_logprobs", 2,
                "messages", List.of(Map.of("role", "user", "content", "Q: 38*47\nA:")));
        JsonNode cascaded = JSON.readTree(post("/v1/chat/completions", chat).body());
        String by = cascaded.at("/cascade/answered_by").asText();
        Map<String, Object> direct = new java.util.HashMap<>(chat);
        direct.put("model", by);
        JsonNode alone = JSON.readTree(post("/v1/chat/completions", direct).body());
        assertEquals(alone.at("/choices/0/logprobs"), cascaded.at("/choices/0/logprobs"));
        assertTrue(cascaded.at("/choices/0/logprobs/content").size() > 0);
    }

    @Test
    void streamingSeveralChoicesWithLogprobs() throws Exception {
        Map<String, Object> request = new java.util.HashMap<>(Map.of("model", "demo-cascade", "temperature", 0, "n", 2,
                "logprobs", true, "messages", List.of(Map.of("role", "user", "content", "Q: copy KXQ\nA:"))));
        JsonNode whole = JSON.readTree(post("/v1/chat/completions", request).body());
        request.put("stream", true);
        HttpResponse<String> sse = post("/v1/chat/completions", request);
        assertEquals(200, sse.statusCode());
        StringBuilder[] text = {new StringBuilder(), new StringBuilder()};
        int[] logprobTokens = new int[2];
        int traces = 0;
        for (String line : sse.body().split("\n")) {
            if (line.startsWith("data: {")) {
                JsonNode chunk = JSON.readTree(line.substring(6));
                int index = chunk.at("/choices/0/index").asInt();
                text[index].append(chunk.at("/choices/0/delta/content").asText(""));
                logprobTokens[index] += chunk.at("/choices/0/logprobs/content").size();
                traces += chunk.has("cascade") ? 1 : 0;
            }
        }
        assertTrue(sse.body().strip().endsWith("data: [DONE]"), sse.body());
        assertEquals(2, traces, "each choice's last chunk carries its trace");
        for (int i = 0; i < 2; i++) {
            assertEquals(whole.at("/choices/" + i + "/message/content").asText(), text[i].toString());
            assertEquals(whole.at("/choices/" + i + "/logprobs/content").size(), logprobTokens[i]);
        }
    }

    @Test
    void metricsPerCascade() throws Exception {
        post("/v1/completions", Map.of("model", "demo-cascade", "prompt", "Q: copy AB\nA:", "temperature", 0));
        post("/v1/completions", Map.of("model", "demo-cascade", "prompt", "Q: 38*47\nA:", "temperature", 0));
        String m = client.send(HttpRequest.newBuilder(URI.create(url + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(value(m, "cascade_stage_answers_total{cascade=\"demo-cascade\",model=\"demo-tiny\"}") >= 1, m);
        assertTrue(value(m, "cascade_escalations_total{cascade=\"demo-cascade\",model=\"demo-tiny\"}") >= 1, m);
        assertTrue(value(m, "cascade_cost_total{cascade=\"demo-cascade\"}") > 0, m);
        assertTrue(value(m, "cascade_cost_saved_total{cascade=\"demo-cascade\"}") > 0, m);
        double rate = value(m, "cascade_escalation_rate{cascade=\"demo-cascade\"}");
        assertTrue(rate > 0 && rate < 1, "some of the requests so far escalated: " + rate);
        assertTrue(value(m, "cascade_stage_score_count{cascade=\"demo-cascade\",model=\"demo-tiny\"}") >= 2, m);
    }

    private static double value(String metrics, String series) {
        return metrics.lines().filter(l -> l.startsWith(series + " ")).mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1)))
                .findFirst().orElseThrow(() -> new AssertionError("no " + series));
    }

    @Test
    void aClientHangingUpMidCascadeLeavesNothingRunning() throws Exception {
        String json = JSON.writeValueAsString(Map.of("model", "demo-cascade", "prompt", "Q: 97*89\nA:", "max_tokens", 40,
                "ignore_eos", true, "stream", true));
        int port = Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(("POST /v1/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + json.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + "\r\n\r\n" + json)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            var reader = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.UTF_8));
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.startsWith(": cascade")) {
                    break; // a stage is running: hang up now
                }
            }
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        boolean idle = false;
        while (!idle && System.nanoTime() < deadline) {
            idle = server.cascades().get("demo-cascade").localModels().stream()
                    .allMatch(m -> !m.loop().busy() && m.loop().blocksUsed() == 0);
            Thread.sleep(10);
        }
        assertTrue(idle, "every stage's sequences ended and their KV blocks are free");
        assertEquals(200, post("/v1/completions", Map.of("model", "demo-cascade", "prompt", "Q: copy AB\nA:")).statusCode());
    }

    @Test
    void aRouteStartsMatchingRequestsAtALaterStage() throws Exception {
        JsonNode hard = JSON.readTree(post("/v1/completions", Map.of("model", "routed", "prompt", "Q: 38*47\nA:", "temperature", 0))
                .body());
        assertEquals(3, hard.at("/cascade/started_at_stage").asInt());
        assertEquals(1, hard.at("/cascade/stages").size(), "only demo-base ran");
        assertEquals("demo-base", hard.at("/cascade/answered_by").asText());
        JsonNode easy = JSON.readTree(post("/v1/completions", Map.of("model", "routed", "prompt", "Q: copy AB\nA:", "temperature", 0))
                .body());
        assertEquals(1, easy.at("/cascade/started_at_stage").asInt());
        assertEquals("demo-tiny", easy.at("/cascade/answered_by").asText());
    }

    @Test
    void theLearnedRouterSendsAHardLookingPromptToTheLastStage() throws Exception {
        JsonNode hard = JSON.readTree(post("/v1/completions", Map.of("model", "learned", "prompt", "Q: 38*47\nA:", "temperature", 0))
                .body());
        assertEquals(3, hard.at("/cascade/started_at_stage").asInt(), hard.toString());
        assertEquals("router", hard.at("/cascade/started_by").asText());
        assertTrue(hard.at("/cascade/router_failure_probability").asDouble() > 0.5, hard.toString());
        assertEquals(1, hard.at("/cascade/stages").size(), "only demo-base ran");
        assertEquals("demo-base", hard.at("/cascade/answered_by").asText());
        JsonNode easy = JSON.readTree(post("/v1/chat/completions", Map.of("model", "learned", "temperature", 0,
                "messages", List.of(Map.of("role", "user", "content", "Q: copy KXQ\nA:")))).body());
        assertEquals(1, easy.at("/cascade/started_at_stage").asInt(), easy.toString());
        assertEquals("default", easy.at("/cascade/started_by").asText());
        assertTrue(easy.at("/cascade/router_failure_probability").asDouble() < 0.5, easy.toString());
        assertEquals("demo-tiny", easy.at("/cascade/stages/0/model").asText());
        JsonNode ruled = JSON.readTree(post("/v1/completions", Map.of("model", "routed", "prompt", "Q: 38*47\nA:")).body());
        assertEquals("route 1", ruled.at("/cascade/started_by").asText());
        assertTrue(ruled.at("/cascade/router_failure_probability").isMissingNode(), "no router to ask");
    }
}
