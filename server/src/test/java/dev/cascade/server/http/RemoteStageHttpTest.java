package dev.cascade.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cascade.kernels.Backends;
import dev.cascade.server.config.CascadeSettings;
import dev.cascade.server.config.Cascades;
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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A cascade whose second stage is another server: demo-tiny here, demo-base behind a second server started in the test. */
class RemoteStageHttpTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static ApiServer remote;
    static ApiServer local;
    static String remoteUrl;
    static String localUrl;
    static HttpClient client;

    static ServedModel serve(String name) {
        return ModelServing.serve(name, ModelLoader.open(name, null), Backends.create("cpu", 1).backend(), 16L << 20, 4, 64, 16,
                new PrintWriter(new StringWriter()));
    }

    @BeforeAll
    static void start() throws Exception {
        remote = new ApiServer(List.of(serve("demo-base")), new ApiServer.Options("127.0.0.1", 0, 1 << 20, Set.of("sk-remote"),
                Limits.DEFAULT));
        remoteUrl = "http://127.0.0.1:" + remote.start();
        ServedModel tiny = serve("demo-tiny");
        var spec = Cascades.spec(new CascadeSettings("hybrid", List.of(
                new StageSettings("demo-tiny", "min_logprob", null, -0.5, 0.03, 0.03),
                new StageSettings("remote-base", "min_logprob", null, null, 1.0, 1.0, remoteUrl, "demo-base", null)), "last"));
        // the remote stage alone: every answer is the remote's
        var remoteOnly = Cascades.spec(new CascadeSettings("remote-only", List.of(
                new StageSettings("remote-base", "min_logprob", null, null, 1.0, 1.0, remoteUrl, "demo-base", null)), "last"));
        local = new ApiServer(List.of(tiny), List.of(new ServedCascade(spec, Arrays.asList(tiny, null),
                Arrays.asList(null, RemoteStage.of("remote-base", remoteUrl, "demo-base", "sk-remote")), 0),
                new ServedCascade(remoteOnly, Arrays.asList((ServedModel) null),
                        List.of(RemoteStage.of("remote-base", remoteUrl, "demo-base", "sk-remote")), 0)),
                new ApiServer.Options("127.0.0.1", 0, 1 << 20, Set.of(), Limits.DEFAULT));
        localUrl = "http://127.0.0.1:" + local.start();
        client = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stop() {
        local.close();
        remote.close();
        client.shutdownNow();
    }

    static JsonNode post(String url, String path, Map<String, Object> body, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).POST(HttpRequest.BodyPublishers.ofString(
                JSON.writeValueAsString(body)));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    @Test
    void aHardItemIsAnsweredByTheRemoteStage() throws Exception {
        Map<String, Object> ask = Map.of("prompt", "Q: 38*47\nA:", "temperature", 0, "max_tokens", 16);
        JsonNode viaCascade = post(localUrl, "/v1/completions", with(ask, "model", "hybrid"), null);
        assertEquals("remote-base", viaCascade.at("/cascade/answered_by").asText());
        assertEquals("demo-tiny", viaCascade.at("/cascade/stages/0/model").asText());
        JsonNode direct = post(remoteUrl, "/v1/completions", with(ask, "model", "demo-base"), "sk-remote");
        assertEquals(direct.at("/choices/0/text").asText(), viaCascade.at("/choices/0/text").asText());
        assertEquals(direct.at("/usage/completion_tokens").asInt(), viaCascade.at("/cascade/stages/1/completion_tokens").asInt());
    }

    @Test
    void chatGoesThroughTheRemoteStageToo() throws Exception {
        Map<String, Object> ask = Map.of("messages", List.of(Map.of("role", "user", "content", "97*89")), "temperature", 0,
                "max_tokens", 16);
        JsonNode viaCascade = post(localUrl, "/v1/chat/completions", with(ask, "model", "hybrid"), null);
        JsonNode direct = post(remoteUrl, "/v1/chat/completions", with(ask, "model", "demo-base"), "sk-remote");
        if (viaCascade.at("/cascade/answered_by").asText().equals("remote-base")) {
            assertEquals(direct.at("/choices/0/message/content").asText(), viaCascade.at("/choices/0/message/content").asText());
        }
        JsonNode easy = post(localUrl, "/v1/chat/completions", with(Map.of("messages",
                List.of(Map.of("role", "user", "content", "copy KXQ")), "temperature", 0), "model", "hybrid"), null);
        assertEquals("demo-tiny", easy.at("/cascade/answered_by").asText());
        assertEquals(" KXQ", easy.at("/choices/0/message/content").asText());
    }

    @Test
    void logprobsOfARemoteAnswerAreTheRemotesOwn() throws Exception {
        Map<String, Object> ask = Map.of("prompt", "Q: 38*47\nA:", "temperature", 0, "max_tokens", 16, "logprobs", 2);
        JsonNode viaCascade = post(localUrl, "/v1/completions", with(ask, "model", "hybrid"), null);
        assertEquals("remote-base", viaCascade.at("/cascade/answered_by").asText());
        JsonNode direct = post(remoteUrl, "/v1/completions", with(ask, "model", "demo-base"), "sk-remote");
        JsonNode lp = viaCascade.at("/choices/0/logprobs");
        assertEquals(direct.at("/choices/0/logprobs/tokens"), lp.get("tokens"));
        assertEquals(direct.at("/choices/0/logprobs/token_logprobs"), lp.get("token_logprobs"));
        assertEquals(direct.at("/choices/0/logprobs/top_logprobs"), lp.get("top_logprobs"));

        Map<String, Object> chat = Map.of("messages", List.of(Map.of("role", "user", "content", "Q: 38*47\nA:")), "temperature", 0,
                "max_tokens", 16, "logprobs", true, "top_logprobs", 2);
        JsonNode chatCascade = post(localUrl, "/v1/chat/completions", with(chat, "model", "remote-only"), null);
        JsonNode chatDirect = post(remoteUrl, "/v1/chat/completions", with(chat, "model", "demo-base"), "sk-remote");
        assertEquals(chatDirect.at("/choices/0/logprobs"), chatCascade.at("/choices/0/logprobs"));
        assertTrue(chatCascade.at("/choices/0/logprobs/content/0/top_logprobs").size() == 2, chatCascade.toString());
    }

    static Map<String, Object> with(Map<String, Object> m, String k, Object v) {
        var out = new java.util.HashMap<>(m);
        out.put(k, v);
        return out;
    }
}
