package dev.cascade.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cascade.engine.cascade.JudgeModel;
import dev.cascade.kernels.Backends;
import dev.cascade.server.config.CascadeSettings;
import dev.cascade.server.config.Cascades;
import dev.cascade.server.config.JudgeSettings;
import dev.cascade.server.config.StageSettings;
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

/**
 * A cascade whose stages are judged by models served alongside: demo-tiny judges its own answers
 * (so scoring must not wait on the scheduler thread that the judge needs), demo-base judges
 * demo-small's. The demo models copy, so the judge prompt asks the judge to copy the answer and
 * "yes" is a leading Y: answers starting with Y are accepted.
 */
class JudgeHttpTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String TEMPLATE = "Q: copy{answer}\nA: ";
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
        CascadeSettings judged = new CascadeSettings("judged", List.of(
                judgedStage("demo-tiny", 0.5, 0.03, new JudgeSettings("demo-tiny", TEMPLATE, List.of("Y"), null, null)),
                // a probability never reaches 1.01: demo-small's answers are always sent on, after demo-base has judged them
                judgedStage("demo-small", 1.01, 0.12, new JudgeSettings("demo-base", TEMPLATE, List.of("Y"), null, null)),
                new StageSettings("demo-base", null, null, null, 1.0, 1.0)), "last");
        var spec = Cascades.spec(judged, false, name -> models.stream().filter(m -> m.name().equals(name)).findFirst()
                .map(m -> new JudgeModel(m.name(), m.loop(), m.tokenizer())).orElse(null));
        server = new ApiServer(models, List.of(new ServedCascade(spec, models, 0)),
                new ApiServer.Options("127.0.0.1", 0, 1 << 20, Set.of(), Limits.DEFAULT));
        url = "http://127.0.0.1:" + server.start();
        client = HttpClient.newHttpClient();
    }

    static StageSettings judgedStage(String model, double threshold, double cost, JudgeSettings judge) {
        return new StageSettings(model, "judge", null, threshold, cost, cost, null, null, null, null, null, null, null, judge);
    }

    @AfterAll
    static void stop() {
        server.close();
        client.shutdownNow();
    }

    /** The judge prompt's length: the demo models share one tokenizer. */
    static int judgePromptTokens(String answer) {
        return server.models().get("demo-tiny").tokenizer().encode(TEMPLATE.replace("{answer}", answer), true).length;
    }

    static JsonNode complete(String prompt) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url + "/v1/completions"))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("model", "judged", "prompt", prompt,
                        "temperature", 0)))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    @Test
    void anAnswerTheJudgeLikesIsAcceptedAndItsCostIsTraced() throws Exception {
        JsonNode body = complete("Q: copy YES\nA:");
        assertEquals(" YES", body.at("/choices/0/text").asText());
        JsonNode tiny = body.at("/cascade/stages/0");
        assertEquals("judge", tiny.get("scorer").asText());
        assertTrue(tiny.get("accepted").asBoolean(), body.toString());
        double p = tiny.get("score").asDouble();
        assertTrue(p >= 0.5 && p <= 1, "the judge's probability of yes: " + p);
        // the judge's prompt "<s>Q: copy YES\nA: " at demo-tiny's prices (0.03 a token), plus its one token
        assertEquals(0.03 * judgePromptTokens(" YES") + 0.03, tiny.get("scoring_cost").asDouble(), 1e-9);
        int generated = tiny.get("completion_tokens").asInt();
        int prompt = tiny.get("prompt_tokens").asInt();
        assertEquals(0.03 * (prompt + generated) + tiny.get("scoring_cost").asDouble(), tiny.get("cost").asDouble(), 1e-9,
                "the stage's cost includes its judging");
        assertEquals(1, body.at("/cascade/stages").size());
    }

    @Test
    void anAnswerTheJudgesRejectGoesOn() throws Exception {
        JsonNode body = complete("Q: copy NO\nA:");
        JsonNode stages = body.at("/cascade/stages");
        assertEquals(3, stages.size(), body.toString());
        for (int i = 0; i < 2; i++) {
            JsonNode s = stages.get(i);
            assertEquals("judge", s.get("scorer").asText());
            assertFalse(s.get("accepted").asBoolean());
            assertTrue(s.get("score").asDouble() >= 0 && s.get("score").asDouble() < 0.5, s.toString());
            assertTrue(s.get("scoring_cost").asDouble() > 0);
        }
        // demo-base judged demo-small: demo-base's prices (1 a token) for its prompt and one generated token
        assertEquals(judgePromptTokens(" NO") + 1, stages.get(1).get("scoring_cost").asDouble(), 1e-9, stages.get(1).toString());
        assertEquals("demo-base", body.at("/cascade/answered_by").asText());
        assertEquals(0.0, stages.get(2).get("scoring_cost").asDouble());
    }

    @Test
    void manyJudgedRequestsAtOnceAllFinish() throws Exception {
        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String prompt = i % 2 == 0 ? "Q: copy YES\nA:" : "Q: copy NO\nA:";
            pending.add(client.sendAsync(HttpRequest.newBuilder(URI.create(url + "/v1/completions"))
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("model", "judged", "prompt", prompt,
                            "temperature", 0)))).build(), HttpResponse.BodyHandlers.ofString()));
        }
        for (int i = 0; i < pending.size(); i++) {
            HttpResponse<String> r = pending.get(i).get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(i % 2 == 0 ? "demo-tiny" : "demo-base", JSON.readTree(r.body()).at("/cascade/answered_by").asText());
        }
    }
}
