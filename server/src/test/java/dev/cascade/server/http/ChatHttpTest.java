package dev.cascade.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.cascade.server.http.Bodies.ADD_PROMPT_TOKENS;
import static dev.cascade.server.http.Bodies.chat;
import static dev.cascade.server.http.Shapes.assertUsage;
import static dev.cascade.server.http.Shapes.fields;
import static dev.cascade.server.http.Shapes.finishReason;
import static dev.cascade.server.http.Shapes.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /v1/chat/completions over HTTP: whole responses and streams, the role chunk, token budgets, usage. */
class ChatHttpTest {
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
    void wholeResponseStopsAtEos() {
        Reply r = api.post("/v1/chat/completions", chat(""));
        assertEquals(200, r.status(), r.body());
        assertEquals("application/json", r.header("content-type"));
        JsonNode root = r.json();
        assertEquals(List.of("id", "object", "created", "model", "choices", "usage"), fields(root));
        assertTrue(root.get("id").textValue().matches("chatcmpl-[0-9a-f]{32}"), root.get("id").textValue());
        assertEquals("chat.completion", root.get("object").textValue());
        assertTrue(Math.abs(root.get("created").longValue() - System.currentTimeMillis() / 1000) < 120);
        assertEquals("demo-tiny", root.get("model").textValue());
        assertEquals(1, root.get("choices").size());
        JsonNode choice = root.get("choices").get(0);
        assertEquals(List.of("index", "message", "logprobs", "finish_reason"), fields(choice));
        assertEquals(0, choice.get("index").intValue());
        assertEquals("{\"role\":\"assistant\",\"content\":\" 85\"}", choice.get("message").toString());
        assertTrue(choice.get("logprobs").isNull());
        assertEquals("stop", choice.get("finish_reason").textValue());
        // the template renders "<s>Q: 38+47\nA:", as the completions prompt
        assertUsage(root.get("usage"), ADD_PROMPT_TOKENS, 3);
    }

    @Test
    void maxTokensEndsWithLength() {
        JsonNode root = api.post("/v1/chat/completions", chat(",'max_tokens':2")).ok();
        assertEquals(" 8", text(root, 0));
        assertEquals("length", finishReason(root, 0));
        assertUsage(root.get("usage"), ADD_PROMPT_TOKENS, 2);
    }

    @Test
    void maxCompletionTokensWinsOverMaxTokens() {
        JsonNode root = api.post("/v1/chat/completions", chat(",'max_tokens':3,'max_completion_tokens':1")).ok();
        assertEquals(" ", text(root, 0));
        assertEquals("length", finishReason(root, 0));
        assertUsage(root.get("usage"), ADD_PROMPT_TOKENS, 1);
    }

    @Test
    void withoutMaxTokensChatMayFillTheContext() {
        JsonNode root = api.post("/v1/chat/completions", chat(",'ignore_eos':true")).ok();
        assertEquals("length", finishReason(root, 0));
        assertUsage(root.get("usage"), ADD_PROMPT_TOKENS, 64 - ADD_PROMPT_TOKENS);
    }

    @Test
    void earlierTurnsAreInThePrompt() {
        JsonNode root = api.post("/v1/chat/completions", "{'model':'demo-tiny','temperature':0,'messages':["
                + "{'role':'user','content':'1+1'},{'role':'assistant','content':'2'},{'role':'user','content':'38+47'}]}").ok();
        assertEquals("stop", finishReason(root, 0));
        // "<s>Q: 1+1\nA: 2</s>" comes before the question
        assertTrue(root.get("usage").get("prompt_tokens").intValue() > ADD_PROMPT_TOKENS + 10, root.toString());
    }

    @Test
    void streamStartsWithTheRoleAndCarriesTheSameText() {
        String whole = text(api.post("/v1/chat/completions", chat("")).ok(), 0);
        SseReply stream = api.stream("/v1/chat/completions", chat(",'stream':true"));
        List<JsonNode> chunks = stream.chunks();
        String id = chunks.getFirst().get("id").textValue();
        assertTrue(id.matches("chatcmpl-[0-9a-f]{32}"), id);
        for (int i = 0; i < chunks.size(); i++) {
            JsonNode chunk = chunks.get(i);
            assertEquals(List.of("id", "object", "created", "model", "choices"), fields(chunk), chunk.toString());
            assertEquals(id, chunk.get("id").textValue());
            assertEquals("chat.completion.chunk", chunk.get("object").textValue());
            assertEquals("demo-tiny", chunk.get("model").textValue());
            JsonNode choice = chunk.get("choices").get(0);
            assertEquals(List.of("index", "delta", "logprobs", "finish_reason"), fields(choice));
            assertEquals(i == 0, choice.get("delta").has("role"), "only the first chunk has the role: " + chunk);
        }
        assertEquals("assistant", chunks.getFirst().get("choices").get(0).get("delta").get("role").textValue());
        JsonNode last = chunks.getLast().get("choices").get(0);
        assertEquals("{}", last.get("delta").toString());
        assertEquals("stop", last.get("finish_reason").textValue());
        assertEquals(" 85", whole);
        assertEquals(whole, stream.text(0));
        assertEquals("stop", stream.finishReason(0));
    }

    @Test
    void streamStopsAtMaxCompletionTokens() {
        SseReply stream = api.stream("/v1/chat/completions", chat(",'max_completion_tokens':2,'stream':true"));
        assertEquals(" 8", stream.text(0));
        assertEquals("length", stream.finishReason(0));
    }

    @Test
    void includeUsageEndsTheStreamWithAUsageChunk() {
        SseReply stream = api.stream("/v1/chat/completions", chat(",'stream':true,'stream_options':{'include_usage':true}"));
        JsonNode last = stream.chunks().getLast();
        assertEquals(List.of("id", "object", "created", "model", "choices", "usage"), fields(last));
        assertEquals("chat.completion.chunk", last.get("object").textValue());
        assertTrue(last.get("choices").isArray() && last.get("choices").isEmpty());
        assertUsage(last.get("usage"), ADD_PROMPT_TOKENS, 3);
        for (JsonNode chunk : stream.choiceChunks()) {
            assertFalse(chunk.has("usage"), chunk.toString());
        }
    }

    @Test
    void everyStreamedChoiceGetsItsRoleOnce() {
        SseReply stream = api.stream("/v1/chat/completions", chat(",'n':3,'stream':true"));
        for (int i = 0; i < 3; i++) {
            int index = i;
            long roles = stream.choiceChunks().stream().map(c -> c.get("choices").get(0))
                    .filter(c -> c.get("index").intValue() == index && c.get("delta").has("role")).count();
            assertEquals(1, roles, "choice " + i);
            assertEquals(" 85", stream.text(i));
            assertEquals("stop", stream.finishReason(i));
        }
    }
}
