package dev.cascade.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.cascade.server.http.Bodies.ADD_PROMPT_TOKENS;
import static dev.cascade.server.http.Bodies.completion;
import static dev.cascade.server.http.Bodies.prompt;
import static dev.cascade.server.http.Shapes.assertUsage;
import static dev.cascade.server.http.Shapes.fields;
import static dev.cascade.server.http.Shapes.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /v1/completions over HTTP: whole responses and streams, their shapes, finish reasons and usage. */
class CompletionsHttpTest {
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
        Reply r = api.post("/v1/completions", completion(""));
        assertEquals(200, r.status(), r.body());
        assertEquals("application/json", r.header("content-type"));
        JsonNode root = r.json();
        assertEquals(List.of("id", "object", "created", "model", "choices", "usage"), fields(root));
        assertTrue(root.get("id").textValue().matches("cmpl-[0-9a-f]{32}"), root.get("id").textValue());
        assertEquals("text_completion", root.get("object").textValue());
        assertTrue(Math.abs(root.get("created").longValue() - System.currentTimeMillis() / 1000) < 120);
        assertEquals("demo-tiny", root.get("model").textValue());
        assertEquals(1, root.get("choices").size());
        JsonNode choice = root.get("choices").get(0);
        assertEquals(List.of("index", "text", "logprobs", "finish_reason"), fields(choice));
        assertEquals(0, choice.get("index").intValue());
        assertEquals(" 85", choice.get("text").textValue());
        assertTrue(choice.get("logprobs").isNull());
        assertEquals("stop", choice.get("finish_reason").textValue());
        // one token per character; the EOS that ended it is not part of the completion
        assertUsage(root.get("usage"), ADD_PROMPT_TOKENS, 3);
    }

    @Test
    void wholeResponseStopsAtMaxTokens() {
        JsonNode root = api.post("/v1/completions", completion(",'max_tokens':2")).ok();
        JsonNode choice = root.get("choices").get(0);
        assertEquals(" 8", choice.get("text").textValue());
        assertEquals("length", choice.get("finish_reason").textValue());
        assertUsage(root.get("usage"), ADD_PROMPT_TOKENS, 2);
    }

    @Test
    void withoutMaxTokensACompletionGetsSixteen() {
        JsonNode root = api.post("/v1/completions", completion(",'ignore_eos':true")).ok();
        assertEquals("length", root.get("choices").get(0).get("finish_reason").textValue());
        assertUsage(root.get("usage"), ADD_PROMPT_TOKENS, 16);
    }

    @Test
    void streamCarriesTheSameTextAsTheWholeResponse() {
        String whole = api.post("/v1/completions", completion("")).ok().get("choices").get(0).get("text").textValue();
        SseReply stream = api.stream("/v1/completions", completion(",'stream':true"));
        assertEquals("no-cache", stream.reply().header("cache-control"));
        String id = stream.chunks().getFirst().get("id").textValue();
        assertTrue(id.matches("cmpl-[0-9a-f]{32}"), id);
        for (JsonNode chunk : stream.chunks()) {
            assertEquals(List.of("id", "object", "created", "model", "choices"), fields(chunk), chunk.toString());
            assertEquals(id, chunk.get("id").textValue());
            assertEquals("text_completion", chunk.get("object").textValue());
            assertEquals("demo-tiny", chunk.get("model").textValue());
            assertEquals(1, chunk.get("choices").size());
            JsonNode choice = chunk.get("choices").get(0);
            assertEquals(List.of("index", "text", "logprobs", "finish_reason"), fields(choice));
            assertEquals(0, choice.get("index").intValue());
        }
        assertTrue(stream.chunks().size() >= 2, "text in pieces, then the finish");
        assertEquals(" 85", whole);
        assertEquals(whole, stream.text(0));
        assertEquals("stop", stream.finishReason(0));
        JsonNode last = stream.chunks().getLast().get("choices").get(0);
        assertEquals("stop", last.get("finish_reason").textValue(), "the finish comes last");
    }

    @Test
    void streamStopsAtMaxTokens() {
        SseReply stream = api.stream("/v1/completions", completion(",'max_tokens':2,'stream':true"));
        assertEquals(" 8", stream.text(0));
        assertEquals("length", stream.finishReason(0));
    }

    @Test
    void includeUsageEndsTheStreamWithAUsageChunk() {
        SseReply stream = api.stream("/v1/completions",
                completion(",'stream':true,'stream_options':{'include_usage':true}"));
        JsonNode last = stream.chunks().getLast();
        assertEquals(List.of("id", "object", "created", "model", "choices", "usage"), fields(last));
        assertEquals("text_completion", last.get("object").textValue());
        assertEquals(stream.chunks().getFirst().get("id"), last.get("id"));
        assertTrue(last.get("choices").isArray() && last.get("choices").isEmpty());
        assertUsage(last.get("usage"), ADD_PROMPT_TOKENS, 3);
        for (JsonNode chunk : stream.chunks().subList(0, stream.chunks().size() - 1)) {
            assertFalse(chunk.has("usage"), "only the last chunk has usage: " + chunk);
        }
        assertEquals(" 85", stream.text(0));
    }

    @Test
    void withoutIncludeUsageNoChunkHasUsage() {
        SseReply stream = api.stream("/v1/completions", completion(",'stream':true,'stream_options':{'include_usage':false}"));
        assertTrue(stream.chunks().stream().noneMatch(c -> c.has("usage")));
        assertEquals(stream.chunks(), stream.choiceChunks());
    }

    /** Choices come prompt by prompt, n each: index = prompt × n + i. */
    @Test
    void listOfPromptsTimesN() {
        String first = text(api.post("/v1/completions", completion("")).ok(), 0);
        String second = text(api.post("/v1/completions", prompt("Q: 12+30\\nA:", ",'temperature':0")).ok(), 0);
        assertNotEquals(first, second, "the two prompts must be told apart");
        JsonNode root = api.post("/v1/completions",
                "{'model':'demo-tiny','prompt':['Q: 38+47\\nA:','Q: 12+30\\nA:'],'n':2,'temperature':0}").ok();
        JsonNode choices = root.get("choices");
        assertEquals(4, choices.size());
        for (int i = 0; i < 4; i++) {
            assertEquals(i, choices.get(i).get("index").intValue());
            assertEquals(i < 2 ? first : second, choices.get(i).get("text").textValue(), "choice " + i);
            assertEquals("stop", choices.get(i).get("finish_reason").textValue());
        }
        // the prompts are counted once each, the completions of every choice
        int generated = 2 * first.length() + 2 * second.length();
        assertUsage(root.get("usage"), 2 * ADD_PROMPT_TOKENS, generated);
    }

    @Test
    void streamedListOfPromptsTimesN() {
        JsonNode whole = api.post("/v1/completions",
                "{'model':'demo-tiny','prompt':['Q: 38+47\\nA:','Q: 12+30\\nA:'],'n':2,'temperature':0}").ok();
        SseReply stream = api.stream("/v1/completions", "{'model':'demo-tiny','prompt':['Q: 38+47\\nA:','Q: 12+30\\nA:'],"
                + "'n':2,'temperature':0,'stream':true,'stream_options':{'include_usage':true}}");
        for (int i = 0; i < 4; i++) {
            assertEquals(text(whole, i), stream.text(i), "choice " + i);
            assertEquals("stop", stream.finishReason(i), "choice " + i);
        }
        assertEquals(whole.get("usage"), stream.chunks().getLast().get("usage"));
    }
}
