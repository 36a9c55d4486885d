package dev.cascade.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.cascade.server.openai.TestJson.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChatResponseTest {

    @Test
    void wholeResponseShape() {
        JsonNode root = read(OpenAiResponses.chatCompletion("chatcmpl-1", 1700000000L, "chat",
                List.of(new ChoiceOutput(0, "4.", "stop", null)), new Usage(10, 2)));
        assertEquals("chatcmpl-1", root.get("id").textValue());
        assertEquals("chat.completion", root.get("object").textValue());
        assertEquals(1700000000L, root.get("created").longValue());
        assertEquals("chat", root.get("model").textValue());
        JsonNode choice = root.get("choices").get(0);
        assertEquals(0, choice.get("index").intValue());
        assertEquals("assistant", choice.get("message").get("role").textValue());
        assertEquals("4.", choice.get("message").get("content").textValue());
        assertTrue(choice.has("logprobs") && choice.get("logprobs").isNull());
        assertEquals("stop", choice.get("finish_reason").textValue());
        assertEquals(12, root.get("usage").get("total_tokens").intValue());
        assertEquals(10, root.get("usage").get("prompt_tokens").intValue());
        assertEquals(2, root.get("usage").get("completion_tokens").intValue());
    }

    @Test
    void logprobsCarryBytesOfAMultiByteToken() {
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
        // a byte-fallback token holding the first byte of "€" alone
        byte[] partial = {euro[0]};
        List<TokenLogprob> tokens = List.of(new TokenLogprob("€", euro, -0.5f,
                List.of(new TopLogprob("€", euro, -0.5f), new TopLogprob("\uFFFD", partial, -3f))));
        JsonNode logprobs = read(OpenAiResponses.chatCompletion("c", 1L, "m",
                List.of(new ChoiceOutput(0, "€", "stop", tokens)), new Usage(1, 1)))
                .get("choices").get(0).get("logprobs");
        JsonNode entry = logprobs.get("content").get(0);
        assertEquals("€", entry.get("token").textValue());
        assertEquals(-0.5, entry.get("logprob").doubleValue());
        assertEquals("[226,130,172]", entry.get("bytes").toString());
        JsonNode top = entry.get("top_logprobs");
        assertEquals(2, top.size());
        assertEquals("[226,130,172]", top.get(0).get("bytes").toString());
        assertEquals("[226]", top.get(1).get("bytes").toString());
        assertEquals(-3.0, top.get(1).get("logprob").doubleValue());
        assertEquals("\uFFFD", top.get(1).get("token").textValue());
    }

    @Test
    void noAlternativesIsAnEmptyListAndMissingBytesAreNull() {
        List<TokenLogprob> tokens = List.of(new TokenLogprob("a", null, Float.NEGATIVE_INFINITY, null));
        byte[] json = OpenAiResponses.chatCompletion("c", 1L, "m",
                List.of(new ChoiceOutput(0, "a", "stop", tokens)), new Usage(1, 1));
        JsonNode entry = read(json).get("choices").get(0).get("logprobs").get("content").get(0);
        assertTrue(entry.get("top_logprobs").isArray());
        assertEquals(0, entry.get("top_logprobs").size());
        assertTrue(entry.has("bytes") && entry.get("bytes").isNull());
        assertEquals(-9999.0, entry.get("logprob").doubleValue());
        assertFalse(new String(json, StandardCharsets.UTF_8).contains("Infinity"));
    }

    @Test
    void firstChunkCarriesTheRole() {
        JsonNode root = read(OpenAiResponses.chatChunk("chatcmpl-1", 5L, "m", 0, "assistant", "", null, null));
        assertEquals("chat.completion.chunk", root.get("object").textValue());
        assertFalse(root.has("usage"));
        JsonNode choice = root.get("choices").get(0);
        assertEquals("{\"role\":\"assistant\",\"content\":\"\"}", choice.get("delta").toString());
        assertTrue(choice.get("logprobs").isNull());
        assertTrue(choice.has("finish_reason") && choice.get("finish_reason").isNull());
    }

    @Test
    void contentChunkLeavesTheRoleOut() {
        List<TokenLogprob> tokens = List.of(new TokenLogprob("Hi", new byte[] {'H', 'i'}, -0.75f, List.of()));
        JsonNode choice = read(OpenAiResponses.chatChunk("c", 5L, "m", 3, null, "Hi", tokens, null))
                .get("choices").get(0);
        assertEquals(3, choice.get("index").intValue());
        assertEquals("{\"content\":\"Hi\"}", choice.get("delta").toString());
        assertEquals(-0.75, choice.get("logprobs").get("content").get(0).get("logprob").doubleValue());
        assertEquals("[72,105]", choice.get("logprobs").get("content").get(0).get("bytes").toString());
    }

    @Test
    void lastChunkHasAnEmptyDeltaAndTheReason() {
        JsonNode choice = read(OpenAiResponses.chatChunk("c", 5L, "m", 0, null, null, null, "length"))
                .get("choices").get(0);
        assertEquals("{}", choice.get("delta").toString());
        assertEquals("length", choice.get("finish_reason").textValue());
    }

    @Test
    void usageChunk() {
        JsonNode root = read(OpenAiResponses.usageChunk("c", 5L, "m", true, new Usage(8, 0)));
        assertEquals("chat.completion.chunk", root.get("object").textValue());
        assertEquals("[]", root.get("choices").toString());
        assertEquals(8, root.get("usage").get("prompt_tokens").intValue());
        assertEquals(0, root.get("usage").get("completion_tokens").intValue());
        assertEquals(8, root.get("usage").get("total_tokens").intValue());
    }
}
