package dev.cascade.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static dev.cascade.server.http.Bodies.chat;
import static dev.cascade.server.http.Bodies.completion;
import static dev.cascade.server.http.Shapes.fields;
import static dev.cascade.server.http.Shapes.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Log probabilities in both of OpenAI's shapes: completions' parallel lists and chat's content
 * entries. One entry per generated token; greedy decoding picks the likeliest, so the chosen token
 * leads its alternatives.
 */
class LogprobsHttpTest {
    private static TestServer server;
    private static Api api;

    @BeforeAll
    static void start() throws InterruptedException {
        server = TestServer.start();
        api = server.api();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void completionLogprobs() {
        JsonNode root = api.post("/v1/completions", completion(",'logprobs':2")).ok();
        JsonNode lp = root.get("choices").get(0).get("logprobs");
        assertEquals(List.of("tokens", "token_logprobs", "top_logprobs", "text_offset"), fields(lp));
        int count = root.get("usage").get("completion_tokens").intValue();
        assertEquals(List.of(" ", "8", "5"), strings(lp.get("tokens")));
        assertEquals(count, lp.get("tokens").size());
        assertEquals(count, lp.get("token_logprobs").size());
        assertEquals(count, lp.get("top_logprobs").size());
        assertEquals("[0,1,2]", lp.get("text_offset").toString());
        assertEquals(text(root, 0), String.join("", strings(lp.get("tokens"))));
        for (int i = 0; i < count; i++) {
            double logprob = lp.get("token_logprobs").get(i).doubleValue();
            assertTrue(logprob <= 0 && logprob > -1, "greedy picks a likely token: " + logprob);
            JsonNode top = lp.get("top_logprobs").get(i);
            assertEquals(2, top.size(), top.toString());
            String token = lp.get("tokens").get(i).textValue();
            assertEquals(logprob, top.get(token).doubleValue(), "the chosen token is among the top");
            assertEquals(token, fields(top).getFirst(), "likeliest first");
        }
    }

    @Test
    void completionLogprobsZeroStillListsTheChosenToken() {
        JsonNode lp = api.post("/v1/completions", completion(",'logprobs':0")).ok().get("choices").get(0).get("logprobs");
        for (int i = 0; i < lp.get("tokens").size(); i++) {
            JsonNode top = lp.get("top_logprobs").get(i);
            assertEquals(List.of(lp.get("tokens").get(i).textValue()), fields(top));
        }
    }

    @Test
    void streamedCompletionLogprobsMatchTheWholeResponse() {
        JsonNode whole = api.post("/v1/completions", completion(",'logprobs':2")).ok().get("choices").get(0).get("logprobs");
        SseReply stream = api.stream("/v1/completions", completion(",'logprobs':2,'stream':true"));
        List<JsonNode> tokens = new ArrayList<>();
        List<JsonNode> logprobs = new ArrayList<>();
        List<JsonNode> tops = new ArrayList<>();
        List<JsonNode> offsets = new ArrayList<>();
        for (JsonNode chunk : stream.choiceChunks()) {
            JsonNode lp = chunk.get("choices").get(0).get("logprobs");
            if (!lp.isNull()) {
                lp.get("tokens").forEach(tokens::add);
                lp.get("token_logprobs").forEach(logprobs::add);
                lp.get("top_logprobs").forEach(tops::add);
                lp.get("text_offset").forEach(offsets::add);
            }
        }
        assertEquals(list(whole.get("tokens")), tokens);
        assertEquals(list(whole.get("token_logprobs")), logprobs);
        assertEquals(list(whole.get("top_logprobs")), tops);
        // text_offset counts from the start of the whole text, not of each chunk
        assertEquals(list(whole.get("text_offset")), offsets);
    }

    @Test
    void chatLogprobsWithoutAlternatives() {
        JsonNode root = api.post("/v1/chat/completions", chat(",'logprobs':true")).ok();
        JsonNode lp = root.get("choices").get(0).get("logprobs");
        assertEquals(List.of("content"), fields(lp));
        JsonNode content = lp.get("content");
        assertEquals(root.get("usage").get("completion_tokens").intValue(), content.size());
        StringBuilder text = new StringBuilder();
        for (JsonNode entry : content) {
            assertEquals(List.of("token", "logprob", "bytes", "top_logprobs"), fields(entry));
            String token = entry.get("token").textValue();
            text.append(token);
            assertEquals(bytes(token), entry.get("bytes").toString());
            assertTrue(entry.get("logprob").doubleValue() <= 0);
            assertEquals("[]", entry.get("top_logprobs").toString());
        }
        assertEquals(" 85", text.toString());
    }

    @Test
    void chatTopLogprobs() {
        JsonNode content = api.post("/v1/chat/completions", chat(",'logprobs':true,'top_logprobs':3")).ok()
                .get("choices").get(0).get("logprobs").get("content");
        assertEquals(3, content.size());
        for (JsonNode entry : content) {
            JsonNode top = entry.get("top_logprobs");
            assertEquals(3, top.size(), top.toString());
            assertEquals(entry.get("token"), top.get(0).get("token"), "greedy: the chosen token is the likeliest");
            assertEquals(entry.get("logprob"), top.get(0).get("logprob"));
            for (int i = 0; i < 3; i++) {
                JsonNode alt = top.get(i);
                assertEquals(List.of("token", "logprob", "bytes"), fields(alt));
                assertEquals(bytes(alt.get("token").textValue()), alt.get("bytes").toString());
                if (i > 0) {
                    assertTrue(alt.get("logprob").doubleValue() <= top.get(i - 1).get("logprob").doubleValue());
                }
            }
        }
    }

    @Test
    void streamedChatLogprobsMatchTheWholeResponse() {
        JsonNode whole = api.post("/v1/chat/completions", chat(",'logprobs':true,'top_logprobs':2")).ok()
                .get("choices").get(0).get("logprobs").get("content");
        SseReply stream = api.stream("/v1/chat/completions", chat(",'logprobs':true,'top_logprobs':2,'stream':true"));
        List<JsonNode> content = new ArrayList<>();
        for (JsonNode chunk : stream.choiceChunks()) {
            JsonNode lp = chunk.get("choices").get(0).get("logprobs");
            if (!lp.isNull()) {
                lp.get("content").forEach(content::add);
            }
        }
        assertEquals(list(whole), content);
    }

    @Test
    void withoutLogprobsTheyAreNull() {
        assertTrue(api.post("/v1/chat/completions", chat(",'logprobs':false")).ok()
                .get("choices").get(0).get("logprobs").isNull());
        assertTrue(api.post("/v1/completions", completion("")).ok().get("choices").get(0).get("logprobs").isNull());
    }

    private static List<String> strings(JsonNode array) {
        return list(array).stream().map(JsonNode::textValue).toList();
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    private static String bytes(String token) {
        StringBuilder json = new StringBuilder("[");
        for (byte b : token.getBytes(StandardCharsets.UTF_8)) {
            json.append(json.length() > 1 ? "," : "").append(b & 0xff);
        }
        return json.append("]").toString();
    }
}
